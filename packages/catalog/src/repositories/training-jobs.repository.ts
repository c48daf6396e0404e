import { timeOrderedId } from './time-ordered-id.js';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { JobEventPayloads } from '@atelier/contracts';
import type { Database } from '../database.js';
import type {
  JobDevice,
  JobEventsTable,
  JobEventType,
  JobStatus,
  TrainingJobsTable,
  WorkersTable,
} from '../schema/training.tables.js';
import { json } from '../schema/columns.js';
import { CatalogError, NotFoundError } from '../errors.js';

export interface TrainingJob {
  id: string;
  projectId: string;
  modelName: string;
  spec: Record<string, unknown>;
  status: JobStatus;
  device: JobDevice;
  priority: number;
  attempts: number;
  maxAttempts: number;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  waitingReason: string | null;
  error: string | null;
  cancelRequestedAt: Date | null;
  checkpointKey: string | null;
  checkpointEpoch: number | null;
  metrics: Record<string, unknown>;
  modelVersionId: string | null;
  createdAt: Date;
  createdBy: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
  /** Trials of a tuning job: the study, the index, the point searched (null for other jobs). */
  tuningJobId: string | null;
  trialIndex: number | null;
  trialParams: Record<string, unknown> | null;
  /** Highest ASHA rung passed (−1: none). */
  trialRung: number;
  /** Why ASHA stopped the trial. */
  trialStop: Record<string, unknown> | null;
}

export interface NewTrainingJob {
  projectId: string;
  modelName: string;
  spec: Record<string, unknown>;
  device?: JobDevice;
  /** Higher runs first (default 0). */
  priority?: number;
  /** How many leases may expire before the job is failed (default 3). */
  maxAttempts?: number;
  createdBy?: string | null;
}

export interface ClaimOptions {
  leaseMs: number;
  capabilities: { gpus: number };
}

export type FinalJobStatus = 'succeeded' | 'failed' | 'cancelled';

export interface JobOutcome {
  status: FinalJobStatus;
  error?: string | null;
  modelVersionId?: string | null;
  /** Merged into the job's metrics. */
  metrics?: Record<string, unknown>;
}

export interface JobEvent {
  /** Monotonic per database; doubles as the SSE event id (Last-Event-ID). */
  id: number;
  jobId: string;
  at: Date;
  type: JobEventType;
  payload: Record<string, unknown>;
}

export interface WorkerCapabilities {
  cores: number;
  gpus: number;
  [k: string]: unknown;
}

export interface Worker {
  id: string;
  hostname: string;
  capabilities: WorkerCapabilities;
  startedAt: Date;
  lastHeartbeatAt: Date;
}

export const toTrainingJob = (r: Selectable<TrainingJobsTable>): TrainingJob => ({
  id: r.id,
  projectId: r.project_id,
  modelName: r.model_name,
  spec: r.spec,
  status: r.status,
  device: r.device,
  priority: r.priority,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  leaseOwner: r.lease_owner,
  leaseExpiresAt: r.lease_expires_at,
  waitingReason: r.waiting_reason,
  error: r.error,
  cancelRequestedAt: r.cancel_requested_at,
  checkpointKey: r.checkpoint_key,
  checkpointEpoch: r.checkpoint_epoch,
  metrics: r.metrics,
  modelVersionId: r.model_version_id,
  createdAt: r.created_at,
  createdBy: r.created_by,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  updatedAt: r.updated_at,
  tuningJobId: r.tuning_job_id ?? null,
  trialIndex: r.trial_index ?? null,
  trialParams: r.trial_params ?? null,
  trialRung: r.trial_rung ?? -1,
  trialStop: r.trial_stop ?? null,
});

const toEvent = (r: Selectable<JobEventsTable>): JobEvent => ({
  id: r.id,
  jobId: r.job_id,
  at: r.at,
  type: r.type,
  payload: r.payload,
});

const toWorker = (r: Selectable<WorkersTable>): Worker => ({
  id: r.id,
  hostname: r.hostname,
  capabilities: r.capabilities,
  startedAt: r.started_at,
  lastHeartbeatAt: r.last_heartbeat_at,
});

/** `now() + ms`, computed by the database so every worker's lease uses one clock. */
const nowPlus = (ms: number) => sql<Date>`now() + make_interval(secs => ${ms}::float8 / 1000)`;

function checkMs(name: string, ms: number): void {
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new CatalogError('ATL_INVALID_ARGUMENT', `${name} must be a positive number of milliseconds, got ${ms}`);
  }
}

export class TrainingJobsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: NewTrainingJob): Promise<TrainingJob> {
    const row = await this.db
      .insertInto('training_jobs')
      .values({
        id: timeOrderedId(),
        project_id: input.projectId,
        model_name: input.modelName,
        spec: json(input.spec),
        status: 'queued',
        device: input.device ?? 'auto',
        priority: input.priority ?? 0,
        max_attempts: input.maxAttempts ?? 3,
        created_by: input.createdBy ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toTrainingJob(row);
  }

  async findById(id: string): Promise<TrainingJob | undefined> {
    const row = await this.db.selectFrom('training_jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTrainingJob(row);
  }

  async get(id: string): Promise<TrainingJob> {
    const job = await this.findById(id);
    if (!job) throw new NotFoundError('training job', id);
    return job;
  }

  /** A project's jobs, newest first; `before` (a job id from the previous page) pages backwards. */
  async list(
    projectId: string,
    opts: { status?: JobStatus | JobStatus[]; limit?: number; before?: string; type?: string; modelName?: string } = {},
  ): Promise<TrainingJob[]> {
    let q = this.db
      .selectFrom('training_jobs')
      .selectAll()
      .where('project_id', '=', projectId)
      .$if(opts.type !== undefined, (qb) => qb.where(sql<string>`spec->>'type'`, '=', opts.type!))
      .$if(opts.modelName !== undefined, (qb) => qb.where('model_name', '=', opts.modelName!))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(opts.limit ?? 50);
    if (opts.status !== undefined) {
      const statuses = Array.isArray(opts.status) ? opts.status : [opts.status];
      if (statuses.length === 0) return [];
      q = q.where('status', 'in', statuses);
    }
    if (opts.before) {
      // Compare in the database: a JS Date would drop the microseconds of created_at.
      q = q.where(
        sql<boolean>`(created_at, id) < (select b.created_at, b.id from training_jobs b where b.id = ${opts.before})`,
      );
    }
    return (await q.execute()).map(toTrainingJob);
  }

  /**
   * Settle running jobs whose lease expired and that may not run again: failed with
   * "exceeded max_attempts (N): last lease expired", or cancelled when a cancel was pending. Each gets
   * a `state` event in the same statement. Returns the ids settled. `claimNext` calls this first.
   */
  async failExhausted(): Promise<string[]> {
    const { rows } = await sql<{ job_id: string }>`
      with settled as (
        update training_jobs set
          status = case when cancel_requested_at is not null then 'cancelled' else 'failed' end,
          error = case when cancel_requested_at is not null
                       then 'cancelled: its worker stopped before acknowledging the cancel request'
                       else 'exceeded max_attempts (' || max_attempts || '): last lease expired' end,
          lease_expires_at = null,
          finished_at = now(),
          updated_at = now()
        where status = 'running'
          and lease_expires_at < now()
          and (attempts >= max_attempts or cancel_requested_at is not null)
        returning id, status, error
      )
      insert into job_events (job_id, type, payload)
      select id, 'state', jsonb_build_object('status', status, 'error', error) from settled
      returning job_id`.execute(this.db);
    return rows.map((r) => r.job_id);
  }

  /** How many jobs are in each state, in one grouped query (the orchestrator's jobs gauge). */
  async countByStatus(): Promise<Record<JobStatus, number>> {
    const rows = await this.db.selectFrom('training_jobs').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('status').execute();
    const counts: Record<JobStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  /**
   * Lease the next job for this worker, or undefined when none fits. One statement picks, locks
   * (`FOR UPDATE SKIP LOCKED`, so racing workers never get the same job) and leases the job that is
   * `queued`, or `running` with an expired lease (its worker died), with attempts left.
   *
   * Placement: `gpu` jobs go only to workers with GPUs. A GPU worker takes `gpu`/`auto` jobs before
   * `cpu` ones; a CPU worker takes `cpu` jobs before `auto` ones (leaving them to GPU workers while it
   * has other work). Within that: highest priority, then oldest.
   */
  async claimNext(workerId: string, opts: ClaimOptions): Promise<TrainingJob | undefined> {
    checkMs('leaseMs', opts.leaseMs);
    await this.failExhausted();
    const hasGpu = opts.capabilities.gpus > 0;
    const devices = hasGpu ? sql`('cpu', 'gpu', 'auto')` : sql`('cpu', 'auto')`;
    const placement = hasGpu
      ? sql`case when device = 'cpu' then 1 else 0 end`
      : sql`case when device = 'auto' then 1 else 0 end`;
    const { rows } = await sql<Selectable<TrainingJobsTable>>`
      update training_jobs set
        status = 'running',
        lease_owner = ${workerId},
        lease_expires_at = ${nowPlus(opts.leaseMs)},
        attempts = attempts + 1,
        started_at = coalesce(started_at, now()),
        waiting_reason = null,
        updated_at = now()
      where id = (
        select id from training_jobs
        where (status = 'queued' or (status = 'running' and lease_expires_at < now()))
          and attempts < max_attempts
          and cancel_requested_at is null
          and device in ${devices}
        order by ${placement}, priority desc, created_at, id
        limit 1
        for update skip locked
      )
      returning *`.execute(this.db);
    return rows[0] && toTrainingJob(rows[0]);
  }

  /** Extend the lease; false when this worker no longer owns the job (it must stop working on it). */
  async renewLease(jobId: string, workerId: string, leaseMs: number): Promise<boolean> {
    checkMs('leaseMs', leaseMs);
    const res = await this.db
      .updateTable('training_jobs')
      .set({ lease_expires_at: nowPlus(leaseMs), updated_at: sql`now()` })
      .where('id', '=', jobId)
      .where('lease_owner', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Note the last durable checkpoint (already written to artifacts); false when the lease is lost. */
  async recordCheckpoint(jobId: string, workerId: string, key: string, epoch: number): Promise<boolean> {
    const res = await this.db
      .updateTable('training_jobs')
      .set({ checkpoint_key: key, checkpoint_epoch: epoch, updated_at: sql`now()` })
      .where('id', '=', jobId)
      .where('lease_owner', '=', workerId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /**
   * Ask a job to stop. A queued job is cancelled at once; a running one gets `cancelRequestedAt` and
   * its worker finishes it as cancelled. A finished job is returned unchanged.
   */
  async requestCancel(jobId: string): Promise<TrainingJob> {
    const { rows } = await sql<Selectable<TrainingJobsTable>>`
      update training_jobs set
        cancel_requested_at = coalesce(cancel_requested_at, now()),
        status = case when status = 'queued' then 'cancelled' else status end,
        finished_at = case when status = 'queued' then now() else finished_at end,
        updated_at = now()
      where id = ${jobId} and status in ('queued', 'running')
      returning *`.execute(this.db);
    return rows[0] ? toTrainingJob(rows[0]) : this.get(jobId);
  }

  /** End a job this worker holds; undefined when it lost the lease (someone else owns the outcome). */
  async finish(jobId: string, workerId: string, outcome: JobOutcome): Promise<TrainingJob | undefined> {
    const row = await this.db
      .updateTable('training_jobs')
      .set({
        status: outcome.status,
        error: outcome.error ?? null,
        ...(outcome.modelVersionId !== undefined && { model_version_id: outcome.modelVersionId }),
        ...(outcome.metrics !== undefined && { metrics: sql`metrics || ${json(outcome.metrics)}::jsonb` }),
        lease_expires_at: null,
        waiting_reason: null,
        finished_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('id', '=', jobId)
      .where('lease_owner', '=', workerId)
      .where('status', '=', 'running')
      .returningAll()
      .executeTakeFirst();
    return row && toTrainingJob(row);
  }

  /** Why a queued job is not running yet ("no GPU worker is live"); null clears it. */
  async setWaitingReason(jobId: string, reason: string | null): Promise<void> {
    const res = await this.db
      .updateTable('training_jobs')
      .set({ waiting_reason: reason, updated_at: sql`now()` })
      .where('id', '=', jobId)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new NotFoundError('training job', jobId);
  }

  /** Merge `metrics` into the job's (shallow: top-level keys are replaced). */
  async updateMetrics(jobId: string, metrics: Record<string, unknown>): Promise<void> {
    const res = await this.db
      .updateTable('training_jobs')
      .set({ metrics: sql`metrics || ${json(metrics)}::jsonb`, updated_at: sql`now()` })
      .where('id', '=', jobId)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new NotFoundError('training job', jobId);
  }

  /** `payload`: the contracts' shape for `type` (JobEventPayloads), what SSE clients read. */
  async appendEvent<T extends JobEventType>(jobId: string, type: T, payload: JobEventPayloads[T]): Promise<JobEvent> {
    const row = await this.db
      .insertInto('job_events')
      .values({ job_id: jobId, type, payload: json(payload) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEvent(row);
  }

  /** Events in order; `afterId` (the SSE Last-Event-ID) replays only what the client missed. */
  async listEvents(jobId: string, opts: { afterId?: number; limit?: number } = {}): Promise<JobEvent[]> {
    let q = this.db
      .selectFrom('job_events')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('id')
      .limit(opts.limit ?? 1000);
    if (opts.afterId !== undefined) q = q.where('id', '>', opts.afterId);
    return (await q.execute()).map(toEvent);
  }

  /** Register (or re-register after a restart) a worker. */
  async upsertWorker(id: string, hostname: string, capabilities: WorkerCapabilities): Promise<Worker> {
    const row = await this.db
      .insertInto('workers')
      .values({ id, hostname, capabilities: json(capabilities) })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          hostname,
          capabilities: json(capabilities),
          started_at: sql`now()`,
          last_heartbeat_at: sql`now()`,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toWorker(row);
  }

  /** false when the worker is unknown (it should register again). */
  async heartbeatWorker(id: string): Promise<boolean> {
    const res = await this.db
      .updateTable('workers')
      .set({ last_heartbeat_at: sql`now()` })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Workers heard from within `staleAfterMs`, by id. */
  async listLiveWorkers(staleAfterMs: number): Promise<Worker[]> {
    checkMs('staleAfterMs', staleAfterMs);
    const rows = await this.db
      .selectFrom('workers')
      .selectAll()
      .where('last_heartbeat_at', '>', sql<Date>`now() - make_interval(secs => ${staleAfterMs}::float8 / 1000)`)
      .orderBy('id')
      .execute();
    return rows.map(toWorker);
  }
}
