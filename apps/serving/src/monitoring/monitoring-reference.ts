// A version's monitoring reference, from what training stored: the dataset version named in the
// version's lineage (its profile's per-column histograms and top values) for the input features, and
// the label column's histogram for a regression output. Binary and multiclass outputs have fixed bins
// (probability tenths; the arg-max class) and no training counts: their baseline is the version's first
// window with enough rows (the gateway's choice, see apps/gateway/README.md#model-monitoring).
import { MAX_MONITORED_FEATURES, type FeatureReference, type MonitoringReference } from '@atelier/contracts';

/** The parts of a dataset profile (packages/feature-store's DatasetProfile) the reference reads. */
interface ProfileColumn {
  name: string;
  nullFraction?: number;
  histogram?:
    | { kind: 'numeric'; bins: Array<{ lower: number; upper: number; count: number }> }
    | { kind: 'categorical'; buckets: Array<{ value: string; count: number }>; otherCount: number }
    | null;
}

export interface ReferenceInput {
  /** The version's input fields (scalars are monitored; vectors are not). */
  inputs: Array<{ name: string; shape: number[] }>;
  task: string | null;
  /** Values per answered row. */
  outputWidth: number;
  /** Training label column (regression output reference), if known. */
  labelColumn: string | null;
  datasetVersionId: string | null;
  /** The training dataset version's profile (null: none known). */
  profile: { columns?: ProfileColumn[] } | null;
}

function fromColumn(name: string, col: ProfileColumn): FeatureReference | null {
  const h = col.histogram;
  const missingFraction = col.nullFraction ?? 0;
  if (!h) return null;
  if (h.kind === 'numeric') {
    if (!h.bins.length) return null;
    return { name, kind: 'numeric', edges: [h.bins[0].lower, ...h.bins.map((b) => b.upper)], expected: h.bins.map((b) => b.count), missingFraction };
  }
  return {
    name,
    kind: 'categorical',
    values: h.buckets.map((b) => b.value),
    expected: [...h.buckets.map((b) => b.count), h.otherCount],
    complete: h.otherCount === 0,
    missingFraction,
  };
}

export function buildMonitoringReference(input: ReferenceInput): MonitoringReference {
  const columns = new Map((input.profile?.columns ?? []).map((c) => [c.name, c]));
  const features: FeatureReference[] = [];
  for (const field of input.inputs) {
    if (features.length >= MAX_MONITORED_FEATURES) break;
    if (field.shape.length !== 0) continue;
    const col = columns.get(field.name);
    const ref = col && fromColumn(field.name, col);
    if (ref) features.push(ref);
  }
  let output: FeatureReference | null = null;
  if (input.outputWidth === 1 && input.task === 'binary') {
    output = { name: 'output', kind: 'numeric', edges: Array.from({ length: 11 }, (_, i) => i / 10), expected: null, missingFraction: 0 };
  } else if (input.outputWidth === 1 && input.task === 'regression') {
    const label = input.labelColumn ? columns.get(input.labelColumn) : undefined;
    const ref = label && fromColumn('output', label);
    if (ref?.kind === 'numeric') output = { ...ref, missingFraction: 0 };
  } else if (input.outputWidth > 1 && input.task === 'multiclass') {
    output = { name: 'output', kind: 'categorical', values: Array.from({ length: input.outputWidth }, (_, i) => String(i)), expected: null, complete: true, missingFraction: 0 };
  }
  return { task: input.task, datasetVersionId: input.datasetVersionId, features, output };
}
