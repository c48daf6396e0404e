// Training jobs over HTTP. The request body, the per-kind hyperparameters and the job statuses are
// the contracts' (the orchestrator checks a claimed spec with the same schemas); here the views and
// the path and query parameters. Hyperparameters are checked per model kind by the service, so an
// unknown key is named with its path instead of drowning in union errors.
import { Type } from 'typebox';
import { JobPlacement, JobStatusSchema, TrainingJobRequest, type ModelKind } from '@atelier/contracts';
import { DateTime, NullableDateTime, ResourceName, Uuid } from './common.schemas.js';

export { FeatureSpec as FeatureSpecBody, HYPERPARAMETERS_BY_KIND, JobStatusSchema, MODEL_KINDS, SplitSpec as SplitBody } from '@atelier/contracts';
export type ModelKindName = ModelKind;
export const CreateTrainingJobBody = TrainingJobRequest;
export type CreateTrainingJobBody = TrainingJobRequest;

export const TrainingJobView = Type.Object({
  id: Uuid,
  project: ResourceName,
  type: Type.String({ description: "'train', 'evaluate' or 'batch_predict' (a batch prediction: see the model's batch-predictions)" }),
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
  metrics: Type.Object(
    {
      placement: Type.Optional({
        ...JobPlacement,
        description: 'a train job, once its worker thread chose the backend: device (cpu|gpu), backend (cuda|native-cpu|cpu), worker; on a GPU its name, memory peak, utilisation and CUDA Graph replays',
      }),
    },
    {
      additionalProperties: true,
      description:
        'while running: epoch, trainLoss, val_* and epochs (per-epoch history; on a GPU each epoch carries gpu memory), placement; when done also test (holdout metrics), validation, rows',
    },
  ),
  modelVersionId: Type.Union([Uuid, Type.Null()]),
  worker: Type.Union([Type.String(), Type.Null()]),
  createdAt: DateTime,
  startedAt: NullableDateTime,
  finishedAt: NullableDateTime,
  updatedAt: DateTime,
  tuningJobId: Type.Union([Uuid, Type.Null()], { description: 'a trial of a tuning job: the study (null otherwise)' }),
  trial: Type.Union([Type.Integer(), Type.Null()], { description: "a trial's index in its study" }),
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
