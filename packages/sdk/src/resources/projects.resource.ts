// Projects (the isolation boundary) and their API keys.
import { type Core, unwrap } from '../core.js';
import { paged, type Paged } from '../paging.js';
import type { ApiKeyBody, ApiKeyView, CreatedApiKeyView, ProjectBody, ProjectPatch, ProjectView } from '../schemas.js';
import type { CallOptions } from '../transport.js';

export interface ListOptions extends CallOptions {
  /** Items per request (the route's maximum is 500). */
  pageSize?: number;
}

export class ProjectsResource {
  constructor(private readonly core: Core) {}

  /** Every project the key can see, by name. */
  list(opts?: ListOptions): Paged<ProjectView> {
    return paged<ProjectView, string>(async (after) => {
      const page = await unwrap(this.core.raw.GET('/v1/projects', { params: { query: { limit: opts?.pageSize, after } }, ...this.core.init(opts) }));
      return { items: page.items, next: page.next };
    });
  }

  async create(body: ProjectBody, opts?: CallOptions): Promise<ProjectView> {
    return unwrap(this.core.raw.POST('/v1/projects', { body, ...this.core.init(opts) }));
  }

  async get(name: string, opts?: CallOptions): Promise<ProjectView> {
    return unwrap(this.core.raw.GET('/v1/projects/{project}', { params: { path: { project: name } }, ...this.core.init(opts) }));
  }

  async update(name: string, patch: ProjectPatch, opts?: CallOptions): Promise<ProjectView> {
    return unwrap(this.core.raw.PATCH('/v1/projects/{project}', { params: { path: { project: name } }, body: patch, ...this.core.init(opts) }));
  }
}

export class ApiKeysResource {
  constructor(private readonly core: Core) {}

  /** A new key; `key` is the secret, shown only in this answer. */
  async create(body: ApiKeyBody, opts?: CallOptions): Promise<CreatedApiKeyView> {
    return unwrap(this.core.raw.POST('/v1/projects/{project}/api-keys', { params: { path: { project: this.core.project(opts) } }, body, ...this.core.init(opts) }));
  }

  async list(query?: { includeRevoked?: boolean }, opts?: CallOptions): Promise<ApiKeyView[]> {
    const page = await unwrap(
      this.core.raw.GET('/v1/projects/{project}/api-keys', { params: { path: { project: this.core.project(opts) }, query: { includeRevoked: query?.includeRevoked } }, ...this.core.init(opts) }),
    );
    return page.items;
  }

  async revoke(keyId: string, opts?: CallOptions): Promise<ApiKeyView> {
    return unwrap(this.core.raw.POST('/v1/projects/{project}/api-keys/{keyId}/revoke', { params: { path: { project: this.core.project(opts), keyId } }, ...this.core.init(opts) }));
  }
}
