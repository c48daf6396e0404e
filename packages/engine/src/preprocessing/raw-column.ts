/**
 * Reading raw input values. Training columns arrive as typed arrays (NaN = missing); serving columns
 * arrive from JSON as arrays of string | number | null | undefined. Both go through these readers so the
 * missing-value decision is the same at train and serve time.
 */

export type RawColumn =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | ReadonlyArray<string | number | boolean | null | undefined>;

export type RawColumns = Record<string, RawColumn>;

/** A data error that names the column and row, e.g. for the 'error' missing rule. */
export class PreprocessingError extends Error {
  constructor(
    readonly column: string,
    readonly row: number,
    message: string,
  ) {
    super(`column "${column}" row ${row}: ${message}`);
    this.name = 'PreprocessingError';
  }
}

/** Numeric value at row i, or NaN when missing (null, undefined, NaN). Strings are rejected. */
export function readNumber(col: RawColumn, i: number, name: string): number {
  const v = col[i];
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new PreprocessingError(name, i, `expected a number, got ${JSON.stringify(v)}`);
}

/**
 * Categorical value at row i as its canonical string, or null when missing. Numbers use JavaScript's
 * shortest round-trip formatting (3 → "3", 2.5 → "2.5"), so integer codes match their decimal strings.
 */
export function readCategory(col: RawColumn, i: number): string | null {
  const v = col[i];
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : String(v);
  return String(v);
}

export function requireColumn(columns: RawColumns, name: string, numRows: number): RawColumn {
  const col = columns[name];
  if (col === undefined) throw new Error(`preprocessing: input column "${name}" is missing`);
  if (col.length !== numRows) throw new Error(`preprocessing: column "${name}" has ${col.length} rows, expected ${numRows}`);
  return col;
}
