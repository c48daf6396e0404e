import { describe, expect, it } from 'vitest';
import { Dataset } from './dataset.js';
import type { ColumnBatch } from './column-batch.js';

function range(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

async function rowsOf(ds: AsyncIterable<ColumnBatch>, col = 'x'): Promise<number[]> {
  const out: number[] = [];
  for await (const b of ds) out.push(...Array.from(b.columns[col] as ArrayLike<number>));
  return out;
}

describe('Dataset', () => {
  it('fromColumns yields all rows in chunks and rejects ragged columns', async () => {
    const ds = Dataset.fromColumns({ x: range(10), y: new Int32Array(10) }, { chunkSize: 4 });
    const sizes: number[] = [];
    for await (const b of ds) sizes.push(b.numRows);
    expect(sizes).toEqual([4, 4, 2]);
    expect(await rowsOf(ds)).toEqual(Array.from(range(10)));
    expect(() => Dataset.fromColumns({ x: range(3), y: new Int32Array(2) })).toThrow(/column "y" has 2 rows/);
  });

  it('batch regroups chunks into exact typed-array batches, with and without the remainder', async () => {
    const ds = Dataset.fromColumns({ x: range(10), s: Array.from({ length: 10 }, (_, i) => `r${i}`) }, { chunkSize: 3 });
    const batches: ColumnBatch[] = [];
    for await (const b of ds.batch(4)) batches.push(b);
    expect(batches.map((b) => b.numRows)).toEqual([4, 4, 2]);
    expect(batches[0].columns.x).toBeInstanceOf(Float32Array);
    expect(batches[0].columns.x.length).toBe(4);
    expect(Array.from(batches[1].columns.x as Float32Array)).toEqual([4, 5, 6, 7]);
    expect(batches[2].columns.s).toEqual(['r8', 'r9']);
    const dropped: number[] = [];
    for await (const b of ds.batch(4, { dropRemainder: true })) dropped.push(b.numRows);
    expect(dropped).toEqual([4, 4]);
  });

  it('filter applies a row mask computed on typed arrays', async () => {
    const ds = Dataset.fromColumns({ x: range(20) }, { chunkSize: 7 }).filter((b) => {
      const x = b.columns.x as Float32Array;
      const m = new Uint8Array(b.numRows);
      for (let i = 0; i < b.numRows; i++) m[i] = x[i] % 3 === 0 ? 1 : 0;
      return m;
    });
    expect(await rowsOf(ds)).toEqual([0, 3, 6, 9, 12, 15, 18]);
    const bad = Dataset.fromColumns({ x: range(4) }).filter(() => new Uint8Array(1));
    await expect(rowsOf(bad)).rejects.toThrow(/mask has 1 entries/);
  });

  it('map transforms chunks and may be async', async () => {
    const ds = Dataset.fromColumns({ x: range(5) }).map(async (b) => {
      const x = b.columns.x as Float32Array;
      const y = new Float32Array(b.numRows);
      for (let i = 0; i < b.numRows; i++) y[i] = x[i] * 2;
      return { numRows: b.numRows, columns: { x: y } };
    });
    expect(await rowsOf(ds)).toEqual([0, 2, 4, 6, 8]);
  });

  it('shuffle is a permutation, reproducible per epoch, different across epochs', async () => {
    const ds = Dataset.fromColumns({ x: range(100) }, { chunkSize: 9 }).shuffle(1000, 42);
    const e0 = await rowsOf(ds.iterate({ epoch: 0 }));
    const e1 = await rowsOf(ds.iterate({ epoch: 1 }));
    expect([...e0].sort((a, b) => a - b)).toEqual(Array.from(range(100)));
    expect(e0).not.toEqual(Array.from(range(100)));
    expect(e1).not.toEqual(e0);
    // A fresh pipeline with the same seed reproduces each epoch (checkpoint resume).
    const again = Dataset.fromColumns({ x: range(100) }, { chunkSize: 9 }).shuffle(1000, 42);
    expect(await rowsOf(again.iterate({ epoch: 1 }))).toEqual(e1);
    // Implicit epochs advance on each for-await loop.
    const implicit = Dataset.fromColumns({ x: range(100) }, { chunkSize: 9 }).shuffle(1000, 42);
    expect(await rowsOf(implicit)).toEqual(e0);
    expect(await rowsOf(implicit)).toEqual(e1);
    // A different seed gives a different order.
    const other = Dataset.fromColumns({ x: range(100) }).shuffle(1000, 43);
    expect(await rowsOf(other.iterate({ epoch: 0 }))).not.toEqual(e0);
  });

  it('a small shuffle buffer keeps all rows, moves rows only locally, and keeps columns aligned', async () => {
    const n = 1000;
    const ds = Dataset.fromColumns({ x: range(n), y: new Int32Array(n).map((_, i) => i * 10), s: Array.from({ length: n }, (_, i) => `k${i}`) }, { chunkSize: 64 }).shuffle(16, 7);
    const b = await ds.collect({ epoch: 0 });
    const x = b.columns.x as Float32Array;
    const y = b.columns.y as Int32Array;
    const s = b.columns.s as string[];
    expect(b.numRows).toBe(n);
    expect(Array.from(x).sort((p, q) => p - q)).toEqual(Array.from(range(n)));
    let moved = 0;
    for (let i = 0; i < n; i++) {
      expect(y[i]).toBe(x[i] * 10);
      expect(s[i]).toBe(`k${x[i]}`);
      if (x[i] !== i) moved++;
      // An element cannot be emitted before its own arrival minus the buffer size.
      expect(x[i]).toBeLessThanOrEqual(i + 16);
    }
    expect(moved).toBeGreaterThan(n / 2);
  });

  it('full-buffer shuffle is roughly uniform over positions', async () => {
    const counts = new Int32Array(25); // 5 items × 5 positions
    const ds = Dataset.fromColumns({ x: range(5) }, { chunkSize: 2 }).shuffle(5, 1);
    for (let e = 0; e < 5000; e++) {
      const r = await rowsOf(ds.iterate({ epoch: e }));
      for (let p = 0; p < 5; p++) counts[r[p] * 5 + p]++;
    }
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('repeat replays with a fresh shuffle each pass; take cuts rows and stops infinite streams', async () => {
    const ds = Dataset.fromColumns({ x: range(10) }, { chunkSize: 4 }).shuffle(10, 3).repeat(2);
    const rows = await rowsOf(ds.iterate({ epoch: 0 }));
    expect(rows.length).toBe(20);
    expect(rows.slice(0, 10)).not.toEqual(rows.slice(10));
    expect([...rows.slice(10)].sort((a, b) => a - b)).toEqual(Array.from(range(10)));
    const inf = Dataset.fromColumns({ x: range(3) }).repeat().take(7);
    expect(await rowsOf(inf)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(await rowsOf(Dataset.fromColumns({ x: new Float32Array(0) }).repeat())).toEqual([]);
  });

  it('fromChunks calls the factory once per epoch and validates chunks', async () => {
    let calls = 0;
    const ds = Dataset.fromChunks(async function* () {
      calls++;
      yield { numRows: 2, columns: { x: new Float32Array([1, 2]) } };
      yield { numRows: 1, columns: { x: new Float32Array([3]) } };
    });
    expect(await rowsOf(ds.batch(2))).toEqual([1, 2, 3]);
    expect(await rowsOf(ds)).toEqual([1, 2, 3]);
    expect(calls).toBe(2);
    const bad = Dataset.fromChunks(() => [{ numRows: 3, columns: { x: new Float32Array(2) } }]);
    await expect(rowsOf(bad)).rejects.toThrow(/column "x" has 2 rows, expected 3/);
  });

  it('prefetch preserves order, runs ahead by a bounded amount, and propagates errors', async () => {
    let produced = 0;
    const ds = Dataset.fromChunks(async function* () {
      for (let i = 0; i < 10; i++) {
        produced++;
        yield { numRows: 1, columns: { x: new Float32Array([i]) } };
      }
    }).prefetch(3);
    const it = ds[Symbol.asyncIterator]();
    const first = await it.next();
    expect(Array.from(first.value!.columns.x as Float32Array)).toEqual([0]);
    await new Promise((r) => setImmediate(r));
    expect(produced).toBeGreaterThan(1);
    expect(produced).toBeLessThanOrEqual(5);
    const rest: number[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push((r.value.columns.x as Float32Array)[0]);
    expect(rest).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const failing = Dataset.fromChunks(async function* () {
      yield { numRows: 1, columns: { x: new Float32Array([1]) } };
      throw new Error('disk gone');
    }).prefetch(2);
    await expect(rowsOf(failing)).rejects.toThrow('disk gone');
  });

  it('breaking out early closes the source', async () => {
    let closed = false;
    const ds = Dataset.fromChunks(async function* () {
      try {
        for (let i = 0; ; i++) yield { numRows: 1, columns: { x: new Float32Array([i]) } };
      } finally {
        closed = true;
      }
    }).prefetch(2);
    for await (const b of ds) {
      if ((b.columns.x as Float32Array)[0] === 3) break;
    }
    expect(closed).toBe(true);
  });

  it('a full pipeline is deterministic end to end', async () => {
    const make = () =>
      Dataset.fromColumns({ x: range(50), y: new Int32Array(50).map((_, i) => i % 2) }, { chunkSize: 8 })
        .filter((b) => (b.columns.y as Int32Array).map((v) => (v === 0 ? 1 : 0)))
        .shuffle(10, 99)
        .batch(4, { dropRemainder: true })
        .prefetch(2);
    const a = await rowsOf(make().iterate({ epoch: 5 }));
    const b = await rowsOf(make().iterate({ epoch: 5 }));
    expect(a).toEqual(b);
    expect(a.length).toBe(24);
    expect(a.every((v) => v % 2 === 0)).toBe(true);
  });
});
