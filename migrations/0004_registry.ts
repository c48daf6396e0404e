// The model registry: models, immutable versions, movable aliases, and evaluations with their verdicts.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table models (
      id uuid primary key,
      project_id uuid not null references projects(id) on delete cascade,
      name text not null,
      description text not null default '',
      task text,
      created_at timestamptz not null default now(),
      created_by uuid,
      unique (project_id, name)
    )`,
    sql`create table model_versions (
      id uuid primary key,
      model_id uuid not null references models(id) on delete cascade,
      version integer not null,
      format text not null check (format in ('atelier', 'onnx')),
      bundle_key text not null,
      bundle_sha256 text not null,
      bundle_size bigint not null,
      signature jsonb not null,
      metrics jsonb not null default '{}'::jsonb,
      lineage jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      created_by uuid,
      unique (model_id, version)
    )`,
    sql`create table model_aliases (
      model_id uuid not null references models(id) on delete cascade,
      alias text not null,
      version_id uuid not null references model_versions(id),
      updated_at timestamptz not null default now(),
      updated_by uuid,
      primary key (model_id, alias)
    )`,
    sql`create table evaluations (
      id uuid primary key,
      model_version_id uuid not null references model_versions(id) on delete cascade,
      dataset_version_id uuid references dataset_versions(id) on delete set null,
      split text not null,
      status text not null default 'completed' check (status in ('running', 'completed', 'failed')),
      metrics jsonb not null default '{}'::jsonb,
      slices jsonb not null default '{}'::jsonb,
      curves jsonb not null default '{}'::jsonb,
      feature_importance jsonb not null default '{}'::jsonb,
      baseline_version_id uuid references model_versions(id) on delete set null,
      comparison jsonb not null default '{}'::jsonb,
      gate jsonb not null default '{}'::jsonb,
      verdict text not null default 'no_baseline' check (verdict in ('blessed', 'rejected', 'no_baseline')),
      error text,
      created_at timestamptz not null default now()
    )`,
    sql`create index evaluations_version_idx on evaluations (model_version_id, created_at desc)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
