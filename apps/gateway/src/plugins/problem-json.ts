// Every error leaves as RFC 9457 problem+json with a stable code. Validation errors list every bad
// field. Nothing internal (stack, SQL) reaches the client; 5xx are logged with the request id.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { PROBLEM_CONTENT_TYPE, fastifyClientError, problemBody, validationFieldErrors } from '@atelier/http-edge';
import { ApiError, Errors, statusForCode, type FieldError } from '../errors.js';

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const e = error as FastifyError & { code?: string; details?: unknown };
  if (e?.validation) return Errors.validation(validationFieldErrors(e));
  const edge = fastifyClientError(e);
  if (edge) return new ApiError(edge.statusCode, edge.code, edge.message, undefined, edge.headers);
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
  const body = problemBody({
    status: error.statusCode,
    detail: error.message,
    code: error.code,
    instance: request.url,
    requestId: request.id,
    errors: error.errors,
  });
  if (error.headers) reply.headers(error.headers);
  return reply.code(error.statusCode).type(PROBLEM_CONTENT_TYPE).send(body);
}

export const problemJsonPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    // A 503 while draining is the shutdown working, not a failure.
    if (apiError.statusCode >= 500 && apiError.code !== 'ATL_SHUTTING_DOWN') request.log.error({ err: error }, 'request failed');
    return sendProblem(request, reply, apiError);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, Errors.routeNotFound(request.method, request.url)));
});
