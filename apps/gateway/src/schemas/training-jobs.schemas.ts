// Training jobs over HTTP. The body schema is the single source for validation, types and OpenAPI;
// hyperparameters are checked per model kind (HYPERPARAMETERS_BY_KIND, additionalProperties false)
// by the service, so an unknown key is named with its path instead of drowning in union errors.
import { Type, type Static, type TSchema } from 'typebox';
import { DateTime, Int32, NullableDateTime, ResourceName, Uuid, VersionNumber } from './common.schemas.js';

export const MODEL_KINDS = ['linear', 'logistic', 'softmax', 'mlp', 'wide_deep', 'two_tower'] as const;
export type ModelKindName = (typeof MODEL_KINDS)[number];

const PosInt = (description?: string) => Int32({ minimum: 1, ...(description && { description }) });
const Fraction = Type.Number({ minimum: 0, maximum: 1 });

export const FeatureSpecBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'a column of the dataset version' }),
    type: Type.Union([Type.Literal('numeric'), Type.Literal('categorical')]),
    transform: Type.Union(
      [Type.Literal('standardize'), Type.Literal('minmax'), Type.Literal('bucketize'), Type.Literal('none'), Type.Literal('vocabulary'), Type.Literal('hash')],
      { description: 'numeric: standardize | minmax | bucketize | none; categorical: vocabulary | hash' },
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

const Fractions = Type.Object({ train: Fraction, validation: Fraction, test: Fraction }, { additionalProperties: false });

export const SplitBody = Type.Union([
  Type.Object(
    { method: Type.Literal('random'), fractions: Type.Optional(Fractions), seed: Type.Optional(Int32({ minimum: 0 })) },
    { additionalProperties: false },
  ),
  Type.Object({ method: Type.Literal('time'), fractions: Type.Optional(Fractions), timeColumn: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
]);

const Tower = {
  hiddenUnits: Type.Optional(Type.Array(Int32({ minimum: 1, maximum: 16384 }), { minItems: 1, maxItems: 8, description: 'units per hidden layer: at most 8 layers of 16384; the whole model is capped by ATELIER_MAX_MODEL_PARAMETERS' })),
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

/** Per model kind, the hyperparameters it accepts; anything else is an error naming the key. */
export const HYPERPARAMETERS_BY_KIND: Record<ModelKindName, TSchema> = {
  linear: Type.Object({ ...Regression, ...EmbeddingDim }, { additionalProperties: false }),
  logistic: Type.Object({ ...EmbeddingDim }, { additionalProperties: false }),
  softmax: Type.Object({ ...EmbeddingDim }, { additionalProperties: false }),
  mlp: Type.Object(
    { task: Type.Optional(Type.Union([Type.Literal('binary'), Type.Literal('multiclass'), Type.Literal('regression')])), ...Tower, ...Regression, ...EmbeddingDim },
    { additionalProperties: false },
  ),
  wide_deep: Type.Object(
    {
      task: Type.Optional(Type.Union([Type.Literal('binary'), Type.Literal('multiclass'), Type.Literal('regression')])),
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
};

export const CreateTrainingJobBody = Type.Object(
  {
    modelName: ResourceName,
    data: Type.Object(
      { dataset: ResourceName, version: VersionNumber() },
      { additionalProperties: false, description: 'a dataset version (a feature-store training set is one too)' },
    ),
    label: Type.Optional(Type.String({ minLength: 1, description: 'the label column (required except for two_tower)' })),
    features: Type.Array(FeatureSpecBody, { minItems: 1, maxItems: 1000 }),
    model: Type.Object(
      {
        kind: Type.Union(MODEL_KINDS.map((k) => Type.Literal(k))),
        hyperparameters: Type.Optional(
          Type.Record(Type.String(), Type.Unknown(), {
            description:
              'per kind: linear {loss, huberDelta, embeddingDim}; logistic/softmax {embeddingDim}; mlp {task, hiddenUnits, activation, dropout, normalization, loss, huberDelta, embeddingDim}; ' +
              'wide_deep {…mlp, wideFeatures}; two_tower {userFeatures, itemFeatures, outputDim, temperature, normalize, hiddenUnits, activation, dropout, normalization, embeddingDim}',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    split: Type.Optional(SplitBody),
    device: Type.Optional(Type.Union([Type.Literal('cpu'), Type.Literal('gpu'), Type.Literal('auto')], { description: 'default auto' })),
    maxEpochs: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10000,
        description: 'default: enough epochs for ~2000 optimizer steps (10 to 300), with early stopping on validation loss',
      }),
    ),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'default 128' })),
    optimizer: Type.Optional(
      Type.Object(
        {
          kind: Type.Union([Type.Literal('sgd'), Type.Literal('adam'), Type.Literal('adamw'), Type.Literal('adagrad')]),
          lr: Type.Number({ exclusiveMinimum: 0 }),
          l2: Type.Optional(Type.Number({ minimum: 0 })),
          clipNorm: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
        },
        { additionalProperties: false, description: 'default adam, lr 0.01' },
      ),
    ),
    earlyStopping: Type.Optional(
      Type.Object(
        {
          metric: Type.Optional(Type.String({ description: 'val_loss (default) or a task metric: auc, accuracy, log_loss, f1, rmse, mae, r2…' })),
          patience: Int32({ minimum: 1, maximum: 10000 }),
          minDelta: Type.Optional(Type.Number({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, description: 'default 0' })),
    resources: Type.Optional(Type.Object({ cores: Type.Optional(Type.Integer({ minimum: 1, maximum: 1024 })) }, { additionalProperties: false })),
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'leases that may expire before the job fails (default 3)' })),
  },
  { additionalProperties: false },
);
export type CreateTrainingJobBody = Static<typeof CreateTrainingJobBody>;

export const JobStatusSchema = Type.Union(['queued', 'running', 'succeeded', 'failed', 'cancelled'].map((s) => Type.Literal(s)), { title: 'JobStatus' });

export const TrainingJobView = Type.Object({
  id: Uuid,
  project: ResourceName,
  type: Type.String({ description: "'train' or 'evaluate'" }),
  modelName: Type.String(),
  status: JobStatusSchema,
  device: Type.String(),
  spec: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, description: 'the stored spec, with defaults' }),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  waitingReason: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  cancelRequestedAt: NullableDateTime,
  checkpointEpoch: Type.Union([Type.Integer(), Type.Null()]),
  metrics: Type.Unsafe<Record<string, unknown>>({
    type: 'object',
    additionalProperties: true,
    description: 'while running: epoch, trainLoss, val_* and epochs (per-epoch history); when done also test (holdout metrics), validation, rows',
  }),
  modelVersionId: Type.Union([Uuid, Type.Null()]),
  worker: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
  startedAt: NullableDateTime,
  finishedAt: NullableDateTime,
  updatedAt: DateTime,
}, { title: 'TrainingJobView' });

export const TrainingJobParams = Type.Object({ project: ResourceName, id: Uuid }, { additionalProperties: false });

export const ListTrainingJobsQuery = Type.Object(
  {
    status: Type.Optional(JobStatusSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    before: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
