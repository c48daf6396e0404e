// Checks that run on the bytes of an upload while they stream to the spool file, before DuckDB sees
// them: a header with 50,000 columns or a JSON line nested 10,000 deep is refused at its first bytes
// (DuckDB would spend seconds and gigabytes on it before failing), NUL characters are refused with
// their line and column (Postgres cannot store them in the profile), and a quote inside an unquoted
// CSV value is refused (DuckDB's strict mode reads `1"x` as text). One small state machine per
// format; memory is bounded by the limits, never by the size of the file.
import type { DatasetFileFormat } from './dataset-format.js';
import { DatasetErrors, type DatasetError } from './datasets.errors.js';

export interface UploadLimits {
  /** The most columns a file may have (CSV header fields, keys of one JSON object, distinct top-level JSON keys). */
  maxColumns: number;
  /** The deepest nesting of JSON arrays / objects in a JSON Lines record. */
  maxJsonDepth: number;
}

export interface UploadGuard {
  /** Inspects the next chunk; returns the reason to refuse the upload, or null. */
  push(chunk: Uint8Array): DatasetError | null;
}

/** A guard for the format (Parquet is binary and checked from its footer by the analyzer: none here). */
export function createUploadGuard(format: DatasetFileFormat, limits: UploadLimits): UploadGuard | null {
  if (format === 'csv') return new CsvGuard(limits);
  if (format === 'jsonl') return new JsonLinesGuard(limits);
  return null;
}

/** Column names kept for messages are cut to this many bytes. */
const NAME_BYTES = 200;

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const BACKSLASH = 0x5c;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Lookup tables of the bytes a fast path must stop at (1) or may skip (0). */
function stopsAt(...bytes: number[]): Uint8Array {
  const table = new Uint8Array(256);
  for (const b of bytes) table[b] = 1;
  return table;
}
const UNQUOTED_STOP = stopsAt(NUL, QUOTE, COMMA, LF, CR);
const QUOTED_STOP = stopsAt(NUL, QUOTE);
const IN_STRING_STOP = stopsAt(NUL, QUOTE, BACKSLASH, LF);
const BETWEEN_TOKENS_STOP = stopsAt(NUL, QUOTE, COMMA, LF, 0x7b, 0x7d, 0x5b, 0x5d);

const enum Csv {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted value: an escaped quote ("") or the closing one. */
  QuoteInQuoted,
}

/** RFC 4180 records (`,` `"` `""`), counted as DuckDB counts lines: the header is line 1, one line per record. */
class CsvGuard implements UploadGuard {
  private state = Csv.FieldStart;
  private line = 1;
  private column = 1;
  private offset = 0;
  /** Bytes of a leading byte order mark skipped so far. */
  private bom = 0;
  private skipLf = false;
  private readonly header: string[] = [];
  private name: number[] = [];

  constructor(private readonly limits: UploadLimits) {}

  push(chunk: Uint8Array): DatasetError | null {
    const n = chunk.length;
    for (let i = 0; i < n; i++, this.offset++) {
      // Fast path (most bytes): the inside of a value after the header, up to the next byte that matters.
      if (this.line > 1 && !this.skipLf && this.state !== Csv.QuoteInQuoted) {
        const stops = this.state === Csv.Quoted ? QUOTED_STOP : UNQUOTED_STOP;
        const from = i;
        while (i < n && !stops[chunk[i]]) i++;
        if (i > from && this.state === Csv.FieldStart) this.state = Csv.Unquoted;
        this.offset += i - from;
        if (i === n) break;
      }
      const b = chunk[i];
      // A UTF-8 byte order mark before the first field is not part of it.
      if (this.offset === this.bom && this.bom < 3 && b === UTF8_BOM[this.bom]) {
        this.bom++;
        continue;
      }
      if (b === NUL) return this.refuse('a NUL character (byte 0); text files may not contain it');
      if (this.skipLf) {
        this.skipLf = false;
        if (b === LF) continue;
      }
      switch (this.state) {
        case Csv.Quoted:
          if (b === QUOTE) this.state = Csv.QuoteInQuoted;
          else this.keepName(b);
          break;
        case Csv.QuoteInQuoted:
          if (b === QUOTE) {
            this.state = Csv.Quoted; // "" is one quote
            this.keepName(b);
          } else if (b === COMMA || b === LF || b === CR) {
            const err = this.delimiter(b);
            if (err) return err;
          } else {
            return this.refuse('text after the closing quote of a quoted value; double a quote inside a quoted value ("")');
          }
          break;
        case Csv.FieldStart:
        case Csv.Unquoted:
          if (b === QUOTE) {
            if (this.state === Csv.FieldStart) this.state = Csv.Quoted;
            else return this.refuse('a quote inside an unquoted value; quote the whole value and double the quote ("1""x")');
          } else if (b === COMMA || b === LF || b === CR) {
            const err = this.delimiter(b);
            if (err) return err;
          } else {
            this.state = Csv.Unquoted;
            this.keepName(b);
          }
          break;
      }
    }
    return null;
  }

  /** Header bytes are kept (cut short) to name columns in messages. */
  private keepName(b: number): void {
    if (this.line === 1 && this.name.length < NAME_BYTES) this.name.push(b);
  }

  /** A `,` or a line break outside quotes. */
  private delimiter(b: number): DatasetError | null {
    if (this.line === 1) {
      this.header.push(Buffer.from(this.name).toString('utf8'));
      this.name = [];
    }
    this.state = Csv.FieldStart;
    if (b === COMMA) {
      this.column++;
      if (this.column > this.limits.maxColumns) return this.tooWide();
      return null;
    }
    this.skipLf = b === CR;
    this.line++;
    this.column = 1;
    return null;
  }

  private columnName(): string {
    const name = this.line === 1 ? undefined : this.header[this.column - 1];
    return name === undefined ? `column ${this.column}` : `column '${name}'`;
  }

  private refuse(message: string): DatasetError {
    const field = `line ${this.line}, ${this.columnName()}`;
    return DatasetErrors.malformed('csv', `${field}: ${message}`, [{ field, message }]);
  }

  private tooWide(): DatasetError {
    const what = this.line === 1 ? 'the header has' : `line ${this.line} has`;
    return DatasetErrors.limitExceeded(
      `${what} more than ${this.limits.maxColumns} columns`,
      'ATELIER_DATASET_MAX_COLUMNS',
      { field: `line ${this.line}`, message: `more than ${this.limits.maxColumns} columns` },
    );
  }
}

/**
 * JSON Lines, tokenized just enough to know depth, object keys and strings (with their escapes):
 * syntax errors are left to DuckDB and the analyzer, which name the line. Open arrays / objects live in
 * typed arrays (depth is bounded); keys are kept as latin1 text (one char per byte: cheap, and as
 * distinct as the bytes) and decoded as UTF-8 only for messages.
 */
class JsonLinesGuard implements UploadGuard {
  private line = 1;
  private depth = 0;
  /** Per open level: 1 for an object, 0 for an array; keys seen; whether the next string is a key. */
  private readonly isObject: Uint8Array;
  private readonly keys: Uint32Array;
  private readonly expectKey: Uint8Array;
  private inString = false;
  private isKey = false;
  private escape = false;
  /** Hex digits left in a \uXXXX escape, and whether those seen so far are all 0. */
  private hexLeft = 0;
  private hexZero = true;
  /** The key being read: text from earlier chunks, and where it starts in this one. */
  private keyHead = '';
  private keyStart = 0;
  /** The top-level key whose value is being read (for messages), latin1. */
  private topKey: string | null = null;
  private readonly topKeys = new Set<string>();

  constructor(private readonly limits: UploadLimits) {
    this.isObject = new Uint8Array(limits.maxJsonDepth + 1);
    this.keys = new Uint32Array(limits.maxJsonDepth + 1);
    this.expectKey = new Uint8Array(limits.maxJsonDepth + 1);
  }

  push(bytes: Uint8Array): DatasetError | null {
    const chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const n = chunk.length;
    this.keyStart = 0;
    for (let i = 0; i < n; i++) {
      // Fast paths (most bytes): the inside of a string, and scalars / spaces between tokens.
      if (this.inString) {
        if (!this.escape && this.hexLeft === 0) {
          while (i < n && !IN_STRING_STOP[chunk[i]]) i++;
          if (i === n) break;
        }
      } else {
        while (i < n && !BETWEEN_TOKENS_STOP[chunk[i]]) i++;
        if (i === n) break;
      }
      const b = chunk[i];
      if (b === NUL) return this.refuse('a NUL character (byte 0)');
      if (this.inString) {
        if (this.hexLeft > 0) {
          this.hexZero &&= b === 0x30;
          if (--this.hexLeft === 0 && this.hexZero) return this.refuse('a NUL character (\\u0000) in a string');
        } else if (this.escape) {
          this.escape = false;
          if (b === 0x75) [this.hexLeft, this.hexZero] = [4, true];
        } else if (b === BACKSLASH) {
          this.escape = true;
        } else if (b === QUOTE) {
          this.inString = false;
          if (this.isKey) {
            // Only top-level keys are columns (and named in messages); nested ones are only counted.
            const err = this.endKey(this.depth === 1 ? this.keyHead + chunk.toString('latin1', this.keyStart, i) : '');
            if (err) return err;
          }
        } else if (b === LF) {
          this.line++; // invalid JSON (DuckDB will say so), but the lines still count
        }
        continue;
      }
      const d = this.depth;
      if (b === QUOTE) {
        this.inString = true;
        this.escape = false;
        this.hexLeft = 0;
        this.isKey = d > 0 && this.isObject[d] === 1 && this.expectKey[d] === 1;
        if (this.isKey) {
          this.expectKey[d] = 0;
          this.keyHead = '';
          this.keyStart = i + 1;
        }
      } else if (b === 0x7b || b === 0x5b) {
        if (d >= this.limits.maxJsonDepth) {
          return DatasetErrors.limitExceeded(`line ${this.line} is nested deeper than ${this.limits.maxJsonDepth} levels`, 'ATELIER_DATASET_MAX_JSON_DEPTH', {
            field: `line ${this.line}`,
            message: `arrays and objects nested deeper than ${this.limits.maxJsonDepth} levels`,
          });
        }
        this.depth = d + 1;
        this.isObject[d + 1] = b === 0x7b ? 1 : 0;
        this.expectKey[d + 1] = b === 0x7b ? 1 : 0;
        this.keys[d + 1] = 0;
      } else if (b === 0x7d || b === 0x5d) {
        if (d > 0) this.depth = d - 1;
        if (this.depth === 0) this.topKey = null;
      } else if (b === COMMA) {
        if (this.isObject[d] === 1) this.expectKey[d] = 1;
      } else if (b === LF) {
        // A record ends at its line break; an unbalanced one is DuckDB's to report.
        this.depth = 0;
        this.topKey = null;
        this.line++;
      }
    }
    // A key that goes on in the next chunk.
    if (this.inString && this.isKey && this.depth === 1 && this.keyHead.length < NAME_BYTES) this.keyHead += chunk.toString('latin1', this.keyStart, n);
    return null;
  }

  private endKey(raw: string): DatasetError | null {
    const d = this.depth;
    const name = raw.length > NAME_BYTES ? raw.slice(0, NAME_BYTES) : raw;
    if (++this.keys[d] > this.limits.maxColumns) {
      return DatasetErrors.limitExceeded(`line ${this.line} has an object with more than ${this.limits.maxColumns} keys`, 'ATELIER_DATASET_MAX_COLUMNS', {
        field: `line ${this.line}`,
        message: `an object with more than ${this.limits.maxColumns} keys`,
      });
    }
    if (d === 1) {
      this.topKey = name;
      if (!this.topKeys.has(name)) {
        this.topKeys.add(name);
        if (this.topKeys.size > this.limits.maxColumns) {
          return DatasetErrors.limitExceeded(
            `the records have more than ${this.limits.maxColumns} distinct keys (columns) by line ${this.line}`,
            'ATELIER_DATASET_MAX_COLUMNS',
            { field: `line ${this.line}`, message: `more than ${this.limits.maxColumns} distinct top-level keys in the file` },
          );
        }
      }
    }
    return null;
  }

  private refuse(message: string): DatasetError {
    const column = this.topKey === null ? '' : `, column '${Buffer.from(this.topKey, 'latin1').toString('utf8')}'`;
    const field = `line ${this.line}${column}`;
    return DatasetErrors.malformed('jsonl', `${field}: ${message}`, [{ field, message }]);
  }
}
