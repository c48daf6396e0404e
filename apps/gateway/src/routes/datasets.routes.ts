// Datasets and their versions. Raw uploads (CSV, JSON Lines, Parquet) are parsed by nothing: the
// content-type parsers registered here (encapsulated in this plugin, so no other route accepts raw
// bodies) hand the request stream to the service, which spools, hashes, validates and stores it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CONTENT_TYPE_OF, UPLOAD_MEDIA_TYPES, type DatasetFileFormat } from '@atelier/feature-store';
import type { Readable } from 'node:stream';
import { Errors, ApiError } from '../errors.js';
import { BinaryFile, PageQuery, ProjectParams, VersionNumber, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import {
  CreateDatasetBody,
  DatasetParams,
  DatasetProfileView,
  DatasetVersionParams,
  DatasetVersionView,
  DatasetView,
  PreviewView,
  RegisterVersionBody,
  UploadQuery,
  UploadResultView,
} from '../schemas/datasets.schemas.js';
import type { DatasetsApiService } from '../services/datasets.service.js';

export interface DatasetsRoutesOptions {
  datasets: DatasetsApiService;
  /** The largest raw upload accepted, in bytes (ATELIER_DATASET_UPLOAD_LIMIT_BYTES). */
  uploadLimitBytes: number;
}

const RAW_MEDIA_TYPES = Object.keys(UPLOAD_MEDIA_TYPES);
/** What POST …/versions accepts: a raw file, or JSON naming an existing version. */
const VERSION_MEDIA_TYPES = [...RAW_MEDIA_TYPES, 'application/json'];

const FILE_OF: Record<DatasetFileFormat, string> = {
  csv: 'a CSV file: UTF-8, a header row, comma-separated',
  jsonl: 'JSON Lines: one JSON object per line, UTF-8',
  parquet: 'an Apache Parquet file',
};
const EXAMPLE_OF: Partial<Record<DatasetFileFormat, string>> = {
  csv: 'id,age,income,city,churned\n1,34.5,52000,paris,0\n2,61,38000,lyon,1\n',
  jsonl: '{"id":1,"age":34.5,"income":52000,"city":"paris","churned":0}\n{"id":2,"age":61,"income":38000,"city":"lyon","churned":1}\n',
};
/** The document's description of each raw media type (octet-stream: any format, named by ?format=). */
const RAW_BODIES = Object.fromEntries(
  RAW_MEDIA_TYPES.map((type) => {
    const format = UPLOAD_MEDIA_TYPES[type];
    const schema = BinaryFile(format ? `The file: ${FILE_OF[format]}.` : 'The file in any accepted format; ?format=csv|jsonl|parquet says which.');
    const example = format && EXAMPLE_OF[format];
    return [type, { schema: example ? { ...schema, examples: [example] } : schema }];
  }),
);
/** What GET …/content answers: the bytes as uploaded, with the format's media type. */
const DOWNLOADS = Object.fromEntries(
  Object.entries(CONTENT_TYPE_OF).map(([format, type]) => [type, { schema: BinaryFile(`The version's bytes when its format is ${format}.`) }]),
);

function mediaTypeOf(header: string | undefined): string {
  return String(header ?? '').split(';')[0].trim().toLowerCase();
}

export const datasetsRoutes: FastifyPluginAsyncTypebox<DatasetsRoutesOptions> = async (app, { datasets, uploadLimitBytes }) => {
  // The body stays a stream: Fastify's bodyLimit only applies to bodies it buffers, so the upload limit
  // is enforced by the service while it reads (and here, up front, from Content-Length). JSON bodies on
  // these routes keep the gateway's JSON limit.
  app.addContentTypeParser(RAW_MEDIA_TYPES, (_request, payload, done) => done(null, payload));

  app.post(
    '/v1/projects/:project/datasets',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'createDataset',
        summary: 'Create a dataset',
        description: 'Create a dataset (editor). Add data with POST …/datasets/{name}/versions.',
        security: bearerSecurity,
        params: ProjectParams,
        body: { ...CreateDatasetBody, examples: [{ name: 'customers', description: 'One row per customer, with the churn label' }] },
        response: withProblems({ 201: { ...DatasetView, description: 'The created dataset; Location names it.' } }),
      },
    },
    async (request, reply) => {
      const created = await datasets.create(request.principal, request.params.project, request.body);
      return reply.code(201).header('location', `/v1/projects/${request.params.project}/datasets/${created.name}`).send(created);
    },
  );

  app.get(
    '/v1/projects/:project/datasets',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'listDatasets',
        summary: 'List datasets',
        description: "List a project's datasets by name",
        security: bearerSecurity,
        params: ProjectParams,
        querystring: PageQuery,
        response: withProblems({ 200: Type.Object({ items: Type.Array(DatasetView) }, { description: 'The project\'s datasets, by name.' }) }),
      },
    },
    async (request) => ({ items: await datasets.list(request.principal, request.params.project, request.query) }),
  );

  app.get(
    '/v1/projects/:project/datasets/:name',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'getDataset',
        summary: 'Get a dataset',
        description: 'A dataset, with its latest version number',
        security: bearerSecurity,
        params: DatasetParams,
        response: withProblems({ 200: { ...DatasetView, description: 'The dataset.' } }),
      },
    },
    async (request) => datasets.get(request.principal, request.params.project, request.params.name),
  );

  app.post(
    '/v1/projects/:project/datasets/:name/versions',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'uploadDatasetVersion',
        summary: 'Add a dataset version',
        description:
          'Add a version (editor): stream the file as the body (Content-Type text/csv, application/x-ndjson or application/jsonl, ' +
          'application/vnd.apache.parquet, or application/octet-stream with ?format=; any other type is a 415), or send JSON ' +
          '{sourceVersionId, schema?} to make a version from the bytes of a version of this project. Optional ?schema= (URL-encoded JSON) ' +
          'declares column types and constraints. A malformed file, a constraint violation or a file over a limit (columns, JSON nesting) ' +
          'is a 422 naming line and column; nothing is registered. Identical bytes return the existing version with 200 and duplicateOf; ' +
          'the same bytes as another format are a 409.',
        security: bearerSecurity,
        params: DatasetParams,
        querystring: UploadQuery,
        body: { content: { ...RAW_BODIES, 'application/json': { schema: RegisterVersionBody } } },
        response: withProblems({
          200: { ...UploadResultView, description: 'These exact bytes are already a version of this dataset: that version, with `duplicateOf`.' },
          201: { ...UploadResultView, description: 'A new version; Location names it.' },
          409: Type.Ref('Problem'),
          413: Type.Ref('Problem'),
          415: Type.Ref('Problem'),
          422: Type.Ref('Problem'),
        }),
      },
      // Before any parser runs: a text/plain body would otherwise arrive parsed as a string, not a stream.
      onRequest: async (request) => {
        const mediaType = mediaTypeOf(request.headers['content-type']);
        if (!VERSION_MEDIA_TYPES.includes(mediaType)) {
          throw new ApiError(
            415,
            'ATL_UNSUPPORTED_MEDIA_TYPE',
            `Content-Type '${mediaType || '(none)'}' is not accepted here. Send the file as ${RAW_MEDIA_TYPES.join(', ')} ` +
              '(octet-stream with ?format=), or application/json naming a version of this project.',
          );
        }
      },
    },
    async (request, reply) => {
      const { project, name } = request.params;
      const mediaType = mediaTypeOf(request.headers['content-type']);
      let result;
      if (mediaType === 'application/json') {
        const body = request.body as { sourceVersionId?: string; artifactKey?: string; format?: DatasetFileFormat; schema?: unknown };
        if ((body.sourceVersionId === undefined) === (body.artifactKey === undefined)) {
          const message = 'send exactly one of sourceVersionId and artifactKey';
          throw Errors.validation([
            { field: '/body/sourceVersionId', message },
            { field: '/body/artifactKey', message },
          ]);
        }
        if (request.query.format && body.format && request.query.format !== body.format) {
          throw Errors.validation([{ field: '/query/format', message: `contradicts /body/format ('${body.format}')` }]);
        }
        if (request.query.schema !== undefined) {
          throw Errors.validation([{ field: '/query/schema', message: 'send the schema in the JSON body when registering from a version' }]);
        }
        result = await datasets.register(request.principal, project, name, { ...body, format: body.format ?? request.query.format });
      } else {
        const stream = request.body as Readable;
        const implied = UPLOAD_MEDIA_TYPES[mediaType];
        const format = request.query.format ?? implied;
        if (!format) {
          stream.resume();
          throw Errors.validation([{ field: '/query/format', message: 'is required with application/octet-stream (csv, jsonl or parquet)' }]);
        }
        if (implied && request.query.format && request.query.format !== implied) {
          stream.resume();
          throw Errors.validation([{ field: '/query/format', message: `contradicts Content-Type ${mediaType} (${implied})` }]);
        }
        const declaredLength = Number(request.headers['content-length']);
        if (Number.isFinite(declaredLength) && declaredLength > uploadLimitBytes) {
          stream.resume();
          throw new ApiError(413, 'ATL_BODY_TOO_LARGE', `The upload is ${declaredLength} bytes; the limit is ${uploadLimitBytes} (ATELIER_DATASET_UPLOAD_LIMIT_BYTES).`);
        }
        result = await datasets.upload(request.principal, project, name, stream, { format, schemaJson: request.query.schema });
      }
      const { version, duplicateOf, created } = result;
      const location = `/v1/projects/${project}/datasets/${name}/versions/${version.version}`;
      return reply
        .code(created ? 201 : 200)
        .header('location', location)
        .send({ ...version, duplicateOf });
    },
  );

  app.get(
    '/v1/projects/:project/datasets/:name/versions',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'listDatasetVersions',
        summary: 'List dataset versions',
        description: "A dataset's versions, newest first, each with its schema evolution",
        security: bearerSecurity,
        params: DatasetParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            beforeVersion: Type.Optional(VersionNumber({ description: 'cursor: versions older than this one' })),
          },
          { additionalProperties: false },
        ),
        response: withProblems({ 200: Type.Object({ items: Type.Array(DatasetVersionView) }, { description: 'Versions, newest first.' }) }),
      },
    },
    async (request) => ({
      items: await datasets.listVersions(request.principal, request.params.project, request.params.name, request.query),
    }),
  );

  app.get(
    '/v1/projects/:project/datasets/:name/versions/:version',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'getDatasetVersion',
        summary: 'Get a dataset version',
        description: "A version's metadata: format, size, hash, row count, schema and its evolution from the version before",
        security: bearerSecurity,
        params: DatasetVersionParams,
        response: withProblems({ 200: { ...DatasetVersionView, description: 'The version.' } }),
      },
    },
    async (request) => datasets.getVersion(request.principal, request.params.project, request.params.name, request.params.version),
  );

  app.get(
    '/v1/projects/:project/datasets/:name/versions/:version/profile',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'getDatasetProfile',
        summary: 'Profile a dataset version',
        description: "A version's profile: row count, per column nulls, min, max, mean, stddev, approx distinct, top values, histogram",
        security: bearerSecurity,
        params: DatasetVersionParams,
        response: withProblems({ 200: { ...DatasetProfileView, description: 'The profile (computed on first request, then cached).' } }),
      },
    },
    async (request) => datasets.profile(request.principal, request.params.project, request.params.name, request.params.version),
  );

  app.get(
    '/v1/projects/:project/datasets/:name/versions/:version/preview',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'previewDatasetVersion',
        summary: 'Preview a dataset version',
        description: 'The first rows of a version as JSON objects',
        security: bearerSecurity,
        params: DatasetVersionParams,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 20 })) }, { additionalProperties: false }),
        response: withProblems({ 200: { ...PreviewView, description: 'The first rows.' } }),
      },
    },
    async (request) =>
      datasets.preview(request.principal, request.params.project, request.params.name, request.params.version, request.query.limit ?? 20),
  );

  app.get(
    '/v1/projects/:project/datasets/:name/versions/:version/content',
    {
      schema: {
        tags: ['datasets'],
        operationId: 'downloadDatasetVersion',
        summary: 'Download a dataset version',
        description: "Download a version's bytes exactly as uploaded (streamed)",
        security: bearerSecurity,
        params: DatasetVersionParams,
        response: withProblems({
          200: {
            description: 'The bytes exactly as uploaded, with the format\'s media type; ETag is the SHA-256, Content-Disposition names the file.',
            content: DOWNLOADS,
          },
        }),
      },
    },
    async (request, reply) => {
      const content = await datasets.content(request.principal, request.params.project, request.params.name, request.params.version);
      return reply
        .header('content-type', content.contentType)
        .header('content-length', String(content.sizeBytes))
        .header('etag', `"sha256:${content.sha256}"`)
        .header('content-disposition', `attachment; filename="${content.fileName}"`)
        .send(content.stream);
    },
  );
};
