// The feature store: entities (join keys), feature views with immutable numbered versions (each pinned
// to a dataset version), materialization runs, and the online store.
//
// Online store layout (chosen for read latency): ONE generic table keyed by
// (feature_view_version_id, generation, entity_key) holding the feature values as a JSON array (text)
// in the view version's feature order. A 100-key read is one primary-key index probe per key in a single
// statement, with no per-view DDL at run time (migrations stay the only place the schema changes).
// `generation` makes materialization atomic: a full run writes a new generation and flips
// `online_stores.generation` in the same transaction as its last chunk; an incremental run stages its
// rows under a scratch generation and merges them into the live one in its last transaction. Readers
// only ever see the generation named by `online_stores`, so a crashed run is never visible.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table entities (
      id uuid primary key,
      project_id uuid not null references projects(id) on delete cascade,
      name text not null,
      description text not null default '',
      join_keys jsonb not null,
      created_at timestamptz not null default now(),
      created_by uuid,
      unique (project_id, name)
    )`,
    sql`create table feature_views (
      id uuid primary key,
      project_id uuid not null references projects(id) on delete cascade,
      name text not null,
      created_at timestamptz not null default now(),
      created_by uuid,
      unique (project_id, name)
    )`,
    sql`create table feature_view_versions (
      id uuid primary key,
      feature_view_id uuid not null references feature_views(id) on delete cascade,
      version integer not null,
      entity_id uuid not null references entities(id),
      dataset_id uuid not null references datasets(id),
      dataset_version integer not null,
      event_timestamp_column text not null,
      features jsonb not null,
      ttl_seconds integer not null,
      description text not null default '',
      spec_hash text not null,
      statistics jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      created_by uuid,
      unique (feature_view_id, version)
    )`,
    sql`create table materialization_runs (
      id uuid primary key,
      feature_view_version_id uuid not null references feature_view_versions(id) on delete cascade,
      mode text not null check (mode in ('full', 'incremental')),
      status text not null check (status in ('running', 'complete', 'failed')),
      dataset_version integer not null,
      generation integer not null,
      start_watermark timestamptz,
      end_watermark timestamptz,
      rows_written bigint not null default 0,
      chunks_written integer not null default 0,
      error text,
      started_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      finished_at timestamptz,
      created_by uuid
    )`,
    sql`create index materialization_runs_view_idx on materialization_runs (feature_view_version_id, started_at desc)`,
    // At most one run in flight per view version.
    sql`create unique index materialization_runs_one_running on materialization_runs (feature_view_version_id) where status = 'running'`,
    sql`create table online_stores (
      feature_view_version_id uuid primary key references feature_view_versions(id) on delete cascade,
      generation integer not null,
      watermark timestamptz,
      run_id uuid not null,
      row_count bigint not null default 0,
      updated_at timestamptz not null default now()
    )`,
    // event_ms: the event time in epoch milliseconds; vals: a JSON array as text. Both are what a read
    // returns as is: no timestamp or jsonb formatting on the server per row (half the read's cost).
    sql`create table online_features (
      feature_view_version_id uuid not null references feature_view_versions(id) on delete cascade,
      generation integer not null,
      entity_key text not null,
      event_ms bigint not null,
      vals text not null,
      primary key (feature_view_version_id, generation, entity_key)
    )`,
  ];
  for (const statement of statements) await statement.execute(db);
}
