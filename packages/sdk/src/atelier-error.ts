// Every failure the SDK reports is an AtelierError: an HTTP error carries the problem+json body's
// stable `code`, its title/detail, the field errors of a validation failure and the request id; the
// client's own failures use codes of the same shape (status 0) so callers switch on `code` alone.
import type { components } from './generated/openapi.js';

export type Problem = components['schemas']['Problem'];
export interface FieldError {
  field: string;
  message: string;
}

/**
 * Codes the SDK itself produces, status 0 (the gateway's codes come from its problem+json bodies).
 * The same list as CLIENT_CODES in @atelier/contracts (not imported: it would pull TypeBox into browsers).
 */
export const CLIENT_ERROR_CODES = {
  network: 'ATL_NETWORK',
  timeout: 'ATL_TIMEOUT',
  aborted: 'ATL_ABORTED',
  badResponse: 'ATL_BAD_RESPONSE',
  jobFailed: 'ATL_JOB_FAILED',
  jobCancelled: 'ATL_JOB_CANCELLED',
  deploymentNotReady: 'ATL_DEPLOYMENT_NOT_READY',
  noProject: 'ATL_NO_PROJECT',
  config: 'ATL_CONFIG',
  fileUnreadable: 'ATL_FILE_UNREADABLE',
} as const;

export interface AtelierErrorInit {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
  retryAfterMs?: number;
  cause?: unknown;
  problem?: Problem;
}

export class AtelierError extends Error {
  /** HTTP status; 0 when no response came (network, timeout, abort) or for a client-side outcome. */
  readonly status: number;
  /** Stable code: the problem+json `code` (e.g. ATL_MODEL_NOT_FOUND) or one of CLIENT_ERROR_CODES. */
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  /** Validation: every offending field. */
  readonly errors: FieldError[];
  /** The gateway's request id (problem `requestId` or the x-request-id header), to quote in a bug report. */
  readonly requestId: string | undefined;
  /** How long the server asked to wait (Retry-After), when it did. */
  readonly retryAfterMs: number | undefined;
  /** The whole problem+json body, when there was one. */
  readonly problem: Problem | undefined;

  constructor(init: AtelierErrorInit) {
    const detail = init.detail ?? '';
    const fields = init.errors?.length ? ` (${init.errors.map((e) => `${e.field}: ${e.message}`).join('; ')})` : '';
    super(`${init.code}: ${detail || init.title}${fields}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'AtelierError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = detail;
    this.errors = init.errors ?? [];
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.problem = init.problem;
  }
}

export function isAtelierError(value: unknown, code?: string): value is AtelierError {
  return value instanceof AtelierError && (code === undefined || value.code === code);
}

/** Builds the error for a non-2xx response from its (already read) body text. */
export function errorFromResponse(response: Response, bodyText: string): AtelierError {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const headerRequestId = response.headers.get('x-request-id') ?? undefined;
  let body: unknown;
  try {
    body = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    body = undefined;
  }
  if (body && typeof body === 'object' && typeof (body as Problem).code === 'string') {
    const problem = body as Problem;
    return new AtelierError({
      status: response.status,
      code: problem.code,
      title: problem.title ?? response.statusText,
      detail: problem.detail,
      errors: Array.isArray(problem.errors) ? problem.errors : [],
      requestId: problem.requestId ?? headerRequestId,
      retryAfterMs,
      problem,
    });
  }
  // Not problem+json (a proxy's page, the OIP routes' {error}): keep what there is.
  const message = body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : bodyText.slice(0, 500);
  return new AtelierError({
    status: response.status,
    code: `HTTP_${response.status}`,
    title: response.statusText || `HTTP ${response.status}`,
    detail: message,
    requestId: headerRequestId,
    retryAfterMs,
  });
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * What `wait()` throws when a job ends without succeeding: ATL_JOB_CANCELLED or ATL_JOB_FAILED, naming
 * the job (`subject`, e.g. "job 0190… (churn)") and the server's error when there is one.
 */
export function jobEndedError(kind: 'Job' | 'Tuning job', subject: string, status: string, error?: string | null): AtelierError {
  return new AtelierError({
    status: 0,
    code: status === 'cancelled' ? CLIENT_ERROR_CODES.jobCancelled : CLIENT_ERROR_CODES.jobFailed,
    title: `${kind} ${status}`,
    detail: `${subject} ended ${status}${error ? `: ${error}` : ''}`,
  });
}
