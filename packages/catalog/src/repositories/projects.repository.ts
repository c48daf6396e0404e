import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { ProjectsTable } from '../schema/core.tables.js';
import { ConflictError, NotFoundError, isUniqueViolation } from '../errors.js';

export interface Project {
  id: string;
  name: string;
  displayName: string;
  description: string;
  createdAt: Date;
  createdBy: string | null;
}

export interface NewProject {
  name: string;
  displayName?: string;
  description?: string;
  createdBy?: string | null;
}

const toProject = (r: Selectable<ProjectsTable>): Project => ({
  id: r.id,
  name: r.name,
  displayName: r.display_name,
  description: r.description,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

export class ProjectsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: NewProject): Promise<Project> {
    try {
      const row = await this.db
        .insertInto('projects')
        .values({
          id: randomUUID(),
          name: input.name,
          display_name: input.displayName ?? input.name,
          description: input.description ?? '',
          created_by: input.createdBy ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toProject(row);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictError('ATL_PROJECT_EXISTS', `A project named '${input.name}' already exists; pick another name.`, {
          name: input.name,
        });
      }
      throw err;
    }
  }

  async findByName(name: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toProject(row);
  }

  async getByName(name: string): Promise<Project> {
    const project = await this.findByName(name);
    if (!project) throw new NotFoundError('project', name);
    return project;
  }

  async findById(id: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toProject(row);
  }

  /** Projects in name order; `ids` restricts the list (a project key sees only its own project). */
  async list(opts: { ids?: string[]; limit?: number; after?: string } = {}): Promise<Project[]> {
    let q = this.db.selectFrom('projects').selectAll().orderBy('name').limit(opts.limit ?? 100);
    if (opts.ids) {
      if (opts.ids.length === 0) return [];
      q = q.where('id', 'in', opts.ids);
    }
    if (opts.after) q = q.where('name', '>', opts.after);
    return (await q.execute()).map(toProject);
  }

  async update(id: string, patch: { displayName?: string; description?: string }): Promise<Project> {
    const row = await this.db
      .updateTable('projects')
      .set({
        ...(patch.displayName !== undefined && { display_name: patch.displayName }),
        ...(patch.description !== undefined && { description: patch.description }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError('project', id);
    return toProject(row);
  }

  async delete(id: string): Promise<void> {
    const res = await this.db.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw new NotFoundError('project', id);
  }
}
