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
    for (let i = 0; i < chunk.length; i++, this.offset++) {
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

/** One entry per open JSON array / object. */
interface Open {
  object: boolean;
  keys: number;
  /** In an object: the next string is a key. */
  expectKey: boolean;
}

/**
 * JSON Lines, tokenized just enough to know depth, object keys and strings (with their escapes):
 * syntax errors are left to DuckDB and the analyzer, which name the line.
 */
class JsonLinesGuard implements UploadGuard {
  private line = 1;
  private readonly stack: Open[] = [];
  private inString = false;
  private isKey = false;
  private escape = false;
  /** Hex digits left in a \uXXXX escape, and whether those seen so far are all 0. */
  private hexLeft = 0;
  private hexZero = true;
  private key: number[] = [];
  /** The top-level key whose value is being read (for messages). */
  private topKey: string | null = null;
  private readonly topKeys = new Set<string>();

  constructor(private readonly limits: UploadLimits) {}

  push(chunk: Uint8Array): DatasetError | null {
    for (let i = 0; i < chunk.length; i++) {
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
            const err = this.endKey();
            if (err) return err;
          }
          continue;
        }
        if (this.isKey && this.key.length < NAME_BYTES) this.key.push(b);
        if (b === LF) this.line++; // invalid JSON; DuckDB will say so, but count the line
        continue;
      }
      const top = this.stack[this.stack.length - 1];
      if (b === QUOTE) {
        this.inString = true;
        this.escape = false;
        this.hexLeft = 0;
        this.isKey = top !== undefined && top.object && top.expectKey;
        if (this.isKey) {
          top.expectKey = false;
          this.key = [];
        }
      } else if (b === 0x7b || b === 0x5b) {
        if (this.stack.length >= this.limits.maxJsonDepth) {
          return DatasetErrors.limitExceeded(`line ${this.line} is nested deeper than ${this.limits.maxJsonDepth} levels`, 'ATELIER_DATASET_MAX_JSON_DEPTH', {
            field: `line ${this.line}`,
            message: `arrays and objects nested deeper than ${this.limits.maxJsonDepth} levels`,
          });
        }
        this.stack.push({ object: b === 0x7b, keys: 0, expectKey: b === 0x7b });
      } else if (b === 0x7d || b === 0x5d) {
        this.stack.pop();
        if (this.stack.length === 0) this.topKey = null;
      } else if (b === COMMA) {
        if (top?.object) top.expectKey = true;
      } else if (b === LF) {
        // A record ends at its line break; an unbalanced one is DuckDB's to report.
        this.stack.length = 0;
        this.topKey = null;
        this.line++;
      }
    }
    return null;
  }

  private endKey(): DatasetError | null {
    const top = this.stack[this.stack.length - 1];
    const name = Buffer.from(this.key).toString('utf8');
    if (++top.keys > this.limits.maxColumns) {
      return DatasetErrors.limitExceeded(`line ${this.line} has an object with more than ${this.limits.maxColumns} keys`, 'ATELIER_DATASET_MAX_COLUMNS', {
        field: `line ${this.line}`,
        message: `an object with more than ${this.limits.maxColumns} keys`,
      });
    }
    if (this.stack.length === 1) {
      this.topKey = name;
      this.topKeys.add(name);
      if (this.topKeys.size > this.limits.maxColumns) {
        return DatasetErrors.limitExceeded(
          `the records have more than ${this.limits.maxColumns} distinct keys (columns) by line ${this.line}`,
          'ATELIER_DATASET_MAX_COLUMNS',
          { field: `line ${this.line}`, message: `more than ${this.limits.maxColumns} distinct top-level keys in the file` },
        );
      }
    }
    return null;
  }

  private refuse(message: string): DatasetError {
    const field = this.topKey === null ? `line ${this.line}` : `line ${this.line}, column '${this.topKey}'`;
    return DatasetErrors.malformed('jsonl', `${field}: ${message}`, [{ field, message }]);
  }
}
