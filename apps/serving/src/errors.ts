// The serving node's errors: coded (`ATL_*`) with the HTTP status the contracts' catalogue gives each
// code. The gateway turns them into problem+json (with `errors` for validation and `headers` such as Retry-After).
import { ERROR_CODES } from '@atelier/contracts';

export interface ServingFieldError {
  field: string;
  message: string;
}

export class ServingError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly errors?: ServingFieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ServingError';
  }
}

export const ServingErrors = {
  queueFull: (what: string, retryAfterSeconds: number) =>
    new ServingError(
      'ATL_QUEUE_FULL',
      ERROR_CODES.ATL_QUEUE_FULL.status,
      `The request queue of ${what} is full; retry after ${retryAfterSeconds} s or send fewer rows at once.`,
      undefined,
      { 'retry-after': String(retryAfterSeconds) },
    ),
  deadlineExceeded: (what: string, timeoutMs: number) =>
    new ServingError('ATL_DEADLINE_EXCEEDED', ERROR_CODES.ATL_DEADLINE_EXCEEDED.status, `${what} did not start computing within its ${timeoutMs} ms deadline; retry, or raise timeoutMs.`),
  shuttingDown: () =>
    new ServingError('ATL_SHUTTING_DOWN', ERROR_CODES.ATL_SHUTTING_DOWN.status, 'This serving node is shutting down; retry against another node.', undefined, { 'retry-after': '1' }),
  validation: (errors: readonly ServingFieldError[]) =>
    new ServingError('ATL_VALIDATION_FAILED', ERROR_CODES.ATL_VALIDATION_FAILED.status, `The request is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, [...errors]),
  notDeployed: (what: string) =>
    new ServingError('ATL_MODEL_NOT_DEPLOYED', ERROR_CODES.ATL_MODEL_NOT_DEPLOYED.status, `${what} is not served by this serving pool; create or update a deployment that routes to it.`),
  notReady: (what: string) =>
    new ServingError('ATL_MODEL_NOT_READY', ERROR_CODES.ATL_MODEL_NOT_READY.status, `${what} is still loading on this serving node; retry shortly.`, undefined, { 'retry-after': '1' }),
  /** The model has a deployment in this pool that does not answer yet (loading) or was refused (failed). */
  deploymentNotReady: (model: string, d: { deployment: string; revision: number; state: 'progressing' | 'failed'; reason: string }) =>
    new ServingError(
      'ATL_MODEL_NOT_READY',
      ERROR_CODES.ATL_MODEL_NOT_READY.status,
      d.state === 'failed'
        ? `Deployment '${d.deployment}' (revision ${d.revision}) of model '${model}' is failed: ${d.reason}. Fix the deployment (PUT it again) and retry.`
        : `Deployment '${d.deployment}' (revision ${d.revision}) of model '${model}' is progressing: ${d.reason}. Retry shortly, or PUT the deployment with ?wait=ready to wait until it answers.`,
      undefined,
      { 'retry-after': d.state === 'failed' ? '10' : '1' },
    ),
  bundleCorrupt: (what: string, why: string) => new ServingError('ATL_BUNDLE_CORRUPT', ERROR_CODES.ATL_BUNDLE_CORRUPT.status, `The bundle of ${what} was refused: ${why}`),
  featuresUnavailable: () =>
    new ServingError('ATL_FEATURES_UNAVAILABLE', ERROR_CODES.ATL_FEATURES_UNAVAILABLE.status, 'entityKeys were sent, but this serving node has no online feature reader; send instances instead.'),
} as const;
