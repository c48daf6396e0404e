// One training run as pure compute over in-memory columns: labels → split → fit the preprocessor on
// the train split → model → engine fit loop (checkpoint per epoch, early stopping, AbortSignal) →
// holdout metrics on the test split → a packed bundle. No I/O: the worker thread runs this and posts
// what it produces to the job runner, which owns the database and artifacts.
import {
  batchesFromArrays,
  buildModelSpec,
  cannedTask,
  computeTaskMetrics,
  createModel,
  createPredictor,
  ENGINE_VERSION,
  evaluateLoss,
  fit,
  fitPreprocessor,
  INPUT_MAPPING_METADATA_KEY,
  packBundle,
  saveBundle,
  splitColumns,
  type BatchSource,
  type Checkpoint,
  type CannedModel,
  type Column,
  type EpochLog,
  type FitResult,
  type Preprocessor,
  type SignatureInput,
  type BundleMeta,
  toModelInputs,
  type InputMapping,
  type FeatureSpec,
} from '@atelier/engine';
import { resolveTrainingSettings, TRAINING_DEFAULTS, type TrainJobSpec, type TrainingTask } from '@atelier/contracts';
import type { ColumnValues } from '@atelier/feature-store';
import { batchPlacement } from './batch-placement.js';
import { runBoosting } from './gbdt-training.js';

/** Columns as feature-store's columnar reader loads them (numbers: Float64Array or Float32Array, NaN = missing). */
export interface TrainingTable {
  numRows: number;
  columns: Record<string, ColumnValues>;
}

export interface EpochReport {
  /** 1-based epoch number. */
  epoch: number;
  trainLoss: number;
  lr: number;
  steps: number;
  durationMs: number;
  /** Validation loss and task metrics (prefixed val_), when there is a validation split. */
  validation?: Record<string, number>;
  /** A GPU run: the allocator's memory at the epoch's end, its peak so far, and a utilisation sample (when NVML answers). */
  gpu?: { memoryAllocatedBytes: number; memoryReservedBytes: number; memoryPeakBytes: number; utilizationPct?: number };
}

export interface TrainingHooks {
  signal?: AbortSignal;
  /** Also checkpoint inside an epoch at most this often (the checkpoint records the stream position). */
  checkpointIntervalMs?: number;
  onEpoch?(report: EpochReport): void | Promise<void>;
  onCheckpoint?(checkpoint: Checkpoint): void | Promise<void>;
  onLog?(message: string): void;
  /**
   * The run trains on a GPU with this much memory (bytes; its memory limit when one is set): a train
   * split of at most half of it is kept resident on the device. Unset on CPU.
   */
  gpuMemoryBytes?: number;
}

export interface TrainingOutcome {
  status: FitResult['status'];
  epochsCompleted: number;
  /** Set unless cancelled. */
  bundle?: Uint8Array;
  /** Holdout (test split) metrics, flat: what the model version records. */
  testMetrics: Record<string, number>;
  /** Last validation metrics. */
  validationMetrics: Record<string, number>;
  signature: SignatureInput[];
  task: TrainingTask;
  labelClasses: string[] | null;
  rows: { train: number; validation: number; test: number; droppedMissingLabel: number };
  bestEpoch?: number;
  /**
   * What an on-demand evaluation of the holdout stores beside the metrics (curves, feature importance,
   * slices), computed on the test split at the end of training (see evaluateAfterTraining).
   */
  evaluation?: { slices: unknown; curves: unknown; featureImportance: unknown };
}

const LABEL = '__label';
const TIME = '__time';
const HIGHER_IS_BETTER = new Set(['auc', 'pr_auc', 'accuracy', 'precision', 'recall', 'f1', 'r2', 'ndcg', 'map']);

/** Sorted class values: numerically when every value is a number, else by string. */
function sortClasses(values: Iterable<string>): string[] {
  const list = [...values];
  const numeric = list.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  return numeric ? list.sort((a, b) => Number(a) - Number(b)) : list.sort();
}

export function labelValue(col: ColumnValues, i: number): string | null {
  const v = col[i];
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : String(v);
  return v;
}

const POSITIVE = new Set(['1', 'true']);
const NEGATIVE = new Set(['0', 'false', '-1']);

function prepareLabels(spec: TrainJobSpec, task: TrainingTask, table: TrainingTable): { keep: Int32Array; labels: Float32Array | Int32Array | null; classes: string[] | null } {
  const n = table.numRows;
  if (task === 'retrieval' || !spec.label) {
    const keep = new Int32Array(n);
    for (let i = 0; i < n; i++) keep[i] = i;
    return { keep, labels: null, classes: null };
  }
  const col = table.columns[spec.label];
  if (!col) throw new Error(`label column '${spec.label}' was not loaded`);
  const keepList: number[] = [];
  const values: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = labelValue(col, i);
    if (v === null) continue;
    keepList.push(i);
    values.push(v);
  }
  const keep = Int32Array.from(keepList);
  if (task === 'regression') {
    const labels = new Float32Array(keep.length);
    for (let k = 0; k < keep.length; k++) {
      const x = Number(values[k]);
      if (!Number.isFinite(x)) throw new Error(`label '${spec.label}' row ${keep[k]} is not a number: ${JSON.stringify(values[k])}`);
      labels[k] = x;
    }
    return { keep, labels, classes: null };
  }
  const classes = decideClasses(spec.label, task, new Set(values));
  if (task === 'binary') {
    const positive = classes[1];
    const labels = new Float32Array(keep.length);
    for (let k = 0; k < keep.length; k++) labels[k] = values[k] === positive ? 1 : 0;
    return { keep, labels, classes };
  }
  const id = new Map(classes.map((c, i) => [c, i]));
  const labels = new Int32Array(keep.length);
  for (let k = 0; k < keep.length; k++) labels[k] = id.get(values[k])!;
  return { keep, labels, classes };
}

/**
 * The classes of a binary ([negative, positive]) or multiclass (sorted) label from its distinct values
 * (as text): a binary label of 0/1, true/false or -1 has the usual positive; any other pair, the larger.
 */
export function decideClasses(label: string, task: TrainingTask, distinct: ReadonlySet<string>): string[] {
  if (task === 'binary') {
    if (distinct.size > 2) {
      throw new Error(`label '${label}' has ${distinct.size} distinct values; a binary model needs at most 2 (use softmax or task 'multiclass')`);
    }
    let positive: string;
    const list = [...distinct];
    if (list.every((v) => POSITIVE.has(v) || NEGATIVE.has(v))) positive = list.find((v) => POSITIVE.has(v)) ?? '1';
    else positive = sortClasses(list)[list.length - 1];
    const negative = list.find((v) => v !== positive) ?? (positive === 'true' ? 'false' : '0');
    return [negative, positive];
  }
  const classes = sortClasses(distinct);
  if (classes.length < 2) throw new Error(`label '${label}' has ${classes.length} distinct value(s); a multiclass model needs at least 2`);
  return classes;
}

function gather(col: ColumnValues, keep: Int32Array): Column {
  if (!Array.isArray(col)) {
    const out = new Float64Array(keep.length);
    for (let k = 0; k < keep.length; k++) out[k] = col[keep[k]];
    return out;
  }
  const out = new Array<string>(keep.length);
  for (let k = 0; k < keep.length; k++) out[k] = col[keep[k]] as string;
  return out;
}

export interface Prepared {
  numRows: number;
  inputs: Record<string, Float32Array | Int32Array>;
  labels?: Float32Array | Int32Array;
}

export function prepare(pre: Preprocessor, mapping: InputMapping, columns: Record<string, Column>, numRows: number): Prepared {
  const out = pre.transform(columns as never, numRows);
  const labels = columns[LABEL] as Float32Array | Int32Array | undefined;
  return { numRows, inputs: toModelInputs(mapping, out), ...(labels && { labels }) };
}

/** Predictions for every row of `data`, in chunks (binary: p, multiclass: N×C, regression: value). */
function predictAll(model: CannedModel, data: Prepared, chunk = 4096): Float32Array {
  const predictor = createPredictor(model);
  const w = predictor.outputWidth;
  const out = new Float32Array(data.numRows * w);
  for (let start = 0; start < data.numRows; start += chunk) {
    const end = Math.min(data.numRows, start + chunk);
    const inputs: Record<string, Float32Array | Int32Array> = {};
    for (const [k, v] of Object.entries(data.inputs)) {
      const width = v.length / data.numRows;
      inputs[k] = v.subarray(start * width, end * width) as Float32Array | Int32Array;
    }
    predictor.predict({ numRows: end - start, inputs }, out.subarray(start * w, end * w));
  }
  return out;
}

export function sanitize(metrics: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(metrics)) if (Number.isFinite(v)) out[k] = v;
  return out;
}

function evaluate(model: CannedModel, task: TrainingTask, data: Prepared, numClasses: number): Promise<Record<string, number>> | Record<string, number> {
  if (data.numRows === 0) return {};
  if (task === 'retrieval') {
    return evaluateLoss(model, [{ numRows: data.numRows, inputs: data.inputs }]).then((loss) => sanitize({ loss, count: data.numRows }));
  }
  const pred = predictAll(model, data);
  const m = computeTaskMetrics(task, data.labels!, pred, task === 'multiclass' ? { numClasses } : {});
  return sanitize(m);
}

/** What the output-bias start needs from the train labels: their count, sum, positives and class counts. */
export interface LabelSummary {
  count: number;
  sum: number;
  positives: number;
  classCounts: Float64Array;
}

export function summarizeLabels(labels: Float32Array | Int32Array | null, numClasses: number, into?: LabelSummary): LabelSummary {
  const s = into ?? { count: 0, sum: 0, positives: 0, classCounts: new Float64Array(numClasses) };
  if (!labels) return s;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    s.sum += v;
    if (v > 0) s.positives++;
    if (numClasses > 0 && v >= 0 && v < numClasses) s.classCounts[v]++;
  }
  s.count += labels.length;
  return s;
}

/**
 * A run with its data decided: the split's row counts, the fitted preprocessor and, once the model's
 * input mapping is known, the train batches and the prepared validation and test sets. Both the
 * in-memory path (runTraining) and the streamed one (training-stream.ts) end in trainPrepared.
 */
export interface TrainBatches {
  numRows: number;
  data: (epoch: number) => BatchSource;
  dispose?(): void;
}

export interface PreparedRun {
  task: TrainingTask;
  classes: string[] | null;
  rows: TrainingOutcome['rows'];
  pre: Preprocessor;
  labels: LabelSummary | null;
  /** The train batches; `dispose` frees what they keep (resident columns) when training ends. */
  train(mapping: InputMapping, batchSize: number, seed: number, hooks?: Pick<TrainingHooks, 'gpuMemoryBytes' | 'onLog'>): TrainBatches;
  /** The whole train split as arrays, where it is in memory (boosted trees need every row at once). */
  trainInMemory?(mapping: InputMapping): Prepared;
  validation(mapping: InputMapping): Prepared;
  test(mapping: InputMapping): Prepared;
}

export async function runTraining(spec: TrainJobSpec, table: TrainingTable, hooks: TrainingHooks = {}, resumeFrom?: Checkpoint): Promise<TrainingOutcome> {
  const hyper = spec.model.hyperparameters ?? {};
  const task = cannedTask(spec.model.kind, hyper);
  // Every default the spec leaves open, from the contracts (the request schema documents the same ones).
  const settings = resolveTrainingSettings(spec);
  const { keep, labels, classes } = prepareLabels(spec, task, table);
  const dropped = table.numRows - keep.length;
  if (dropped > 0) hooks.onLog?.(`dropped ${dropped} row(s) with a missing label '${spec.label}'`);

  // Columns for the split: features, the prepared label, and the time column for time splits.
  const columns: Record<string, Column> = {};
  for (const f of spec.features) columns[f.name] = gather(table.columns[f.name], keep);
  if (labels) columns[LABEL] = labels as unknown as Column;
  const split = spec.split ?? { method: 'random' as const };
  const fractions = settings.fractions;
  if (split.method === 'time') columns[TIME] = gather(table.columns[split.timeColumn], keep);
  // A random split is a stable hash of each row's position in the version (hashSplitOf): a streamed
  // run over the same version puts every row in the same split.
  const parts =
    split.method === 'time'
      ? splitColumns(columns, { method: 'time', fractions, timeColumn: TIME })
      : splitColumns(columns, { method: 'hash', fractions, seed: settings.splitSeed, rowIds: keep });
  const rows = { train: parts.train.numRows, validation: parts.validation.numRows, test: parts.test.numRows, droppedMissingLabel: dropped };
  if (rows.train === 0) throw new Error('the train split is empty: the dataset has too few rows for these split fractions');
  hooks.onLog?.(`split ${split.method}: train ${rows.train}, validation ${rows.validation}, test ${rows.test} rows`);

  // Features that name no transform get the defaults (numeric robust, categorical vocabulary); the
  // bundle's preprocessing stores the transform it applied.
  const pre = fitPreprocessor(spec.features as FeatureSpec[], parts.train.columns as never, parts.train.numRows);
  const numClasses = classes?.length ?? 0;
  const trainLabels = labels ? (parts.train.columns[LABEL] as Float32Array | Int32Array) : null;
  return trainPrepared(
    spec,
    {
      task,
      classes,
      rows,
      pre,
      labels: trainLabels ? summarizeLabels(trainLabels, numClasses) : null,
      train: (mapping, batchSize, seed, where) => {
        const train = prepare(pre, mapping, parts.train.columns, parts.train.numRows);
        let bytes = train.labels?.byteLength ?? 0;
        for (const v of Object.values(train.inputs)) bytes += v.byteLength;
        const placed = batchPlacement(bytes, where?.gpuMemoryBytes);
        if (placed) where?.onLog?.(placed.message);
        const batches = (resident: boolean) => batchesFromArrays(train, { batchSize, shuffle: true, seed, dropRemainder: task === 'retrieval' && train.numRows > batchSize, resident });
        let data;
        try {
          data = batches(placed?.resident ?? false);
        } catch (err) {
          if (!placed?.resident) throw err;
          // The upload itself failed (device memory taken by another job): the same batches from the host.
          where?.onLog?.(`train batches: host (keeping the train split on the GPU failed: ${(err as Error)?.message ?? String(err)})`);
          data = batches(false);
        }
        return { numRows: train.numRows, data, dispose: data.dispose };
      },
      trainInMemory: (mapping) => prepare(pre, mapping, parts.train.columns, parts.train.numRows),
      validation: (mapping) => prepare(pre, mapping, parts.validation.columns, parts.validation.numRows),
      test: (mapping) => prepare(pre, mapping, parts.test.columns, parts.test.numRows),
    },
    hooks,
    resumeFrom,
  );
}

/** Model → engine fit loop (checkpoint per epoch, early stopping, AbortSignal) → holdout metrics → a packed bundle. */
export async function trainPrepared(spec: TrainJobSpec, run: PreparedRun, hooks: TrainingHooks = {}, resumeFrom?: Checkpoint): Promise<TrainingOutcome> {
  const hyper = spec.model.hyperparameters ?? {};
  const settings = resolveTrainingSettings(spec);
  const seed = settings.seed;
  const { task, classes, rows, pre } = run;
  const numClasses = classes?.length ?? 0;
  const { spec: modelSpec, mapping } = buildModelSpec(spec.model.kind, hyper, pre, task, numClasses, seed);
  if (modelSpec.kind === 'gbdt') {
    // Boosted trees train by rounds, not epochs of an optimizer: their own loop (gbdt-training.ts), over
    // the whole train split at once (binned rows are 1 byte a feature).
    if (!run.trainInMemory) {
      throw new Error(`gbdt trains on the whole train split in memory: this version (${rows.train} train rows) is over ATELIER_TRAINING_MEMORY_BUDGET_MB; raise the budget for this worker`);
    }
    return runBoosting({
      config: modelSpec.config,
      pre,
      task,
      classes,
      numClasses,
      rows,
      train: run.trainInMemory(mapping),
      validation: run.validation(mapping),
      test: run.test(mapping),
      bundleMeta: (signature) => bundleMeta(spec, task, classes, seed, pre, mapping, signature),
      hooks,
      ...(resumeFrom && { resumeFrom }),
    });
  }
  const model = createModel(modelSpec);
  let train: TrainBatches | undefined;
  try {
    if (!resumeFrom && run.labels) initOutputBias(model, task, run.labels, numClasses);
    const validation = run.validation(mapping);
    const test = run.test(mapping);
    const batchSize = settings.batchSize;
    train = run.train(mapping, batchSize, seed, hooks);
    const trainData = train.data;
    // Without maxEpochs a small table's epoch is several passes (each shuffled by its own pass index,
    // so a resumed run sees the same batches).
    const passesPerEpoch = settings.passesPerEpoch(train.numRows);
    const data =
      passesPerEpoch === 1
        ? trainData
        : async function* (epoch: number) {
            for (let p = 0; p < passesPerEpoch; p++) yield* trainData(epoch * passesPerEpoch + p);
          };
    if (passesPerEpoch > 1) hooks.onLog?.(`an epoch here is ${passesPerEpoch} passes over the ${train.numRows} train rows (at least ${TRAINING_DEFAULTS.minStepsPerEpoch} optimizer steps between validations)`);

    // Without maxEpochs: enough steps to converge for this many rows, stopped early on validation loss.
    const es = settings.earlyStopping(train.numRows);
    const epochs = settings.epochs(train.numRows);
    const schedule = settings.lrSchedule(train.numRows);
    const metricName = es?.metric && es.metric !== 'val_loss' && es.metric !== 'loss' ? es.metric.replace(/^val_/, '') : 'loss';
    let lastValidation: Record<string, number> = {};
    const hasValidation = validation.numRows > 0;
    const validationSource = () => [validation];

    const result = await fit(model, {
      epochs,
      data,
      optimizer: { ...settings.optimizer, schedule },
      seed,
      ...(hasValidation && {
        validation: {
          data: validationSource,
          mode: metricName === 'loss' || !HIGHER_IS_BETTER.has(metricName) ? ('min' as const) : ('max' as const),
          metric: async (m: CannedModel) => {
            const loss = await evaluateLoss(m, validationSource());
            const taskMetrics = task === 'retrieval' ? {} : await evaluate(m, task, validation, numClasses);
            lastValidation = { loss, ...taskMetrics };
            const v = lastValidation[metricName];
            if (v === undefined) throw new Error(`early stopping metric '${es?.metric}' is not computed for a ${task} model`);
            return v;
          },
        },
      }),
      ...(es && hasValidation && { earlyStopping: { patience: es.patience, minDelta: es.minDelta ?? 0, restoreBestWeights: true } }),
      signal: hooks.signal,
      resumeFrom,
      ...(hooks.checkpointIntervalMs ? { checkpointIntervalMs: hooks.checkpointIntervalMs } : {}),
      callbacks: {
        onEpochEnd: async (log: EpochLog) => {
          await hooks.onEpoch?.({
            epoch: log.epoch + 1,
            trainLoss: log.trainLoss,
            lr: log.lr,
            steps: log.steps,
            durationMs: Math.round(log.durationMs),
            ...(hasValidation && { validation: prefixed(lastValidation) }),
          });
        },
        ...(hooks.onCheckpoint && { onCheckpoint: hooks.onCheckpoint }),
      },
    });

    const base = {
      status: result.status,
      epochsCompleted: result.epochsCompleted,
      validationMetrics: prefixed(lastValidation),
      signature: pre.signature().map((s) => ({ ...s, shape: [] })),
      task,
      labelClasses: classes,
      rows,
      ...(result.bestEpoch !== undefined && { bestEpoch: result.bestEpoch + 1 }),
    };
    if (result.status === 'cancelled') return { ...base, testMetrics: {} };

    const testMetrics = await evaluate(model, task, test, numClasses);
    const bundle = packBundle(saveBundle(model, bundleMeta(spec, task, classes, seed, pre, mapping, base.signature)));
    return { ...base, testMetrics, bundle };
  } finally {
    // Resident train columns go when training ends (the holdout evaluation uses host batches).
    train?.dispose?.();
    model.dispose();
  }
}

/** What every trained bundle records besides the model: preprocessing, signature, outputs, lineage. */
function bundleMeta(
  spec: TrainJobSpec,
  task: TrainingTask,
  classes: string[] | null,
  seed: number,
  pre: Preprocessor,
  mapping: InputMapping,
  signature: SignatureInput[],
): BundleMeta {
  const outputNames =
    task === 'multiclass' ? classes!.map((c) => `p(${c})`) : task === 'binary' ? ['probability'] : task === 'regression' ? ['prediction'] : ['score'];
  return {
    preprocessing: pre.toJSON(),
    signature,
    outputNames,
    metadata: {
      [INPUT_MAPPING_METADATA_KEY]: JSON.stringify(mapping),
      'atelier.task': task,
      ...(spec.label && { 'atelier.label': spec.label }),
      ...(classes && { 'atelier.labelClasses': JSON.stringify(classes) }),
      'atelier.seed': String(seed),
      'atelier.engineVersion': ENGINE_VERSION,
    },
  };
}

/**
 * Start the output bias at the train labels' base rate: the mean (regression), the log-odds of the
 * positive rate (binary) or the log class priors (multiclass). Unscaled regression targets (a mean of
 * 150 with lr 0.01) otherwise take thousands of steps just to reach the mean. Serving never sees this:
 * it is only the starting point of a weight.
 */
function initOutputBias(model: CannedModel, task: TrainingTask, labels: LabelSummary, numClasses: number): void {
  const path = model.kind === 'wide_deep' ? 'wide/bias' : 'head/bias';
  const bias = model.namedVariables().find(([p]) => p === path)?.[1];
  const n = labels.count;
  if (!bias || n === 0) return;
  let init: Float32Array;
  if (task === 'regression') {
    init = Float32Array.of(labels.sum / n);
  } else if (task === 'binary') {
    const p = Math.min(1 - 1e-3, Math.max(1e-3, labels.positives / n));
    init = Float32Array.of(Math.log(p / (1 - p)));
  } else if (task === 'multiclass') {
    init = Float32Array.from(labels.classCounts.subarray(0, numClasses), (c) => Math.log(Math.max(c, 0.5) / n));
  } else {
    return;
  }
  if (init.length === bias.size) bias.assign(init);
}

export function prefixed(m: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) if (k !== 'count') out[`val_${k}`] = v;
  return out;
}

/**
 * The original row indices of a training spec's train / validation / test splits over `table`: the
 * same label filtering and the same seeded (or time) split as the run itself, so an evaluation on
 * "holdout" (or a peer benchmark) sees exactly the rows training held out.
 */
export function splitRows(spec: TrainJobSpec, table: TrainingTable): { train: Int32Array; validation: Int32Array; test: Int32Array } {
  const hyper = spec.model.hyperparameters ?? {};
  const task = cannedTask(spec.model.kind, hyper);
  const { keep } = prepareLabels(spec, task, table);
  const columns: Record<string, Column> = { __row: Float64Array.from(keep) };
  const split = spec.split ?? { method: 'random' as const };
  const settings = resolveTrainingSettings(spec);
  const fractions = settings.fractions;
  if (split.method === 'time') columns[TIME] = gather(table.columns[split.timeColumn], keep);
  const parts =
    split.method === 'time'
      ? splitColumns(columns, { method: 'time', fractions, timeColumn: TIME })
      : splitColumns(columns, { method: 'hash', fractions, seed: settings.splitSeed, rowIds: keep });
  const rows = (b: { columns: Record<string, Column> }) => Int32Array.from(b.columns.__row as Float64Array);
  return { train: rows(parts.train), validation: rows(parts.validation), test: rows(parts.test) };
}

/** The test split's original row indices (see splitRows). */
export function holdoutRows(spec: TrainJobSpec, table: TrainingTable): Int32Array {
  return splitRows(spec, table).test;
}
