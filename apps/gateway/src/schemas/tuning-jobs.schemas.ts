// Tuning jobs over HTTP: the request is the contracts' TuningJobRequest (the orchestrator's controller
// runs the same spec); here the views and the path and query parameters.
import { Type } from 'typebox';
import { JobStatusSchema, TuningJobRequest } from '@atelier/contracts';
import { DateTime, NullableDateTime, ResourceName, Uuid } from './common.schemas.js';
import { TrainingJobView } from './training-jobs.schemas.js';

export const CreateTuningJobBody = TuningJobRequest;

const Json = (description: string) => Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, description });

export const TuningJobView = Type.Object(
  {
    id: Uuid,
    project: ResourceName,
    modelName: Type.String({ description: 'the model the best trial is registered under' }),
    status: JobStatusSchema,
    spec: Json('the stored spec: base (a training spec), searchSpace, strategy, earlyStopping, objective {metric, direction}, maxTrials, parallelism, seed'),
    attempts: Type.Integer({ description: 'how many controllers have claimed the study (more than 1: it was resumed)' }),
    error: Type.Union([Type.String(), Type.Null()]),
    cancelRequestedAt: NullableDateTime,
    bestTrial: Type.Union([Type.Integer(), Type.Null()], { description: 'the best trial so far' }),
    bestObjective: Type.Union([Type.Number(), Type.Null()]),
    modelVersionId: Type.Union([Uuid, Type.Null()], { description: 'succeeded: the version the best trial was registered as' }),
    controller: Type.Union([Type.String(), Type.Null()], { description: 'running: the orchestrator worker driving the study' }),
    trials: Type.Record(Type.String(), Type.Integer(), { description: 'trials by state (queued, running, succeeded, failed, cancelled, stopped)' }),
    createdAt: DateTime,
    startedAt: NullableDateTime,
    finishedAt: NullableDateTime,
    updatedAt: DateTime,
  },
  { title: 'TuningJobView' },
);

export const TrialView = Type.Object(
  {
    trial: Type.Integer({ description: 'the index in the study (0-based)' }),
    state: Type.String({ description: 'queued, running, succeeded, failed, cancelled, or stopped (by ASHA)' }),
    params: Json('the point of the search space: value by spec path'),
    objective: Type.Union([Type.Number(), Type.Null()], { description: 'succeeded: the objective metric on the validation split' }),
    rung: Type.Integer({ description: 'the highest ASHA rung passed (-1: none)' }),
    stop: Type.Union([Json('stopped: {rung, epoch, value, cutoff, competitors}'), Type.Null()]),
    job: TrainingJobView,
  },
  { title: 'TrialView' },
);

export const TuningJobParams = Type.Object({ project: ResourceName, id: Uuid }, { additionalProperties: false });

export const ListTuningJobsQuery = Type.Object(
  {
    status: Type.Optional(JobStatusSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    before: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
