// Liveness, readiness and metrics: public, outside /v1, cheap.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Registry } from 'prom-client';
import { problemResponse, publicSecurity } from '../schemas/common.schemas.js';

/** Something that must be ready before /readyz says yes (the catalog; later, serving's warm models). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail?: unknown }>;
}

const Health = Type.Object({ status: Type.String() });
const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Record(Type.String(), Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.Unknown()) })),
});

export const healthRoutes: FastifyPluginAsyncTypebox<{ readiness: ReadinessCheck[]; registry: Registry }> = async (
  app,
  { readiness, registry },
) => {
  // 400: what the HTTP edge answers on any route (a bad percent-encoding, a malformed header).
  const edgeProblem = problemResponse(400, 'The request could not be read (malformed URL, request line or headers).');
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['health'],
        operationId: 'getHealth',
        summary: 'Liveness',
        description: 'Answers 200 as long as the process serves HTTP; it checks nothing else. Use it as a liveness probe.',
        security: publicSecurity,
        response: { 200: { ...Health, description: 'The process is alive.' }, 400: edgeProblem },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        operationId: 'getReadiness',
        summary: 'Readiness',
        description: 'Readiness: database reachable, migrations done (and every part plugged in ready). Use it as a readiness probe.',
        security: publicSecurity,
        response: {
          200: { ...Ready, description: 'Every check passed.' },
          400: edgeProblem,
          503: { ...Ready, description: 'At least one check failed; `checks` says which and why.' },
        },
      },
    },
    async (_request, reply) => {
      const results = await Promise.all(
        readiness.map(async (r) => [r.name, await r.check().catch((err: Error) => ({ ok: false, detail: err.message }))] as const),
      );
      const ok = results.every(([, r]) => r.ok);
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        operationId: 'getMetrics',
        summary: 'Prometheus metrics',
        description:
          'The Prometheus text exposition: HTTP requests by method, route pattern and status, their durations, the artifact ' +
          'collector, serving (when this process runs a serving node) and process metrics.',
        security: publicSecurity,
        response: {
          200: {
            description: 'The metrics in the Prometheus text format 0.0.4.',
            content: { 'text/plain': { schema: Type.String({ description: 'Prometheus text exposition format' }) } },
          },
          400: edgeProblem,
        },
      },
    },
    async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
};
