// Tuning jobs (a leased study run by an orchestrator's tuning controller), their event log, and the
// lineage of trials: a trial is a training job that names its tuning job and its index in the study
// (unique, so a controller that resumes after a crash can never create the same trial twice), the
// point of the search space it trains, the highest ASHA rung it passed and, when ASHA stopped it, why.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table tuning_jobs (
      id uuid primary key,
      project_id uuid not null references projects(id) on delete cascade,
      model_name text not null,
      spec jsonb not null,
      status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      attempts integer not null default 0,
      lease_owner text,
      lease_expires_at timestamptz,
      error text,
      cancel_requested_at timestamptz,
      best_trial_index integer,
      best_objective double precision,
      model_version_id uuid references model_versions(id) on delete set null,
      created_at timestamptz not null default now(),
      created_by uuid,
      started_at timestamptz,
      finished_at timestamptz,
      updated_at timestamptz not null default now()
    )`,
    sql`create index tuning_jobs_queue_idx on tuning_jobs (status, created_at)`,
    sql`create index tuning_jobs_project_idx on tuning_jobs (project_id, created_at desc)`,
    sql`create table tuning_events (
      id bigserial primary key,
      tuning_job_id uuid not null references tuning_jobs(id) on delete cascade,
      at timestamptz not null default now(),
      type text not null check (type in ('state', 'trial', 'population', 'best', 'log')),
      payload jsonb not null
    )`,
    sql`create index tuning_events_job_idx on tuning_events (tuning_job_id, id)`,
    sql`alter table training_jobs
      add column tuning_job_id uuid references tuning_jobs(id) on delete cascade,
      add column trial_index integer,
      add column trial_params jsonb,
      add column trial_rung integer not null default -1,
      add column trial_stop jsonb`,
    sql`create unique index training_jobs_trial_idx on training_jobs (tuning_job_id, trial_index) where tuning_job_id is not null`,
  ];
  for (const statement of statements) await statement.execute(db);
}
