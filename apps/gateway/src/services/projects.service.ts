// Rules for projects: only platform admins create them; a project key sees only its own project.
import type { Catalog, Project } from '@atelier/catalog';
import { assertCan, assertPlatformAdmin, isPlatformAdmin, type Principal } from '../auth/principal.js';
import { Errors } from '../errors.js';

export class ProjectsService {
  constructor(private readonly catalog: Catalog) {}

  async create(principal: Principal, input: { name: string; displayName?: string; description?: string }): Promise<Project> {
    assertPlatformAdmin(principal, 'create projects (a platform admin key is needed)');
    return this.catalog.transaction(async (tx) => {
      const project = await tx.projects.create({ ...input, createdBy: principal.keyId });
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'project.create',
        resourceType: 'project',
        resourceId: project.id,
        details: { name: project.name },
      });
      return project;
    });
  }

  async list(principal: Principal, opts: { limit?: number; after?: string }): Promise<Project[]> {
    if (principal.projectId === null) return this.catalog.projects.list(opts);
    return this.catalog.projects.list({ ...opts, ids: [principal.projectId] });
  }

  /** The project by name, if the caller may read it (unknown → 404, not theirs → 403). */
  async get(principal: Principal, name: string, permission: 'read' | 'write' | 'admin' = 'read'): Promise<Project> {
    const project = await this.catalog.projects.findByName(name);
    if (!project) {
      if (!isPlatformAdmin(principal) && principal.projectId !== null) throw Errors.forbidden(`read project '${name}'`);
      throw Errors.notFound('ATL_PROJECT_NOT_FOUND', `Project '${name}' does not exist. List projects with GET /v1/projects.`);
    }
    assertCan(principal, permission, project);
    return project;
  }

  async update(principal: Principal, name: string, patch: { displayName?: string; description?: string }): Promise<Project> {
    const project = await this.get(principal, name, 'admin');
    return this.catalog.transaction(async (tx) => {
      const updated = await tx.projects.update(project.id, patch);
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'project.update',
        resourceType: 'project',
        resourceId: project.id,
        details: patch,
      });
      return updated;
    });
  }
}
