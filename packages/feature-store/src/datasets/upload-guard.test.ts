// The upload guard on its own: what it refuses, with which line and column, and — as important — the
// valid files it must let through, whichever way the bytes are cut into chunks.
import { describe, expect, it } from 'vitest';
import type { DatasetFileFormat } from './dataset-format.js';
import { createUploadGuard } from './upload-guard.js';

/** Feeds `text` in chunks of every size from 1 to 7 bytes; returns the first refusal of each run (they must agree). */
function check(format: DatasetFileFormat, text: string | Buffer, limits = { maxColumns: 4, maxJsonDepth: 3 }) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const outcomes = new Set<string>();
  for (let size = 1; size <= 7; size++) {
    const guard = createUploadGuard(format, limits)!;
    let outcome = 'ok';
    for (let i = 0; i < bytes.length && outcome === 'ok'; i += size) {
      const err = guard.push(bytes.subarray(i, i + size));
      if (err) outcome = `${err.code} ${err.errors?.[0].field}`;
    }
    outcomes.add(outcome);
  }
  expect(outcomes.size, [...outcomes].join(' | ')).toBe(1);
  return [...outcomes][0];
}

describe('upload guard: CSV', () => {
  it('lets valid RFC 4180 through: quoted commas, quotes and line breaks, CRLF, a BOM, empty fields', () => {
    expect(check('csv', '\ufeff"a","b,c",d\r\n"x ""y""","1\n2",\r\n,,\n')).toBe('ok');
    expect(check('csv', 'a,b,c,d\n1,2,3,4\n')).toBe('ok'); // exactly maxColumns
  });

  it('refuses quotes inside or after a value, NUL bytes and too many columns, naming line and column', () => {
    expect(check('csv', 'a,b\n1"x,2\n')).toBe("ATL_DATASET_MALFORMED line 2, column 'a'");
    expect(check('csv', 'a,b\n1,"x"y\n')).toBe("ATL_DATASET_MALFORMED line 2, column 'b'");
    expect(check('csv', 'a,"b c"\r\n1,2\r\n3,x\0\r\n')).toBe("ATL_DATASET_MALFORMED line 3, column 'b c'");
    expect(check('csv', 'a,b\0\n')).toBe('ATL_DATASET_MALFORMED line 1, column 2');
    expect(check('csv', 'a,b,c,d,e\n')).toBe('ATL_DATASET_LIMIT_EXCEEDED line 1');
    expect(check('csv', 'a,b\n1,2\n1,2,3,4,5\n')).toBe('ATL_DATASET_LIMIT_EXCEEDED line 3');
  });
});

describe('upload guard: JSON Lines', () => {
  it('lets valid records through: brackets, quotes and escapes inside strings, an escaped backslash before u0000', () => {
    expect(check('jsonl', '{"a":"[[[[{{{","b":"say \\"hi\\"","c":"\\\\u0000 is text"}\n{"a":[[1]],"d":null}\n')).toBe('ok');
    expect(check('jsonl', '{"a":"\\u00e9\\u0001"}\n[1,[2,[3]]]\n"x"\n')).toBe('ok');
  });

  it('refuses NUL characters with the line and top-level key, depth and key counts past the limits', () => {
    expect(check('jsonl', '{"a":1}\n{"a":{"b":"x\\u0000"}}\n')).toBe("ATL_DATASET_MALFORMED line 2, column 'a'");
    expect(check('jsonl', '{"é":"\0"}\n')).toBe("ATL_DATASET_MALFORMED line 1, column 'é'");
    expect(check('jsonl', '{"a":[[[1]]]}\n')).toBe('ATL_DATASET_LIMIT_EXCEEDED line 1');
    expect(check('jsonl', '{"a":1}\n{"n":{"k1":1,"k2":2,"k3":3,"k4":4,"k5":5}}\n')).toBe('ATL_DATASET_LIMIT_EXCEEDED line 2');
    expect(check('jsonl', '{"a":1,"b":2}\n{"c":3,"a":4}\n{"d":5}\n{"e":6}\n')).toBe('ATL_DATASET_LIMIT_EXCEEDED line 4');
  });

  it('has no guard for Parquet (binary; its width is read from the footer)', () => {
    expect(createUploadGuard('parquet', { maxColumns: 1, maxJsonDepth: 1 })).toBeNull();
  });
});
