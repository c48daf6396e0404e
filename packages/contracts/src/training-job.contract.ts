// Training and evaluation jobs: the request the gateway accepts, the spec it stores in
// training_jobs.spec, and the spec the orchestrator claims (checked with `checkJobSpec`, never cast).
import { Type, type Static, type TSchema } from 'typebox';
import { CONFIGURABLE_TASKS, MODEL_KINDS, literalUnion, type ModelKind } from './model-tasks.contract.js';
import { Int32, ResourceName, VersionNumber } from './scalars.contract.js';
import { DEFAULT_TRANSFORMS, ROBUST_CLIP, TRAINING_DEFAULTS } from './training-defaults.contract.js';

const PosInt = (description?: string) => Int32({ minimum: 1, ...(description && { description }) });
const Fraction = Type.Number({ minimum: 0, maximum: 1 });
const d = TRAINING_DEFAULTS;

export const FeatureSpec = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'a column of the dataset version' }),
    type: Type.Union([Type.Literal('numeric'), Type.Literal('categorical')]),
    transform: Type.Optional(
      Type.Union(
        [
          Type.Literal('robust'),
          Type.Literal('standardize'),
          Type.Literal('minmax'),
          Type.Literal('bucketize'),
          Type.Literal('none'),
          Type.Literal('vocabulary'),
          Type.Literal('hash'),
        ],
        {
          description:
            `numeric: robust | standardize | minmax | bucketize | none (default ${DEFAULT_TRANSFORMS.numeric}: centred on the median, scaled by the ` +
            `interquartile range, clipped to ±${ROBUST_CLIP}); categorical: vocabulary | hash (default ${DEFAULT_TRANSFORMS.categorical})`,
        },
      ),
    ),
    options: Type.Optional(
      Type.Object(
        {
          boundaries: Type.Optional(Type.Array(Type.Number(), { minItems: 1 })),
          numBuckets: Type.Optional(Int32({ minimum: 2 })),
          maxSize: Type.Optional(PosInt()),
          minCount: Type.Optional(PosInt()),
          numOovBuckets: Type.Optional(PosInt()),
          hashBuckets: Type.Optional(PosInt()),
          clip: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: `robust: clip the scaled value to ±clip (default ${ROBUST_CLIP})` })),
        },
        { additionalProperties: false },
      ),
    ),
    missing: Type.Optional(
      Type.Union([Type.Literal('mean'), Type.Literal('median'), Type.Literal('zero'), Type.Literal('constant'), Type.Literal('error'), Type.Literal('oov')]),
    ),
    constant: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    inputDtype: Type.Optional(Type.Union([Type.Literal('string'), Type.Literal('int32')])),
  },
  { additionalProperties: false },
);
export type FeatureSpec = Static<typeof FeatureSpec>;

const Fractions = Type.Object({ train: Fraction, validation: Fraction, test: Fraction }, { additionalProperties: false });
const fractionsText = `default ${d.fractions.train} / ${d.fractions.validation} / ${d.fractions.test}`;

export const SplitSpec = Type.Union([
  Type.Object(
    {
      method: Type.Literal('random'),
      fractions: Type.Optional({ ...Fractions, description: fractionsText }),
      seed: Type.Optional(Int32({ minimum: 0, description: "default: the job's seed" })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { method: Type.Literal('time'), fractions: Type.Optional({ ...Fractions, description: fractionsText }), timeColumn: Type.String({ minLength: 1 }) },
    { additionalProperties: false },
  ),
]);
export type SplitSpec = Static<typeof SplitSpec>;

const Tower = {
  hiddenUnits: Type.Optional(
    Type.Array(Int32({ minimum: 1, maximum: 16384 }), {
      minItems: 1,
      maxItems: 8,
      description: 'units per hidden layer: at most 8 layers of 16384; the whole model is capped by ATELIER_MAX_MODEL_PARAMETERS',
    }),
  ),
  activation: Type.Optional(Type.Union([Type.Literal('relu'), Type.Literal('tanh'), Type.Literal('sigmoid'), Type.Literal('gelu'), Type.Literal('linear')])),
  dropout: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
  normalization: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('batch'), Type.Literal('layer')])),
};
const Regression = {
  loss: Type.Optional(Type.Union([Type.Literal('mse'), Type.Literal('huber')])),
  huberDelta: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
};
const EmbeddingDim = { embeddingDim: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024, description: 'embedding width of categorical features' })) };
const FeatureNames = (description: string) => Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description });
const Task = Type.Optional(literalUnion(CONFIGURABLE_TASKS, { description: 'default binary' }));

/** Gradient-boosted trees (histogram-based, XGBoost's formulas); defaults as the engine's GBDT_JOB_DEFAULTS. */
const Gbdt = {
  task: Task,
  loss: Type.Optional(
    Type.Union([Type.Literal('squared'), Type.Literal('absolute'), Type.Literal('huber')], { description: 'regression loss; default squared' }),
  ),
  huberDelta: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'default 1' })),
  numTrees: Type.Optional(Int32({ minimum: 1, maximum: 10000, description: 'boosting rounds (one tree per class per round); default 300' })),
  maxDepth: Type.Optional(Int32({ minimum: 0, maximum: 16, description: 'default 6; 0 = unlimited (lossguide with maxLeaves)' })),
  maxLeaves: Type.Optional(Int32({ minimum: 0, maximum: 65536, description: 'default 0 = unlimited' })),
  growPolicy: Type.Optional(
    Type.Union([Type.Literal('depthwise'), Type.Literal('lossguide')], { description: 'depthwise (level by level, default) or lossguide (best leaf first, LightGBM)' }),
  ),
  learningRate: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'shrinkage; default 0.1' })),
  lambda: Type.Optional(Type.Number({ minimum: 0, description: 'L2 on leaf values; default 1' })),
  alpha: Type.Optional(Type.Number({ minimum: 0, description: 'L1 on leaf values; default 0' })),
  minChildWeight: Type.Optional(Type.Number({ minimum: 0, description: 'least hessian sum in a child; default 1' })),
  minSplitGain: Type.Optional(Type.Number({ minimum: 0, description: "least loss reduction to split (XGBoost's gamma); default 0" })),
  subsample: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'row fraction per round; default 1' })),
  colsampleByTree: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'feature fraction per tree; default 1' })),
  maxBins: Type.Optional(Int32({ minimum: 2, maximum: 255, description: 'quantile bins per numeric feature; default 255' })),
  earlyStoppingRounds: Type.Optional(
    Int32({ minimum: 0, maximum: 10000, description: 'stop when the validation loss has not improved for this many rounds and keep the best; default 20; 0 = off' }),
  ),
};

/** Per model kind, the hyperparameters it accepts; anything else is an error naming the key. */
export const HYPERPARAMETERS_BY_KIND: Record<ModelKind, TSchema> = {
  linear: Type.Object({ ...Regression, ...EmbeddingDim }, { additionalProperties: false }),
  logistic: Type.Object({ ...EmbeddingDim }, { additionalProperties: false }),
  softmax: Type.Object({ ...EmbeddingDim }, { additionalProperties: false }),
  mlp: Type.Object({ task: Task, ...Tower, ...Regression, ...EmbeddingDim }, { additionalProperties: false }),
  wide_deep: Type.Object(
    {
      task: Task,
      wideFeatures: Type.Optional(FeatureNames('features for the wide (linear) part; default: every categorical feature')),
      ...Tower,
      ...Regression,
      ...EmbeddingDim,
    },
    { additionalProperties: false },
  ),
  two_tower: Type.Object(
    {
      userFeatures: FeatureNames('features of the user (query) tower'),
      itemFeatures: FeatureNames('features of the item tower'),
      outputDim: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
      temperature: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
      normalize: Type.Optional(Type.Boolean()),
      ...Tower,
      ...EmbeddingDim,
    },
    { additionalProperties: false },
  ),
  gbdt: Type.Object(Gbdt, { additionalProperties: false }),
};

export const Device = Type.Union([Type.Literal('cpu'), Type.Literal('gpu'), Type.Literal('auto')], { description: `default ${d.device}` });
export type Device = Static<typeof Device>;

/** The fields a train job is made of: the request minus scheduling (priority, maxAttempts). */
const trainFields = {
  modelName: ResourceName,
  data: Type.Object(
    { dataset: ResourceName, version: VersionNumber() },
    { additionalProperties: false, description: 'a dataset version (a feature-store training set is one too)' },
  ),
  label: Type.Optional(Type.String({ minLength: 1, description: 'the label column (required except for two_tower)' })),
  features: Type.Array(FeatureSpec, { minItems: 1, maxItems: 1000 }),
  model: Type.Object(
    {
      kind: literalUnion(MODEL_KINDS),
      hyperparameters: Type.Optional(
        Type.Record(Type.String(), Type.Unknown(), {
          description:
            'per kind: linear {loss, huberDelta, embeddingDim}; logistic/softmax {embeddingDim}; mlp {task, hiddenUnits, activation, dropout, normalization, loss, huberDelta, embeddingDim}; ' +
            'wide_deep {…mlp, wideFeatures}; two_tower {userFeatures, itemFeatures, outputDim, temperature, normalize, hiddenUnits, activation, dropout, normalization, embeddingDim}; ' +
            'gbdt {task, loss, huberDelta, numTrees, maxDepth, maxLeaves, growPolicy, learningRate, lambda, alpha, minChildWeight, minSplitGain, subsample, colsampleByTree, maxBins, earlyStoppingRounds}',
        }),
      ),
    },
    { additionalProperties: false },
  ),
  split: Type.Optional({ ...SplitSpec, description: `default random, ${fractionsText}` }),
  device: Type.Optional(Device),
  maxEpochs: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 10000,
      description: `default: enough epochs for ~${d.targetSteps} optimizer steps (${d.minEpochs} to ${d.maxEpochsCap}), with early stopping on validation loss (patience ${d.earlyStopping.patienceSteps} steps, best weights restored)`,
    }),
  ),
  batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: `default ${d.batchSize}` })),
  optimizer: Type.Optional(
    Type.Object(
      {
        kind: Type.Union([Type.Literal('sgd'), Type.Literal('adam'), Type.Literal('adamw'), Type.Literal('adagrad')]),
        lr: Type.Number({ exclusiveMinimum: 0 }),
        l2: Type.Optional(Type.Number({ minimum: 0 })),
        clipNorm: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
      },
      { additionalProperties: false, description: `default ${d.optimizer}, lr ${d.lr} (linear: ${d.linearLr})` },
    ),
  ),
  earlyStopping: Type.Optional(
    Type.Object(
      {
        metric: Type.Optional(Type.String({ description: 'val_loss (default) or a task metric: auc, accuracy, log_loss, f1, rmse, mae, r2…' })),
        patience: Type.Optional(Int32({ minimum: 1, maximum: 10000, description: 'epochs without improvement before stopping' })),
        patienceSteps: Type.Optional(
          Int32({
            minimum: 1,
            maximum: 10_000_000,
            description: `optimizer steps without improvement before stopping, rounded up to whole epochs (at least ${d.earlyStopping.minPatienceEpochs}); default ${d.earlyStopping.patienceSteps} when patience is absent`,
          }),
        ),
        minDelta: Type.Optional(Type.Number({ minimum: 0 })),
      },
      { additionalProperties: false },
    ),
  ),
  lrSchedule: Type.Optional(
    Type.Object(
      {
        kind: Type.Union([Type.Literal('constant'), Type.Literal('cosine')]),
        warmupSteps: Type.Optional(Int32({ minimum: 0, maximum: 10_000_000, description: 'linear warm-up from 0 over this many optimizer steps' })),
        minLrFraction: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: `cosine: the final lr as a fraction of lr (default ${d.lrSchedule.minLrFraction})` })),
      },
      {
        additionalProperties: false,
        description:
          `learning-rate schedule in optimizer steps; default without maxEpochs: cosine decay over the planned steps to ${d.lrSchedule.minLrFraction} × lr ` +
          `after ${d.lrSchedule.warmupSteps} warm-up steps; with maxEpochs: constant`,
      },
    ),
  ),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, description: `default ${d.seed}` })),
  resources: Type.Optional(
    Type.Object({ cores: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024, description: `default ${d.cores}` })) }, { additionalProperties: false }),
  ),
};

/** POST /v1/projects/{p}/training-jobs. */
export const TrainingJobRequest = Type.Object(
  {
    ...trainFields,
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: `leases that may expire before the job fails (default ${d.maxAttempts})` })),
  },
  { title: 'TrainingJobRequest', additionalProperties: false },
);
export type TrainingJobRequest = Static<typeof TrainingJobRequest>;

/** training_jobs.spec of a train job: the request's fields, the resolved device and dataset version. */
export const TrainJobSpec = Type.Object(
  {
    type: Type.Optional(Type.Literal('train')),
    ...trainFields,
    datasetVersionId: Type.Optional(Type.String({ format: 'uuid', description: 'the dataset version the gateway resolved at submit' })),
  },
  { additionalProperties: false },
);
export type TrainJobSpec = Static<typeof TrainJobSpec>;

/** A blessing-gate threshold of an evaluation (empty gate: the primary metric may not regress vs production). */
export const GateThreshold = Type.Object(
  {
    metric: Type.String({ minLength: 1, maxLength: 100 }),
    direction: Type.Union([Type.Literal('higher_is_better'), Type.Literal('lower_is_better')]),
    minAbsolute: Type.Optional(Type.Number({ description: 'a floor (higher_is_better) or ceiling (lower_is_better) on the candidate' })),
    maxRegression: Type.Optional(Type.Number({ minimum: 0, description: 'allowed absolute worsening vs the baseline' })),
    maxRelativeRegression: Type.Optional(Type.Number({ minimum: 0, description: 'allowed worsening as a fraction of the baseline' })),
  },
  { title: 'GateThreshold', additionalProperties: false },
);
export type GateThreshold = Static<typeof GateThreshold>;

/** training_jobs.spec of an on-demand evaluation of a registered version (queued by the gateway). */
export const EvaluateJobSpec = Type.Object(
  {
    type: Type.Literal('evaluate'),
    modelVersionId: Type.String({ format: 'uuid' }),
    /** Absent or null: the training run's holdout split (from the version's lineage). */
    datasetVersionId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    sliceColumn: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
    /** null: the label the version was trained with. */
    labelColumn: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
    gate: Type.Optional(Type.Array(GateThreshold)),
    /** The evaluation row this job fills, when the gateway created it first. */
    evaluationId: Type.Optional(Type.String({ format: 'uuid' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
    resources: Type.Optional(Type.Object({ cores: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type EvaluateJobSpec = Static<typeof EvaluateJobSpec>;

export type JobSpec = TrainJobSpec | EvaluateJobSpec | BatchPredictJobSpec;

export function isEvaluateSpec(spec: { type?: unknown }): spec is EvaluateJobSpec {
  return spec.type === 'evaluate';
}

// ── Batch predictions (spec.type 'batch_predict') ─────────────────────────────────────────────────

/** What a batch prediction writes per row, beside the passthrough columns. */
export const BATCH_PREDICTION_OUTPUTS = ['prediction', 'probabilities', 'class'] as const;
export type BatchPredictionOutput = (typeof BATCH_PREDICTION_OUTPUTS)[number];

/** Rows scored per forward pass (and per progress step); the default and the bounds. */
export const BATCH_PREDICTION_CHUNK_ROWS = { default: 8192, min: 64, max: 262_144 } as const;

const ColumnName = Type.String({ minLength: 1, maxLength: 200 });

/** POST /v1/projects/{p}/models/{name}/batch-predictions. */
export const BatchPredictionRequest = Type.Object(
  {
    version: Type.Optional(VersionNumber({ description: 'the model version to score with (or alias)' })),
    alias: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'an alias of the model (e.g. production), resolved at submit' })),
    input: Type.Object({ dataset: ResourceName, version: VersionNumber() }, { additionalProperties: false, description: 'the dataset version to score' }),
    output: Type.Object(
      { dataset: ResourceName },
      { additionalProperties: false, description: 'the dataset the predictions become the next version of (created when missing), in the same project' },
    ),
    passthroughColumns: Type.Optional(
      Type.Array(ColumnName, { maxItems: 1000, uniqueItems: true, description: 'input columns copied to the output as they are (ids, keys); default none' }),
    ),
    outputs: Type.Optional(
      Type.Array(literalUnion(BATCH_PREDICTION_OUTPUTS), {
        minItems: 1,
        uniqueItems: true,
        description:
          "what to write per row: 'probabilities' (binary: probability; multiclass: probability_<class> per class), 'class' (predicted_class), " +
          "'prediction' (regression: prediction; other tasks: score). Default: probabilities + class for classifiers, prediction otherwise",
      }),
    ),
    chunkRows: Type.Optional(
      Int32({
        minimum: BATCH_PREDICTION_CHUNK_ROWS.min,
        maximum: BATCH_PREDICTION_CHUNK_ROWS.max,
        description: `rows per forward pass (default ${BATCH_PREDICTION_CHUNK_ROWS.default}); memory is bounded by this, not by the dataset`,
      }),
    ),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: `leases that may expire before the job fails (default ${d.maxAttempts})` })),
  },
  { title: 'BatchPredictionRequest', additionalProperties: false },
);
export type BatchPredictionRequest = Static<typeof BatchPredictionRequest>;

/** training_jobs.spec of a batch prediction: everything resolved by the gateway at submit. */
export const BatchPredictJobSpec = Type.Object(
  {
    type: Type.Literal('batch_predict'),
    modelVersionId: Type.String({ format: 'uuid' }),
    modelVersion: VersionNumber(),
    alias: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    input: Type.Object(
      { dataset: ResourceName, version: VersionNumber(), versionId: Type.String({ format: 'uuid' }), rows: Type.Integer({ minimum: 0, description: "the version's row count" }) },
      { additionalProperties: false },
    ),
    output: Type.Object({ dataset: ResourceName }, { additionalProperties: false }),
    passthroughColumns: Type.Array(ColumnName),
    outputs: Type.Array(literalUnion(BATCH_PREDICTION_OUTPUTS), { minItems: 1 }),
    chunkRows: Int32({ minimum: BATCH_PREDICTION_CHUNK_ROWS.min, maximum: BATCH_PREDICTION_CHUNK_ROWS.max }),
    resources: Type.Optional(Type.Object({ cores: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type BatchPredictJobSpec = Static<typeof BatchPredictJobSpec>;

export function isBatchPredictSpec(spec: { type?: unknown }): spec is BatchPredictJobSpec {
  return spec.type === 'batch_predict';
}

/** The output columns a model writes for `outputs`, in order; `classes`: the label's classes (multiclass / binary), else null. */
export function batchPredictionColumns(task: string | null, outputs: readonly BatchPredictionOutput[], classes: readonly string[] | null, width: number): string[] {
  const cols: string[] = [];
  for (const o of outputs) {
    if (o === 'prediction') cols.push(task === 'regression' ? 'prediction' : 'score');
    else if (o === 'probabilities') {
      if (task === 'multiclass') for (let i = 0; i < width; i++) cols.push(`probability_${classes?.[i] ?? i}`);
      else cols.push('probability');
    } else cols.push('predicted_class');
  }
  return cols;
}
