import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProjectParams, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { ApiKeyBody, ApiKeyParams, ApiKeyView, CreatedApiKeyView } from '../schemas/api-keys.schemas.js';
import type { ApiKeysService } from '../services/api-keys.service.js';

export const apiKeysRoutes: FastifyPluginAsyncTypebox<{ apiKeys: ApiKeysService }> = async (app, { apiKeys }) => {
  app.post(
    '/v1/projects/:project/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        operationId: 'createApiKey',
        summary: 'Create an API key',
        description: 'Create an API key for a project (project admin). The secret is in this response only.',
        security: bearerSecurity,
        params: ProjectParams,
        body: { ...ApiKeyBody, examples: [{ name: 'ci', role: 'editor', expiresAt: '2027-01-01T00:00:00Z' }] },
        response: withProblems({ 201: { ...CreatedApiKeyView, description: 'The created key, with its secret: shown in this response only (Cache-Control: no-store).' } }),
      },
    },
    async (request, reply) => {
      const { name, role, expiresAt } = request.body;
      const created = await apiKeys.create(request.principal, request.params.project, {
        name,
        role,
        expiresAt: expiresAt ? new Date(expiresAt) : undefined,
      });
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.get(
    '/v1/projects/:project/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        operationId: 'listApiKeys',
        summary: 'List API keys',
        description: "List a project's API keys (never their secrets)",
        security: bearerSecurity,
        params: ProjectParams,
        querystring: Type.Object({ includeRevoked: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: withProblems({ 200: Type.Object({ items: Type.Array(ApiKeyView) }, { description: 'The project\'s keys (prefixes, roles, expiry, revocation; never secrets).' }) }),
      },
    },
    async (request) => ({
      items: await apiKeys.list(request.principal, request.params.project, request.query.includeRevoked ?? false),
    }),
  );

  app.post(
    '/v1/projects/:project/api-keys/:keyId/revoke',
    {
      schema: {
        tags: ['api-keys'],
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key',
        description: 'Revoke an API key; it stops working at once',
        security: bearerSecurity,
        params: ApiKeyParams,
        response: withProblems({ 200: { ...ApiKeyView, description: 'The revoked key.' } }),
      },
    },
    async (request) => apiKeys.revoke(request.principal, request.params.project, request.params.keyId),
  );
};
