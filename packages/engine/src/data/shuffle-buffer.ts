/**
 * Streaming shuffle with a bounded reservoir (tf.data semantics): the first `bufferSize` rows fill the
 * buffer; each later row evicts a uniformly chosen buffered row to the output and takes its slot; at the
 * end the remainder leaves in random order. bufferSize >= dataset size gives a uniform full shuffle.
 *
 * Work is column-major: the slot sequence for a chunk is drawn once, then replayed per column, so the
 * inner loops are plain typed-array reads and writes.
 */
import type { Random } from '../util/random.js';
import { allocColumn, assertSameColumns, copyRange, gatherBatch, type Column, type ColumnBatch } from './column-batch.js';

export async function* shuffleBuffered(
  source: AsyncIterable<ColumnBatch>,
  bufferSize: number,
  rng: Random,
): AsyncGenerator<ColumnBatch> {
  let names: string[] | null = null;
  let buffer: Record<string, Column> = {};
  let filled = 0;
  let slots = new Int32Array(0);

  for await (const chunk of source) {
    if (chunk.numRows === 0) continue;
    if (names === null) {
      names = Object.keys(chunk.columns);
      for (const n of names) buffer[n] = allocColumn(chunk.columns[n], bufferSize);
    } else {
      assertSameColumns(names, chunk);
    }
    let start = 0;
    // Fill phase: append until the buffer is full.
    if (filled < bufferSize) {
      const take = Math.min(bufferSize - filled, chunk.numRows);
      for (const n of names) copyRange(buffer[n], filled, chunk.columns[n], 0, take);
      filled += take;
      start = take;
    }
    const m = chunk.numRows - start;
    if (m === 0) continue;
    if (slots.length < m) slots = new Int32Array(m);
    for (let i = 0; i < m; i++) slots[i] = rng.nextInt(bufferSize);
    const out: Record<string, Column> = {};
    for (const n of names) {
      const buf = buffer[n];
      const src = chunk.columns[n];
      const dst = allocColumn(src, m);
      if (Array.isArray(buf)) {
        const s = src as string[];
        const d = dst as string[];
        for (let i = 0; i < m; i++) {
          const j = slots[i];
          d[i] = buf[j];
          buf[j] = s[start + i];
        }
      } else {
        const b = buf as Float32Array;
        const s = src as Float32Array;
        const d = dst as Float32Array;
        for (let i = 0; i < m; i++) {
          const j = slots[i];
          d[i] = b[j];
          b[j] = s[start + i];
        }
      }
      out[n] = dst;
    }
    yield { numRows: m, columns: out };
  }

  if (names === null || filled === 0) return;
  // Drain: the buffered rows in a random order.
  const order = rng.permutation(filled);
  const drained = gatherBatch({ numRows: filled, columns: buffer }, order, filled);
  buffer = {};
  yield drained;
}
