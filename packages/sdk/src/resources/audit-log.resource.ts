// The audit log of the client's project (project admins): who changed what, when, newest first.
import { type Core, unwrap } from '../core.js';
import { pagedByLastItem, type Paged } from '../paging.js';
import type { AuditEntryView } from '../schemas.js';
import type { ListOptions } from './projects.resource.js';

export class AuditLogResource {
  constructor(private readonly core: Core) {}

  /**
   * Entries, newest first, optionally of one action (`api-key.create`) or resource type (`deployment`);
   * `before` starts below an entry id (the last one a previous listing showed).
   */
  list(query?: { action?: string; resourceType?: string; before?: number }, opts?: ListOptions): Paged<AuditEntryView> {
    const project = () => this.core.project(opts);
    return pagedByLastItem<AuditEntryView, number>(
      opts?.pageSize ?? 100,
      async (before, limit) =>
        (
          await unwrap(
            this.core.raw.GET('/v1/projects/{project}/audit-log', {
              params: { path: { project: project() }, query: { action: query?.action, resourceType: query?.resourceType, limit, before: before ?? query?.before } },
              ...this.core.init(opts),
            }),
          )
        ).items,
      (last) => last.id,
    );
  }
}
