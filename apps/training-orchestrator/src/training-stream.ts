// Training over a version too large for memory: the rows come as column chunks from a source that
// reads the version from the start on each call (feature-store's columnar reader over the cached
// Parquet copy). Pure compute over that source, like training-core:
//
// 1. One streaming pass before epoch 1: each row's split from a stable hash of its position (the same
//    as the in-memory path, so both see the same rows), the label classes, the label summary for the
//    output bias, and the preprocessing statistics (engine's PreprocessorFitter: exact moments and
//    vocabularies) over the train rows. Validation and test rows (15 + 15 % by default) are kept, as
//    the model's prepared Float32 inputs, for the per-epoch validation metrics and the holdout metrics.
// 2. Every epoch re-reads the source: train rows → engine Dataset shuffle buffer (seeded per epoch, so
//    an epoch is the same after a resume) → blocks of rows → preprocessed once per block → batches as
//    views of the block; prefetch keeps the next blocks' reads in flight on DuckDB's threads while the
//    engine trains on this one.
import {
  Dataset,
  hashSplitOf,
  hashSplitParams,
  PreprocessorFitter,
  SPLIT_TEST,
  SPLIT_TRAIN,
  cannedTask,
  type Batch,
  type Checkpoint,
  type Column,
  type ColumnBatch,
  type InputMapping,
} from '@atelier/engine';
import { resolveTrainingSettings, type TrainJobSpec } from '@atelier/contracts';
import type { ColumnChunk, ColumnValues } from '@atelier/feature-store';
import {
  decideClasses,
  labelValue,
  prepare,
  summarizeLabels,
  trainPrepared,
  type LabelSummary,
  type Prepared,
  type TrainingHooks,
  type TrainingOutcome,
} from './training-core.js';

const LABEL = '__label';

export interface StreamOptions {
  /** Rows in the shuffle buffer (train rows only). Default 100,000. */
  shuffleRows?: number;
  /** Rows preprocessed at once (the batches are views of a block). Default 8,192. */
  blockRows?: number;
  /** Blocks kept in flight ahead of the one training. Default 2. */
  prefetch?: number;
}

/** A full pass over the version, rows in file order; `offset` of each chunk is its first row's position. */
export type ChunkSource = () => AsyncIterable<ColumnChunk>;

/**
 * Growable columns for the rows kept in memory (validation, test): numeric features as Float32 (what
 * the model reads anyway), the label as read (Float64 or text: class names must match exactly).
 */
class Collector {
  numRows = 0;
  private cols: Record<string, Float32Array | Float64Array | Array<string | null>> = {};
  private capacity = 0;

  constructor(private readonly exact: string) {}

  append(columns: Record<string, ColumnValues>, rows: Int32Array, count: number): void {
    if (count === 0) return;
    if (this.numRows + count > this.capacity) {
      const cap = Math.max(this.numRows + count, this.capacity * 2, 1024);
      for (const [name, src] of Object.entries(columns)) {
        const old = this.cols[name];
        if (Array.isArray(src)) {
          const next = old ? (old as Array<string | null>) : [];
          this.cols[name] = next;
        } else {
          const next = name === this.exact ? new Float64Array(cap) : new Float32Array(cap);
          if (old) next.set((old as Float64Array).subarray(0, this.numRows));
          this.cols[name] = next;
        }
      }
      this.capacity = cap;
    }
    for (const [name, src] of Object.entries(columns)) {
      const dst = this.cols[name];
      if (Array.isArray(dst)) for (let k = 0; k < count; k++) dst[this.numRows + k] = (src as Array<string | null>)[rows[k]];
      else for (let k = 0; k < count; k++) dst[this.numRows + k] = (src as Float64Array | Float32Array)[rows[k]];
    }
    this.numRows += count;
  }

  /** The collected columns; the collector lets go of them (call once). */
  take(): Record<string, Float32Array | Float64Array | Array<string | null>> {
    const out: Record<string, Float32Array | Float64Array | Array<string | null>> = {};
    for (const [name, c] of Object.entries(this.cols)) out[name] = Array.isArray(c) ? c.slice(0, this.numRows) : c.subarray(0, this.numRows);
    this.cols = {};
    return out;
  }
}

function gatherRows(col: ColumnValues, rows: Int32Array, count: number): Column {
  if (Array.isArray(col)) {
    const out = new Array<string>(count);
    for (let k = 0; k < count; k++) out[k] = col[rows[k]] as string;
    return out;
  }
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) out[k] = col[rows[k]];
  return out;
}

/** Label values of `rows` as the model's labels: binary 0/1 (Float32), multiclass ids (Int32), regression values. */
function mapLabels(label: string, col: ColumnValues, rows: Int32Array, count: number, task: string, classes: string[] | null): Float32Array | Int32Array {
  if (task === 'multiclass') {
    const id = new Map(classes!.map((c, i) => [c, i]));
    const out = new Int32Array(count);
    for (let k = 0; k < count; k++) out[k] = id.get(labelValue(col, rows[k])!)!;
    return out;
  }
  const out = new Float32Array(count);
  if (task === 'binary') {
    const positive = classes![1];
    for (let k = 0; k < count; k++) out[k] = labelValue(col, rows[k]) === positive ? 1 : 0;
    return out;
  }
  for (let k = 0; k < count; k++) {
    const v = labelValue(col, rows[k])!;
    const x = Number(v);
    if (!Number.isFinite(x)) throw new Error(`label '${label}' row ${rows[k]} is not a number: ${JSON.stringify(v)}`);
    out[k] = x;
  }
  return out;
}

/** Whether a spec can be trained by streaming: a label, a task with labels, and a random (hash) split. */
export function streamable(spec: TrainJobSpec): { ok: true } | { ok: false; reason: string } {
  const task = cannedTask(spec.model.kind, spec.model.hyperparameters ?? {});
  if (task === 'retrieval' || !spec.label) return { ok: false, reason: 'a retrieval model trains on in-batch negatives over the whole set' };
  if (spec.split?.method === 'time') return { ok: false, reason: 'a time split orders every row by time' };
  return { ok: true };
}

export async function runStreamingTraining(
  spec: TrainJobSpec,
  source: ChunkSource,
  hooks: TrainingHooks = {},
  resumeFrom?: Checkpoint,
  opts: StreamOptions = {},
): Promise<TrainingOutcome> {
  const can = streamable(spec);
  if (!can.ok) throw new Error(`this job cannot be streamed: ${can.reason}`);
  const label = spec.label!;
  const task = cannedTask(spec.model.kind, spec.model.hyperparameters ?? {});
  const settings = resolveTrainingSettings(spec);
  const { seedHash, trainCut, validationCut } = hashSplitParams(settings.splitSeed, settings.fractions);
  const features = spec.features.map((f) => f.name);
  const shuffleRows = opts.shuffleRows ?? 100_000;
  const blockRows = opts.blockRows ?? 8192;
  const prefetchBlocks = opts.prefetch ?? 2;

  // ---- pass 1: split, classes, label summary, preprocessing statistics, validation/test rows ----
  const fitter = new PreprocessorFitter(spec.features);
  const distinct = new Set<string>();
  const trainLabelCounts = new Map<string, number>();
  let regressionSum = 0;
  const held = [new Collector(LABEL), new Collector(LABEL)]; // validation, test
  const counts = { train: 0, validation: 0, test: 0, dropped: 0 };
  let trainRows = new Int32Array(0);
  const heldRows = [new Int32Array(0), new Int32Array(0)];
  for await (const chunk of source()) {
    if (hooks.signal?.aborted) break;
    const n = chunk.numRows;
    if (trainRows.length < n) {
      trainRows = new Int32Array(n);
      heldRows[0] = new Int32Array(n);
      heldRows[1] = new Int32Array(n);
    }
    const labelCol = chunk.columns[label];
    let t = 0;
    const h = [0, 0];
    for (let i = 0; i < n; i++) {
      const v = labelValue(labelCol, i);
      if (v === null) {
        counts.dropped++;
        continue;
      }
      if (task !== 'regression') distinct.add(v);
      const s = hashSplitOf(seedHash, chunk.offset + i, trainCut, validationCut);
      if (s === SPLIT_TRAIN) {
        trainRows[t++] = i;
        if (task === 'regression') {
          const x = Number(v);
          if (!Number.isFinite(x)) throw new Error(`label '${label}' row ${chunk.offset + i} is not a number: ${JSON.stringify(v)}`);
          regressionSum += x;
        } else trainLabelCounts.set(v, (trainLabelCounts.get(v) ?? 0) + 1);
      } else {
        const k = s === SPLIT_TEST ? 1 : 0;
        heldRows[k][h[k]++] = i;
      }
    }
    if (task === 'binary' && distinct.size > 2) decideClasses(label, task, distinct); // fails now, naming the label
    counts.train += t;
    counts.validation += h[0];
    counts.test += h[1];
    if (t > 0) {
      const cols: Record<string, Column> = {};
      for (const name of features) cols[name] = gatherRows(chunk.columns[name], trainRows, t);
      fitter.update(cols as never, t);
    }
    const keepCols: Record<string, ColumnValues> = {};
    for (const name of features) keepCols[name] = chunk.columns[name];
    keepCols[LABEL] = labelCol;
    held[0].append(keepCols, heldRows[0], h[0]);
    held[1].append(keepCols, heldRows[1], h[1]);
  }
  if (hooks.signal?.aborted) return cancelledBeforeStart(task);
  const rows = { train: counts.train, validation: counts.validation, test: counts.test, droppedMissingLabel: counts.dropped };
  if (rows.train === 0) throw new Error('the train split is empty: the dataset has too few rows for these split fractions');
  if (counts.dropped > 0) hooks.onLog?.(`dropped ${counts.dropped} row(s) with a missing label '${label}'`);
  hooks.onLog?.(`split random (streamed): train ${rows.train}, validation ${rows.validation}, test ${rows.test} rows`);

  const classes = task === 'regression' ? null : decideClasses(label, task, distinct);
  const numClasses = classes?.length ?? 0;
  const summary: LabelSummary = { count: counts.train, sum: regressionSum, positives: 0, classCounts: new Float64Array(numClasses) };
  if (classes) {
    for (const [v, c] of trainLabelCounts) {
      const id = classes.indexOf(v);
      if (task === 'binary' && id === 1) summary.positives += c;
      if (task === 'multiclass') summary.classCounts[id] += c;
    }
  }
  const pre = fitter.finish();

  const heldPrepared = (k: 0 | 1, mapping: InputMapping): Prepared => {
    const c = held[k];
    const cols = c.take();
    const all = Int32Array.from({ length: c.numRows }, (_, i) => i);
    const columns: Record<string, Column> = {};
    for (const name of features) columns[name] = cols[name] as Column;
    if (c.numRows > 0) columns[LABEL] = mapLabels(label, cols[LABEL], all, c.numRows, task, classes) as unknown as Column;
    return prepare(pre, mapping, columns, c.numRows);
  };

  return trainPrepared(
    spec,
    {
      task,
      classes,
      rows,
      pre,
      labels: summary.count > 0 ? summary : summarizeLabels(null, numClasses),
      validation: (mapping) => heldPrepared(0, mapping),
      test: (mapping) => heldPrepared(1, mapping),
      train: (mapping, batchSize, seed) => {
        // The train rows of each chunk, labels mapped; then the engine's shuffle buffer and blocks.
        const trainChunks = Dataset.fromChunks(async function* (): AsyncGenerator<ColumnBatch> {
          let idx = new Int32Array(0);
          for await (const chunk of source()) {
            const n = chunk.numRows;
            if (idx.length < n) idx = new Int32Array(n);
            const labelCol = chunk.columns[label];
            let t = 0;
            for (let i = 0; i < n; i++) {
              if (labelValue(labelCol, i) === null) continue;
              if (hashSplitOf(seedHash, chunk.offset + i, trainCut, validationCut) === SPLIT_TRAIN) idx[t++] = i;
            }
            if (t === 0) continue;
            const columns: Record<string, Column> = {};
            for (const name of features) columns[name] = gatherRows(chunk.columns[name], idx, t);
            columns[LABEL] = mapLabels(label, labelCol, idx, t, task, classes) as unknown as Column;
            yield { numRows: t, columns };
          }
        });
        const blocks = trainChunks.shuffle(shuffleRows, seed).batch(blockRows).prefetch(prefetchBlocks);
        return {
          numRows: counts.train,
          data: (epoch: number) => batchesOf(blocks, epoch, mapping, batchSize),
        };
      },
    },
    hooks,
    resumeFrom,
  );

  async function* batchesOf(blocks: Dataset, epoch: number, mapping: InputMapping, batchSize: number): AsyncGenerator<Batch> {
    for await (const block of blocks.iterate({ epoch })) {
      const p = prepare(pre, mapping, block.columns, block.numRows);
      for (let start = 0; start < p.numRows; start += batchSize) {
        const end = Math.min(p.numRows, start + batchSize);
        const inputs: Batch['inputs'] = {};
        for (const [k, v] of Object.entries(p.inputs)) {
          const width = v.length / p.numRows;
          inputs[k] = v.subarray(start * width, end * width) as Float32Array | Int32Array;
        }
        yield { numRows: end - start, inputs, labels: p.labels!.subarray(start, end) as Float32Array | Int32Array };
      }
    }
  }
}

function cancelledBeforeStart(task: TrainingOutcome['task']): TrainingOutcome {
  return {
    status: 'cancelled',
    epochsCompleted: 0,
    testMetrics: {},
    validationMetrics: {},
    signature: [],
    task,
    labelClasses: null,
    rows: { train: 0, validation: 0, test: 0, droppedMissingLabel: 0 },
  };
}
