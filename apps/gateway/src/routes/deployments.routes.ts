import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { bearerSecurity, ProjectParams, withProblems, NoContent } from '../schemas/common.schemas.js';
import {
  DeploymentBody,
  DeploymentEventsQuery,
  DeploymentList,
  DeploymentPageQuery,
  DeploymentParams,
  DeploymentPutQuery,
  DeploymentView,
  RevisionList,
  RevisionPageQuery,
  RollbackBody,
} from '../schemas/deployments.schemas.js';
import type { DeploymentDetails, DeploymentsService } from '../services/deployments.service.js';
import { EventStream } from './event-stream.js';

const view = (d: DeploymentDetails) => ({
  id: d.id,
  name: d.name,
  model: d.model,
  revision: d.revision,
  spec: d.spec,
  ...(d.status && { status: d.status }),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

/** Between two status reads of an open events stream. */
const EVENTS_POLL_MS = 200;

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
          '`status` says whether the serving pool answers with the current revision yet (progressing / ready / failed). ' +
          'With `?wait=ready` the answer waits (at most `timeoutMs`) until it is ready: 201/200 when ready, 202 with the ' +
          'current status when it failed or is still progressing at the timeout. ' +
          'Validation lists every bad field (unknown version or alias, weights, batching).',
        security: bearerSecurity,
        params: DeploymentParams,
        querystring: DeploymentPutQuery,
        body: { ...DeploymentBody, examples: [{ model: 'churn', routes: [{ alias: 'production', weight: 100 }] }] },
        response: withProblems({
          200: { ...DeploymentView, description: 'Changed: the deployment at its new revision (with ?wait=ready: once every live node of the pool answers with it).' },
          201: { ...DeploymentView, description: 'Created: the deployment at revision 1 (with ?wait=ready: once ready).' },
          202: { ...DeploymentView, description: 'With ?wait=ready: not ready within timeoutMs, or failed; the body carries the current status.' },
        }),
      },
    },
    async (request, reply) => {
      const wait = request.query.wait === 'ready';
      const { created, deployment } = await deployments.put(request.principal, request.params.project, request.params.name, request.body, {
        ...(wait && { waitMs: request.query.timeoutMs ?? 30_000 }),
      });
      // With wait=ready: 201/200 once ready; 202 (written, not ready: failed, or still progressing at the timeout).
      const code = wait && deployment.status?.state !== 'ready' ? 202 : created ? 201 : 200;
      return reply.code(code).send(view(deployment));
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

  app.get(
    '/v1/projects/:project/deployments/:name/events',
    {
      schema: {
        tags: ['deployments'],
        operationId: 'streamDeploymentEvents',
        summary: "A deployment's status as server-sent events, until it is ready",
        description:
          'text/event-stream: `event: status` with the status (as in GET) first and at every change, then `event: ready` ' +
          '(or `event: failed`) with the status, and the stream ends. It also ends at timeoutMs, when the deployment is ' +
          'deleted (`event: deleted`), and on shutdown (`event: shutdown`); reconnect to follow on.',
        security: bearerSecurity,
        params: DeploymentParams,
        querystring: DeploymentEventsQuery,
        response: withProblems({
          200: {
            description: 'The status stream; it ends with ready, failed or deleted, at timeoutMs, or with `event: shutdown` when the server drains.',
            content: {
              'text/event-stream': { schema: Type.String({ description: 'Server-Sent Events: `event: status|ready|failed|deleted|shutdown`, `data: <json>`' }) },
            },
          },
        }),
      },
    },
    async (request, reply) => {
      const source = await deployments.statusSource(request.principal, request.params.project, request.params.name);
      const deadline = Date.now() + (request.query.timeoutMs ?? 30_000);
      const stream = new EventStream(request, reply, app.shutdownSignal);
      let last = '';
      try {
        while (stream.open) {
          const status = await source.read();
          if (!status) {
            stream.send('deleted', { reason: 'the deployment was deleted' });
            break;
          }
          const text = JSON.stringify(status);
          if (text !== last) stream.send('status', status);
          last = text;
          if (status.state !== 'progressing') {
            stream.send(status.state, status);
            break;
          }
          if (Date.now() >= deadline) break;
          await stream.pause(Math.min(EVENTS_POLL_MS, Math.max(0, deadline - Date.now())));
        }
        if (stream.interrupted) stream.send('shutdown', { reason: 'the server is shutting down; reconnect' });
      } catch (err) {
        request.log.error({ err }, 'deployment event stream failed');
      } finally {
        stream.end();
      }
    },
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
