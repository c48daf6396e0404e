import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Int53, ProjectParams, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { CreateTrainingJobBody, ListTrainingJobsQuery, TrainingJobParams, TrainingJobView } from '../schemas/training-jobs.schemas.js';
import type { TrainingJobsService } from '../services/training-jobs.service.js';
import { streamJobEvents } from './event-stream.js';

export interface TrainingJobsRoutesOptions {
  trainingJobs: TrainingJobsService;
  /** How often the SSE stream looks for new events. Default 200 ms. */
  ssePollMs?: number;
  /** Comment line sent on an idle stream so proxies keep it open. Default 15 s. */
  sseKeepAliveMs?: number;
}

export const trainingJobsRoutes: FastifyPluginAsyncTypebox<TrainingJobsRoutesOptions> = async (app, opts) => {
  const { trainingJobs } = opts;
  const pollMs = opts.ssePollMs ?? 200;
  const keepAliveMs = opts.sseKeepAliveMs ?? 15_000;

  app.post(
    '/v1/projects/:project/training-jobs',
    {
      schema: {
        tags: ['training-jobs'],
        operationId: 'createTrainingJob',
        summary: 'Queue a training job',
        description: 'Queue a training job (spec checked against the dataset version schema; every bad field is listed)',
        security: bearerSecurity,
        params: ProjectParams,
        body: {
          ...CreateTrainingJobBody,
          examples: [
            {
              modelName: 'churn',
              data: { dataset: 'customers', version: 1 },
              label: 'churned',
              features: [
                { name: 'age', type: 'numeric', transform: 'standardize' },
                { name: 'income', type: 'numeric', transform: 'minmax' },
                { name: 'city', type: 'categorical', transform: 'vocabulary' },
              ],
              model: { kind: 'logistic' },
              maxEpochs: 10,
              seed: 7,
            },
          ],
        },
        response: withProblems({ 201: { ...TrainingJobView, description: 'The queued job; Location names it.' } }),
      },
    },
    async (request, reply) => {
      const job = await trainingJobs.create(request.principal, request.params.project, request.body);
      return reply.code(201).header('location', `/v1/projects/${request.params.project}/training-jobs/${job.id}`).send(job);
    },
  );

  app.get(
    '/v1/projects/:project/training-jobs',
    {
      schema: {
        tags: ['training-jobs'],
        operationId: 'listTrainingJobs',
        summary: 'List training jobs',
        description: "A project's training jobs, newest first (`before`: the last id of the previous page)",
        security: bearerSecurity,
        params: ProjectParams,
        querystring: ListTrainingJobsQuery,
        response: withProblems({ 200: Type.Object({ items: Type.Array(TrainingJobView) }, { description: 'Jobs, newest first.' }) }),
      },
    },
    async (request) => ({ items: await trainingJobs.list(request.principal, request.params.project, request.query) }),
  );

  app.get(
    '/v1/projects/:project/training-jobs/:id',
    {
      schema: {
        tags: ['training-jobs'],
        operationId: 'getTrainingJob',
        summary: 'Get a training job',
        description: 'A training job: status, waiting reason, attempts, checkpoint, metrics, the model version it produced',
        security: bearerSecurity,
        params: TrainingJobParams,
        response: withProblems({ 200: { ...TrainingJobView, description: 'The job.' } }),
      },
    },
    async (request) => trainingJobs.get(request.principal, request.params.project, request.params.id),
  );

  app.post(
    '/v1/projects/:project/training-jobs/:id/cancel',
    {
      schema: {
        tags: ['training-jobs'],
        operationId: 'cancelTrainingJob',
        summary: 'Cancel a training job',
        description: 'Cancel a job: a queued one at once, a running one within about a second (its worker stops the fit loop)',
        security: bearerSecurity,
        params: TrainingJobParams,
        response: withProblems({ 200: { ...TrainingJobView, description: 'The job, cancelled (or cancelling: a running one stops within about a second).' } }),
      },
    },
    async (request) => trainingJobs.cancel(request.principal, request.params.project, request.params.id),
  );

  app.get(
    '/v1/projects/:project/training-jobs/:id/events',
    {
      schema: {
        tags: ['training-jobs'],
        operationId: 'streamTrainingJobEvents',
        summary: 'Stream training job events',
        description:
          'Server-Sent Events: state changes, per-epoch metrics and log lines. Each event id is its job_events id; send Last-Event-ID to resume. The stream ends once the job is finished and every event was sent.',
        security: bearerSecurity,
        params: TrainingJobParams,
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })) }),
        querystring: Type.Object({ lastEventId: Type.Optional(Int53({ minimum: 0 })) }, { additionalProperties: false }),
        response: withProblems({
          200: {
            description: 'The event stream; it ends once the job is finished and every event was sent (or with `event: shutdown` when the server drains).',
            content: {
              'text/event-stream': {
                schema: Type.String({ description: 'Server-Sent Events: `id: <n>`, `event: state|metric|log`, `data: <json>`' }),
              },
            },
          },
        }),
      },
    },
    async (request, reply) => {
      const source = await trainingJobs.eventSource(request.principal, request.params.project, request.params.id);
      const header = request.headers['last-event-id'];
      const lastId: number | undefined = typeof header === 'string' ? Number(header) : request.query.lastEventId;
      await streamJobEvents(request, reply, app.shutdownSignal, source, { lastId, pollMs, keepAliveMs });
    },
  );
};
