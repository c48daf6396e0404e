// What every Atelier HTTP server does at its edge, in one plugin: strict JSON bodies, Content-Encoding,
// problem+json for the answers Fastify and Node would otherwise write themselves, and a drain on close.
// Server options go to Fastify() (httpEdgeServerOptions), the rest is registered (httpEdgePlugin).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { answerUnsupportedExpectations, problemClientErrorHandler } from './client-error.js';
import { ConnectionDrain } from './connection-drain.js';
import { decodeContentEncoding } from './content-encoding.js';
import { fastifyClientError } from './fastify-errors.js';
import { useStrictJsonParser } from './json-body.js';
import { HttpEdgeError, PROBLEM_CONTENT_TYPE, problemBody } from './problem.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Aborted when the server starts shutting down: long-lived responses (SSE) end on it. */
    shutdownSignal: AbortSignal;
  }
}

/** Send a problem+json answer for an edge error (also where the app's error handler does not run). */
function sendEdgeProblem(request: FastifyRequest, reply: FastifyReply, error: HttpEdgeError): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  return reply
    .code(error.statusCode)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemBody({ status: error.statusCode, code: error.code, detail: error.message, instance: request.url, requestId: request.id }));
}

/** Options for Fastify(): problem+json from Node's parser and from Fastify's router; the drain answers 503s. */
export function httpEdgeServerOptions(): Pick<FastifyServerOptions, 'clientErrorHandler' | 'frameworkErrors' | 'return503OnClosing'> {
  return {
    clientErrorHandler: problemClientErrorHandler,
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      sendEdgeProblem(request, reply, fastifyClientError(error) ?? new HttpEdgeError(400, 'ATL_BAD_REQUEST', 'The request could not be routed.')),
    // Fastify's own 503 while closing is plain JSON without Retry-After; the onRequest hook below answers instead.
    return503OnClosing: false,
  };
}

export const httpEdgePlugin = fp(async (app: FastifyInstance) => {
  const drain = new ConnectionDrain(app.server);
  app.decorate('shutdownSignal', drain.signal);
  answerUnsupportedExpectations(app.server);
  useStrictJsonParser(app);
  app.addHook('onRequest', (request, reply, done) => {
    if (!drain.draining) return done();
    reply.header('connection', 'close');
    done(new HttpEdgeError(503, 'ATL_SHUTTING_DOWN', 'This server is shutting down; retry the request (another replica, or this one once it is back).', { 'retry-after': '1' }));
  });
  app.addHook('preParsing', async (request, _reply, payload) => decodeContentEncoding(request.raw, payload));
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (drain.draining) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('preClose', async () => {
    await drain.drain();
  });
});
