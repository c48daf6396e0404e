import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

import { PageQuery, ProjectParams, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { ProjectBody, ProjectList, ProjectPatch, ProjectView } from '../schemas/projects.schemas.js';
import type { ProjectsService } from '../services/projects.service.js';

export const projectsRoutes: FastifyPluginAsyncTypebox<{ projects: ProjectsService }> = async (app, { projects }) => {
  app.post(
    '/v1/projects',
    {
      schema: {
        tags: ['projects'],
        operationId: 'createProject',
        summary: 'Create a project',
        description: 'Create a project (platform admin)',
        security: bearerSecurity,
        body: { ...ProjectBody, examples: [{ name: 'growth', displayName: 'Growth team', description: 'Churn and upsell models' }] },
        response: withProblems({ 201: { ...ProjectView, description: 'The created project.' } }),
      },
    },
    async (request, reply) => reply.code(201).send(await projects.create(request.principal, request.body)),
  );

  app.get(
    '/v1/projects',
    {
      schema: {
        tags: ['projects'],
        operationId: 'listProjects',
        summary: 'List projects',
        description: 'List the projects this key can see',
        security: bearerSecurity,
        querystring: PageQuery,
        response: withProblems({ 200: { ...ProjectList, description: 'A page of projects, by name; `next` is the cursor for the following page (null on the last).' } }),
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const items = await projects.list(request.principal, { limit, after: request.query.after });
      return { items, next: items.length === limit ? items[items.length - 1].name : null };
    },
  );

  app.get(
    '/v1/projects/:project',
    {
      schema: {
        tags: ['projects'],
        operationId: 'getProject',
        summary: 'Get a project',
        description: 'A project by name, with its settings and timestamps. Needs read access to the project (any role), or a platform key.',
        security: bearerSecurity,
        params: ProjectParams,
        response: withProblems({ 200: { ...ProjectView, description: 'The project.' } }),
      },
    },
    async (request) => projects.get(request.principal, request.params.project),
  );

  app.patch(
    '/v1/projects/:project',
    {
      schema: {
        tags: ['projects'],
        operationId: 'updateProject',
        summary: 'Update a project',
        description: 'Update a project (project admin)',
        security: bearerSecurity,
        params: ProjectParams,
        body: ProjectPatch,
        response: withProblems({ 200: { ...ProjectView, description: 'The project as updated.' } }),
      },
    },
    async (request) => projects.update(request.principal, request.params.project, request.body),
  );
};

