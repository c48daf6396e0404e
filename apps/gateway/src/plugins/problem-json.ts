// Every error leaves as RFC 9457 problem+json with a stable code. Validation errors list every bad
// field. Nothing internal (stack, SQL) reaches the client; 5xx are logged with the request id.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, Errors, statusForCode, type FieldError } from '../errors.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Fastify's own error codes → ours, with a message that says what to do. */
const FASTIFY_ERRORS: Record<string, (e: FastifyError) => ApiError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => Errors.badRequest('ATL_MALFORMED_JSON', 'The request body is not valid JSON.'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    Errors.badRequest('ATL_MALFORMED_JSON', "The body is empty but Content-Type is application/json; send a JSON object."),
  FST_ERR_CTP_BODY_TOO_LARGE: (e) =>
    new ApiError(413, 'ATL_BODY_TOO_LARGE', `The request body is larger than this route accepts. ${e.message}`),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new ApiError(415, 'ATL_UNSUPPORTED_MEDIA_TYPE', 'This route does not accept that Content-Type; send application/json.'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    Errors.badRequest('ATL_BAD_CONTENT_LENGTH', 'Content-Length does not match the body that was sent.'),
};

function fieldPath(part: string, instancePath: string, params: Record<string, unknown>): string {
  let path = `/${part}${instancePath}`;
  if (params.missingProperty) path += `/${String(params.missingProperty)}`;
  if (params.additionalProperty) path += `/${String(params.additionalProperty)}`;
  return path;
}

function validationFieldErrors(error: FastifyError): FieldError[] {
  const part = (error as { validationContext?: string }).validationContext ?? 'body';
  return (error.validation ?? []).map((v) => {
    const params = (v.params ?? {}) as Record<string, unknown>;
    let message = v.message ?? 'is invalid';
    if (params.additionalProperty) message = 'is not a known field';
    else if (params.missingProperty) message = 'is required';
    else if (params.allowedValues) message = `must be one of ${(params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    return { field: fieldPath(part, v.instancePath ?? '', params), message };
  });
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const e = error as FastifyError & { code?: string; details?: unknown };
  if (e?.validation) return Errors.validation(validationFieldErrors(e));
  if (e?.code && FASTIFY_ERRORS[e.code]) return FASTIFY_ERRORS[e.code](e);
  // Coded errors from the packages and the serving node keep their status, field errors and headers (Retry-After).
  if (e?.code?.startsWith('ATL_')) {
    const status = (e as { statusCode?: number }).statusCode ?? statusForCode(e.code);
    const coded = e as { errors?: FieldError[]; headers?: Record<string, string> };
    if (status) return new ApiError(status, e.code, e.message, coded.errors, coded.headers);
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new ApiError(e.statusCode, 'ATL_BAD_REQUEST', e.message);
  }
  return Errors.internal();
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  const body: ProblemDetails = {
    type: `https://atelier.dev/problems/${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[error.statusCode] ?? 'Error',
    status: error.statusCode,
    detail: error.message,
    code: error.code,
    instance: request.url,
    requestId: request.id,
    ...(error.errors && { errors: error.errors }),
  };
  if (error.headers) reply.headers(error.headers);
  return reply.code(error.statusCode).type('application/problem+json').send(body);
}

export const problemJsonPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(request, reply, apiError);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, Errors.routeNotFound(request.method, request.url)));
});
