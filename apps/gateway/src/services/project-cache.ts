// Project lookups for the hot read routes (predict, rank, online features), cached briefly by name so a
// call costs no catalog round trip; the caller's permission is still checked on every hit.
import type { Project } from '@atelier/catalog';
import { assertCan, type Principal } from '../auth/principal.js';
import type { ProjectsService } from './projects.service.js';

export class ProjectCache {
  private readonly entries = new Map<string, { project: Project; until: number }>();

  constructor(
    private readonly projects: ProjectsService,
    private readonly ttlMs = 2000,
  ) {}

  /** The project from the cache (permission checked), or undefined when it must be looked up. */
  cached(principal: Principal, name: string): Project | undefined {
    const hit = this.entries.get(name);
    if (hit === undefined || hit.until <= Date.now()) return undefined;
    assertCan(principal, 'read', hit.project);
    return hit.project;
  }

  async get(principal: Principal, name: string): Promise<Project> {
    const hit = this.cached(principal, name);
    if (hit) return hit;
    const project = await this.projects.get(principal, name, 'read');
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(name, { project, until: Date.now() + this.ttlMs });
    return project;
  }
}
