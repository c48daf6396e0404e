/**
 * Regroups a stream of chunks of any size into batches of exactly `size` rows (the last one may be
 * short unless dropRemainder). Each batch owns freshly allocated columns, filled by range copies.
 */
import { allocColumn, assertSameColumns, copyRange, type Column, type ColumnBatch } from './column-batch.js';

export async function* rebatch(
  source: AsyncIterable<ColumnBatch>,
  size: number,
  dropRemainder: boolean,
): AsyncGenerator<ColumnBatch> {
  let names: string[] | null = null;
  let cur: Record<string, Column> | null = null;
  let fill = 0;

  for await (const chunk of source) {
    if (chunk.numRows === 0) continue;
    if (names === null) names = Object.keys(chunk.columns);
    else assertSameColumns(names, chunk);
    let pos = 0;
    while (pos < chunk.numRows) {
      if (cur === null) {
        cur = {};
        for (const n of names) cur[n] = allocColumn(chunk.columns[n], size);
        fill = 0;
      }
      const take = Math.min(size - fill, chunk.numRows - pos);
      for (const n of names) copyRange(cur[n], fill, chunk.columns[n], pos, pos + take);
      fill += take;
      pos += take;
      if (fill === size) {
        yield { numRows: size, columns: cur };
        cur = null;
      }
    }
  }
  if (cur !== null && fill > 0 && !dropRemainder) {
    const out: Record<string, Column> = {};
    for (const n of Object.keys(cur)) {
      const c = cur[n];
      out[n] = Array.isArray(c) ? c.slice(0, fill) : c.slice(0, fill);
    }
    yield { numRows: fill, columns: out };
  }
}
