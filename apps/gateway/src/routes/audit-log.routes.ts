import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ProjectParams, bearerSecurity, withProblems } from '../schemas/common.schemas.js';
import { AuditEntryView, ListAuditLogQuery } from '../schemas/audit-log.schemas.js';
import type { AuditLogService } from '../services/audit-log.service.js';

export const auditLogRoutes: FastifyPluginAsyncTypebox<{ auditLog: AuditLogService }> = async (app, { auditLog }) => {
  app.get(
    '/v1/projects/:project/audit-log',
    {
      schema: {
        tags: ['audit-log'],
        operationId: 'listAuditLog',
        summary: 'List the audit log',
        description:
          "A project's audit log, newest first (project admin or platform admin): who changed what, when. " +
          'Filter by `action` or `resourceType`; page with `before` (the last id of the previous page).',
        security: bearerSecurity,
        params: ProjectParams,
        querystring: ListAuditLogQuery,
        response: withProblems({ 200: Type.Object({ items: Type.Array(AuditEntryView) }, { description: 'Entries, newest first.' }) }),
      },
    },
    async (request) => ({ items: await auditLog.list(request.principal, request.params.project, request.query) }),
  );
};
