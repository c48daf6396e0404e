// Embedding lookup and its sparse gradient machinery.
//   Gather(table [V,...], ids int32) → [...ids, ...]; a negative id (padding) yields a zero row.
//   ScatterAdd(values [K,...], rows int32 [K]; numRows) → [numRows, ...]: sums rows into place.
//   CoalesceRows(rows int32 [K], values [K,D]) → unique sorted rows [U] + summed values [U,D];
//   negative rows are dropped. This is how sparse gradients are deduplicated before updates.
import { allocFloat } from '../../kernels/float-storage.js';
import { registerKernel, type TypedArray } from '../../kernels/registry.js';

function rowSize(shape: readonly number[]): number {
  let d = 1;
  for (let i = 1; i < shape.length; i++) d *= shape[i];
  return d;
}

registerKernel({
  name: 'Gather',
  reference: ([table, ids]) => {
    const V = table.shape[0];
    const D = rowSize(table.shape);
    const n = ids.values.length;
    const out: TypedArray = table.dtype === 'int32' ? new Int32Array(n * D) : allocFloat(n * D);
    const t = table.values;
    for (let i = 0; i < n; i++) {
      const id = ids.values[i];
      if (id < 0) continue;
      if (id >= V) throw new Error(`gather: id ${id} at position ${i} is outside the table's ${V} rows`);
      const src = id * D;
      const dst = i * D;
      for (let j = 0; j < D; j++) out[dst + j] = t[src + j];
    }
    return [{ shape: [...ids.shape, ...table.shape.slice(1)], dtype: table.dtype, values: out }];
  },
});

registerKernel({
  name: 'ScatterAdd',
  reference: ([values, rows], { numRows }: { numRows: number }) => {
    const D = rowSize(values.shape);
    const out = allocFloat(numRows * D);
    const v = values.values;
    for (let i = 0; i < rows.values.length; i++) {
      const r = rows.values[i];
      if (r < 0) continue;
      if (r >= numRows) throw new Error(`scatterAdd: row ${r} is outside [0, ${numRows})`);
      const dst = r * D, src = i * D;
      for (let j = 0; j < D; j++) out[dst + j] += v[src + j];
    }
    return [{ shape: [numRows, ...values.shape.slice(1)], dtype: 'float32', values: out }];
  },
});

registerKernel({
  name: 'CoalesceRows',
  reference: ([rows, values]) => {
    const K = rows.values.length;
    const D = rowSize(values.shape);
    const order: number[] = [];
    for (let i = 0; i < K; i++) if (rows.values[i] >= 0) order.push(i);
    order.sort((a, b) => rows.values[a] - rows.values[b] || a - b);
    let U = 0;
    for (let k = 0; k < order.length; k++) if (k === 0 || rows.values[order[k]] !== rows.values[order[k - 1]]) U++;
    const uniq = new Int32Array(U);
    const out = allocFloat(U * D);
    let u = -1;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      if (k === 0 || rows.values[i] !== rows.values[order[k - 1]]) uniq[++u] = rows.values[i];
      const dst = u * D, src = i * D;
      for (let j = 0; j < D; j++) out[dst + j] += values.values[src + j];
    }
    return [
      { shape: [U], dtype: 'int32', values: uniq },
      { shape: [U, ...values.shape.slice(1)], dtype: 'float32', values: out },
    ];
  },
});

registerKernel({
  name: 'OneHot',
  reference: ([ids], { depth }: { depth: number }) => {
    const n = ids.values.length;
    const out = allocFloat(n * depth);
    for (let i = 0; i < n; i++) {
      const id = ids.values[i];
      if (id >= 0 && id < depth) out[i * depth + id] = 1;
    }
    return [{ shape: [...ids.shape, depth], dtype: 'float32', values: out }];
  },
});
