// Training jobs (a leased work queue), their event stream, and the workers that claim them.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table training_jobs (
      id uuid primary key,
      project_id uuid not null references projects(id) on delete cascade,
      model_name text not null,
      spec jsonb not null,
      status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      device text not null check (device in ('cpu', 'gpu', 'auto')),
      priority integer not null default 0,
      attempts integer not null default 0,
      max_attempts integer not null default 3,
      lease_owner text,
      lease_expires_at timestamptz,
      waiting_reason text,
      error text,
      cancel_requested_at timestamptz,
      checkpoint_key text,
      checkpoint_epoch integer,
      metrics jsonb not null default '{}'::jsonb,
      model_version_id uuid,
      created_at timestamptz not null default now(),
      created_by uuid,
      started_at timestamptz,
      finished_at timestamptz,
      updated_at timestamptz not null default now()
    )`,
    sql`create index training_jobs_queue_idx on training_jobs (status, priority desc, created_at)`,
    sql`create index training_jobs_project_idx on training_jobs (project_id, created_at desc)`,
    // The event id doubles as the SSE id, so a client resumes with Last-Event-ID.
    sql`create table job_events (
      id bigserial primary key,
      job_id uuid not null references training_jobs(id) on delete cascade,
      at timestamptz not null default now(),
      type text not null check (type in ('state', 'metric', 'log')),
      payload jsonb not null
    )`,
    sql`create index job_events_job_idx on job_events (job_id, id)`,
    sql`create table workers (
      id text primary key,
      hostname text not null,
      capabilities jsonb not null,
      started_at timestamptz not null default now(),
      last_heartbeat_at timestamptz not null default now()
    )`,
  ];
  for (const statement of statements) await statement.execute(db);
}
