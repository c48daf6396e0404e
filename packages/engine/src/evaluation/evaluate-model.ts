/**
 * Model evaluation as pure compute: task metrics over a held-out set, metrics per slice of one column,
 * curves for the console (binary), and permutation feature importance. The caller supplies `predict`
 * (a bundle's predictor, an ONNX session…) and the columns; nothing here does I/O.
 */
import type { Column } from '../data/column-batch.js';
import { calibrationBins, computeTaskMetrics, prCurve, rocCurve, type Task } from '../metrics/index.js';
import { Random } from '../util/random.js';

export type EvaluationTask = Task;

/** Scores for `numRows` rows, row-major: N × outputs (binary: 1 (p(positive)) or 2 (p(0), p(1)); multiclass: N × K probabilities; regression / ranking: N × 1). */
export type PredictFn = (columns: Record<string, Column>, numRows: number) => Float32Array;

export interface EvaluateModelInput {
  predict: PredictFn;
  columns: Record<string, Column>;
  numRows: number;
  /** binary: 0/1 (> 0 is positive); multiclass: class ids 0..K−1; regression: targets; ranking: relevance. */
  labels: Float32Array | Int32Array;
  task: EvaluationTask;
  /** multiclass: number of classes (inferred from the prediction width when absent). */
  numClasses?: number;
  /** ranking: query id per row (required for ranking). */
  groups?: ArrayLike<number>;
  /** Compute the metrics per value of this column too. */
  sliceColumn?: string;
  /** Columns to permute for permutation importance (each must be in `columns`). */
  featureColumns: string[];
  /** Shuffles per feature (default 3). */
  permutationRepeats?: number;
  /** Seeds the row sample and the permutations: the same seed gives the same importances. */
  seed: number;
  /** Permutation importance runs on a seeded sample of at most this many rows (default 10 000). */
  maxImportanceRows?: number;
  /** Slices beyond this many distinct values: numeric columns are cut into quantile buckets, others keep the most frequent values (default 20). */
  maxSlices?: number;
  /** Points per ROC / PR curve (default 200). */
  curvePoints?: number;
  /** binary: calibration bins (default 10). */
  calibrationBins?: number;
}

export interface SliceMetrics {
  /** The slice's value (a bucket label like "[0.5, 1.2)" for bucketed numeric columns); null = missing. */
  value: string | number | null;
  count: number;
  metrics: Record<string, number>;
}

export interface EvaluationSlices {
  column: string;
  /** 'values' (one slice per distinct value) or 'quantiles' (numeric buckets). */
  kind: 'values' | 'quantiles';
  values: SliceMetrics[];
  /** Rows not in any listed slice (values beyond maxSlices), 0 when every row is covered. */
  otherCount: number;
}

/** Curve arrays are plain JSON-ready numbers; null stands for +Infinity thresholds and empty bins. */
export interface EvaluationCurves {
  roc?: { fpr: number[]; tpr: number[]; thresholds: Array<number | null> };
  pr?: { recall: number[]; precision: number[]; thresholds: Array<number | null> };
  calibration?: { edges: number[]; meanPredicted: Array<number | null>; fractionPositive: Array<number | null>; counts: number[]; ece: number };
}

export interface FeatureImportance {
  feature: string;
  /** Mean worsening of the primary metric when this column is shuffled (positive = the model relies on it). */
  importance: number;
  /** Standard deviation of that worsening over the repeats. */
  std: number;
  /** gbdt models: mean |TreeSHAP contribution| of the feature to the raw margin. */
  shap?: number;
}

export interface PrimaryMetric {
  name: string;
  direction: 'higher_is_better' | 'lower_is_better';
}

export interface EvaluationResult {
  /** computeTaskMetrics' record, without non-finite values (e.g. auc when only one class is present). */
  metrics: Record<string, number>;
  slices: EvaluationSlices | null;
  curves: EvaluationCurves;
  /** Sorted by importance, most important first. */
  featureImportance: FeatureImportance[];
  primaryMetric: PrimaryMetric;
  /** How many rows permutation importance used. */
  importanceRows: number;
}

/** The metric permutation importance measures, per task. */
export function primaryMetricFor(task: EvaluationTask): PrimaryMetric {
  switch (task) {
    case 'binary':
      return { name: 'auc', direction: 'higher_is_better' };
    case 'multiclass':
      return { name: 'log_loss', direction: 'lower_is_better' };
    case 'regression':
      return { name: 'rmse', direction: 'lower_is_better' };
    case 'ranking':
      return { name: 'ndcg@10', direction: 'higher_is_better' };
    default:
      throw new Error(`evaluateModel: unknown task "${task as string}"`);
  }
}

/** Scores → what computeTaskMetrics wants (binary: p(positive) per row; others as given). */
function taskScores(task: EvaluationTask, raw: Float32Array, numRows: number, numClasses: number | undefined): { scores: Float32Array; numClasses?: number } {
  if (numRows === 0) return { scores: new Float32Array(0), numClasses };
  const width = raw.length / numRows;
  if (!Number.isInteger(width) || width < 1) {
    throw new Error(`evaluateModel: predict returned ${raw.length} values for ${numRows} rows (expected a multiple of the row count)`);
  }
  switch (task) {
    case 'binary': {
      if (width === 1) return { scores: raw };
      if (width === 2) {
        const p = new Float32Array(numRows);
        for (let i = 0; i < numRows; i++) p[i] = raw[2 * i + 1];
        return { scores: p };
      }
      throw new Error(`evaluateModel: a binary model must return 1 or 2 scores per row, got ${width}`);
    }
    case 'multiclass': {
      const k = numClasses ?? width;
      if (k !== width) throw new Error(`evaluateModel: numClasses is ${k} but predict returned ${width} scores per row`);
      return { scores: raw, numClasses: k };
    }
    case 'regression':
    case 'ranking':
      if (width !== 1) throw new Error(`evaluateModel: a ${task} model must return 1 score per row, got ${width}`);
      return { scores: raw };
    default:
      throw new Error(`evaluateModel: unknown task "${task as string}"`);
  }
}

function finiteOnly(metrics: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(metrics)) if (Number.isFinite(v)) out[k] = v;
  return out;
}

function gatherColumn(col: Column, idx: Int32Array): Column {
  if (Array.isArray(col)) {
    const out = new Array<string>(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = col[idx[i]];
    return out;
  }
  const out = new (col.constructor as Float32ArrayConstructor)(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = col[idx[i]];
  return out as Column;
}

function gatherNumbers<T extends Float32Array | Int32Array | Float64Array>(a: T, idx: Int32Array): T {
  const out = new (a.constructor as Float64ArrayConstructor)(idx.length) as unknown as T;
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
  return out;
}

function metricsFor(
  task: EvaluationTask,
  labels: ArrayLike<number>,
  scores: Float32Array,
  numClasses: number | undefined,
  groups: ArrayLike<number> | undefined,
): Record<string, number> {
  return computeTaskMetrics(task, labels, scores, { numClasses, groups });
}

const toList = (a: ArrayLike<number>): Array<number | null> => Array.from(a, (v) => (Number.isFinite(v) ? v : null));

function binaryCurves(labels: ArrayLike<number>, p: Float32Array, points: number, bins: number): EvaluationCurves {
  if (labels.length === 0) return {};
  const roc = rocCurve(labels, p, points);
  const pr = prCurve(labels, p, points);
  const curves: EvaluationCurves = {
    roc: { fpr: Array.from(roc.fpr, (v) => (Number.isFinite(v) ? v : 0)), tpr: Array.from(roc.tpr, (v) => (Number.isFinite(v) ? v : 0)), thresholds: toList(roc.thresholds) },
    pr: { recall: Array.from(pr.recall), precision: Array.from(pr.precision, (v) => (Number.isFinite(v) ? v : 0)), thresholds: toList(pr.thresholds) },
  };
  let probabilities = true;
  for (let i = 0; i < p.length; i++) if (!(p[i] >= 0 && p[i] <= 1)) probabilities = false;
  if (probabilities) {
    const c = calibrationBins(labels, p, bins);
    curves.calibration = {
      edges: Array.from(c.edges),
      meanPredicted: toList(c.meanPredicted),
      fractionPositive: toList(c.fractionPositive),
      counts: Array.from(c.counts),
      ece: c.ece,
    };
  }
  return curves;
}

/** Row indices per slice value (missing → null), ordered by count (largest first), then by value. */
function sliceRows(col: Column, numRows: number, maxSlices: number): { kind: 'values' | 'quantiles'; groups: Array<{ value: string | number | null; rows: Int32Array }>; otherCount: number } {
  const byValue = new Map<string | number | null, number[]>();
  const numeric = !Array.isArray(col);
  for (let i = 0; i < numRows; i++) {
    const raw = col[i];
    const value: string | number | null =
      typeof raw === 'number' ? (Number.isNaN(raw) ? null : raw) : raw === undefined || raw === null || raw === '' ? null : String(raw);
    let rows = byValue.get(value);
    if (!rows) byValue.set(value, (rows = []));
    rows.push(i);
  }
  if (numeric && byValue.size > maxSlices) return quantileSlices(col as Float32Array, numRows, Math.min(10, maxSlices));
  const entries = [...byValue.entries()].sort((a, b) => b[1].length - a[1].length || compareValues(a[0], b[0]));
  const kept = entries.slice(0, maxSlices);
  const otherCount = entries.slice(maxSlices).reduce((s, [, rows]) => s + rows.length, 0);
  return { kind: 'values', groups: kept.map(([value, rows]) => ({ value, rows: Int32Array.from(rows) })), otherCount };
}

function compareValues(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** Numeric column with many values → up to `buckets` quantile buckets "[lo, hi)" (the last one closed), plus missing. */
function quantileSlices(col: Float32Array | Float64Array | Int32Array, numRows: number, buckets: number) {
  const present: number[] = [];
  const missing: number[] = [];
  for (let i = 0; i < numRows; i++) (Number.isNaN(col[i]) ? missing : present).push(i);
  const sorted = Float64Array.from(present, (i) => col[i]).sort();
  const edges: number[] = [];
  for (let b = 0; b <= buckets; b++) {
    const q = sorted[Math.min(sorted.length - 1, Math.floor((b * (sorted.length - 1)) / buckets))];
    if (edges.length === 0 || q > edges[edges.length - 1]) edges.push(q);
  }
  if (edges.length === 1) edges.push(edges[0]);
  const nb = edges.length - 1;
  const rows: number[][] = Array.from({ length: nb }, () => []);
  for (const i of present) {
    const v = col[i];
    let b = 0;
    while (b < nb - 1 && v >= edges[b + 1]) b++;
    rows[b].push(i);
  }
  const groups: Array<{ value: string | number | null; rows: Int32Array }> = [];
  for (let b = 0; b < nb; b++) {
    if (rows[b].length === 0) continue;
    const label = b === nb - 1 ? `[${fmt(edges[b])}, ${fmt(edges[b + 1])}]` : `[${fmt(edges[b])}, ${fmt(edges[b + 1])})`;
    groups.push({ value: label, rows: Int32Array.from(rows[b]) });
  }
  if (missing.length > 0) groups.push({ value: null, rows: Int32Array.from(missing) });
  return { kind: 'quantiles' as const, groups, otherCount: 0 };
}

function mean(a: number[]): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}

/** Population standard deviation (as scikit-learn's permutation_importance reports). */
function std(a: number[]): number {
  const m = mean(a);
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length);
}

export function evaluateModel(input: EvaluateModelInput): EvaluationResult {
  const { task, numRows, labels, columns } = input;
  const primary = primaryMetricFor(task);
  if (!Number.isInteger(numRows) || numRows < 1) throw new Error(`evaluateModel: numRows must be a positive integer, got ${numRows}`);
  if (labels.length !== numRows) throw new Error(`evaluateModel: labels has ${labels.length} entries, expected ${numRows}`);
  for (const [name, col] of Object.entries(columns)) {
    if (col.length !== numRows) throw new Error(`evaluateModel: column "${name}" has ${col.length} rows, expected ${numRows}`);
  }
  if (task === 'ranking') {
    if (!input.groups) throw new Error('evaluateModel: ranking needs groups (a query id per row)');
    if (input.groups.length !== numRows) throw new Error(`evaluateModel: groups has ${input.groups.length} entries, expected ${numRows}`);
  }
  if (input.sliceColumn !== undefined && !(input.sliceColumn in columns)) {
    throw new Error(`evaluateModel: slice column "${input.sliceColumn}" is not among the columns (${Object.keys(columns).join(', ')})`);
  }
  for (const f of input.featureColumns) {
    if (!(f in columns)) throw new Error(`evaluateModel: feature column "${f}" is not among the columns`);
  }
  const repeats = input.permutationRepeats ?? 3;
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`evaluateModel: permutationRepeats must be a positive integer, got ${repeats}`);
  const maxSlices = input.maxSlices ?? 20;
  const groupsArr = input.groups;

  // 1. Metrics on every row.
  const { scores, numClasses } = taskScores(task, input.predict(columns, numRows), numRows, input.numClasses);
  const metrics = finiteOnly(metricsFor(task, labels, scores, numClasses, groupsArr));

  // 2. Slices: the same metrics on the rows of each value.
  let slices: EvaluationSlices | null = null;
  if (input.sliceColumn !== undefined) {
    const k = numClasses ?? 1;
    const cut = sliceRows(columns[input.sliceColumn], numRows, maxSlices);
    slices = {
      column: input.sliceColumn,
      kind: cut.kind,
      otherCount: cut.otherCount,
      values: cut.groups.map(({ value, rows }) => {
        const sliceLabels = gatherNumbers(labels, rows);
        let sliceScores: Float32Array;
        if (task === 'multiclass') {
          sliceScores = new Float32Array(rows.length * k);
          for (let i = 0; i < rows.length; i++) sliceScores.set(scores.subarray(rows[i] * k, rows[i] * k + k), i * k);
        } else {
          sliceScores = gatherNumbers(scores, rows);
        }
        const sliceGroups = groupsArr ? gatherNumbers(Float64Array.from(groupsArr), rows) : undefined;
        return { value, count: rows.length, metrics: finiteOnly(metricsFor(task, sliceLabels, sliceScores, numClasses, sliceGroups)) };
      }),
    };
  }

  // 3. Curves (binary).
  const curves = task === 'binary' ? binaryCurves(labels, scores, input.curvePoints ?? 200, input.calibrationBins ?? 10) : {};

  // 4. Permutation importance on a seeded row sample (whole queries for ranking, so NDCG stays meaningful).
  const rng = new Random(input.seed);
  const sample = importanceSample(numRows, input.maxImportanceRows ?? 10_000, rng, groupsArr);
  const sampleColumns: Record<string, Column> = {};
  for (const [name, col] of Object.entries(columns)) sampleColumns[name] = sample ? gatherColumn(col, sample) : col;
  const m = sample ? sample.length : numRows;
  const sampleLabels = sample ? gatherNumbers(labels, sample) : labels;
  const sampleGroups = groupsArr && sample ? gatherNumbers(Float64Array.from(groupsArr), sample) : groupsArr;
  const primaryOf = (cols: Record<string, Column>): number => {
    const s = taskScores(task, input.predict(cols, m), m, numClasses);
    return metricsFor(task, sampleLabels, s.scores, s.numClasses, sampleGroups)[primary.name];
  };
  const base = sample ? primaryOf(sampleColumns) : metricsFor(task, labels, scores, numClasses, groupsArr)[primary.name];
  const featureImportance: FeatureImportance[] = [];
  for (const feature of input.featureColumns) {
    const original = sampleColumns[feature];
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const perm = rng.permutation(m);
      const permuted = { ...sampleColumns, [feature]: gatherColumn(original, perm) };
      const value = primaryOf(permuted);
      drops.push(primary.direction === 'higher_is_better' ? base - value : value - base);
    }
    const finite = drops.filter(Number.isFinite);
    featureImportance.push({
      feature,
      importance: finite.length > 0 ? mean(finite) : 0,
      std: finite.length > 0 ? std(finite) : 0,
    });
  }
  featureImportance.sort((a, b) => b.importance - a.importance || (a.feature < b.feature ? -1 : 1));

  return { metrics, slices, curves, featureImportance, primaryMetric: primary, importanceRows: m };
}

/** null = use every row; else sorted row indices (whole queries for ranking). */
function importanceSample(numRows: number, maxRows: number, rng: Random, groups: ArrayLike<number> | undefined): Int32Array | null {
  if (!Number.isInteger(maxRows) || maxRows < 2) throw new Error(`evaluateModel: maxImportanceRows must be an integer >= 2, got ${maxRows}`);
  if (numRows <= maxRows) return null;
  if (!groups) {
    const perm = rng.permutation(numRows);
    return perm.slice(0, maxRows).sort();
  }
  // Ranking: take whole queries in a seeded order until the budget is reached.
  const byGroup = new Map<number, number[]>();
  for (let i = 0; i < numRows; i++) {
    const g = groups[i];
    let rows = byGroup.get(g);
    if (!rows) byGroup.set(g, (rows = []));
    rows.push(i);
  }
  const keys = [...byGroup.keys()].sort((a, b) => a - b);
  const order = rng.permutation(keys.length);
  const picked: number[] = [];
  for (let j = 0; j < order.length && picked.length < maxRows; j++) picked.push(...byGroup.get(keys[order[j]])!);
  return Int32Array.from(picked).sort();
}
