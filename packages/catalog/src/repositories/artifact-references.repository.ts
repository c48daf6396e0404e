// Which stored objects rows point at: what the gateway's artifact collector asks before it removes
// bytes. Dataset versions own their `artifact_key`, model versions their `bundle_key`, and a job that
// has not finished its checkpoints, a trial of an unfinished tuning job its bundle; everything else under those layouts is garbage once old enough.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { JobStatus } from '../schema/training.tables.js';

/** The row whose versions may point at an object: new versions are inserted under its lock. */
export type ArtifactOwner = { kind: 'dataset'; id: string } | { kind: 'model'; id: string };

export class ArtifactReferencesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The subset of `keys` that a dataset version or a model version points at. */
  async referenced(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const list = [...keys];
    const [datasets, models, trials] = await Promise.all([
      this.db.selectFrom('dataset_versions').select('artifact_key as key').where('artifact_key', 'in', list).execute(),
      this.db.selectFrom('model_versions').select('bundle_key as key').where('bundle_key', 'in', list).execute(),
      // A trial's bundle waits for its study to register the best one: kept while the study is not finished.
      this.db
        .selectFrom('training_jobs as t')
        .innerJoin('tuning_jobs as s', 's.id', 't.tuning_job_id')
        .select(sql<string>`t.metrics->'trialBundle'->>'key'`.as('key'))
        .where('s.status', 'in', ['queued', 'running'])
        .where(sql`t.metrics->'trialBundle'->>'key'`, 'in', list)
        .execute(),
    ]);
    return new Set([...datasets, ...models, ...trials].map((r) => r.key));
  }

  /**
   * Locks the owner row until the transaction ends (dataset and model versions are inserted under
   * this same lock), so a version cannot appear between the collector's last check and its delete.
   * False when the owner no longer exists: then no version can ever point at the object.
   */
  async lockOwner(owner: ArtifactOwner): Promise<boolean> {
    const table = owner.kind === 'dataset' ? 'datasets' : 'models';
    const row = await this.db.selectFrom(table).select('id').where('id', '=', owner.id).forUpdate().executeTakeFirst();
    return row !== undefined;
  }

  /** The status of each of `jobIds` that still exists. */
  async jobStatuses(jobIds: readonly string[]): Promise<Map<string, JobStatus>> {
    if (jobIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('training_jobs').select(['id', 'status']).where('id', 'in', [...jobIds]).execute();
    return new Map(rows.map((r) => [r.id, r.status]));
  }
}
