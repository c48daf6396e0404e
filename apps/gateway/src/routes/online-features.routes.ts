import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FeatureStore } from '@atelier/feature-store';
import { ProjectParams, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { OnlineFeaturesBody, OnlineFeaturesView } from '../schemas/features.schemas.js';
import type { ProjectsService } from '../services/projects.service.js';

export const onlineFeaturesRoutes: FastifyPluginAsyncTypebox<{ projects: ProjectsService; features: FeatureStore }> = async (
  app,
  { projects, features },
) => {
  app.post(
    '/v1/projects/:project/online-features',
    {
      schema: {
        tags: ['features'],
        summary:
          'Latest feature values for many entity keys across views. Missing keys come back with found:false and null values; values older than the view’s TTL with status expired.',
        security: bearerSecurity,
        params: ProjectParams,
        body: OnlineFeaturesBody,
        response: withProblems({ 200: OnlineFeaturesView }),
      },
    },
    async (request) => {
      const project = await projects.get(request.principal, request.params.project);
      return features.online.read(project.id, request.body);
    },
  );
};
