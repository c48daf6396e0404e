// The audit log, read back: a project's entries only, for its admins (and platform admins).
import type { AuditEntry, Catalog } from '@atelier/catalog';
import type { Principal } from '../auth/principal.js';
import type { ProjectsService } from './projects.service.js';

export interface AuditEntryWithActor extends Omit<AuditEntry, 'actorKeyId' | 'projectId'> {
  actor: { keyId: string; name: string | null; prefix: string | null } | null;
}

export class AuditLogService {
  constructor(
    private readonly catalog: Catalog,
    private readonly projects: ProjectsService,
  ) {}

  async list(
    principal: Principal,
    projectName: string,
    query: { action?: string; resourceType?: string; limit?: number; before?: number },
  ): Promise<AuditEntryWithActor[]> {
    const project = await this.projects.get(principal, projectName, 'admin');
    const entries = await this.catalog.audit.list({
      projectId: project.id,
      action: query.action,
      resourceType: query.resourceType,
      beforeId: query.before,
      limit: query.limit ?? 100,
    });
    // Names come from this project's keys only: a platform key's id is shown, not its name.
    const keys = new Map((await this.catalog.apiKeys.list(project.id, { includeRevoked: true })).map((k) => [k.id, k]));
    return entries.map(({ actorKeyId, projectId: _projectId, ...entry }) => {
      const key = actorKeyId ? keys.get(actorKeyId) : undefined;
      return { ...entry, actor: actorKeyId ? { keyId: actorKeyId, name: key?.name ?? null, prefix: key?.prefix ?? null } : null };
    });
  }
}
