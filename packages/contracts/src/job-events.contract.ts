// Training job events: what the orchestrator (and the gateway, for queued/cancelled) appends to a
// job's event log, and what GET …/training-jobs/{id}/events streams as SSE (`id: <n>`, `event: <type>`,
// `data: <payload + at>`). The payloads are open objects: new fields may appear, none disappear.
import { Type, type Static } from 'typebox';
import { literalUnion } from './model-tasks.contract.js';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const JobStatusSchema = literalUnion(JOB_STATUSES);

export const JOB_EVENT_TYPES = ['state', 'metric', 'log'] as const;
export type JobEventType = (typeof JOB_EVENT_TYPES)[number];

/** A status change; the terminal ones carry the outcome. */
export const JobStateEvent = Type.Object(
  {
    status: JobStatusSchema,
    waitingReason: Type.Optional(Type.String({ description: 'queued: why no worker can take it yet' })),
    error: Type.Optional(Type.String({ description: 'failed / cancelled: why' })),
    attempt: Type.Optional(Type.Integer({ description: 'running: the lease attempt' })),
    worker: Type.Optional(Type.String({ description: 'running: the worker holding the lease' })),
    resumedFromEpoch: Type.Optional(Type.Integer({ description: 'running: resumed after this checkpointed epoch' })),
    modelVersionId: Type.Optional(Type.String({ description: 'succeeded (train): the registered version' })),
    modelVersion: Type.Optional(Type.Integer()),
    evaluationId: Type.Optional(Type.String({ description: 'succeeded (evaluate): the evaluation row' })),
    verdict: Type.Optional(Type.String({ description: 'succeeded (evaluate): the blessing gate’s verdict' })),
    metrics: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'succeeded: the holdout (or evaluation) metrics' })),
    outputDatasetVersionId: Type.Optional(Type.String({ description: 'succeeded (batch_predict): the dataset version the predictions became' })),
    outputDataset: Type.Optional(Type.String({ description: 'succeeded (batch_predict): its dataset' })),
    outputVersion: Type.Optional(Type.Integer({ description: 'succeeded (batch_predict): its version number' })),
    rowsScored: Type.Optional(Type.Integer({ description: 'succeeded (batch_predict): rows scored' })),
  },
  { additionalProperties: true },
);
export type JobStateEvent = Static<typeof JobStateEvent>;

/** One epoch: its number, the training loss and the validation metrics (val loss and the task's). */
export const JobMetricEvent = Type.Object(
  { epoch: Type.Integer({ minimum: 1 }), trainLoss: Type.Optional(Type.Number()) },
  { additionalProperties: Type.Unknown(), description: 'plus one number per validation metric' },
);
export type JobMetricEvent = { epoch: number; trainLoss?: number } & Record<string, unknown>;

export const JobLogEvent = Type.Object(
  { level: Type.Union([Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')]), message: Type.String() },
  { additionalProperties: false },
);
export type JobLogEvent = Static<typeof JobLogEvent>;

/** The payload of each event type, as appended to the log. */
export interface JobEventPayloads {
  state: JobStateEvent;
  metric: JobMetricEvent;
  log: JobLogEvent;
}

/** The SSE stream's last event when the server shuts down (no id: it is not a job event). */
export const JOB_STREAM_SHUTDOWN_EVENT = 'shutdown';
