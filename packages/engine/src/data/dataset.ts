/**
 * A lazy, immutable description of an input pipeline over column chunks. Nothing runs until iteration;
 * every op returns a new Dataset, so one description can be iterated once per epoch.
 *
 * Determinism: each iteration gets an epoch path (the epoch number, plus one index per enclosing
 * repeat). Shuffle seeds its generator with hashSeed(seed, ...path), so every epoch and every repetition
 * is shuffled differently, yet epoch e is identical across runs and after a checkpoint resume
 * (iterate({ epoch: e })).
 */
import { Random, hashSeed } from '../util/random.js';
import {
  assertBatch,
  batchFromColumns,
  concatBatches,
  gatherBatch,
  sliceBatch,
  type Column,
  type ColumnBatch,
} from './column-batch.js';
import { prefetch } from './prefetch.js';
import { rebatch } from './rebatch.js';
import { shuffleBuffered } from './shuffle-buffer.js';

interface IterContext {
  /** [epoch, repeat index, nested repeat index, …] */
  path: number[];
}

type Producer = (ctx: IterContext) => AsyncIterable<ColumnBatch>;

/** A row mask: nonzero / true keeps the row. */
export type RowMask = Uint8Array | Int32Array | Float32Array | boolean[];

export interface BatchOptions {
  /** Drop the final short batch (fixed shapes for training). Default false. */
  dropRemainder?: boolean;
}

export interface FromColumnsOptions {
  /** Rows per emitted chunk (views, no copy). Default 8192. */
  chunkSize?: number;
}

export class Dataset {
  private epochCounter = 0;

  private constructor(private readonly produce: Producer) {}

  /** In-memory columns, emitted as zero-copy chunks of chunkSize rows. */
  static fromColumns(columns: Record<string, Column>, opts: FromColumnsOptions = {}): Dataset {
    const all = batchFromColumns(columns);
    const chunkSize = opts.chunkSize ?? 8192;
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new Error(`fromColumns: chunkSize must be a positive integer`);
    return new Dataset(async function* () {
      for (let s = 0; s < all.numRows; s += chunkSize) yield sliceBatch(all, s, Math.min(all.numRows, s + chunkSize));
    });
  }

  /**
   * A streamed source. The factory is called once per iteration (epoch) and must return a fresh
   * iterable of chunks, e.g. reading a file or a DuckDB cursor from the start.
   */
  static fromChunks(factory: () => AsyncIterable<ColumnBatch> | Iterable<ColumnBatch>): Dataset {
    return new Dataset(async function* () {
      for await (const chunk of factory()) {
        assertBatch(chunk, 'fromChunks chunk');
        yield chunk;
      }
    });
  }

  /** Transforms each chunk (column arithmetic, feature crosses, preprocessing). */
  map(fn: (batch: ColumnBatch) => ColumnBatch | Promise<ColumnBatch>): Dataset {
    const up = this.produce;
    return new Dataset(async function* (ctx) {
      for await (const chunk of up(ctx)) {
        const out = await fn(chunk);
        assertBatch(out, 'map output');
        yield out;
      }
    });
  }

  /** Keeps the rows whose mask entry is truthy; the predicate sees whole chunks (typed arrays). */
  filter(predicate: (batch: ColumnBatch) => RowMask): Dataset {
    const up = this.produce;
    return new Dataset(async function* (ctx) {
      let idx = new Int32Array(0);
      for await (const chunk of up(ctx)) {
        const mask = predicate(chunk);
        if (mask.length !== chunk.numRows) {
          throw new Error(`filter: mask has ${mask.length} entries for a chunk of ${chunk.numRows} rows`);
        }
        if (idx.length < chunk.numRows) idx = new Int32Array(chunk.numRows);
        let k = 0;
        for (let i = 0; i < chunk.numRows; i++) if (mask[i]) idx[k++] = i;
        if (k === 0) continue;
        yield k === chunk.numRows ? chunk : gatherBatch(chunk, idx, k);
      }
    });
  }

  /** Buffered shuffle; different per epoch, reproducible for a given (seed, epoch). */
  shuffle(bufferSize: number, seed: number): Dataset {
    if (!Number.isInteger(bufferSize) || bufferSize <= 0) throw new Error(`shuffle: bufferSize must be a positive integer`);
    const up = this.produce;
    return new Dataset((ctx) => shuffleBuffered(up(ctx), bufferSize, new Random(hashSeed(seed, 'shuffle', ...ctx.path))));
  }

  /** Fixed-size batches built by range copies into preallocated typed arrays. */
  batch(size: number, opts: BatchOptions = {}): Dataset {
    if (!Number.isInteger(size) || size <= 0) throw new Error(`batch: size must be a positive integer`);
    const up = this.produce;
    const drop = opts.dropRemainder ?? false;
    return new Dataset((ctx) => rebatch(up(ctx), size, drop));
  }

  /** Runs up to n chunks ahead of the consumer. */
  prefetch(n: number): Dataset {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`prefetch: n must be a positive integer`);
    const up = this.produce;
    return new Dataset((ctx) => prefetch(up(ctx), n));
  }

  /**
   * Replays the upstream count times (forever when omitted). Each repetition is a new pass with its own
   * shuffle order. An infinite repeat of an empty source ends instead of spinning.
   */
  repeat(count?: number): Dataset {
    if (count !== undefined && (!Number.isInteger(count) || count < 0)) throw new Error(`repeat: count must be a non-negative integer`);
    const up = this.produce;
    return new Dataset(async function* (ctx) {
      for (let r = 0; count === undefined || r < count; r++) {
        let rows = 0;
        for await (const chunk of up({ path: [...ctx.path, r] })) {
          rows += chunk.numRows;
          yield chunk;
        }
        if (rows === 0) return;
      }
    });
  }

  /** The first n rows (the last chunk is cut); stops pulling upstream once reached. */
  take(n: number): Dataset {
    if (!Number.isInteger(n) || n < 0) throw new Error(`take: n must be a non-negative integer`);
    const up = this.produce;
    return new Dataset(async function* (ctx) {
      if (n === 0) return;
      let left = n;
      for await (const chunk of up(ctx)) {
        if (chunk.numRows <= left) {
          left -= chunk.numRows;
          yield chunk;
        } else {
          yield sliceBatch(chunk, 0, left);
          left = 0;
        }
        if (left === 0) return;
      }
    });
  }

  /** Iterates one epoch. Pass the epoch explicitly when resuming from a checkpoint. */
  iterate(opts: { epoch?: number } = {}): AsyncIterable<ColumnBatch> {
    const epoch = opts.epoch ?? this.epochCounter++;
    if (opts.epoch !== undefined) this.epochCounter = opts.epoch + 1;
    return this.produce({ path: [epoch] });
  }

  /** `for await (const b of ds)` runs epoch 0, then 1, … on successive loops. */
  [Symbol.asyncIterator](): AsyncIterator<ColumnBatch> {
    return this.iterate()[Symbol.asyncIterator]();
  }

  /** Materializes one epoch into a single batch (evaluation, tests). */
  async collect(opts: { epoch?: number } = {}): Promise<ColumnBatch> {
    const parts: ColumnBatch[] = [];
    for await (const b of this.iterate(opts)) parts.push(b);
    return concatBatches(parts);
  }
}
