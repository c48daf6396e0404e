// Versions of a model. Externally trained models are registered in two steps, so the signature never
// has to fit in a header and a refused file never creates a row:
//   1. POST …/models/{name}/uploads   body: the .onnx file (application/octet-stream), streamed into
//      artifacts under a server-chosen id (uploads/models/<projectId>/<modelId>/<uploadId>), size-limited
//      as it arrives, then loaded by ONNX Runtime → { uploadId, sha256, size, inputs, outputs }
//   2. POST …/models/{name}/versions  { format: 'onnx', uploadId, signature, metrics?, lineage? } → the
//      upload id is resolved inside this project and model only (no client-sent storage key anywhere);
//      the signature is checked against the graph, the bytes move to their content-addressed key, then
//      the version row is written. Responses name bundles by their download route, never by key.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import { ApiError } from '../errors.js';
import { BinaryFile, NoContent, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { ModelParams, RegisterVersionBody, UploadView, VersionList, VersionPageQuery, VersionParams, VersionView } from '../schemas/registry.schemas.js';
import type { ModelOnnxExportService } from '../services/model-onnx-export.service.js';
import type { ModelRegistryService, VersionDetails } from '../services/model-registry.service.js';

/** A version as clients see it: the bundle by its download route, never by its storage key. */
function view(project: string, v: VersionDetails) {
  return {
    id: v.id,
    model: v.modelName,
    version: v.version,
    format: v.format,
    bundle: { sha256: v.bundleSha256, size: v.bundleSize, url: `/v1/projects/${project}/models/${v.modelName}/versions/${v.version}/bundle` },
    signature: v.signature,
    metrics: v.metrics,
    lineage: v.lineage,
    aliases: v.aliases,
    latestEvaluation: v.latestEvaluation,
    createdAt: v.createdAt,
    createdBy: v.createdBy,
  };
}

export const modelVersionsRoutes: FastifyPluginAsyncTypebox<{ registry: ModelRegistryService; onnxExport: ModelOnnxExportService }> = async (app, { registry, onnxExport }) => {
  // ONNX uploads arrive as raw bytes; the handler streams them into artifacts (this plugin's scope only).
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.post(
    '/v1/projects/:project/models/:name/uploads',
    {
      schema: {
        tags: ['models'],
        operationId: 'uploadModelFile',
        summary: 'Upload an ONNX file (editor): step 1 of registering an externally trained model',
        description:
          'Send the .onnx file as the body with Content-Type: application/octet-stream. It is streamed into artifact storage ' +
          '(413 past the size limit, before anything is read when Content-Length says so), then ONNX Runtime must load it: ' +
          '422 ATL_INVALID_ONNX names why not (unknown operators, external data files, truncated or foreign bytes) and nothing ' +
          'is kept. The answer lists the graph\'s inputs and outputs. Then register it with POST …/versions { format: "onnx", uploadId, signature }.',
        security: bearerSecurity,
        params: ModelParams,
        body: { content: { 'application/octet-stream': { schema: BinaryFile('The .onnx file (a serialized ONNX ModelProto).') } } },
        response: withProblems({
          201: { ...UploadView, description: 'Stored and loadable: the upload id to register, its hash and size, the graph\'s inputs and outputs.' },
          413: Type.Ref('Problem'),
          415: Type.Ref('Problem'),
          422: Type.Ref('Problem'),
        }),
      },
    },
    async (request, reply) => {
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== 'function') {
        throw new ApiError(415, 'ATL_UNSUPPORTED_MEDIA_TYPE', 'Send the ONNX file as the body with Content-Type: application/octet-stream.');
      }
      try {
        const declared = request.headers['content-length'] === undefined ? undefined : Number(request.headers['content-length']);
        const uploaded = await registry.upload(request.principal, request.params.project, request.params.name, body, Number.isFinite(declared) ? declared : undefined);
        return reply.code(201).send(uploaded);
      } catch (err) {
        // Refused before the body was read to the end (too large, no permission): discard the
        // rest so the client can read the answer instead of failing to write into a closed request.
        body.resume();
        throw err;
      }
    },
  );

  app.post(
    '/v1/projects/:project/models/:name/versions',
    {
      schema: {
        tags: ['models'],
        operationId: 'registerModelVersion',
        summary: 'Register an uploaded ONNX file as a new version (editor): step 2',
        description:
          'uploadId is an id POST …/uploads of this model returned; ids of other models or projects are not found (404). The ' +
          'signature must fit the graph (400 names each field that does not); a file ONNX Runtime cannot load is refused with 422.',
        security: bearerSecurity,
        params: ModelParams,
        body: RegisterVersionBody,
        response: withProblems({ 201: { ...VersionView, description: 'The new version; Location names it.' }, 413: Type.Ref('Problem'), 422: Type.Ref('Problem') }),
      },
    },
    async (request, reply) => {
      const created = await registry.registerVersion(request.principal, request.params.project, request.params.name, request.body);
      return reply
        .code(201)
        .header('location', `/v1/projects/${request.params.project}/models/${created.modelName}/versions/${created.version}`)
        .send(view(request.params.project, created));
    },
  );

  app.get(
    '/v1/projects/:project/models/:name/versions',
    {
      schema: {
        tags: ['models'],
        operationId: 'listModelVersions',
        summary: 'List model versions',
        description: "List a model's versions, newest first",
        security: bearerSecurity,
        params: ModelParams,
        querystring: VersionPageQuery,
        response: withProblems({ 200: { ...VersionList, description: 'A page of versions, newest first; `next` is the cursor for the following page.' } }),
      },
    },
    async (request) => {
      const { items, next } = await registry.listVersions(request.principal, request.params.project, request.params.name, {
        limit: request.query.limit ?? 50,
        before: request.query.before,
      });
      return { items: items.map((v) => view(request.params.project, v)), next };
    },
  );

  app.get(
    '/v1/projects/:project/models/:name/versions/:version',
    {
      schema: {
        tags: ['models'],
        operationId: 'getModelVersion',
        summary: 'Get a model version',
        description: 'Get a version: bundle hash and size, format, signature, metrics, lineage, aliases, latest evaluation verdict',
        security: bearerSecurity,
        params: VersionParams,
        response: withProblems({ 200: { ...VersionView, description: 'The version.' } }),
      },
    },
    async (request) => {
      const { project, name, version } = request.params;
      return view(project, await registry.getVersion(request.principal, project, name, version));
    },
  );

  app.get(
    '/v1/projects/:project/models/:name/versions/:version/bundle',
    {
      schema: {
        tags: ['models'],
        operationId: 'downloadModelBundle',
        summary: 'Download a model bundle',
        description: "Download a version's bundle (ONNX file or Atelier bundle), streamed; the ETag is its SHA-256",
        security: bearerSecurity,
        params: VersionParams,
        response: withProblems({
          200: {
            description: 'The bundle\'s bytes: an ONNX file (application/onnx) or an Atelier bundle (application/vnd.atelier.model-bundle); ETag and X-Atelier-SHA256 are its SHA-256.',
            content: {
              'application/onnx': { schema: BinaryFile('An ONNX model (registered from an upload).') },
              'application/vnd.atelier.model-bundle': { schema: BinaryFile('An Atelier model bundle (trained by Atelier).') },
              'application/octet-stream': { schema: BinaryFile('A bundle stored without a known media type.') },
            },
          },
          304: NoContent('If-None-Match matched: not modified'),
        }),
      },
    },
    async (request, reply) => {
      const { project, name, version } = request.params;
      const bundle = await registry.downloadBundle(request.principal, project, name, version);
      const etag = `"${bundle.sha256}"`;
      // Revalidate with the ETag (the content hash) rather than trusting the URL: a version number can be
      // given again once every version of a model was deleted.
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      const ifNoneMatch = request.headers['if-none-match'];
      if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
        bundle.stream.destroy();
        return reply.code(304).send();
      }
      return reply
        .header('content-type', bundle.contentType)
        .header('content-length', String(bundle.size))
        .header('content-disposition', `attachment; filename="${bundle.fileName}"`)
        .header('x-atelier-sha256', bundle.sha256)
        .send(bundle.stream);
    },
  );

  app.get(
    '/v1/projects/:project/models/:name/versions/:version/onnx',
    {
      schema: {
        tags: ['models'],
        operationId: 'downloadModelOnnx',
        summary: 'Download an engine-trained version as one ONNX graph',
        description:
          "The version's bundle exported to ONNX (opset 17 + ai.onnx.ml): its preprocessing and model in one graph whose inputs are " +
          'the raw feature columns (numbers float [N,1] with NaN for missing; strings [N,1] with "" for missing; integer-coded ' +
          'categoricals double [N,1]) and whose outputs are what predict returns. Generated from the stored bundle on each request; ' +
          'the ETag is stable for a version. 409 ATL_ONNX_EXPORT_NOT_APPLICABLE for a version uploaded as ONNX (download its bundle); ' +
          '422 ATL_ONNX_EXPORT_UNSUPPORTED names each feature or layer ONNX cannot compute exactly (hashed categoricals).',
        security: bearerSecurity,
        params: VersionParams,
        response: withProblems({
          200: {
            description: 'The ONNX model (a serialized ModelProto); ETag identifies the export.',
            content: { 'application/onnx': { schema: BinaryFile('An ONNX model exported from the Atelier bundle.') } },
          },
          304: NoContent('If-None-Match matched: not modified'),
          409: Type.Ref('Problem'),
          422: Type.Ref('Problem'),
        }),
      },
    },
    async (request, reply) => {
      const { project, name, version } = request.params;
      const ifNoneMatch = request.headers['if-none-match'];
      if (ifNoneMatch) {
        const etag = await onnxExport.etag(request.principal, project, name, version);
        if (ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return reply.header('etag', etag).code(304).send();
      }
      const file = await onnxExport.export(request.principal, project, name, version);
      return reply
        .header('etag', file.etag)
        .header('cache-control', 'private, no-cache')
        .header('content-type', 'application/onnx')
        .header('content-length', String(file.bytes.length))
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
    },
  );

  app.delete(
    '/v1/projects/:project/models/:name/versions/:version',
    {
      schema: {
        tags: ['models'],
        operationId: 'deleteModelVersion',
        summary: 'Delete a model version',
        description: 'Delete a version no alias or deployment uses (editor); its bundle bytes go too unless another version shares them',
        security: bearerSecurity,
        params: VersionParams,
        response: withProblems({ 204: NoContent('Deleted.') }),
      },
    },
    async (request, reply) => {
      const { project, name, version } = request.params;
      await registry.deleteVersion(request.principal, project, name, version);
      return reply.code(204).send();
    },
  );
};
