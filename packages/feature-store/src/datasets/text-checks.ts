// Byte-level checks DuckDB does not give us line numbers for: the CSV header record, and UTF-8 validity
// of JSON Lines files. Both stream the file; memory stays bounded.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';

const HEADER_LIMIT_BYTES = 1024 * 1024;

export type CsvHeader =
  | { ok: true; names: string[]; /** bytes after the header's line break (0 when none) */ restBytes: number }
  | { ok: false; reason: string };

/** Parses the first record of a CSV file (RFC 4180: `,` separated, `"` quoted, `""` escapes a quote). */
export async function readCsvHeader(path: string): Promise<CsvHeader> {
  const handle = await open(path, 'r');
  let buf: Buffer;
  let fileSize: number;
  try {
    fileSize = (await handle.stat()).size;
    buf = Buffer.alloc(Math.min(HEADER_LIMIT_BYTES, fileSize));
    await handle.read(buf, 0, buf.length, 0);
  } finally {
    await handle.close();
  }
  let start = 0;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
  const names: string[] = [];
  let field = '';
  let inQuotes = false;
  let quoted = false;
  let i = start;
  let fieldStart = start;
  const text = (from: number, to: number) => buf.toString('utf8', from, to);
  for (; i < buf.length; i++) {
    const b = buf[i];
    if (inQuotes) {
      if (b === 0x22) {
        if (buf[i + 1] === 0x22) {
          field += text(fieldStart, i + 1);
          i++;
          fieldStart = i + 1;
        } else {
          field += text(fieldStart, i);
          inQuotes = false;
          fieldStart = i + 1;
        }
      }
      continue;
    }
    if (b === 0x22) {
      if (quoted || text(fieldStart, i).length > 0 || field.length > 0) {
        return { ok: false, reason: `line 1 (header), column ${names.length + 1}: a quote inside an unquoted field` };
      }
      inQuotes = true;
      quoted = true;
      fieldStart = i + 1;
    } else if (b === 0x2c) {
      names.push(field + text(fieldStart, i));
      field = '';
      quoted = false;
      fieldStart = i + 1;
    } else if (b === 0x0a || b === 0x0d) {
      break;
    } else if (quoted) {
      return { ok: false, reason: `line 1 (header), column ${names.length + 1}: text after a closing quote` };
    }
  }
  if (inQuotes) return { ok: false, reason: 'line 1 (header): a quoted column name is never closed' };
  if (i >= buf.length && fileSize > buf.length) return { ok: false, reason: `line 1 (header) is longer than ${HEADER_LIMIT_BYTES} bytes` };
  names.push(field + text(fieldStart, i));
  let end = i;
  if (buf[end] === 0x0d) end++;
  if (buf[end] === 0x0a) end++;
  if (!isUtf8(buf.subarray(start, i))) return { ok: false, reason: 'line 1 (header) is not valid UTF-8' };
  return { ok: true, names, restBytes: fileSize - end };
}

/** Offset of the first invalid UTF-8 sequence in `buf`, or -1. Slow path: only run once isUtf8 said no. */
function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let n = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if ((b & 0xe0) === 0xc0) [n, min] = [1, 0x80];
    else if ((b & 0xf0) === 0xe0) [n, min] = [2, 0x800];
    else if ((b & 0xf8) === 0xf0) [n, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/** Length of an incomplete multi-byte sequence at the end of `buf` (0–3), to carry into the next chunk. */
function incompleteTail(buf: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

function countNewlines(buf: Uint8Array, end = buf.length): number {
  let n = 0;
  let i = -1;
  const b = Buffer.from(buf.buffer, buf.byteOffset, end);
  while ((i = b.indexOf(0x0a, i + 1)) !== -1) n++;
  return n;
}

/** The 1-based line and byte offset of the first invalid UTF-8 sequence in a file, or null when valid. */
export async function findInvalidUtf8(path: string): Promise<{ line: number; byteOffset: number } | null> {
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0; // file offset of buf[0]
  let lines = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteTail(buf);
    const body = buf.subarray(0, buf.length - tail);
    if (!isUtf8(body)) {
      const at = firstInvalidUtf8(body);
      return { line: lines + countNewlines(body, Math.max(at, 0)) + 1, byteOffset: offset + Math.max(at, 0) };
    }
    lines += countNewlines(body);
    offset += body.length;
    carry = Buffer.from(buf.subarray(buf.length - tail));
  }
  if (carry.length > 0) return { line: lines + 1, byteOffset: offset };
  return null;
}

/**
 * The first line (1-based, at most `untilLine`) of a JSON Lines file that is not one complete JSON value,
 * with the parser's reason. DuckDB reports where it noticed a problem, which for a record cut short is a
 * later line; this finds the line that is actually broken. Runs on the failure path only.
 */
export async function firstBadJsonLine(path: string, untilLine: number): Promise<{ line: number; reason: string } | null> {
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const text of lines) {
      n++;
      if (n > untilLine) break;
      if (text.trim() === '') continue;
      try {
        JSON.parse(text);
      } catch (err) {
        return { line: n, reason: (err as Error).message };
      }
    }
  } finally {
    lines.close();
  }
  return null;
}
