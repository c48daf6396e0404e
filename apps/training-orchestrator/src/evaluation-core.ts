// Evaluating a stored bundle on a dataset version's rows as pure compute: rebuild the bundle's model,
// preprocessor and input mapping, map labels through the bundle's label classes, and hand the engine's
// evaluateModel a predict function. Runs in the worker thread like training.
import {
  createPredictor,
  GbdtModel,
  meanAbsShap,
  treeShap,
  evaluateModel,
  INPUT_MAPPING_METADATA_KEY,
  loadBundle,
  parseInputMapping,
  Preprocessor,
  toModelInputs,
  type Column,
  type EvaluationResult,
  type EvaluationTask,
  type InputMapping,
} from '@atelier/engine';
import type { TrainJobSpec } from '@atelier/contracts';
import { holdoutRows, type TrainingTable } from './training-core.js';

export interface EvaluationInput {
  bundle: Uint8Array;
  table: TrainingTable;
  /** Evaluate only these rows (the training job's test split); all rows when absent. */
  rows?: Int32Array;
  sliceColumn?: string;
  /** Overrides the label column the bundle names. */
  labelColumn?: string;
  seed: number;
}

export interface EvaluationOutput {
  task: EvaluationTask;
  result: EvaluationResult;
  numRows: number;
}

/**
 * A plain Uint8Array copy of a Node Buffer: the engine's safetensors decoder slices its input, and
 * Buffer#slice is a view over Node's shared pool, so a Buffer must not reach it.
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Buffer.isBuffer(bytes) ? new Uint8Array(bytes) : bytes;
}

export function bundlePredictFn(bundle: Uint8Array): {
  predict: (columns: Record<string, Column>, numRows: number) => Float32Array;
  metadata: Record<string, string>;
  task: string;
  features: string[];
  /** gbdt bundles: mean |TreeSHAP| per input feature over the rows (margin units). */
  meanAbsShap?: (columns: Record<string, Column>, numRows: number) => Record<string, number>;
  dispose(): void;
} {
  const { model, manifest } = loadBundle(plainBytes(bundle));
  const pre = Preprocessor.fromJSON(manifest.preprocessing);
  const raw = manifest.metadata[INPUT_MAPPING_METADATA_KEY];
  const mapping: InputMapping | null = raw ? parseInputMapping(raw) : null;
  if (!mapping) throw new Error('the bundle has no input mapping (metadata atelier.inputs); it was not trained by the orchestrator');
  const predictor = createPredictor(model);
  return {
    metadata: manifest.metadata,
    task: manifest.output.task,
    features: pre.features.map((f) => f.spec.name),
    predict(columns, numRows) {
      const out = new Float32Array(numRows * predictor.outputWidth);
      const chunk = 4096;
      for (let start = 0; start < numRows; start += chunk) {
        const end = Math.min(numRows, start + chunk);
        const part: Record<string, Column> = {};
        for (const [k, v] of Object.entries(columns)) part[k] = v.slice(start, end) as Column;
        const inputs = toModelInputs(mapping, pre.transform(part as never, end - start));
        predictor.predict({ numRows: end - start, inputs }, out.subarray(start * predictor.outputWidth, end * predictor.outputWidth));
      }
      return out;
    },
    ...(model instanceof GbdtModel && {
      meanAbsShap(columns: Record<string, Column>, numRows: number): Record<string, number> {
        const inputs = toModelInputs(mapping, pre.transform(columns as never, numRows));
        const imp = meanAbsShap(treeShap(model.ensemble, model.matrix(inputs, numRows), numRows), numRows);
        const names: string[] = [];
        for (const f of model.features) {
          if (f.kind === 'dense') names.push(...(mapping.dense[f.name] ?? Array.from({ length: f.width }, (_, j) => `${f.name}[${j}]`)));
          else names.push(f.name);
        }
        const out: Record<string, number> = {};
        names.forEach((name, j) => (out[name] = (out[name] ?? 0) + imp[j]));
        return out;
      },
    }),
    dispose: () => model.dispose(),
  };
}

/** Rows TreeSHAP importance reads (a prefix of the evaluation rows: its cost grows with trees × leaves × depth²). */
const SHAP_ROWS = 2000;

export function runEvaluationCompute(input: EvaluationInput, opts: { importance: boolean; maxImportanceRows?: number }): EvaluationOutput {
  const bp = bundlePredictFn(input.bundle);
  try {
    const task = bp.task as EvaluationTask;
    if (!['binary', 'multiclass', 'regression'].includes(task)) throw new Error(`evaluating a '${task}' model is not supported`);
    const label = input.labelColumn ?? bp.metadata['atelier.label'];
    if (!label) throw new Error('the bundle does not name its label column');
    const classes = bp.metadata['atelier.labelClasses'] ? (JSON.parse(bp.metadata['atelier.labelClasses']) as string[]) : null;
    const labelCol = input.table.columns[label];
    if (!labelCol) throw new Error(`the dataset has no label column '${label}'`);
    const candidates = input.rows ?? Int32Array.from({ length: input.table.numRows }, (_, i) => i);
    const keep: number[] = [];
    const labels: number[] = [];
    const classId = classes ? new Map(classes.map((c, i) => [c, i])) : null;
    for (const r of candidates) {
      const v = labelCol[r];
      if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) continue;
      const s = typeof v === 'number' ? String(v) : v;
      if (classId) {
        const id = classId.get(s);
        if (id === undefined) continue; // a class the model never saw cannot be scored
        keep.push(r);
        labels.push(id);
      } else {
        keep.push(r);
        labels.push(Number(v));
      }
    }
    const columns: Record<string, Column> = {};
    const wanted = new Set([...bp.features, ...(input.sliceColumn ? [input.sliceColumn] : [])]);
    for (const name of wanted) {
      const col = input.table.columns[name];
      if (!col) throw new Error(`the dataset has no column '${name}' that the model reads`);
      if (!Array.isArray(col)) columns[name] = Float64Array.from(keep, (r) => col[r]);
      else columns[name] = keep.map((r) => col[r]) as string[];
    }
    const result = evaluateModel({
      predict: bp.predict,
      columns,
      numRows: keep.length,
      labels: task === 'multiclass' ? Int32Array.from(labels) : Float32Array.from(labels),
      task,
      ...(classes && task === 'multiclass' && { numClasses: classes.length }),
      ...(input.sliceColumn && { sliceColumn: input.sliceColumn }),
      featureColumns: opts.importance ? bp.features : [],
      ...(opts.maxImportanceRows !== undefined && { maxImportanceRows: opts.maxImportanceRows }),
      seed: input.seed,
    });
    // Boosted trees: mean |TreeSHAP| per feature beside the permutation importance (`shap`).
    if (bp.meanAbsShap && result.featureImportance.length > 0) {
      const n = Math.min(SHAP_ROWS, keep.length);
      const part: Record<string, Column> = {};
      for (const name of bp.features) part[name] = columns[name].slice(0, n) as Column;
      const shap = bp.meanAbsShap(part, n);
      for (const fi of result.featureImportance) if (shap[fi.feature] !== undefined) fi.shap = shap[fi.feature];
    }
    return { task, result, numRows: keep.length };
  } finally {
    bp.dispose();
  }
}

/** Permutation importance re-predicts the sample once per feature and repeat: keep that near this many rows. */
const IMPORTANCE_ROW_BUDGET = 2_000_000;

/**
 * What on-demand evaluation stores beside the metrics, for a bundle training just produced: the same
 * engine evaluation on the same holdout (test split) rows as an `evaluate` job on 'holdout' with no
 * baseline — curves, permutation feature importance (seed = the job's), slices (none: a training job
 * names no slice column). Tasks evaluation does not cover (ranking, retrieval) and empty holdouts come
 * back as an error string: training still succeeds, with metrics only.
 */
export function evaluateAfterTraining(
  spec: TrainJobSpec,
  table: TrainingTable,
  bundle: Uint8Array,
): { slices: unknown; curves: unknown; featureImportance: unknown } | { error: string } {
  try {
    const rows = holdoutRows(spec, table);
    if (rows.length === 0) return { error: 'the test split is empty' };
    const repeats = 3;
    const maxImportanceRows = Math.max(500, Math.min(10_000, Math.floor(IMPORTANCE_ROW_BUDGET / (repeats * Math.max(1, spec.features.length)))));
    const out = runEvaluationCompute({ bundle, table, rows, seed: spec.seed ?? 0 }, { importance: true, maxImportanceRows });
    return { slices: out.result.slices ?? {}, curves: out.result.curves, featureImportance: out.result.featureImportance };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
