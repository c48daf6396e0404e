// Model monitoring's HTTP shapes: drift and online quality per deployed version and window, thresholds,
// alerts, and labels for answers given earlier (keyed by the answer's request id).
import { Type, type Static } from 'typebox';
import { MONITORING_CHECKS } from '@atelier/contracts';
import { DateTime, NullableDateTime, Uuid } from './common.schemas.js';

/** Most labels in one request. */
export const MAX_LABELS_PER_REQUEST = 10_000;
/** The longest time range one monitoring read covers. */
export const MAX_MONITORING_RANGE_MS = 7 * 24 * 3600_000;

/** A number or null, as one schema (a union would report a bad value once per branch). */
const NullableNumber = (options: Record<string, unknown>) => Type.Unsafe<number | null>({ type: ['number', 'null'], ...options });

const Rate = (description: string) => Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description });

export const MonitoringThresholds = Type.Object(
  {
    psi: NullableNumber({ exclusiveMinimum: 0, description: 'alert when a feature’s PSI against training is at least this (null: never); default 0.2' }),
    js: NullableNumber({ exclusiveMinimum: 0, maximum: 1, description: 'alert when a feature’s Jensen–Shannon distance (base 2) is at least this; default 0.1' }),
    missingRate: NullableNumber({ exclusiveMinimum: 0, maximum: 1, description: 'alert when a feature’s share of missing values exceeds its training share by at least this; default 0.1' }),
    outOfRangeRate: NullableNumber({ exclusiveMinimum: 0, maximum: 1, description: 'alert when the share of values outside the training range (numeric) or never seen in training (categorical) is at least this; default 0.05' }),
    predictionPsi: NullableNumber({ exclusiveMinimum: 0, description: 'alert when the output distribution’s PSI is at least this; default 0.2' }),
    accuracyDrop: NullableNumber({ exclusiveMinimum: 0, maximum: 1, description: 'alert when online accuracy is at least this much below the version’s test accuracy; default 0.05' }),
    minRows: Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'a window is judged once it holds this many rows; default 100' }),
    minLabels: Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'online accuracy is judged on a window with this many labels; default 50' }),
  },
  { title: 'MonitoringThresholds', additionalProperties: false },
);
export type MonitoringThresholdsT = Static<typeof MonitoringThresholds>;

export const MonitoringThresholdsBody = Type.Partial(MonitoringThresholds, {
  title: 'MonitoringThresholdsBody',
  additionalProperties: false,
  description: 'the thresholds to set; a field left out takes its default, null turns a check off',
});

export const FeatureDrift = Type.Object(
  {
    name: Type.String(),
    kind: Type.Union([Type.Literal('numeric'), Type.Literal('categorical')]),
    count: Type.Integer({ description: 'values seen (missing ones included)' }),
    psi: Rate('population stability index against the training distribution (null: no reference counts)'),
    js: Rate('Jensen–Shannon distance, base 2 (0 … 1)'),
    missingRate: Rate('share of null / absent values'),
    referenceMissingRate: Type.Number({ description: 'share of nulls in the training data' }),
    outOfRangeRate: Rate('share of values outside the training range, or never seen in training'),
    bins: Type.Array(Type.Number(), { description: 'counts per reference bin (the histogram to draw)' }),
    expected: Type.Union([Type.Array(Type.Number()), Type.Null()], { description: 'training shares per bin' }),
  },
  { title: 'FeatureDrift' },
);

export const PredictionDrift = Type.Object(
  {
    count: Type.Integer(),
    psi: Rate('against the baseline'),
    js: Rate('against the baseline'),
    baseline: Type.Union([Type.Literal('training'), Type.Literal('firstWindow'), Type.Null()], {
      description: "training: the label's distribution (regression); firstWindow: the version's first window with minRows rows; null: none yet",
    }),
    bins: Type.Array(Type.Number()),
    edges: Type.Union([Type.Array(Type.Number()), Type.Null()], { description: 'numeric outputs: the bin edges' }),
  },
  { title: 'PredictionDrift' },
);

export const OnlineMetrics = Type.Object(
  {
    labeled: Type.Integer({ description: 'answers of this window that got a label' }),
    accuracy: Rate('binary: p ≥ 0.5; multiclass: the arg-max class'),
    auc: Rate('binary: ROC AUC'),
    logLoss: Rate('binary'),
    rmse: Rate('regression'),
    mae: Rate('regression'),
  },
  { title: 'OnlineMetrics' },
);

export const MonitoringWindow = Type.Object(
  {
    start: DateTime,
    end: DateTime,
    rows: Type.Integer(),
    features: Type.Array(FeatureDrift),
    prediction: Type.Union([PredictionDrift, Type.Null()]),
    online: Type.Union([OnlineMetrics, Type.Null()]),
  },
  { title: 'MonitoringWindow' },
);

export const MonitoredVersion = Type.Object(
  {
    version: Type.Integer(),
    task: Type.Union([Type.String(), Type.Null()]),
    reference: Type.Object({
      datasetVersionId: Type.Union([Uuid, Type.Null()], { description: 'the training dataset version whose profile the bins come from (null: none; only the output is monitored)' }),
      features: Type.Array(Type.String(), { description: 'the monitored features' }),
    }),
    baselineAccuracy: Type.Union([Type.Number(), Type.Null()], { description: "the version's test accuracy (what accuracyDrop compares with)" }),
    windows: Type.Array(MonitoringWindow, { description: 'oldest first' }),
  },
  { title: 'MonitoredVersion' },
);

export const MonitoringView = Type.Object(
  {
    deployment: Type.String(),
    from: DateTime,
    to: DateTime,
    thresholds: MonitoringThresholds,
    versions: Type.Array(MonitoredVersion),
  },
  { title: 'MonitoringView' },
);

export const MonitoringQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'windows starting at or after this (default: an hour before `to`)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'windows starting before this (default: now); at most 7 days after `from`' })),
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'only this version' })),
  },
  { additionalProperties: false },
);

export const MonitoringAlert = Type.Object(
  {
    id: Uuid,
    version: Type.Integer(),
    feature: Type.String({ description: 'a feature name, or (prediction) for output drift and accuracy' }),
    check: Type.Union(MONITORING_CHECKS.map((c) => Type.Literal(c))),
    state: Type.Union([Type.Literal('active'), Type.Literal('resolved')]),
    value: Type.Number({ description: 'the value that crossed the threshold (updated while active)' }),
    threshold: Type.Number(),
    windowStart: DateTime,
    raisedAt: DateTime,
    resolvedAt: NullableDateTime,
  },
  { title: 'MonitoringAlert' },
);

export const MonitoringAlertList = Type.Object({ items: Type.Array(MonitoringAlert) }, { title: 'MonitoringAlertList' });

export const MonitoringAlertsQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('resolved')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const LabelsBody = Type.Object(
  {
    labels: Type.Array(
      Type.Object(
        {
          requestId: Type.String({ minLength: 1, maxLength: 200, description: "the answer's requestId" }),
          index: Type.Optional(Type.Integer({ minimum: 0, maximum: 99_999, description: 'the instance within the request (default 0)' })),
          label: Type.Number({ description: 'binary: 0 or 1; multiclass: the class index; regression: the value' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_LABELS_PER_REQUEST },
    ),
  },
  { title: 'LabelsBody', additionalProperties: false },
);
export type LabelsBodyT = Static<typeof LabelsBody>;

export const LabelsResult = Type.Object(
  {
    accepted: Type.Integer({ description: 'labels stored' }),
    unknown: Type.Array(Type.Object({ requestId: Type.String(), index: Type.Integer() }), {
      description: 'labels whose answer this deployment does not know (never answered, answered before the window retention, or beyond the per-flush cap)',
    }),
  },
  { title: 'LabelsResult' },
);
