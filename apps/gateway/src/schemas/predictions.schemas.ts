// Predict and rank shapes. Instances are validated against the answering version's signature by the
// serving node (a 400 naming every bad field, e.g. `instances[3].age`); here only the envelope.
import { Type } from 'typebox';
import { Int32, ResourceName, VersionNumber } from './common.schemas.js';
import { AliasName } from './registry.schemas.js';

export const PredictModelParams = Type.Object({ project: ResourceName, name: ResourceName }, { additionalProperties: false });
export const PredictVersionParams = Type.Object(
  { project: ResourceName, name: ResourceName, version: VersionNumber() },
  { additionalProperties: false },
);
export const PredictAliasParams = Type.Object({ project: ResourceName, name: ResourceName, alias: AliasName }, { additionalProperties: false });

/**
 * One feature value: a scalar or a flat array of scalars. Only the JSON kinds are checked here (numbers
 * finite: JSON reads 1e400 as Infinity, which would reach a serving pool over HTTP as null and be
 * imputed); the signature's rules are the serving node's.
 */
const FeatureValue = Type.Unsafe<unknown>({ type: ['number', 'string', 'boolean', 'null', 'array'], items: { type: ['number', 'string', 'boolean', 'null'] } });
const Instance = Type.Record(Type.String(), FeatureValue, { description: 'named feature values of one row' });
const common = {
  featureViews: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 32, description: "online feature views for entityKeys (default: the deployment's)" })),
  requestId: Type.Optional(Type.String({ maxLength: 200, description: 'echoed in the response and the prediction log' })),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000, description: "deadline for this request (default: the deployment's batching.timeoutMs)" })),
};

export const PredictBody = Type.Object(
  {
    instances: Type.Optional(Type.Array(Instance, { minItems: 1, maxItems: 100_000 })),
    entityKeys: Type.Optional(
      Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, maxItems: 1000, description: 'online features are joined in by these keys' }),
    ),
    ...common,
  },
  { additionalProperties: false },
);

export const PredictResponse = Type.Object({
  model: Type.String(),
  version: Type.Integer({ description: 'the version that answered' }),
  deployment: Type.Union([Type.String(), Type.Null()], { description: 'the deployment that routed the request (null: a version or alias was named)' }),
  outputs: Type.Array(Type.String(), { description: 'names of the values per row' }),
  predictions: Type.Array(Type.Unknown(), {
    description: 'one per instance: a number (one output: probability, value or score), or an object of output name → value (e.g. class probabilities)',
  }),
  requestId: Type.Optional(Type.String()),
});

export const RankBody = Type.Object(
  {
    context: Type.Optional(Type.Record(Type.String(), FeatureValue, { description: 'features shared by every candidate (the user, the query…)' })),
    candidates: Type.Array(Instance, { minItems: 1, maxItems: 10_000, description: 'each candidate’s own features; scored with the context in one batch' }),
    topK: Type.Optional(Int32({ minimum: 1, description: 'return only the best k' })),
    ...common,
  },
  { additionalProperties: false },
);

export const RankResponse = Type.Object({
  model: Type.String(),
  version: Type.Integer(),
  deployment: Type.Union([Type.String(), Type.Null()]),
  ranking: Type.Array(Type.Object({ index: Type.Integer({ description: 'position in `candidates`' }), score: Type.Number() }), { description: 'best first' }),
  requestId: Type.Optional(Type.String()),
});
