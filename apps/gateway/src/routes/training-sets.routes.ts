import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FeatureStore } from '@atelier/feature-store';
import { ProjectParams, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { TrainingSetBody, TrainingSetView } from '../schemas/features.schemas.js';
import type { ProjectsService } from '../services/projects.service.js';

export const trainingSetsRoutes: FastifyPluginAsyncTypebox<{ projects: ProjectsService; features: FeatureStore }> = async (
  app,
  { projects, features },
) => {
  app.post(
    '/v1/projects/:project/training-sets',
    {
      schema: {
        tags: ['features'],
        operationId: 'createTrainingSet',
        summary: 'Build a training set',
        description:
          'Build a point-in-time correct training set: each label row gets the latest feature values at or before its event time (within each view’s TTL); stored as a new dataset version with lineage',
        security: bearerSecurity,
        params: ProjectParams,
        body: TrainingSetBody,
        response: withProblems({ 201: { ...TrainingSetView, description: 'The training set: the dataset version it was stored as, row counts, lineage.' } }),
      },
    },
    async (request, reply) => {
      const project = await projects.get(request.principal, request.params.project, 'write');
      const { dataset, lineage } = await features.trainingSets.build(project.id, request.body, request.principal.keyId);
      return reply.code(201).send({
        dataset: dataset.datasetName,
        version: dataset.version,
        versionId: dataset.versionId,
        format: dataset.format,
        rowCount: dataset.rowCount,
        sha256: dataset.sha256,
        lineage,
      });
    },
  );
};
