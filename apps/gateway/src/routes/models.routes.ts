import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProjectParams, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { ModelBody, ModelList, ModelParams, ModelView } from '../schemas/registry.schemas.js';
import type { ModelRegistryService } from '../services/model-registry.service.js';

export const modelsRoutes: FastifyPluginAsyncTypebox<{ registry: ModelRegistryService }> = async (app, { registry }) => {
  app.post(
    '/v1/projects/:project/models',
    {
      schema: {
        tags: ['models'],
        operationId: 'createModel',
        summary: 'Create a model',
        description: 'Create a model (editor). Training a new model name creates it too.',
        security: bearerSecurity,
        params: ProjectParams,
        body: { ...ModelBody, examples: [{ name: 'churn', task: 'binary', description: 'Will the customer leave within 30 days?' }] },
        response: withProblems({ 201: { ...ModelView, description: 'The created model.' } }),
      },
    },
    async (request, reply) => reply.code(201).send(await registry.createModel(request.principal, request.params.project, request.body)),
  );

  app.get(
    '/v1/projects/:project/models',
    {
      schema: {
        tags: ['models'],
        operationId: 'listModels',
        summary: 'List models',
        description: "List the project's models by name",
        security: bearerSecurity,
        params: ProjectParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            after: Type.Optional(Type.String({ description: 'cursor: the last name of the previous page' })),
          },
          { additionalProperties: false },
        ),
        response: withProblems({ 200: { ...ModelList, description: 'A page of models, by name; `next` is the cursor for the following page.' } }),
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const items = await registry.listModels(request.principal, request.params.project, { limit, after: request.query.after });
      return { items, next: items.length === limit ? items[items.length - 1].name : null };
    },
  );

  app.get(
    '/v1/projects/:project/models/:name',
    {
      schema: {
        tags: ['models'],
        operationId: 'getModel',
        summary: 'Get a model',
        description: 'Get a model with its latest version number and aliases',
        security: bearerSecurity,
        params: ModelParams,
        response: withProblems({ 200: { ...ModelView, description: 'The model, with its latest version number and aliases.' } }),
      },
    },
    async (request) => registry.getModel(request.principal, request.params.project, request.params.name),
  );
};
