import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { DeploymentRevisionsTable, DeploymentsTable } from '../schema/deployments.tables.js';
import { json } from '../schema/columns.js';
import { ConflictError, NotFoundError, isUniqueViolation } from '../errors.js';
import { inTransaction } from './transaction.js';

/** Traffic to a model version, by number or through an alias (resolved by serving). */
export interface DeploymentRoute {
  version?: number;
  alias?: string;
  weight: number;
}

/** A version that receives a copy of traffic; its answers are logged, never returned. */
export interface DeploymentShadow {
  version?: number;
  alias?: string;
}

/** What a revision routes. Other keys (pool, batching, replicas) are kept as given. */
export interface DeploymentSpec {
  routes: DeploymentRoute[];
  shadows?: DeploymentShadow[];
  [key: string]: unknown;
}

export interface Deployment {
  id: string;
  projectId: string;
  name: string;
  modelId: string;
  currentRevision: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface DeploymentRevision {
  id: string;
  deploymentId: string;
  revision: number;
  spec: DeploymentSpec;
  createdAt: Date;
  createdBy: string | null;
}

export interface NewDeployment {
  projectId: string;
  name: string;
  modelId: string;
  spec: DeploymentSpec;
  createdBy?: string | null;
}

const toDeployment = (r: Selectable<DeploymentsTable>): Deployment => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  modelId: r.model_id,
  currentRevision: r.current_revision,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toRevision = (r: Selectable<DeploymentRevisionsTable>): DeploymentRevision => ({
  id: r.id,
  deploymentId: r.deployment_id,
  revision: r.revision,
  spec: r.spec as DeploymentSpec,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** Every version reference (routes and shadows) in a stored spec, ignoring malformed entries. */
export function routedVersionRefs(spec: unknown): Array<{ version?: number; alias?: string }> {
  const refs: Array<{ version?: number; alias?: string }> = [];
  const s = (spec ?? {}) as { routes?: unknown; shadows?: unknown };
  for (const list of [s.routes, s.shadows]) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { version, alias } = entry as { version?: unknown; alias?: unknown };
      refs.push({
        ...(typeof version === 'number' && { version }),
        ...(typeof alias === 'string' && { alias }),
      });
    }
  }
  return refs;
}

export class DeploymentsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Create a deployment of a model of the same project, with `spec` as revision 1. */
  async create(input: NewDeployment): Promise<{ deployment: Deployment; revision: DeploymentRevision }> {
    try {
      return await inTransaction(this.db, async (tx) => {
        await shareModel(tx, input.modelId, input.projectId);
        const deployment = await tx
          .insertInto('deployments')
          .values({
            id: randomUUID(),
            project_id: input.projectId,
            name: input.name,
            model_id: input.modelId,
            current_revision: 1,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const revision = await tx
          .insertInto('deployment_revisions')
          .values({
            id: randomUUID(),
            deployment_id: deployment.id,
            revision: 1,
            spec: json(input.spec),
            created_by: input.createdBy ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { deployment: toDeployment(deployment), revision: toRevision(revision) };
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictError(
          'ATL_DEPLOYMENT_EXISTS',
          `A deployment named '${input.name}' already exists in this project; add a revision to it, or pick another name.`,
          { name: input.name },
        );
      }
      throw err;
    }
  }

  /**
   * Make `spec` the deployment's new current revision (next number). The deployment row is locked
   * for the transaction, so concurrent changes get consecutive revisions and `currentRevision` always
   * names the newest.
   */
  async addRevision(deploymentId: string, spec: DeploymentSpec, actor: string | null): Promise<DeploymentRevision> {
    return inTransaction(this.db, async (tx) => {
      const deployment = await tx
        .selectFrom('deployments')
        .select(['id', 'model_id', 'project_id'])
        .where('id', '=', deploymentId)
        .forUpdate()
        .executeTakeFirst();
      if (!deployment) throw new NotFoundError('deployment', deploymentId);
      // Versions are deleted under the model row's exclusive lock: none disappears under this revision.
      await shareModel(tx, deployment.model_id, deployment.project_id);
      const { last } = await tx
        .selectFrom('deployment_revisions')
        .select(sql<number>`coalesce(max(revision), 0)::int`.as('last'))
        .where('deployment_id', '=', deploymentId)
        .executeTakeFirstOrThrow();
      const revision = await tx
        .insertInto('deployment_revisions')
        .values({
          id: randomUUID(),
          deployment_id: deploymentId,
          revision: last + 1,
          spec: json(spec),
          created_by: actor,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('deployments')
        .set({ current_revision: last + 1, updated_at: sql`now()` })
        .where('id', '=', deploymentId)
        .execute();
      return toRevision(revision);
    });
  }

  /** Roll back by moving forward: a new revision with the spec of `toRevision`. History stays intact. */
  async rollback(deploymentId: string, toRevision: number, actor: string | null): Promise<DeploymentRevision> {
    return inTransaction(this.db, async (tx) => {
      const repo = new DeploymentsRepository(tx);
      const target = await repo.getRevision(deploymentId, toRevision);
      return repo.addRevision(deploymentId, target.spec, actor);
    });
  }

  async findByName(projectId: string, name: string): Promise<Deployment | undefined> {
    const row = await this.db
      .selectFrom('deployments')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toDeployment(row);
  }

  async getByName(projectId: string, name: string): Promise<Deployment> {
    const found = await this.findByName(projectId, name);
    if (!found) throw new NotFoundError('deployment', name);
    return found;
  }

  async findById(id: string): Promise<Deployment | undefined> {
    const row = await this.db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDeployment(row);
  }

  async getById(id: string): Promise<Deployment> {
    const found = await this.findById(id);
    if (!found) throw new NotFoundError('deployment', id);
    return found;
  }

  /** Deployments of a project (optionally of one model) in name order. */
  async list(projectId: string, opts: { modelId?: string; limit?: number; after?: string } = {}): Promise<Deployment[]> {
    let q = this.db
      .selectFrom('deployments')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('name')
      .limit(opts.limit ?? 100);
    if (opts.modelId) q = q.where('model_id', '=', opts.modelId);
    if (opts.after) q = q.where('name', '>', opts.after);
    return (await q.execute()).map(toDeployment);
  }

  /**
   * Every deployment with its current spec, in one query: what a serving node reconciles against
   * (optionally one project's).
   */
  async listCurrent(opts: { projectId?: string } = {}): Promise<Array<{ deployment: Deployment; spec: DeploymentSpec }>> {
    let q = this.db
      .selectFrom('deployments as d')
      .innerJoin('deployment_revisions as r', (j) =>
        j.onRef('r.deployment_id', '=', 'd.id').onRef('r.revision', '=', 'd.current_revision'),
      )
      .selectAll('d')
      .select('r.spec')
      .orderBy('d.project_id')
      .orderBy('d.name');
    if (opts.projectId) q = q.where('d.project_id', '=', opts.projectId);
    return (await q.execute()).map(({ spec, ...d }) => ({ deployment: toDeployment(d), spec: spec as DeploymentSpec }));
  }

  /** Newest first. */
  async listRevisions(deploymentId: string, opts: { limit?: number; beforeRevision?: number } = {}): Promise<DeploymentRevision[]> {
    let q = this.db
      .selectFrom('deployment_revisions')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .orderBy('revision', 'desc')
      .limit(opts.limit ?? 100);
    if (opts.beforeRevision !== undefined) q = q.where('revision', '<', opts.beforeRevision);
    return (await q.execute()).map(toRevision);
  }

  async getRevision(deploymentId: string, revision: number): Promise<DeploymentRevision> {
    const row = await this.db
      .selectFrom('deployment_revisions')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .where('revision', '=', revision)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('deployment revision', String(revision));
    return toRevision(row);
  }

  /** The spec of the current revision. */
  async currentSpec(deploymentId: string): Promise<DeploymentSpec> {
    const row = await this.db
      .selectFrom('deployments as d')
      .innerJoin('deployment_revisions as r', (j) =>
        j.onRef('r.deployment_id', '=', 'd.id').onRef('r.revision', '=', 'd.current_revision'),
      )
      .select('r.spec')
      .where('d.id', '=', deploymentId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('deployment', deploymentId);
    return row.spec as DeploymentSpec;
  }

  /** Delete a deployment and its revisions. */
  async delete(deploymentId: string): Promise<void> {
    const res = await this.db.deleteFrom('deployments').where('id', '=', deploymentId).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw new NotFoundError('deployment', deploymentId);
  }
}

/** Share-lock the model row (it must belong to the project): serializes with `models.deleteVersion`. */
async function shareModel(tx: Kysely<Database>, modelId: string, projectId: string): Promise<void> {
  const row = await tx
    .selectFrom('models')
    .select('id')
    .where('id', '=', modelId)
    .where('project_id', '=', projectId)
    .forShare()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('model', modelId);
}
