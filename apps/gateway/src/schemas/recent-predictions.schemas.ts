import { Type } from 'typebox';

export const RecentPredictionView = Type.Object(
  {
    ts: Type.String({ format: 'date-time', description: 'when the serving node answered' }),
    version: Type.Integer({ description: 'the model version that answered' }),
    deployment: Type.Union([Type.String(), Type.Null()], { description: 'the deployment it went through (null: called by version or alias)' }),
    shadow: Type.Boolean({ description: 'a shadow answer (not returned to the caller)' }),
    requestId: Type.Union([Type.String(), Type.Null()]),
    latencyMs: Type.Number({ description: "the model's time for the batch it was in" }),
    inputs: Type.Unknown({ description: 'the instances of the request, as sent' }),
    outputs: Type.Unknown({ description: 'the predictions answered for them, in order' }),
  },
  { title: 'RecentPredictionView', description: 'One sampled predict request: its instances and answers.' },
);

export const RecentPredictionsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
);
