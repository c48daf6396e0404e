// The gateway's error catalogue. Every error a client can see has a stable code, an HTTP status and a
// message that says what to do next; responses are RFC 9457 problem+json (see plugins/problem-json.ts).
// Which status a code answers is the contracts' catalogue (ERROR_CODES); new codes are added there.
import { statusOfCode } from '@atelier/contracts';

export interface FieldError {
  /** JSON-pointer-like path of the offending field, e.g. `/body/name` or `instances[3].age`. */
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const Errors = {
  unauthenticated: (why: string) =>
    new ApiError(401, 'ATL_UNAUTHENTICATED', `${why}. Send 'Authorization: Bearer <api-key>' with a valid key.`, undefined, {
      'www-authenticate': 'Bearer realm="atelier"',
    }),
  keyRevoked: () =>
    new ApiError(401, 'ATL_API_KEY_REVOKED', 'This API key was revoked. Ask a project admin for a new key.', undefined, {
      'www-authenticate': 'Bearer realm="atelier", error="invalid_token"',
    }),
  keyExpired: () =>
    new ApiError(401, 'ATL_API_KEY_EXPIRED', 'This API key has expired. Ask a project admin for a new key.', undefined, {
      'www-authenticate': 'Bearer realm="atelier", error="invalid_token"',
    }),
  forbidden: (what: string) => new ApiError(403, 'ATL_FORBIDDEN', `Your API key may not ${what}.`),
  validation: (errors: FieldError[]) =>
    new ApiError(400, 'ATL_VALIDATION_FAILED', `The request is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors),
  badRequest: (code: string, message: string, errors?: FieldError[]) => new ApiError(400, code, message, errors),
  notFound: (code: string, message: string) => new ApiError(404, code, message),
  conflict: (code: string, message: string) => new ApiError(409, code, message),
  routeNotFound: (method: string, url: string) =>
    new ApiError(404, 'ATL_ROUTE_NOT_FOUND', `No route ${method} ${url}. See /docs for the API.`),
  notReady: (why: string) => new ApiError(503, 'ATL_NOT_READY', why),
  internal: () => new ApiError(500, 'ATL_INTERNAL', 'Something went wrong on our side; the request id in this response helps us find it.'),
} as const;

/** Catalog (and other packages') coded errors → HTTP status: the contracts' catalogue, else by the code's suffix. */
export function statusForCode(code: string): number | undefined {
  const known = statusOfCode(code);
  if (known !== undefined) return known;
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code.endsWith('_EXISTS') || code.endsWith('_IN_USE') || code.endsWith('_CONFLICT')) return 409;
  if (code.startsWith('ATL_INVALID') || code.endsWith('_INVALID')) return 400;
  return undefined;
}
