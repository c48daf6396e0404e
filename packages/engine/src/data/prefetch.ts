/**
 * Keeps up to n upstream next() calls in flight so producer work (I/O, decoding, preprocessing awaits)
 * overlaps with the consumer. Upstream stages are async generators, which queue concurrent next()
 * calls safely. Errors surface in order; breaking out early closes the upstream.
 */
import type { ColumnBatch } from './column-batch.js';

export async function* prefetch(source: AsyncIterable<ColumnBatch>, n: number): AsyncGenerator<ColumnBatch> {
  const it = source[Symbol.asyncIterator]();
  const pending: Promise<IteratorResult<ColumnBatch>>[] = [];
  const request = (): void => {
    const p = it.next();
    p.catch(() => undefined); // the rejection is rethrown when this slot is awaited
    pending.push(p);
  };
  let finished = false;
  try {
    for (let i = 0; i < n; i++) request();
    while (pending.length > 0) {
      const r = await pending.shift()!;
      if (r.done) {
        finished = true;
        return;
      }
      request();
      yield r.value;
    }
  } finally {
    if (!finished) await it.return?.();
  }
}
