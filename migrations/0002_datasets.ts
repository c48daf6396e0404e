// Datasets and their immutable, numbered versions. The bytes live in artifacts under a content hash;
// a version row is written only after they are durable.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table datasets (
      id uuid primary key,
      project_id uuid not null references projects(id) on delete cascade,
      name text not null,
      description text not null default '',
      created_at timestamptz not null default now(),
      created_by uuid,
      unique (project_id, name)
    )`,
    sql`create table dataset_versions (
      id uuid primary key,
      dataset_id uuid not null references datasets(id) on delete cascade,
      version integer not null,
      format text not null check (format in ('csv', 'jsonl', 'parquet')),
      artifact_key text not null,
      sha256 text not null,
      size_bytes bigint not null,
      row_count bigint not null,
      schema jsonb not null,
      profile jsonb not null default '{}'::jsonb,
      lineage jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      created_by uuid,
      unique (dataset_id, version)
    )`,
    sql`create index dataset_versions_sha_idx on dataset_versions (dataset_id, sha256)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
