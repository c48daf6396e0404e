import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Int53, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { ModelParams } from '../schemas/registry.schemas.js';
import { BatchPredictionParams, BatchPredictionView, CreateBatchPredictionBody, ListBatchPredictionsQuery } from '../schemas/batch-predictions.schemas.js';
import type { BatchPredictionsService } from '../services/batch-predictions.service.js';
import { streamJobEvents } from './event-stream.js';

export interface BatchPredictionsRoutesOptions {
  batchPredictions: BatchPredictionsService;
  /** How often the SSE stream looks for new events. Default 200 ms. */
  ssePollMs?: number;
  /** Comment line sent on an idle stream so proxies keep it open. Default 15 s. */
  sseKeepAliveMs?: number;
}

const base = '/v1/projects/:project/models/:name/batch-predictions';

export const batchPredictionsRoutes: FastifyPluginAsyncTypebox<BatchPredictionsRoutesOptions> = async (app, opts) => {
  const { batchPredictions } = opts;
  const pollMs = opts.ssePollMs ?? 200;
  const keepAliveMs = opts.sseKeepAliveMs ?? 15_000;

  app.post(
    base,
    {
      schema: {
        tags: ['batch-predictions'],
        operationId: 'createBatchPrediction',
        summary: 'Score a dataset version offline (editor): queues a batch prediction job',
        description:
          'Scores every row of a dataset version of this project with a version (or alias) of the model, chunk by chunk, and publishes the ' +
          'predictions — plus the passthrough columns — as the next version of the output dataset (Parquet, profiled like an upload, with lineage to ' +
          'the model version and the input version). Every column the model reads must be in the input version (400 naming the missing ones). ' +
          'Follow the job with GET or its /events.',
        security: bearerSecurity,
        params: ModelParams,
        body: {
          ...CreateBatchPredictionBody,
          examples: [
            {
              alias: 'production',
              input: { dataset: 'customers', version: 3 },
              output: { dataset: 'churn-scores' },
              passthroughColumns: ['customer_id'],
              outputs: ['probabilities', 'class'],
            },
          ],
        },
        response: withProblems({ 202: { ...BatchPredictionView, description: 'Queued: the batch prediction job; Location names it.' } }),
      },
    },
    async (request, reply) => {
      const { project, name } = request.params;
      const job = await batchPredictions.create(request.principal, project, name, request.body);
      return reply.code(202).header('location', `/v1/projects/${project}/models/${name}/batch-predictions/${job.id}`).send(job);
    },
  );

  app.get(
    base,
    {
      schema: {
        tags: ['batch-predictions'],
        operationId: 'listBatchPredictions',
        summary: "List a model's batch predictions",
        description: "A model's batch prediction jobs, newest first (`before`: the last id of the previous page)",
        security: bearerSecurity,
        params: ModelParams,
        querystring: ListBatchPredictionsQuery,
        response: withProblems({ 200: Type.Object({ items: Type.Array(BatchPredictionView) }, { description: 'Batch predictions, newest first.' }) }),
      },
    },
    async (request) => ({ items: await batchPredictions.list(request.principal, request.params.project, request.params.name, request.query) }),
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        tags: ['batch-predictions'],
        operationId: 'getBatchPrediction',
        summary: 'Get a batch prediction',
        description: 'A batch prediction job: status, progress (rows scored of the total), attempts, and the dataset version it wrote once succeeded',
        security: bearerSecurity,
        params: BatchPredictionParams,
        response: withProblems({ 200: { ...BatchPredictionView, description: 'The job.' } }),
      },
    },
    async (request) => batchPredictions.get(request.principal, request.params.project, request.params.name, request.params.id),
  );

  app.post(
    `${base}/:id/cancel`,
    {
      schema: {
        tags: ['batch-predictions'],
        operationId: 'cancelBatchPrediction',
        summary: 'Cancel a batch prediction',
        description: 'Cancel a job: a queued one at once, a running one between two chunks; a cancelled job writes no dataset version',
        security: bearerSecurity,
        params: BatchPredictionParams,
        response: withProblems({ 200: { ...BatchPredictionView, description: 'The job, cancelled (or cancelling: a running one stops at its next chunk).' } }),
      },
    },
    async (request) => batchPredictions.cancel(request.principal, request.params.project, request.params.name, request.params.id),
  );

  app.get(
    `${base}/:id/events`,
    {
      schema: {
        tags: ['batch-predictions'],
        operationId: 'streamBatchPredictionEvents',
        summary: 'Stream batch prediction events',
        description:
          'Server-Sent Events: state changes and progress log lines. Each event id is its job_events id; send Last-Event-ID to resume. The stream ends once the job is finished and every event was sent.',
        security: bearerSecurity,
        params: BatchPredictionParams,
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })) }),
        querystring: Type.Object({ lastEventId: Type.Optional(Int53({ minimum: 0 })) }, { additionalProperties: false }),
        response: withProblems({
          200: {
            description: 'The event stream; it ends once the job is finished and every event was sent (or with `event: shutdown` when the server drains).',
            content: {
              'text/event-stream': {
                schema: Type.String({ description: 'Server-Sent Events: `id: <n>`, `event: state|log`, `data: <json>`' }),
              },
            },
          },
        }),
      },
    },
    async (request, reply) => {
      const { project, name, id } = request.params;
      const source = await batchPredictions.eventSource(request.principal, project, name, id);
      const header = request.headers['last-event-id'];
      const lastId: number | undefined = typeof header === 'string' ? Number(header) : request.query.lastEventId;
      await streamJobEvents(request, reply, app.shutdownSignal, source, { lastId, pollMs, keepAliveMs });
    },
  );
};
