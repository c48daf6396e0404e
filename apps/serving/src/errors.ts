// The serving node's error catalogue: coded errors (`ATL_*`) with the HTTP status they map to. The
// gateway turns them into problem+json (with `errors` for validation and `headers` such as Retry-After).
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
      503,
      `The request queue of ${what} is full; retry after ${retryAfterSeconds} s or send fewer rows at once.`,
      undefined,
      { 'retry-after': String(retryAfterSeconds) },
    ),
  deadlineExceeded: (what: string, timeoutMs: number) =>
    new ServingError('ATL_DEADLINE_EXCEEDED', 504, `${what} did not start computing within its ${timeoutMs} ms deadline; retry, or raise timeoutMs.`),
  shuttingDown: () =>
    new ServingError('ATL_SHUTTING_DOWN', 503, 'This serving node is shutting down; retry against another node.', undefined, { 'retry-after': '1' }),
  validation: (errors: readonly ServingFieldError[]) =>
    new ServingError('ATL_VALIDATION_FAILED', 400, `The request is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, [...errors]),
  notDeployed: (what: string) =>
    new ServingError('ATL_MODEL_NOT_DEPLOYED', 404, `${what} is not served by this serving pool; create or update a deployment that routes to it.`),
  notReady: (what: string) =>
    new ServingError('ATL_MODEL_NOT_READY', 503, `${what} is still loading on this serving node; retry shortly.`, undefined, { 'retry-after': '1' }),
  /** The model has a deployment in this pool that does not answer yet (loading) or was refused (failed). */
  deploymentNotReady: (model: string, d: { deployment: string; revision: number; state: 'progressing' | 'failed'; reason: string }) =>
    new ServingError(
      'ATL_MODEL_NOT_READY',
      503,
      d.state === 'failed'
        ? `Deployment '${d.deployment}' (revision ${d.revision}) of model '${model}' is failed: ${d.reason}. Fix the deployment (PUT it again) and retry.`
        : `Deployment '${d.deployment}' (revision ${d.revision}) of model '${model}' is progressing: ${d.reason}. Retry shortly, or PUT the deployment with ?wait=ready to wait until it answers.`,
      undefined,
      { 'retry-after': d.state === 'failed' ? '10' : '1' },
    ),
  bundleCorrupt: (what: string, why: string) => new ServingError('ATL_BUNDLE_CORRUPT', 500, `The bundle of ${what} was refused: ${why}`),
  featuresUnavailable: () =>
    new ServingError('ATL_FEATURES_UNAVAILABLE', 400, 'entityKeys were sent, but this serving node has no online feature reader; send instances instead.'),
} as const;
