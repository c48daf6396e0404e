// Predict and rank: the request envelope both the gateway and the serving node validate with (the
// same schema objects, so one set of limits), and the responses the serving node answers. Instances
// are checked against the answering version's signature by the serving node, not here.
import { Type, type Static } from 'typebox';
import { Int32 } from './scalars.contract.js';

/** One set of limits for every process that accepts a predict or rank request. */
export const PREDICT_LIMITS = {
  /** Rows of one predict request. */
  maxInstances: 100_000,
  /** Entity keys of one predict request: each is an online-store lookup. */
  maxEntityKeys: 1_000,
  /** Online feature views joined for entityKeys. */
  maxFeatureViews: 32,
  /** Candidates of one rank request (scored in one batch). */
  maxCandidates: 10_000,
  maxRequestIdLength: 200,
  /** Per-request deadline, ms. */
  maxTimeoutMs: 600_000,
  /** Rows of one predict request with `explain: true` (TreeSHAP costs trees × leaves × depth² per row). */
  maxExplainInstances: 1_000,
} as const;

/**
 * One feature value: a scalar or a flat array of scalars. Only the JSON kinds are checked here (numbers
 * finite: JSON reads 1e400 as Infinity, which would reach a serving pool over HTTP as null and be
 * imputed); the signature's rules are the serving node's.
 */
export const FeatureValue = Type.Unsafe<unknown>({ type: ['number', 'string', 'boolean', 'null', 'array'], items: { type: ['number', 'string', 'boolean', 'null'] } });
export const Instance = Type.Record(Type.String(), FeatureValue, { description: 'named feature values of one row' });

const common = {
  featureViews: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), { maxItems: PREDICT_LIMITS.maxFeatureViews, description: "online feature views for entityKeys (default: the deployment's)" }),
  ),
  requestId: Type.Optional(Type.String({ maxLength: PREDICT_LIMITS.maxRequestIdLength, description: 'echoed in the response and the prediction log' })),
  timeoutMs: Type.Optional(
    Type.Integer({ minimum: 1, maximum: PREDICT_LIMITS.maxTimeoutMs, description: "deadline for this request (default: the deployment's batching.timeoutMs)" }),
  ),
};

export const PredictRequest = Type.Object(
  {
    instances: Type.Optional(Type.Array(Instance, { minItems: 1, maxItems: PREDICT_LIMITS.maxInstances })),
    entityKeys: Type.Optional(
      Type.Array(Type.Record(Type.String(), Type.Unknown()), {
        minItems: 1,
        maxItems: PREDICT_LIMITS.maxEntityKeys,
        description: 'online features are joined in by these keys',
      }),
    ),
    explain: Type.Optional(
      Type.Boolean({
        description: `also return each instance's feature contributions (TreeSHAP, in the model's raw margin: log-odds for binary); gbdt models only, at most ${PREDICT_LIMITS.maxExplainInstances} instances`,
      }),
    ),
    ...common,
  },
  { title: 'PredictRequest', additionalProperties: false },
);
export type PredictRequest = Static<typeof PredictRequest>;

/** One answer: a number (one output: probability, value or score), or output name → value. */
export type Prediction = number | Record<string, number>;

export const PredictResponse = Type.Object({
  model: Type.String(),
  version: Type.Integer({ description: 'the version that answered' }),
  deployment: Type.Union([Type.String(), Type.Null()], { description: 'the deployment that routed the request (null: a version or alias was named)' }),
  outputs: Type.Array(Type.String(), { description: 'names of the values per row' }),
  predictions: Type.Array(Type.Unknown(), {
    description: 'one per instance: a number (one output: probability, value or score), or an object of output name → value (e.g. class probabilities)',
  }),
  requestId: Type.Optional(
    Type.String({ description: "the request's id: the requestId sent, else the gateway's x-request-id; labels for model monitoring are keyed by it" }),
  ),
  contributions: Type.Optional(
    Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      description:
        'with explain: one per instance, feature → contribution to the raw margin, plus `__bias` (the expected margin); they sum to the margin. Multiclass: output name → such an object',
    }),
  ),
}, { title: 'PredictResponse' });
/** One instance's contributions: feature → value (+ `__bias`), or per output name for multiclass. */
export type Contribution = Record<string, number> | Record<string, Record<string, number>>;
export type PredictResponse = Omit<Static<typeof PredictResponse>, 'predictions' | 'contributions'> & { predictions: Prediction[]; contributions?: Contribution[] };

export const RankRequest = Type.Object(
  {
    context: Type.Optional(Type.Record(Type.String(), FeatureValue, { description: 'features shared by every candidate (the user, the query…)' })),
    candidates: Type.Array(Instance, {
      minItems: 1,
      maxItems: PREDICT_LIMITS.maxCandidates,
      description: 'each candidate’s own features; scored with the context in one batch',
    }),
    topK: Type.Optional(Int32({ minimum: 1, description: 'return only the best k' })),
    ...common,
  },
  { title: 'RankRequest', additionalProperties: false },
);
export type RankRequest = Static<typeof RankRequest>;

export const RankResponse = Type.Object({
  model: Type.String(),
  version: Type.Integer(),
  deployment: Type.Union([Type.String(), Type.Null()]),
  ranking: Type.Array(Type.Object({ index: Type.Integer({ description: 'position in `candidates`' }), score: Type.Number() }), { description: 'best first' }),
  requestId: Type.Optional(Type.String()),
}, { title: 'RankResponse' });
export type RankResponse = Static<typeof RankResponse>;
