import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { AuditLogTable } from '../schema/core.tables.js';
import { json } from '../schema/columns.js';

export interface AuditEntry {
  id: number;
  at: Date;
  actorKeyId: string | null;
  projectId: string | null;
  action: string;
  resourceType: string;
  resourceId: string;
  details: Record<string, unknown>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at' | 'details'> & { details?: Record<string, unknown> };

const toEntry = (r: Selectable<AuditLogTable>): AuditEntry => ({
  id: r.id,
  at: r.at,
  actorKeyId: r.actor_key_id,
  projectId: r.project_id,
  action: r.action,
  resourceType: r.resource_type,
  resourceId: r.resource_id,
  details: r.details,
});

export class AuditLogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(entry: NewAuditEntry): Promise<AuditEntry> {
    const row = await this.db
      .insertInto('audit_log')
      .values({
        actor_key_id: entry.actorKeyId,
        project_id: entry.projectId,
        action: entry.action,
        resource_type: entry.resourceType,
        resource_id: entry.resourceId,
        details: json(entry.details ?? {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEntry(row);
  }

  /** Newest first; `beforeId` pages backwards. */
  async list(filter: {
    projectId?: string | null;
    action?: string;
    resourceType?: string;
    resourceId?: string;
    beforeId?: number;
    limit?: number;
  }): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(filter.limit ?? 100);
    if (filter.projectId !== undefined) {
      q = filter.projectId === null ? q.where('project_id', 'is', null) : q.where('project_id', '=', filter.projectId);
    }
    if (filter.action) q = q.where('action', '=', filter.action);
    if (filter.resourceType) q = q.where('resource_type', '=', filter.resourceType);
    if (filter.resourceId) q = q.where('resource_id', '=', filter.resourceId);
    if (filter.beforeId) q = q.where('id', '<', filter.beforeId);
    return (await q.execute()).map(toEntry);
  }
}
