import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, ProjectParams, withProblems, NoContent } from '../schemas/common.schemas.js';
import {
  DeploymentBody,
  DeploymentList,
  DeploymentPageQuery,
  DeploymentParams,
  DeploymentView,
  RevisionList,
  RevisionPageQuery,
  RollbackBody,
} from '../schemas/deployments.schemas.js';
import type { DeploymentDetails, DeploymentsService } from '../services/deployments.service.js';

const view = (d: DeploymentDetails) => ({
  id: d.id,
  name: d.name,
  model: d.model,
  revision: d.revision,
  spec: d.spec,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

export const deploymentsRoutes: FastifyPluginAsyncTypebox<{ deployments: DeploymentsService }> = async (app, { deployments }) => {
  app.get(
    '/v1/projects/:project/deployments',
    {
      schema: {
        tags: ['deployments'],
        operationId: 'listDeployments',
        summary: 'List deployments',
        description: "List a project's deployments",
        security: bearerSecurity,
        params: ProjectParams,
        querystring: DeploymentPageQuery,
        response: withProblems({ 200: { ...DeploymentList, description: 'A page of deployments, by name; `next` is the cursor for the following page.' } }),
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const items = await deployments.list(request.principal, request.params.project, { limit, after: request.query.after, model: request.query.model });
      return { items: items.map(view), next: items.length === limit ? items[items.length - 1].name : null };
    },
  );

  app.put(
    '/v1/projects/:project/deployments/:name',
    {
      schema: {
        tags: ['deployments'],
        operationId: 'putDeployment',
        summary: 'Create a deployment, or change it (a new revision) (editor)',
        description:
          'Routes a model to versions or aliases by weight (A/B, canary; weights sum to 100), optionally copies traffic to ' +
          'shadow versions (answers logged, never returned), and sets the serving pool and batching. Every change is a new ' +
          'revision with an audit entry; serving nodes load, warm up and switch atomically. 201 on create, 200 on change. ' +
          'Validation lists every bad field (unknown version or alias, weights, batching).',
        security: bearerSecurity,
        params: DeploymentParams,
        body: { ...DeploymentBody, examples: [{ model: 'churn', routes: [{ alias: 'production', weight: 100 }] }] },
        response: withProblems({ 200: { ...DeploymentView, description: 'Changed: the deployment at its new revision.' }, 201: { ...DeploymentView, description: 'Created: the deployment at revision 1.' } }),
      },
    },
    async (request, reply) => {
      const { created, deployment } = await deployments.put(request.principal, request.params.project, request.params.name, request.body);
      return reply.code(created ? 201 : 200).send(view(deployment));
    },
  );

  app.get(
    '/v1/projects/:project/deployments/:name',
    {
      schema: {
        tags: ['deployments'],
        operationId: 'getDeployment',
        summary: 'Get a deployment',
        description: 'Get a deployment and its current spec',
        security: bearerSecurity,
        params: DeploymentParams,
        response: withProblems({ 200: { ...DeploymentView, description: 'The deployment and its current spec.' } }),
      },
    },
    async (request) => view(await deployments.get(request.principal, request.params.project, request.params.name)),
  );

  app.delete(
    '/v1/projects/:project/deployments/:name',
    {
      schema: {
        tags: ['deployments'],
        operationId: 'deleteDeployment',
        summary: 'Delete a deployment',
        description: 'Delete a deployment and its revisions (editor); serving nodes unload what it served',
        security: bearerSecurity,
        params: DeploymentParams,
        response: withProblems({ 204: NoContent('Deleted.') }),
      },
    },
    async (request, reply) => {
      await deployments.delete(request.principal, request.params.project, request.params.name);
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/projects/:project/deployments/:name/revisions',
    {
      schema: {
        tags: ['deployments'],
        operationId: 'listDeploymentRevisions',
        summary: 'List deployment revisions',
        description: "A deployment's revisions, newest first",
        security: bearerSecurity,
        params: DeploymentParams,
        querystring: RevisionPageQuery,
        response: withProblems({ 200: { ...RevisionList, description: 'Revisions, newest first; `next` is the cursor for the following page.' } }),
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const items = await deployments.revisions(request.principal, request.params.project, request.params.name, { limit, before: request.query.before });
      return {
        items: items.map((r) => ({ revision: r.revision, spec: r.spec, createdAt: r.createdAt, createdBy: r.createdBy })),
        next: items.length === limit ? items[items.length - 1].revision : null,
      };
    },
  );

  app.post(
    '/v1/projects/:project/deployments/:name/rollback',
    {
      schema: {
        tags: ['deployments'],
        operationId: 'rollbackDeployment',
        summary: "Roll back to a previous revision's spec (editor)",
        description: 'Adds a new revision with the spec of `revision` (history stays intact) and an audit entry.',
        security: bearerSecurity,
        params: DeploymentParams,
        body: RollbackBody,
        response: withProblems({ 200: { ...DeploymentView, description: 'The deployment at its new revision (the old revision\'s spec).' } }),
      },
    },
    async (request) => view(await deployments.rollback(request.principal, request.params.project, request.params.name, request.body.revision)),
  );
};
