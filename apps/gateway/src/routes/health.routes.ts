// Liveness, readiness and metrics: public, outside /v1, cheap.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Registry } from 'prom-client';

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
  app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: Health } } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: database reachable, migrations done (and every part plugged in ready)',
        response: { 200: Ready, 503: Ready },
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

  app.get('/metrics', { schema: { tags: ['health'], summary: 'Prometheus metrics', hide: false } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
};
