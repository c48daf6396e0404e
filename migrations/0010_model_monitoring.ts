// Model monitoring: serving nodes store each version's reference bins once (monitoring_references) and,
// per deployment, version and time window, the counts they observed in those bins (monitoring_windows,
// one row per node: a node rewrites its own running totals, so a retried flush never counts twice).
// Predictions that may get a label later are kept by request id (monitoring_outcomes, bounded per flush
// by the node). Thresholds per deployment, and the alerts they raise (one active per check at a time).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table monitoring_references (
      model_version_id uuid primary key references model_versions(id) on delete cascade,
      reference jsonb not null,
      created_at timestamptz not null default now()
    )`,
    sql`create table monitoring_windows (
      deployment_id uuid not null references deployments(id) on delete cascade,
      model_version_id uuid not null references model_versions(id) on delete cascade,
      window_start timestamptz not null,
      window_ms integer not null,
      node_id text not null,
      rows integer not null,
      counts jsonb not null,
      updated_at timestamptz not null default now(),
      primary key (deployment_id, model_version_id, window_start, node_id)
    )`,
    sql`create index monitoring_windows_recent_idx on monitoring_windows (window_start)`,
    sql`create table monitoring_outcomes (
      deployment_id uuid not null references deployments(id) on delete cascade,
      request_id text not null,
      row_index integer not null,
      model_version_id uuid not null references model_versions(id) on delete cascade,
      window_start timestamptz not null,
      -- the first output (binary: probability; regression: value; multiclass: the arg-max class index)
      score double precision not null,
      label double precision,
      labeled_at timestamptz,
      primary key (deployment_id, request_id, row_index)
    )`,
    sql`create index monitoring_outcomes_labeled_idx on monitoring_outcomes (deployment_id, model_version_id, window_start) where label is not null`,
    sql`create index monitoring_outcomes_window_idx on monitoring_outcomes (window_start)`,
    sql`create table monitoring_thresholds (
      deployment_id uuid primary key references deployments(id) on delete cascade,
      thresholds jsonb not null,
      updated_at timestamptz not null default now(),
      updated_by text
    )`,
    sql`create table monitoring_alerts (
      id uuid primary key,
      deployment_id uuid not null references deployments(id) on delete cascade,
      model_version_id uuid not null references model_versions(id) on delete cascade,
      version integer not null,
      feature text not null,
      check_name text not null,
      state text not null check (state in ('active', 'resolved')),
      value double precision not null,
      threshold double precision not null,
      window_start timestamptz not null,
      raised_at timestamptz not null default now(),
      resolved_at timestamptz
    )`,
    sql`create unique index monitoring_alerts_active_idx on monitoring_alerts (deployment_id, model_version_id, feature, check_name) where state = 'active'`,
    sql`create index monitoring_alerts_deployment_idx on monitoring_alerts (deployment_id, raised_at)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
