// @atelier/sdk, the browser-safe entry: nothing reachable from here imports node:* (a test bundles it
// for the browser to prove it). Node-only helpers (file uploads, profiles) are in '@atelier/sdk/node'.
export { Atelier, type AtelierOptions, type Instance, type PredictOptions } from './atelier.js';
export { AtelierError, CLIENT_ERROR_CODES, isAtelierError, parseRetryAfter, type AtelierErrorInit, type FieldError, type Problem } from './atelier-error.js';
export type { CallOptions, RetryOptions } from './transport.js';
export { Paged, type Page } from './paging.js';
export { JobHandle, type FinishedJob, type WaitOptions } from './job-handle.js';
export { BatchPredictionHandle } from './batch-prediction-handle.js';
export type { FollowOptions, TrainingJobEvent, TuningJobEvent } from './job-events.js';
export { TuningHandle, TuningResource, type TuningWaitOptions } from './resources/tuning.resource.js';
export { parseServerSentEvents, type ServerSentEvent } from './server-sent-events.js';
export { CONTENT_TYPES, type DatasetFormat, type StreamSource, type UploadProgress, type UploadSource } from './upload-body.js';
export type { ListOptions } from './resources/projects.resource.js';
export type { UploadOptions } from './resources/datasets.resource.js';
export type { PromoteOptions } from './resources/models.resource.js';
export type { ApplyOptions, DeploymentEvent, DeploymentSpec } from './resources/deployments.resource.js';
export type * from './schemas.js';
export type { components, operations, paths, JsonValue as GeneratedJsonValue } from './generated/openapi.js';
