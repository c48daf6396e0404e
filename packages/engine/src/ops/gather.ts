// Embedding lookup (gather) and the row scatter ops behind its sparse gradient.
import { runKernel } from '../engine.js';
import type { Tensor } from '../tensor.js';

/** Rows of `table` at `ids` (int32, any shape); id -1 yields a zero row. */
export function gather(table: Tensor, ids: Tensor): Tensor {
  if (ids.dtype !== 'int32') throw new Error(`gather: ids must be int32, got ${ids.dtype} [${ids.shape}]`);
  if (table.rank < 1) throw new Error('gather: table must have rank ≥ 1');
  return runKernel('Gather', [table, ids])[0];
}

/** out[rows[i]] += values[i]; out has `numRows` rows. Negative rows are skipped. */
export function scatterAdd(values: Tensor, rows: Tensor, numRows: number): Tensor {
  if (rows.dtype !== 'int32' || rows.rank !== 1 || rows.shape[0] !== values.shape[0]) {
    throw new Error(`scatterAdd: rows must be int32 [${values.shape[0]}], got ${rows.dtype} [${rows.shape}]`);
  }
  return runKernel('ScatterAdd', [values, rows], { numRows })[0];
}

/** Deduplicate (rows, values): unique sorted rows with their values summed. */
export function coalesceRows(rows: Tensor, values: Tensor): [Tensor, Tensor] {
  const [r, v] = runKernel('CoalesceRows', [rows, values]);
  return [r, v];
}

export function oneHot(ids: Tensor, depth: number): Tensor {
  return runKernel('OneHot', [ids], { depth })[0];
}
