// Open Inference Protocol v2 (KServe / Triton REST) next to Atelier's own predict. v2 paths carry no
// project, so each project has its own base URL, `/v1/projects/{project}/oip`: under it the protocol's
// layout is unchanged (`/v2/models/{name}/infer`…), so a KServe or Triton client given that base URL
// and a Bearer key works as is; auth and permissions are predict's (any key that may read the project).
// `/v2/health/live|ready` are also served at the root, public, for probes. Errors are problem+json that
// also carry the protocol's `error` member.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog } from '@atelier/catalog';
import { PROBLEM_CONTENT_TYPE, parseJsonBody, problemBody } from '@atelier/http-edge';
import { Type, type TSchema } from 'typebox';
import { API_VERSION } from '../app.js';
import { ApiError, Errors } from '../errors.js';
import { toApiError } from '../plugins/problem-json.js';
import { bearerSecurity, publicSecurity } from '../schemas/common.schemas.js';
import {
  InferRequest,
  InferResponse,
  ModelMetadata,
  ModelReady,
  OipModelParams,
  OipProblem,
  OipProjectParams,
  OipVersionParams,
  ServerLive,
  ServerMetadata,
  ServerReady,
  type InferRequestT,
} from '../schemas/inference-v2.schemas.js';
import { InferenceV2Service } from '../services/inference-v2.service.js';
import { ProjectCache } from '../services/project-cache.js';
import type { ProjectsService } from '../services/projects.service.js';
import type { PredictionBackend } from './predictions.routes.js';

/** The per-project base URL a KServe or Triton client is given. */
export const OIP_BASE = '/v1/projects/:project/oip';
const BINARY_HEADER = 'inference-header-content-length';
const OCTET = 'application/octet-stream';

const problems = <T extends Record<number, TSchema>>(responses: T) => ({ ...responses, 400: OipProblem, 401: OipProblem, 403: OipProblem, 404: OipProblem, 415: OipProblem });

function sendOipProblem(request: FastifyRequest, reply: FastifyReply, error: ApiError, extra: Record<string, unknown> = {}) {
  const body = problemBody({ status: error.statusCode, detail: error.message, code: error.code, instance: request.url, requestId: request.id, errors: error.errors });
  if (error.headers) reply.headers(error.headers);
  return reply
    .code(error.statusCode)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...body, error: error.message, ...extra });
}

export const inferenceV2Routes: FastifyPluginAsyncTypebox<{ backend: PredictionBackend; projects: ProjectsService; catalog: Catalog; artifacts: ArtifactStore }> = async (
  app,
  { backend, projects, catalog, artifacts },
) => {
  const service = new InferenceV2Service(catalog, new ProjectCache(projects), backend, artifacts);
  /** The bytes after the JSON header of a binary-data request, by request. */
  const binaryOf = new WeakMap<FastifyRequest, Buffer>();

  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.statusCode >= 500 && apiError.code !== 'ATL_SHUTTING_DOWN') request.log.error({ err: error }, 'request failed');
    return sendOipProblem(request, reply, apiError);
  });

  // A binary-data request is a JSON header followed by tensor bytes, whatever media type the client
  // names; a JSON request without Content-Type is JSON (the protocol names none).
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.method !== 'POST') return done();
    if (request.headers[BINARY_HEADER] !== undefined) request.headers['content-type'] = OCTET;
    else if (request.headers['content-type'] === undefined) request.headers['content-type'] = 'application/json';
    const type = String(request.headers['content-type']).split(';')[0].trim().toLowerCase();
    if (type !== 'application/json' && type !== OCTET) {
      return done(new ApiError(415, 'ATL_UNSUPPORTED_MEDIA_TYPE', `Send the inference request as application/json, or as binary tensor data (a JSON header of Inference-Header-Content-Length bytes, then the tensors); got '${type}'.`));
    }
    done();
  });
  app.addContentTypeParser(OCTET, { parseAs: 'buffer' }, (request, raw, done) => {
    const body = raw as Buffer;
    const given = request.headers[BINARY_HEADER];
    let headerBytes = body.length;
    if (given !== undefined) {
      headerBytes = /^\d{1,15}$/.test(String(given)) ? Number(given) : NaN;
      if (!(headerBytes > 0 && headerBytes <= body.length)) {
        done(Errors.validation([{ field: `/headers/${BINARY_HEADER}`, message: `must be the JSON header's length in bytes, 1…${body.length} (the body's length); got '${String(given)}'` }]), undefined);
        return;
      }
    }
    try {
      const header = parseJsonBody(body.subarray(0, headerBytes));
      binaryOf.set(request, body.subarray(headerBytes));
      done(null, header);
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  const live = { live: true };
  const notReady = (request: FastifyRequest, reply: FastifyReply, code: string, message: string, extra: Record<string, unknown>) =>
    sendOipProblem(request, reply, new ApiError(503, code, message, undefined, { 'retry-after': '1' }), { ...extra, ready: false });
  const serverReady = async (request: FastifyRequest, reply: FastifyReply, project?: string) => {
    if (await service.serverReady(project ? request.principal : null, project)) return { ready: true };
    return notReady(request, reply, 'ATL_NOT_READY', 'The serving pool has not loaded every deployment yet (or one failed to load: see GET /readyz); retry shortly.', {});
  };

  // ── public probes at the root ─────────────────────────────────────────────────────────────────
  const probe = { tags: ['inference-v2'], security: publicSecurity };
  app.get('/v2/health/live', { schema: { ...probe, operationId: 'oipServerLivePublic', summary: 'Open Inference Protocol: server live (public)', response: { 200: ServerLive, 400: OipProblem } } }, async () => live);
  app.get(
    '/v2/health/ready',
    { schema: { ...probe, operationId: 'oipServerReadyPublic', summary: 'Open Inference Protocol: server ready, every deployment loaded (public)', response: { 200: ServerReady, 400: OipProblem, 503: OipProblem } } },
    (request, reply) => serverReady(request, reply),
  );

  // ── the protocol under a project's base URL ───────────────────────────────────────────────────
  const common = { tags: ['inference-v2'], security: bearerSecurity };
  app.get(
    `${OIP_BASE}/v2`,
    { schema: { ...common, operationId: 'oipServerMetadata', summary: 'Open Inference Protocol: server metadata', params: OipProjectParams, response: problems({ 200: ServerMetadata }) } },
    async (request) => {
      await service.project(request.principal, request.params.project);
      return { name: 'atelier', version: API_VERSION, extensions: ['binary_tensor_data'] };
    },
  );
  app.get(
    `${OIP_BASE}/v2/health/live`,
    { schema: { ...common, operationId: 'oipServerLive', summary: 'Open Inference Protocol: server live', params: OipProjectParams, response: problems({ 200: ServerLive }) } },
    async (request) => {
      await service.project(request.principal, request.params.project);
      return live;
    },
  );
  app.get(
    `${OIP_BASE}/v2/health/ready`,
    { schema: { ...common, operationId: 'oipServerReady', summary: 'Open Inference Protocol: server ready', params: OipProjectParams, response: problems({ 200: ServerReady, 503: OipProblem }) } },
    (request, reply) => serverReady(request, reply, request.params.project),
  );

  const metadataDescription =
    "A v2 model is an Atelier model with a deployment in this project. `versions` lists the deployed versions; inputs and outputs come from the version's signature (the model's: the routed version with the most weight), batch dimension first (-1).";
  app.get(
    `${OIP_BASE}/v2/models/:name`,
    { schema: { ...common, operationId: 'oipModelMetadata', summary: 'Open Inference Protocol: model metadata', description: metadataDescription, params: OipModelParams, response: problems({ 200: ModelMetadata }) } },
    (request) => service.metadata(request.principal, request.params.project, request.params.name),
  );
  app.get(
    `${OIP_BASE}/v2/models/:name/versions/:version`,
    { schema: { ...common, operationId: 'oipModelVersionMetadata', summary: 'Open Inference Protocol: model version metadata', description: metadataDescription, params: OipVersionParams, response: problems({ 200: ModelMetadata }) } },
    (request) => service.metadata(request.principal, request.params.project, request.params.name, request.params.version),
  );

  const readyHandler = async (request: FastifyRequest<{ Params: { project: string; name: string; version?: number } }>, reply: FastifyReply) => {
    const { project, name, version } = request.params;
    if (await service.ready(request.principal, project, name, version)) return { name, ready: true };
    const what = version !== undefined ? `Version ${version} of model '${name}'` : `Model '${name}'`;
    return notReady(request, reply, 'ATL_MODEL_NOT_READY', `${what} is not loaded on the serving pool yet (or failed to load: see GET /readyz); retry shortly.`, { name });
  };
  const readyDescription = "200 when the serving pool has loaded the deployment's routed versions (or the named version); 503 with Retry-After while they load.";
  app.get(
    `${OIP_BASE}/v2/models/:name/ready`,
    { schema: { ...common, operationId: 'oipModelReady', summary: 'Open Inference Protocol: model ready', description: readyDescription, params: OipModelParams, response: problems({ 200: ModelReady, 503: OipProblem }) } },
    readyHandler,
  );
  app.get(
    `${OIP_BASE}/v2/models/:name/versions/:version/ready`,
    { schema: { ...common, operationId: 'oipModelVersionReady', summary: 'Open Inference Protocol: model version ready', description: readyDescription, params: OipVersionParams, response: problems({ 200: ModelReady, 503: OipProblem }) } },
    readyHandler,
  );

  const inferSchema = {
    ...common,
    description:
      'Input tensors (named as the signature\'s inputs, batch dimension first; `data` flat or nested, or binary with parameters.binary_data_size after a JSON header of Inference-Header-Content-Length bytes) become instances for the same path as /predict; outputs come back as tensors, binary when parameters.binary_data (or binary_data_output) asks. `id` is echoed.',
    body: {
      content: {
        'application/json': { schema: InferRequest },
        [OCTET]: { schema: InferRequest, description: 'the JSON header (Inference-Header-Content-Length bytes), then the binary tensor data in input order' },
      },
    },
    response: problems({
      200: {
        content: {
          'application/json': { schema: InferResponse },
          [OCTET]: { schema: Type.String({ format: 'binary', description: 'the JSON response header (Inference-Header-Content-Length bytes), then the binary outputs in order' }) },
        },
      } as unknown as TSchema,
      503: OipProblem,
      504: OipProblem,
    }),
  };
  const infer = async (request: FastifyRequest<{ Params: { project: string; name: string; version?: number } }>, reply: FastifyReply) => {
    const { project, name, version } = request.params;
    const result = await service.infer(request.principal, project, name, version, request.body as InferRequestT, binaryOf.get(request), request.id);
    if (result.binary.length === 0) return reply.type('application/json').send(result.header);
    const header = Buffer.from(JSON.stringify(result.header));
    return reply
      .header(BINARY_HEADER, String(header.length))
      .type(OCTET)
      .send(Buffer.concat([header, ...result.binary]));
  };
  app.post(`${OIP_BASE}/v2/models/:name/infer`, { schema: { ...inferSchema, operationId: 'oipInfer', summary: "Open Inference Protocol: infer with the model's deployment", params: OipModelParams } }, infer);
  app.post(`${OIP_BASE}/v2/models/:name/versions/:version/infer`, { schema: { ...inferSchema, operationId: 'oipInferWithVersion', summary: 'Open Inference Protocol: infer with one deployed version', params: OipVersionParams } }, infer);
};
