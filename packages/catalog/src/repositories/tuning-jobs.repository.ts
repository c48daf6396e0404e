// Tuning jobs: a leased study (claimed with SKIP LOCKED by one orchestrator's tuning controller at a
// time; a controller that dies loses its lease and another resumes the study), its event log, and its
// trials — training jobs with `tuning_job_id` + `trial_index` (unique: a trial is created once).
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { JobStatus, TrainingJobsTable, TuningEventsTable, TuningJobsTable } from '../schema/training.tables.js';
import { json } from '../schema/columns.js';
import { CatalogError, NotFoundError } from '../errors.js';
import { timeOrderedId } from './time-ordered-id.js';
import { toTrainingJob, type TrainingJob } from './training-jobs.repository.js';

export interface TuningJob {
  id: string;
  projectId: string;
  modelName: string;
  spec: Record<string, unknown>;
  status: JobStatus;
  attempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  error: string | null;
  cancelRequestedAt: Date | null;
  bestTrialIndex: number | null;
  bestObjective: number | null;
  modelVersionId: string | null;
  createdAt: Date;
  createdBy: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface TuningEvent {
  id: number;
  tuningJobId: string;
  at: Date;
  type: string;
  payload: Record<string, unknown>;
}

export interface NewTrial {
  tuningJobId: string;
  projectId: string;
  modelName: string;
  index: number;
  params: Record<string, unknown>;
  spec: Record<string, unknown>;
  device: 'cpu' | 'gpu' | 'auto';
  priority?: number;
  maxAttempts?: number;
  createdBy?: string | null;
}

const toTuningJob = (r: Selectable<TuningJobsTable>): TuningJob => ({
  id: r.id,
  projectId: r.project_id,
  modelName: r.model_name,
  spec: r.spec,
  status: r.status,
  attempts: r.attempts,
  leaseOwner: r.lease_owner,
  leaseExpiresAt: r.lease_expires_at,
  error: r.error,
  cancelRequestedAt: r.cancel_requested_at,
  bestTrialIndex: r.best_trial_index,
  bestObjective: r.best_objective === null ? null : Number(r.best_objective),
  modelVersionId: r.model_version_id,
  createdAt: r.created_at,
  createdBy: r.created_by,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  updatedAt: r.updated_at,
});

const toEvent = (r: Selectable<TuningEventsTable>): TuningEvent => ({ id: Number(r.id), tuningJobId: r.tuning_job_id, at: r.at, type: r.type, payload: r.payload });

const nowPlus = (ms: number) => sql<Date>`now() + make_interval(secs => ${ms}::float8 / 1000)`;

export class TuningJobsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: { projectId: string; modelName: string; spec: Record<string, unknown>; createdBy?: string | null }): Promise<TuningJob> {
    const row = await this.db
      .insertInto('tuning_jobs')
      .values({ id: timeOrderedId(), project_id: input.projectId, model_name: input.modelName, spec: json(input.spec), status: 'queued', created_by: input.createdBy ?? null })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTuningJob(row);
  }

  async findById(id: string): Promise<TuningJob | undefined> {
    const row = await this.db.selectFrom('tuning_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTuningJob(row);
  }

  async get(id: string): Promise<TuningJob> {
    const job = await this.findById(id);
    if (!job) throw new NotFoundError('tuning job', id);
    return job;
  }

  /** A project's tuning jobs, newest first; `before` (an id from the previous page) pages backwards. */
  async list(projectId: string, opts: { status?: JobStatus; limit?: number; before?: string } = {}): Promise<TuningJob[]> {
    let q = this.db.selectFrom('tuning_jobs').selectAll().where('project_id', '=', projectId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit ?? 50);
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.before) q = q.where(sql<boolean>`(created_at, id) < (select b.created_at, b.id from tuning_jobs b where b.id = ${opts.before})`);
    return (await q.execute()).map(toTuningJob);
  }

  /**
   * Lease the next study for this controller: queued, or running with an expired lease (its
   * controller died; the study resumes from what the catalog holds). One statement, SKIP LOCKED.
   */
  async claimNext(ownerId: string, leaseMs: number): Promise<TuningJob | undefined> {
    if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new CatalogError('ATL_INVALID_ARGUMENT', `leaseMs must be positive, got ${leaseMs}`);
    const { rows } = await sql<Selectable<TuningJobsTable>>`
      update tuning_jobs set
        status = 'running', lease_owner = ${ownerId}, lease_expires_at = ${nowPlus(leaseMs)},
        attempts = attempts + 1, started_at = coalesce(started_at, now()), updated_at = now()
      where id = (
        select id from tuning_jobs
        where status = 'queued' or (status = 'running' and lease_expires_at < now())
        order by created_at, id
        limit 1
        for update skip locked
      )
      returning *`.execute(this.db);
    return rows[0] && toTuningJob(rows[0]);
  }

  /** false when this controller no longer holds the study. */
  async renewLease(id: string, ownerId: string, leaseMs: number): Promise<boolean> {
    const res = await this.db
      .updateTable('tuning_jobs')
      .set({ lease_expires_at: nowPlus(leaseMs), updated_at: sql`now()` })
      .where('id', '=', id)
      .where('lease_owner', '=', ownerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Stop holding the study without settling it (controller shutdown): another controller claims it at once. */
  async release(id: string, ownerId: string): Promise<void> {
    await this.db
      .updateTable('tuning_jobs')
      .set({ lease_expires_at: sql`now() - interval '1 millisecond'`, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('lease_owner', '=', ownerId)
      .where('status', '=', 'running')
      .execute();
  }

  /** The best trial so far (lease-checked). */
  async recordBest(id: string, ownerId: string, trialIndex: number, objective: number): Promise<boolean> {
    const res = await this.db
      .updateTable('tuning_jobs')
      .set({ best_trial_index: trialIndex, best_objective: objective, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('lease_owner', '=', ownerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Settle the study (lease-checked); undefined when the lease was lost. */
  async finish(
    id: string,
    ownerId: string,
    outcome: { status: 'succeeded' | 'failed' | 'cancelled'; error?: string | null; modelVersionId?: string | null },
  ): Promise<TuningJob | undefined> {
    const row = await this.db
      .updateTable('tuning_jobs')
      .set({
        status: outcome.status,
        error: outcome.error ?? null,
        ...(outcome.modelVersionId !== undefined && { model_version_id: outcome.modelVersionId }),
        lease_expires_at: null,
        finished_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('id', '=', id)
      .where('lease_owner', '=', ownerId)
      .where('status', '=', 'running')
      .returningAll()
      .executeTakeFirst();
    return row && toTuningJob(row);
  }

  /** A queued study is cancelled at once; a running one gets `cancelRequestedAt` and its controller stops the trials. */
  async requestCancel(id: string): Promise<TuningJob> {
    const { rows } = await sql<Selectable<TuningJobsTable>>`
      update tuning_jobs set
        cancel_requested_at = coalesce(cancel_requested_at, now()),
        status = case when status = 'queued' then 'cancelled' else status end,
        finished_at = case when status = 'queued' then now() else finished_at end,
        updated_at = now()
      where id = ${id} and status in ('queued', 'running')
      returning *`.execute(this.db);
    return rows[0] ? toTuningJob(rows[0]) : this.get(id);
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    const rows = await this.db.selectFrom('tuning_jobs').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status').execute();
    const counts: Record<JobStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  /** Studies that are running, with their best objective (the /metrics gauge). */
  async listActive(limit = 200): Promise<TuningJob[]> {
    const rows = await this.db.selectFrom('tuning_jobs').selectAll().where('status', 'in', ['queued', 'running']).orderBy('created_at').limit(limit).execute();
    return rows.map(toTuningJob);
  }

  /** Trials by state across every study: a trial is `stopped` when ASHA stopped it. */
  async trialCountsByState(): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('training_jobs')
      .select([sql<string>`case when trial_stop is not null then 'stopped' else status end`.as('state'), (eb) => eb.fn.countAll<string>().as('n')])
      .where('tuning_job_id', 'is not', null)
      .groupBy(sql`1`)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  }

  /** The study's trials, by index. */
  async trials(tuningJobId: string): Promise<TrainingJob[]> {
    const rows = await this.db.selectFrom('training_jobs').selectAll().where('tuning_job_id', '=', tuningJobId).orderBy('trial_index').execute();
    return rows.map((r) => toTrainingJob(r as Selectable<TrainingJobsTable>));
  }

  /**
   * Create trial `index` as a queued training job, unless it exists (a resumed controller re-proposing
   * it): returns the stored trial and whether this call created it.
   */
  async createTrial(t: NewTrial): Promise<{ trial: TrainingJob; created: boolean }> {
    const inserted = await this.db
      .insertInto('training_jobs')
      .values({
        id: timeOrderedId(),
        project_id: t.projectId,
        model_name: t.modelName,
        spec: json(t.spec),
        status: 'queued',
        device: t.device,
        priority: t.priority ?? 0,
        max_attempts: t.maxAttempts ?? 3,
        created_by: t.createdBy ?? null,
        tuning_job_id: t.tuningJobId,
        trial_index: t.index,
        trial_params: json(t.params),
      })
      .onConflict((oc) => oc.columns(['tuning_job_id', 'trial_index']).where('tuning_job_id', 'is not', null).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { trial: toTrainingJob(inserted), created: true };
    const row = await this.db.selectFrom('training_jobs').selectAll().where('tuning_job_id', '=', t.tuningJobId).where('trial_index', '=', t.index).executeTakeFirstOrThrow();
    return { trial: toTrainingJob(row), created: false };
  }

  /** The highest rung a trial passed (ASHA promotion); never moves down. */
  async recordTrialRung(trainingJobId: string, rung: number): Promise<void> {
    await this.db.updateTable('training_jobs').set({ trial_rung: sql`greatest(trial_rung, ${rung})`, updated_at: sql`now()` }).where('id', '=', trainingJobId).execute();
  }

  /** Mark a trial as stopped by ASHA (before its cancel is requested, so a crash in between keeps the reason). */
  async recordTrialStop(trainingJobId: string, stop: Record<string, unknown>): Promise<void> {
    await this.db.updateTable('training_jobs').set({ trial_stop: json(stop), updated_at: sql`now()` }).where('id', '=', trainingJobId).where('trial_stop', 'is', null).execute();
  }

  async appendEvent(tuningJobId: string, type: string, payload: Record<string, unknown>): Promise<TuningEvent> {
    const row = await this.db.insertInto('tuning_events').values({ tuning_job_id: tuningJobId, type, payload: json(payload) }).returningAll().executeTakeFirstOrThrow();
    return toEvent(row);
  }

  async listEvents(tuningJobId: string, opts: { afterId?: number; limit?: number; type?: string } = {}): Promise<TuningEvent[]> {
    let q = this.db.selectFrom('tuning_events').selectAll().where('tuning_job_id', '=', tuningJobId).orderBy('id').limit(opts.limit ?? 1000);
    if (opts.afterId !== undefined) q = q.where('id', '>', opts.afterId);
    if (opts.type) q = q.where('type', '=', opts.type);
    return (await q.execute()).map(toEvent);
  }
}
