import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { ModelParams } from '../schemas/registry.schemas.js';
import { RecentPredictionView, RecentPredictionsQuery } from '../schemas/recent-predictions.schemas.js';
import type { RecentPredictionsService } from '../services/recent-predictions.service.js';

export const recentPredictionsRoutes: FastifyPluginAsyncTypebox<{ recentPredictions: RecentPredictionsService }> = async (app, { recentPredictions }) => {
  app.get(
    '/v1/projects/:project/models/:name/predictions',
    {
      schema: {
        tags: ['predictions'],
        operationId: 'listRecentPredictions',
        summary: 'List recent predictions',
        description:
          "The model's newest logged predictions, newest first, from the sampled prediction log " +
          '(ATELIER_PREDICTION_LOG_SAMPLE_RATE of the serving nodes; records appear after their flush). ' +
          'Reads only the newest log objects of the last days, with a cap on the bytes read: a bounded look, not a query.',
        security: bearerSecurity,
        params: ModelParams,
        querystring: RecentPredictionsQuery,
        response: withProblems({ 200: Type.Object({ items: Type.Array(RecentPredictionView) }, { description: 'Logged predictions, newest first.' }) }),
      },
    },
    async (request) => {
      const records = await recentPredictions.list(request.principal, request.params.project, request.params.name, request.query.limit ?? 50);
      return { items: records.map(({ projectId: _p, model: _m, ...r }) => r) };
    },
  );
};
