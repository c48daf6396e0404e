// Model monitoring: what a serving node stores per model version (the reference bins, built once from the
// training dataset's profile) and per window (counts of observed values in those bins), which the gateway
// reads to compute drift. Both processes read and write these through catalog jsonb columns.
import { Type, type Static } from 'typebox';

/** The checks a deployment's thresholds name, and the alerts and /metrics series they raise. */
export const MONITORING_CHECKS = ['psi', 'js', 'missingRate', 'outOfRangeRate', 'predictionPsi', 'accuracyDrop'] as const;
export type MonitoringCheck = (typeof MONITORING_CHECKS)[number];

/** The feature name that prediction (output) drift is reported under. */
export const PREDICTION_FEATURE = '(prediction)';

/** Most features of a version that are monitored (the rest are skipped): bounds the work per row and the /metrics series. */
export const MAX_MONITORED_FEATURES = 64;

const Counts = Type.Array(Type.Number({ minimum: 0 }));

/** A numeric feature: bins between `edges` (k edges → k−1 bins; values below the first / above the last go to the end bins and count as out of range). */
export const NumericReference = Type.Object({
  name: Type.String(),
  kind: Type.Literal('numeric'),
  edges: Type.Array(Type.Number(), { minItems: 2 }),
  /** Training counts per bin (null: no training counts, the first window with enough rows is the baseline). */
  expected: Type.Union([Counts, Type.Null()]),
  /** Share of null values in the training data. */
  missingFraction: Type.Number(),
});

/** A categorical feature: one bin per known value, then one for every other value. */
export const CategoricalReference = Type.Object({
  name: Type.String(),
  kind: Type.Literal('categorical'),
  values: Type.Array(Type.String()),
  expected: Type.Union([Counts, Type.Null()]),
  /** Whether `values` holds every training value (then an other value is out of range). */
  complete: Type.Boolean(),
  missingFraction: Type.Number(),
});

export const FeatureReference = Type.Union([NumericReference, CategoricalReference]);
export type FeatureReference = Static<typeof FeatureReference>;

export const MonitoringReference = Type.Object(
  {
    /** binary | regression | multiclass | … (null: unknown, e.g. an uploaded ONNX model without one). */
    task: Type.Union([Type.String(), Type.Null()]),
    /** Where the reference came from (dataset version id), null when the version names no training data. */
    datasetVersionId: Type.Union([Type.String(), Type.Null()]),
    features: Type.Array(FeatureReference, { maxItems: MAX_MONITORED_FEATURES }),
    /** The first output, binned like a feature (null: not monitored). */
    output: Type.Union([FeatureReference, Type.Null()]),
  },
  { title: 'MonitoringReference' },
);
export type MonitoringReference = Static<typeof MonitoringReference>;

/** Counts of one feature (or the output) in one window, against its reference's bins. */
export const BinCounts = Type.Object({
  bins: Counts,
  missing: Type.Number({ minimum: 0 }),
  outOfRange: Type.Number({ minimum: 0 }),
});
export type BinCounts = Static<typeof BinCounts>;

/** What one serving node observed for one deployment and version in one window (features by reference order). */
export const MonitoringWindowCounts = Type.Object(
  {
    rows: Type.Number({ minimum: 0 }),
    features: Type.Array(BinCounts),
    output: Type.Union([BinCounts, Type.Null()]),
  },
  { title: 'MonitoringWindowCounts' },
);
export type MonitoringWindowCounts = Static<typeof MonitoringWindowCounts>;
