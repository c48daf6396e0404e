// The serving node's own HTTP listener (the standalone `atelier-server serving` process): the same
// predict routes as the gateway, for the gateway to proxy to (ATELIER_SERVING_URL) inside the cluster.
// The gateway checks API keys and permissions before proxying; this port only checks that the caller
// is a gateway: with ATELIER_SERVING_TOKEN set, every /v1 route requires `Authorization: Bearer
// <token>` (compared in constant time). Without it the port is open: keep it cluster-internal.
// Bodies are validated with the contracts' predict and rank schemas, compiled and reported exactly as
// the gateway does (@atelier/http-edge), so a request the gateway refuses is refused here the same way.
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import {
  HttpEdgeError,
  PROBLEM_CONTENT_TYPE,
  createValidatorCompiler,
  fastifyClientError,
  httpEdgePlugin,
  httpEdgeServerOptions,
  problemBody,
  validationDetail,
  validationFieldErrors,
} from '@atelier/http-edge';
import type { Catalog } from '@atelier/catalog';
import { PredictRequest as PredictBody, RankRequest as RankBody } from '@atelier/contracts';
import { ServingError } from './errors.js';
import type { PredictRequest, ServingNode } from './serving-node.js';
import type { ServingConfig } from './serving.config.js';

export async function startServingServer(
  node: ServingNode,
  catalog: Catalog,
  config: Pick<ServingConfig, 'port' | 'host'> & Partial<Pick<ServingConfig, 'token'>>,
): Promise<{ app: FastifyInstance; url: string; close(): Promise<void> }> {
  // The same edge as the gateway: problem+json for every answer, strict UTF-8 JSON, Content-Encoding, drain on close.
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024, forceCloseConnections: 'idle', ...httpEdgeServerOptions() });
  await app.register(httpEdgePlugin);
  app.setValidatorCompiler(createValidatorCompiler());
  const projects = new Map<string, { id: string; until: number }>();
  const projectId = async (name: string): Promise<string> => {
    const hit = projects.get(name);
    if (hit && hit.until > Date.now()) return hit.id;
    const p = await catalog.projects.findByName(name);
    if (!p) throw new ServingError('ATL_PROJECT_NOT_FOUND', 404, `Project '${name}' does not exist.`);
    projects.set(name, { id: p.id, until: Date.now() + 5000 });
    return p.id;
  };
  app.setErrorHandler((error, request, reply) => {
    const e = error as FastifyError;
    const edge = e instanceof HttpEdgeError ? e : fastifyClientError(e);
    let status = 500;
    let code = 'ATL_INTERNAL';
    let detail = 'Something went wrong on our side.';
    let errors;
    if (e instanceof ServingError || edge) {
      const coded = (edge ?? e) as ServingError | HttpEdgeError;
      ({ statusCode: status, code, message: detail } = coded);
      if (coded instanceof ServingError) errors = coded.errors;
      if (coded.headers) reply.headers(coded.headers);
    } else if (e.validation) {
      errors = validationFieldErrors(e);
      status = 400;
      code = 'ATL_VALIDATION_FAILED';
      detail = validationDetail(errors);
    } else if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      status = e.statusCode;
      code = 'ATL_BAD_REQUEST';
      detail = e.message;
    }
    return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(problemBody({ status, code, detail, instance: request.url, requestId: request.id, errors }));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(problemBody({ status: 404, code: 'ATL_ROUTE_NOT_FOUND', detail: `No route ${request.method} ${request.url} on this serving node.`, instance: request.url, requestId: request.id })),
  );
  if (config.token) {
    const expected = Buffer.from(`Bearer ${config.token}`);
    app.addHook('onRequest', (request, _reply, done) => {
      if (!request.url.startsWith('/v1/')) return done();
      const given = Buffer.from(request.headers.authorization ?? '');
      if (given.length === expected.length && timingSafeEqual(given, expected)) return done();
      done(new ServingError('ATL_UNAUTHENTICATED', 401, 'This serving node answers gateways only: send the pool token (ATELIER_SERVING_TOKEN) as a Bearer token.'));
    });
  }
  type P = { project: string; name: string; version?: string; alias?: string };
  const predict = (target: (p: P) => PredictRequest['target']) => async (request: { params: unknown; body: unknown }) => {
    const p = request.params as P;
    return node.predict({ ...(request.body as PredictBody), projectId: await projectId(p.project), model: p.name, target: target(p) });
  };
  const base = '/v1/projects/:project/models/:name';
  app.post(`${base}/predict`, { schema: { body: PredictBody } }, predict(() => undefined));
  app.post(`${base}/versions/:version/predict`, { schema: { body: PredictBody } }, predict((p) => ({ version: Number(p.version) })));
  app.post(`${base}/aliases/:alias/predict`, { schema: { body: PredictBody } }, predict((p) => ({ alias: p.alias! })));
  app.post(`${base}/rank`, { schema: { body: RankBody } }, async (request) => {
    const p = request.params as P;
    return node.rank({ ...(request.body as RankBody), projectId: await projectId(p.project), model: p.name });
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const s = node.status();
    return reply.code(s.ready ? 200 : 503).send({ status: s.ready ? 'ready' : 'not_ready', serving: s });
  });
  app.get('/metrics', async (_req, reply) => reply.type(node.registry.contentType).send(await node.registry.metrics()));
  await app.listen({ port: config.port ?? 0, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
