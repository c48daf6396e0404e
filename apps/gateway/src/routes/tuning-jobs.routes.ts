import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Int53, ProjectParams, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { CreateTuningJobBody, ListTuningJobsQuery, TrialView, TuningJobParams, TuningJobView } from '../schemas/tuning-jobs.schemas.js';
import type { TuningJobsService } from '../services/tuning-jobs.service.js';
import { streamJobEvents } from './event-stream.js';

export interface TuningJobsRoutesOptions {
  tuningJobs: TuningJobsService;
  /** How often the SSE stream looks for new events. Default 200 ms. */
  ssePollMs?: number;
  /** Comment line sent on an idle stream so proxies keep it open. Default 15 s. */
  sseKeepAliveMs?: number;
}

export const tuningJobsRoutes: FastifyPluginAsyncTypebox<TuningJobsRoutesOptions> = async (app, opts) => {
  const { tuningJobs } = opts;
  const pollMs = opts.ssePollMs ?? 200;
  const keepAliveMs = opts.sseKeepAliveMs ?? 15_000;

  app.post(
    '/v1/projects/:project/tuning-jobs',
    {
      schema: {
        tags: ['tuning-jobs'],
        operationId: 'createTuningJob',
        summary: 'Queue a tuning job',
        description:
          'Queue a hyperparameter search: a base training spec, a search space of spec paths (float/int ranges, log scales, choices, conditionals), a strategy (random or aging evolution), optional ASHA early stopping, an objective and a budget. The base spec, the space and trial specs drawn from it are checked at submit; every bad field is listed.',
        security: bearerSecurity,
        params: ProjectParams,
        body: {
          ...CreateTuningJobBody,
          examples: [
            {
              base: {
                modelName: 'churn',
                data: { dataset: 'customers', version: 1 },
                label: 'churned',
                features: [
                  { name: 'age', type: 'numeric', transform: 'standardize' },
                  { name: 'city', type: 'categorical', transform: 'vocabulary' },
                ],
                model: { kind: 'mlp' },
                optimizer: { kind: 'adam', lr: 0.01 },
                maxEpochs: 30,
              },
              searchSpace: [
                { path: '/optimizer/lr', type: 'float', min: 0.0003, max: 0.1, scale: 'log' },
                { path: '/model/hyperparameters/hiddenUnits', type: 'choice', values: [[32], [64, 32]] },
                { path: '/model/hyperparameters/dropout', type: 'float', min: 0, max: 0.5 },
              ],
              strategy: { kind: 'aging_evolution', populationSize: 8, sampleSize: 3 },
              earlyStopping: { kind: 'asha', minEpochs: 3, reductionFactor: 3 },
              objective: { metric: 'auc', direction: 'maximize' },
              maxTrials: 24,
              parallelism: 2,
              seed: 7,
            },
          ],
        },
        response: withProblems({ 201: { ...TuningJobView, description: 'The queued study; Location names it.' } }),
      },
    },
    async (request, reply) => {
      const job = await tuningJobs.create(request.principal, request.params.project, request.body);
      return reply.code(201).header('location', `/v1/projects/${request.params.project}/tuning-jobs/${job.id}`).send(job);
    },
  );

  app.get(
    '/v1/projects/:project/tuning-jobs',
    {
      schema: {
        tags: ['tuning-jobs'],
        operationId: 'listTuningJobs',
        summary: 'List tuning jobs',
        description: "A project's tuning jobs, newest first (`before`: the last id of the previous page)",
        security: bearerSecurity,
        params: ProjectParams,
        querystring: ListTuningJobsQuery,
        response: withProblems({ 200: Type.Object({ items: Type.Array(TuningJobView) }, { description: 'Tuning jobs, newest first.' }) }),
      },
    },
    async (request) => ({ items: await tuningJobs.list(request.principal, request.params.project, request.query) }),
  );

  app.get(
    '/v1/projects/:project/tuning-jobs/:id',
    {
      schema: {
        tags: ['tuning-jobs'],
        operationId: 'getTuningJob',
        summary: 'Get a tuning job',
        description: 'A tuning job: status, trials by state, the best trial and objective so far, the version the best trial became',
        security: bearerSecurity,
        params: TuningJobParams,
        response: withProblems({ 200: { ...TuningJobView, description: 'The study.' } }),
      },
    },
    async (request) => tuningJobs.get(request.principal, request.params.project, request.params.id),
  );

  app.get(
    '/v1/projects/:project/tuning-jobs/:id/trials',
    {
      schema: {
        tags: ['tuning-jobs'],
        operationId: 'listTuningTrials',
        summary: 'List the trials of a tuning job',
        description: 'Every trial in index order: its point of the search space, its state (stopped: ASHA stopped it), its objective, and its training job (metrics, per-epoch history)',
        security: bearerSecurity,
        params: TuningJobParams,
        response: withProblems({ 200: Type.Object({ items: Type.Array(TrialView) }, { description: 'Trials by index.' }) }),
      },
    },
    async (request) => ({ items: await tuningJobs.trials(request.principal, request.params.project, request.params.id) }),
  );

  app.post(
    '/v1/projects/:project/tuning-jobs/:id/cancel',
    {
      schema: {
        tags: ['tuning-jobs'],
        operationId: 'cancelTuningJob',
        summary: 'Cancel a tuning job',
        description: 'Cancel a study: a queued one at once; a running one stops creating trials, cancels its running trials and ends cancelled once they stopped',
        security: bearerSecurity,
        params: TuningJobParams,
        response: withProblems({ 200: { ...TuningJobView, description: 'The study, cancelled (or cancelling).' } }),
      },
    },
    async (request) => tuningJobs.cancel(request.principal, request.params.project, request.params.id),
  );

  app.get(
    '/v1/projects/:project/tuning-jobs/:id/events',
    {
      schema: {
        tags: ['tuning-jobs'],
        operationId: 'streamTuningJobEvents',
        summary: 'Stream tuning job events',
        description:
          'Server-Sent Events: `state` (the study), `trial` (queued/running/succeeded/failed/cancelled/stopped, with params and objective), `population` (aging evolution: members, who joined, who died), `best` (a new best trial) and `log`. Send Last-Event-ID to resume; the stream ends once the study is finished and every event was sent.',
        security: bearerSecurity,
        params: TuningJobParams,
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })) }),
        querystring: Type.Object({ lastEventId: Type.Optional(Int53({ minimum: 0 })) }, { additionalProperties: false }),
        response: withProblems({
          200: {
            description: 'The event stream; it ends once the study is finished and every event was sent (or with `event: shutdown` when the server drains).',
            content: { 'text/event-stream': { schema: Type.String({ description: 'Server-Sent Events: `id: <n>`, `event: state|trial|population|best|log`, `data: <json>`' }) } },
          },
        }),
      },
    },
    async (request, reply) => {
      const source = await tuningJobs.eventSource(request.principal, request.params.project, request.params.id);
      const header = request.headers['last-event-id'];
      const lastId: number | undefined = typeof header === 'string' ? Number(header) : request.query.lastEventId;
      await streamJobEvents(request, reply, app.shutdownSignal, source, { lastId, pollMs, keepAliveMs });
    },
  );
};
