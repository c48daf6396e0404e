// Online feature reads: the hot path of the feature store (a serving client calls it per prediction
// batch). Two things differ from the other routes, both for per-read cost:
//   - the body is written by the reader as JSON text (`readJson`: stored value arrays spliced into the
//     response, or with `format: 'compact'` copied into it as they are; no objects built and no
//     schema-driven serializer walking a record of records); the response schema still documents both
//     layouts in the OpenAPI document;
//   - the project lookup is cached for a few seconds (ProjectCache, as for predict; the permission is
//     checked on every read) instead of costing a catalog round trip per read.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FeatureStore } from '@atelier/feature-store';
import { ProjectParams, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { OnlineFeaturesBody, OnlineFeaturesCompactView, OnlineFeaturesView } from '../schemas/features.schemas.js';
import { ProjectCache } from '../services/project-cache.js';
import type { ProjectsService } from '../services/projects.service.js';

export interface OnlineFeaturesRouteOptions {
  projects: ProjectsService;
  features: FeatureStore;
}

export const onlineFeaturesRoutes: FastifyPluginAsyncTypebox<OnlineFeaturesRouteOptions> = async (app, { projects, features }) => {
  const cache = new ProjectCache(projects);

  app.post(
    '/v1/projects/:project/online-features',
    {
      schema: {
        tags: ['features'],
        operationId: 'getOnlineFeatures',
        summary: 'Read online features',
        description:
          'Latest feature values for many entity keys across views. Missing keys come back with found:false and null values; values older than the view’s TTL with status expired.',
        security: bearerSecurity,
        params: ProjectParams,
        body: OnlineFeaturesBody,
        response: withProblems({ 200: { ...Type.Union([OnlineFeaturesView, OnlineFeaturesCompactView]), description: 'One result per entity key, in request order.' } }),
      },
    },
    async (request, reply) => {
      const { id } = await cache.get(request.principal, request.params.project);
      const body = await features.online.readJson(id, request.body, request.body.format);
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
};
