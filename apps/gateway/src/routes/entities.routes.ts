import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Entity } from '@atelier/catalog';
import type { FeatureStore } from '@atelier/feature-store';
import { PageQuery, ProjectParams, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { EntityBody, EntityParams, EntityView } from '../schemas/features.schemas.js';
import type { ProjectsService } from '../services/projects.service.js';

const view = (e: Entity) => ({ id: e.id, name: e.name, description: e.description, joinKeys: e.joinKeys, createdAt: e.createdAt });

export const entitiesRoutes: FastifyPluginAsyncTypebox<{ projects: ProjectsService; features: FeatureStore }> = async (app, { projects, features }) => {
  app.post(
    '/v1/projects/:project/entities',
    {
      schema: {
        tags: ['features'],
        operationId: 'createEntity',
        summary: 'Create an entity',
        description: 'Create an entity (its join keys). Entities are immutable; re-sending the same definition returns it.',
        security: bearerSecurity,
        params: ProjectParams,
        body: EntityBody,
        response: withProblems({ 200: { ...EntityView, description: 'The same definition already exists: the entity.' }, 201: { ...EntityView, description: 'The created entity.' } }),
      },
    },
    async (request, reply) => {
      const project = await projects.get(request.principal, request.params.project, 'write');
      const { entity, created } = await features.registry.createEntity(project.id, request.body, request.principal.keyId);
      return reply.code(created ? 201 : 200).send(view(entity));
    },
  );

  app.get(
    '/v1/projects/:project/entities',
    {
      schema: {
        tags: ['features'],
        operationId: 'listEntities',
        summary: 'List entities',
        description: "List a project's entities",
        security: bearerSecurity,
        params: ProjectParams,
        querystring: PageQuery,
        response: withProblems({ 200: Type.Object({ items: Type.Array(EntityView) }, { description: 'The project\'s entities.' }) }),
      },
    },
    async (request) => {
      const project = await projects.get(request.principal, request.params.project);
      return { items: (await features.registry.listEntities(project.id, request.query)).map(view) };
    },
  );

  app.get(
    '/v1/projects/:project/entities/:name',
    {
      schema: {
        tags: ['features'],
        operationId: 'getEntity',
        summary: 'Get an entity',
        description: 'An entity: its name, join keys and description.',
        security: bearerSecurity,
        params: EntityParams,
        response: withProblems({ 200: { ...EntityView, description: 'The entity.' } }),
      },
    },
    async (request) => {
      const project = await projects.get(request.principal, request.params.project);
      return view(await features.registry.getEntity(project.id, request.params.name));
    },
  );
};
