import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import {
  EvaluationJobView,
  EvaluationList,
  EvaluationParams,
  EvaluationRequestBody,
  EvaluationView,
  VersionParams,
} from '../schemas/registry.schemas.js';
import type { EvaluationDetails, EvaluationsService } from '../services/evaluations.service.js';

const view = (e: EvaluationDetails) => ({ ...e, model: e.modelName });

export const evaluationsRoutes: FastifyPluginAsyncTypebox<{ evaluations: EvaluationsService }> = async (app, { evaluations }) => {
  app.get(
    '/v1/projects/:project/models/:name/versions/:version/evaluations',
    {
      schema: {
        tags: ['evaluations'],
        operationId: 'listEvaluations',
        summary: "A version's evaluations, newest first",
        description:
          'Each has its metrics, per-slice metrics, curves (ROC, PR, calibration), feature importance, the baseline version it ' +
          'was compared with, the comparison, the blessing gate ({ thresholds, checks }) and its verdict.',
        security: bearerSecurity,
        params: VersionParams,
        response: withProblems({ 200: { ...EvaluationList, description: 'The version\'s evaluations, newest first.' } }),
      },
    },
    async (request) => {
      const { project, name, version } = request.params;
      return { items: (await evaluations.listForVersion(request.principal, project, name, version)).map(view) };
    },
  );

  app.get(
    '/v1/projects/:project/evaluations/:evaluationId',
    {
      schema: {
        tags: ['evaluations'],
        operationId: 'getEvaluation',
        summary: 'Get an evaluation',
        description: 'Get an evaluation',
        security: bearerSecurity,
        params: EvaluationParams,
        response: withProblems({ 200: { ...EvaluationView, description: 'The evaluation: status, metrics, slices, gate verdict.' } }),
      },
    },
    async (request) => view(await evaluations.get(request.principal, request.params.project, request.params.evaluationId)),
  );

  app.post(
    '/v1/projects/:project/models/:name/versions/:version/evaluations',
    {
      schema: {
        tags: ['evaluations'],
        operationId: 'createEvaluation',
        summary: 'Evaluate a version on a dataset version (editor): queues a job the orchestrator runs',
        description:
          "Optional sliceColumn computes the metrics per value too; gate thresholds compare the result with the model's " +
          'production version (the blessing gate). Follow the returned job; the evaluation appears under this version when it is done.',
        security: bearerSecurity,
        params: VersionParams,
        body: EvaluationRequestBody,
        response: withProblems({ 202: { ...EvaluationJobView, description: 'Queued: the evaluation job id, its status and the URL to poll (also in Location).' } }),
      },
    },
    async (request, reply) => {
      const { project, name, version } = request.params;
      const job = await evaluations.request(request.principal, project, name, version, request.body);
      const url = `/v1/projects/${project}/training-jobs/${job.id}`;
      return reply.code(202).header('location', url).send({ jobId: job.id, status: job.status, url });
    },
  );
};
