// Postgres LISTEN/NOTIFY channels between processes: the writer NOTIFYs after its transaction, the
// listeners wake (a periodic reconcile or poll stays the safety net). Payloads are ids, never state.
export const NOTIFY_CHANNELS = {
  /** A training job was queued: idle orchestrator workers claim at once. Payload: the job id. */
  trainingJobs: 'atelier_training_jobs',
  /** A running job was asked to stop: the worker holding it cancels. Payload: the job id. */
  trainingCancel: 'atelier_training_cancel',
  /** A tuning job was queued or asked to stop: orchestrator tuning controllers look at once. Payload: the tuning job id. */
  tuningJobs: 'atelier_tuning_jobs',
  /** A deployment changed (created, updated, rolled back, deleted) or an alias it may route through moved: serving nodes reconcile. Payload: a DeploymentNotice as JSON. */
  deployments: 'atelier_deployments',
  /** An API key was revoked: every gateway drops it from its cache. Payload: the key id. */
  apiKeyRevocations: 'atelier_api_key_revocations',
} as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[keyof typeof NOTIFY_CHANNELS];

/** The payload of NOTIFY_CHANNELS.deployments: a deployment's new revision (null: it was deleted), or an alias move. */
export type DeploymentNotice =
  | { deploymentId: string; projectId: string; revision: number | null }
  | { modelId: string; projectId: string; alias: string };
