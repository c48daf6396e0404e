import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerSecurity, withProblems, NoContent } from '../schemas/common.schemas.js';
import { AliasList, AliasParams, AliasView, ModelParams, SetAliasBody } from '../schemas/registry.schemas.js';
import type { ModelRegistryService } from '../services/model-registry.service.js';

export const modelAliasesRoutes: FastifyPluginAsyncTypebox<{ registry: ModelRegistryService }> = async (app, { registry }) => {
  app.get(
    '/v1/projects/:project/models/:name/aliases',
    {
      schema: {
        tags: ['models'],
        operationId: 'listModelAliases',
        summary: 'List aliases',
        description: "List a model's aliases and the versions they point at",
        security: bearerSecurity,
        params: ModelParams,
        response: withProblems({ 200: { ...AliasList, description: 'The model\'s aliases and the versions they point at.' } }),
      },
    },
    async (request) => ({ items: await registry.listAliases(request.principal, request.params.project, request.params.name) }),
  );

  app.get(
    '/v1/projects/:project/models/:name/aliases/:alias',
    {
      schema: {
        tags: ['models'],
        operationId: 'getModelAlias',
        summary: 'Get an alias',
        description: 'Get the version an alias points at',
        security: bearerSecurity,
        params: AliasParams,
        response: withProblems({ 200: { ...AliasView, description: 'The alias and the version it points at.' } }),
      },
    },
    async (request) => registry.getAlias(request.principal, request.params.project, request.params.name, request.params.alias),
  );

  app.put(
    '/v1/projects/:project/models/:name/aliases/:alias',
    {
      schema: {
        tags: ['models'],
        operationId: 'setModelAlias',
        summary: 'Point an alias at a version (editor)',
        description:
          'Creates or moves the alias atomically, with an audit entry naming the previous and new version. Refused with ' +
          "409 ATL_GATE_REJECTED when the version's latest completed evaluation was rejected by its blessing gate (the " +
          'failing checks are listed in `errors`), and with requireBlessing also when it has no completed evaluation.',
        security: bearerSecurity,
        params: AliasParams,
        body: { ...SetAliasBody, examples: [{ version: 1 }] },
        response: withProblems({ 200: { ...AliasView, description: 'The alias, now pointing at the version.' } }),
      },
    },
    async (request) => registry.setAlias(request.principal, request.params.project, request.params.name, request.params.alias, request.body),
  );

  app.delete(
    '/v1/projects/:project/models/:name/aliases/:alias',
    {
      schema: {
        tags: ['models'],
        operationId: 'deleteModelAlias',
        summary: 'Remove an alias',
        description: 'Remove an alias (editor)',
        security: bearerSecurity,
        params: AliasParams,
        response: withProblems({ 204: NoContent('Removed.') }),
      },
    },
    async (request, reply) => {
      await registry.deleteAlias(request.principal, request.params.project, request.params.name, request.params.alias);
      return reply.code(204).send();
    },
  );
};
