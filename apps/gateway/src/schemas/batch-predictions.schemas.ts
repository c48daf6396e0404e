// Batch predictions over HTTP. The request body is the contracts' (the orchestrator checks the stored
// spec with the same module); here the view, the path and the query parameters.
import { Type } from 'typebox';
import { BATCH_PREDICTION_OUTPUTS, BatchPredictionRequest, JobStatusSchema, literalUnion } from '@atelier/contracts';
import { DateTime, NullableDateTime, ResourceName, Uuid, VersionNumber } from './common.schemas.js';

export const CreateBatchPredictionBody = BatchPredictionRequest;

export const BatchPredictionView = Type.Object(
  {
    id: Uuid,
    project: ResourceName,
    model: ResourceName,
    modelVersion: Type.Integer({ description: 'the version scoring (resolved from the alias at submit)' }),
    modelVersionId: Uuid,
    alias: Type.Union([Type.String(), Type.Null()], { description: 'the alias named at submit, if any' }),
    status: JobStatusSchema,
    input: Type.Object({ dataset: ResourceName, version: Type.Integer(), versionId: Uuid }),
    output: Type.Object({
      dataset: ResourceName,
      version: Type.Union([Type.Integer(), Type.Null()], { description: 'the dataset version written (null until the job succeeds)' }),
      versionId: Type.Union([Uuid, Type.Null()]),
    }),
    passthroughColumns: Type.Array(Type.String()),
    outputs: Type.Array(literalUnion(BATCH_PREDICTION_OUTPUTS)),
    chunkRows: Type.Integer(),
    rowsScored: Type.Integer({ description: 'progress: rows scored so far (the whole input once succeeded)' }),
    totalRows: Type.Integer(),
    attempts: Type.Integer(),
    maxAttempts: Type.Integer(),
    error: Type.Union([Type.String(), Type.Null()]),
    cancelRequestedAt: NullableDateTime,
    worker: Type.Union([Type.String(), Type.Null()]),
    createdAt: DateTime,
    startedAt: NullableDateTime,
    finishedAt: NullableDateTime,
    updatedAt: DateTime,
  },
  { title: 'BatchPredictionView' },
);

export const BatchPredictionParams = Type.Object({ project: ResourceName, name: ResourceName, id: Uuid }, { additionalProperties: false });

export const ListBatchPredictionsQuery = Type.Object(
  {
    status: Type.Optional(JobStatusSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    before: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export { VersionNumber };
