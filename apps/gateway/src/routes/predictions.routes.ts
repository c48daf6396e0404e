// Predict and rank. The gateway does not compute: it authenticates, resolves the project and hands
// the request to a PredictionBackend — in the all-in-one process the serving node itself (wired by
// the launcher through `predictionsExtension`), in a cluster `HttpPredictionBackend`, which proxies
// to a serving pool's Service (ATELIER_SERVING_URL). The gateway never imports the serving app.
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Project } from '@atelier/catalog';
import type { PredictRequest as PredictRequestBody, PredictResponse as PredictAnswer, RankRequest as RankRequestBody, RankResponse as RankAnswer } from '@atelier/contracts';
import { Type } from 'typebox';
import type { GatewayExtension } from '../app.js';
import type { Principal } from '../auth/principal.js';
import { ApiError, Errors, type FieldError } from '../errors.js';
import { bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { PredictAliasParams, PredictBody, PredictModelParams, PredictResponse, PredictVersionParams, RankBody, RankResponse } from '../schemas/predictions.schemas.js';
import { ProjectCache } from '../services/project-cache.js';
import type { ServingView } from '../services/inference-v2.service.js';
import { inferenceV2Routes } from './inference-v2.routes.js';
import type { ProjectsService } from '../services/projects.service.js';

/** Where a call goes: the caller's project (id and name) and the model. */
interface BackendAddress {
  projectId: string;
  projectName: string;
  model: string;
}

// Bodies and answers are the contracts' (the serving node validates the same schemas).
export type BackendPredictRequest = BackendAddress & { target?: { version: number } | { alias: string } } & PredictRequestBody;
export type BackendPredictResponse = PredictAnswer;
export type BackendRankRequest = BackendAddress & RankRequestBody;
export type BackendRankResponse = RankAnswer;

/**
 * Where predictions are computed. Errors are coded (`code`, `statusCode`, optional `errors` and
 * `headers` such as Retry-After) and reach the client as problem+json.
 */
export interface PredictionBackend {
  predict(req: BackendPredictRequest): Promise<BackendPredictResponse>;
  rank(req: BackendRankRequest): Promise<BackendRankResponse>;
  /** What the pool has loaded (the Open Inference Protocol's ready routes); absent: deployed counts as ready. */
  servingStatus?(): Promise<ServingView>;
}

/** Proxies to a serving node's own listener (`atelier-server serving`), e.g. a pool's Service URL. */
export class HttpPredictionBackend implements PredictionBackend {
  private readonly headers: Record<string, string>;

  /** `token`: the pool's ATELIER_SERVING_TOKEN, sent as a Bearer token on every call. */
  constructor(
    private readonly baseUrl: string,
    token: string | null = null,
  ) {
    this.headers = { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) };
  }

  predict(req: BackendPredictRequest): Promise<BackendPredictResponse> {
    const { projectName, model, target, projectId: _p, ...body } = req;
    const base = `${this.baseUrl}/v1/projects/${encodeURIComponent(projectName)}/models/${encodeURIComponent(model)}`;
    const path = !target ? '/predict' : 'version' in target ? `/versions/${target.version}/predict` : `/aliases/${encodeURIComponent(target.alias)}/predict`;
    return this.post(base + path, body) as Promise<BackendPredictResponse>;
  }

  rank(req: BackendRankRequest): Promise<BackendRankResponse> {
    const { projectName, model, projectId: _p, ...body } = req;
    return this.post(`${this.baseUrl}/v1/projects/${encodeURIComponent(projectName)}/models/${encodeURIComponent(model)}/rank`, body) as Promise<BackendRankResponse>;
  }

  /** The pool's own readiness report (its /readyz body carries the deployments it serves). */
  async servingStatus(): Promise<ServingView> {
    const res = await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { serving?: ServingView };
    return { ready: res.ok && body.serving?.ready === true, deployments: body.serving?.deployments ?? [] };
  }

  /**
   * One call to the pool, sent again (at most 3 more times, 50/100/200 ms apart) only when the connection
   * failed before any byte of an answer arrived: refused (no node got it) or reset/closed by the peer (the
   * node died or dropped the connection mid-request; the pool's Service sends the next try to another
   * node, and the pause lets a node that is still dying stop accepting). Predict and rank change nothing
   * but observability records (a sampled prediction-log line, monitoring counts), so computing again a
   * request whose node died is harmless. An answer that arrived, even an error, is never sent again.
   */
  private async post(url: string, body: unknown): Promise<unknown> {
    let res: Response | undefined;
    const text = JSON.stringify(body);
    for (let attempt = 1; res === undefined; attempt++) {
      try {
        res = await fetch(url, { method: 'POST', headers: this.headers, body: text });
      } catch (err) {
        if (attempt < 4 && connectionLost(err)) {
          await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
          continue;
        }
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        const why = cause?.code ?? cause?.message;
        throw new ApiError(503, 'ATL_SERVING_UNAVAILABLE', `The serving pool at ${this.baseUrl} did not answer (${(err as Error).message}${why ? `: ${why}` : ''}); retry shortly.`, undefined, { 'retry-after': '1' });
      }
    }
    const json = (await res.json().catch(() => null)) as { code?: string; detail?: string; errors?: FieldError[] } | null;
    if (res.ok) return json;
    const retry = res.headers.get('retry-after');
    throw new ApiError(
      res.status,
      json?.code ?? 'ATL_SERVING_FAILED',
      json?.detail ?? `The serving pool answered ${res.status}.`,
      json?.errors,
      retry ? { 'retry-after': retry } : undefined,
    );
  }
}

const LOST_CONNECTION = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/** fetch failed because the connection was refused or lost before an answer (its `cause` carries the code). */
function connectionLost(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } }).cause;
  return err instanceof TypeError && typeof cause?.code === 'string' && LOST_CONNECTION.has(cause.code);
}

export const predictionsRoutes: FastifyPluginAsyncTypebox<{ backend: PredictionBackend; projects: ProjectsService }> = async (app, { backend, projects }) => {
  const cache = new ProjectCache(projects);
  type Body = { instances?: Array<Record<string, unknown>>; entityKeys?: Array<Record<string, unknown>>; featureViews?: string[]; requestId?: string; timeoutMs?: number; explain?: boolean };
  // A request that names no requestId gets the gateway's (its x-request-id): labels for model monitoring are keyed by it.
  const predict = (project: Project, model: string, body: Body, target: BackendPredictRequest['target'], requestId: string) => {
    const req: BackendPredictRequest = { projectId: project.id, projectName: project.name, model, instances: body.instances, entityKeys: body.entityKeys };
    if (body.featureViews !== undefined) req.featureViews = body.featureViews;
    req.requestId = body.requestId ?? requestId;
    if (body.timeoutMs !== undefined) req.timeoutMs = body.timeoutMs;
    if (body.explain) req.explain = true;
    if (target) req.target = target;
    // A backend error (coded ATL_*, with status, field errors, headers) becomes problem+json in the error handler.
    return backend.predict(req);
  };
  // Not async: with the project cached (the common case) the request reaches the backend in this call.
  const run = (principal: Principal, p: { project: string; name: string }, body: Body, requestId: string, target?: BackendPredictRequest['target']): Promise<BackendPredictResponse> => {
    if (!body.instances && !body.entityKeys) {
      return Promise.reject(Errors.validation([{ field: '/body/instances', message: 'is required (or send entityKeys to predict from online features)' }]));
    }
    let project: Project | undefined;
    try {
      project = cache.cached(principal, p.project);
    } catch (err) {
      return Promise.reject(err);
    }
    if (project) return predict(project, p.name, body, target, requestId);
    return cache.get(principal, p.project).then((found) => predict(found, p.name, body, target, requestId));
  };
  const description =
    'Instances (named feature values) and/or entityKeys (online features joined in) are validated against the answering ' +
    "version's signature: a 400 names every bad field (`instances[3].age`). Requests are batched with others (dynamic " +
    'batching); a full queue answers 503 ATL_QUEUE_FULL with Retry-After, a missed deadline 504 ATL_DEADLINE_EXCEEDED.';
  const responses = withProblems({
    200: { ...PredictResponse, description: 'One prediction per instance, in order, with the version and deployment that answered.' },
    503: Type.Ref('Problem'),
    504: Type.Ref('Problem'),
  });

  app.post(
    '/v1/projects/:project/models/:name/predict',
    {
      schema: {
        tags: ['predictions'],
        operationId: 'predict',
        summary: "Predict with the model's deployment (weighted routes; shadows get a copy)",
        description,
        security: bearerSecurity,
        params: PredictModelParams,
        body: { ...PredictBody, examples: [{ instances: [{ age: 42, income: 61000, city: 'paris' }] }] },
        response: responses,
      },
    },
    (request) => run(request.principal, request.params, request.body, request.id),
  );

  app.post(
    '/v1/projects/:project/models/:name/versions/:version/predict',
    {
      schema: {
        tags: ['predictions'],
        operationId: 'predictWithVersion',
        summary: 'Predict with one deployed version',
        description,
        security: bearerSecurity,
        params: PredictVersionParams,
        body: { ...PredictBody, examples: [{ instances: [{ age: 42, income: 61000, city: 'paris' }] }] },
        response: responses,
      },
    },
    (request) => run(request.principal, request.params, request.body, request.id, { version: request.params.version }),
  );

  app.post(
    '/v1/projects/:project/models/:name/aliases/:alias/predict',
    {
      schema: {
        tags: ['predictions'],
        operationId: 'predictWithAlias',
        summary: 'Predict with the version an alias points at (it must be deployed)',
        description,
        security: bearerSecurity,
        params: PredictAliasParams,
        body: { ...PredictBody, examples: [{ instances: [{ age: 42, income: 61000, city: 'paris' }] }] },
        response: responses,
      },
    },
    (request) => run(request.principal, request.params, request.body, request.id, { alias: request.params.alias }),
  );

  app.post(
    '/v1/projects/:project/models/:name/rank',
    {
      schema: {
        tags: ['predictions'],
        operationId: 'rank',
        summary: 'Rank candidates',
        description: 'Score a context with N candidates in one batch; best first (top-k)',
        security: bearerSecurity,
        params: PredictModelParams,
        body: RankBody,
        response: withProblems({ 200: { ...RankResponse, description: 'Candidates by score, best first (the top k).' }, 503: Type.Ref('Problem'), 504: Type.Ref('Problem') }),
      },
    },
    async (request) => {
      const project = await cache.get(request.principal, request.params.project);
      return backend.rank({ ...request.body, projectId: project.id, projectName: project.name, model: request.params.name });
    },
  );
};

/** The gateway extension that adds the predict routes over `backend` (registered by the launcher). */
export function predictionsExtension(backend: PredictionBackend): GatewayExtension {
  return async (app: FastifyInstance, services) => {
    await app.register(predictionsRoutes as never, { backend, projects: services.projects });
    await app.register(inferenceV2Routes, { backend, projects: services.projects, catalog: services.catalog, artifacts: services.artifacts });
  };
}
