/**
 * Columnar chunks: the unit every Dataset op consumes and produces. Numeric data stays in typed arrays
 * end to end; string[] only carries raw categorical values until preprocessing turns them into ids.
 */

export type Column = Float32Array | Float64Array | Int32Array | string[];

export interface ColumnBatch {
  numRows: number;
  columns: Record<string, Column>;
}

/** Throws unless every column has exactly numRows entries. */
export function assertBatch(batch: ColumnBatch, where = 'batch'): void {
  if (!Number.isInteger(batch.numRows) || batch.numRows < 0) {
    throw new Error(`${where}: numRows must be a non-negative integer, got ${batch.numRows}`);
  }
  for (const name of Object.keys(batch.columns)) {
    const col = batch.columns[name];
    if (col.length !== batch.numRows) {
      throw new Error(`${where}: column "${name}" has ${col.length} rows, expected ${batch.numRows}`);
    }
  }
}

/** Builds a batch from columns, inferring and checking the row count. */
export function batchFromColumns(columns: Record<string, Column>): ColumnBatch {
  const names = Object.keys(columns);
  const numRows = names.length === 0 ? 0 : columns[names[0]].length;
  const batch = { numRows, columns };
  assertBatch(batch, 'columns');
  return batch;
}

/** Empty column of the same kind as `like`, with room for n rows. */
export function allocColumn(like: Column, n: number): Column {
  if (like instanceof Float32Array) return new Float32Array(n);
  if (like instanceof Float64Array) return new Float64Array(n);
  if (like instanceof Int32Array) return new Int32Array(n);
  return new Array<string>(n);
}

/** Copies src[srcStart, srcEnd) into dst at dstOffset (memcpy for typed arrays). */
export function copyRange(dst: Column, dstOffset: number, src: Column, srcStart: number, srcEnd: number): void {
  if (Array.isArray(dst)) {
    const s = src as string[];
    for (let i = srcStart; i < srcEnd; i++) dst[dstOffset + i - srcStart] = s[i];
  } else {
    (dst as Float32Array).set((src as Float32Array).subarray(srcStart, srcEnd), dstOffset);
  }
}

/** Rows [start, end) as views for typed arrays (no copy) and a slice for string columns. */
export function sliceBatch(batch: ColumnBatch, start: number, end: number): ColumnBatch {
  const columns: Record<string, Column> = {};
  for (const name of Object.keys(batch.columns)) {
    const col = batch.columns[name];
    columns[name] = Array.isArray(col) ? col.slice(start, end) : col.subarray(start, end);
  }
  return { numRows: end - start, columns };
}

/** Copies the rows named by indices[0..count) into fresh columns. */
export function gatherColumn(col: Column, indices: Int32Array, count: number): Column {
  const out = allocColumn(col, count);
  if (Array.isArray(col)) {
    const o = out as string[];
    for (let i = 0; i < count; i++) o[i] = col[indices[i]];
  } else {
    const o = out as Float32Array;
    const c = col as Float32Array;
    for (let i = 0; i < count; i++) o[i] = c[indices[i]];
  }
  return out;
}

export function gatherBatch(batch: ColumnBatch, indices: Int32Array, count = indices.length): ColumnBatch {
  const columns: Record<string, Column> = {};
  for (const name of Object.keys(batch.columns)) columns[name] = gatherColumn(batch.columns[name], indices, count);
  return { numRows: count, columns };
}

/** Concatenates batches with identical column sets into one freshly allocated batch. */
export function concatBatches(batches: ColumnBatch[]): ColumnBatch {
  if (batches.length === 0) return { numRows: 0, columns: {} };
  const names = Object.keys(batches[0].columns);
  let total = 0;
  for (const b of batches) {
    assertSameColumns(names, b);
    total += b.numRows;
  }
  const columns: Record<string, Column> = {};
  for (const name of names) {
    const out = allocColumn(batches[0].columns[name], total);
    let off = 0;
    for (const b of batches) {
      copyRange(out, off, b.columns[name], 0, b.numRows);
      off += b.numRows;
    }
    columns[name] = out;
  }
  return { numRows: total, columns };
}

export function assertSameColumns(names: string[], batch: ColumnBatch): void {
  const got = Object.keys(batch.columns);
  if (got.length !== names.length || names.some((n) => !(n in batch.columns))) {
    throw new Error(`chunks disagree on columns: expected [${names.join(', ')}], got [${got.join(', ')}]`);
  }
}
