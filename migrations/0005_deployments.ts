// Deployments: a name that routes a model's traffic; every change is a new immutable revision.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table deployments (
      id uuid primary key,
      project_id uuid not null references projects(id) on delete cascade,
      name text not null,
      model_id uuid not null references models(id),
      current_revision integer not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (project_id, name)
    )`,
    // spec: routes (version or alias + weight), shadows, pool, batching, replicas.
    sql`create table deployment_revisions (
      id uuid primary key,
      deployment_id uuid not null references deployments(id) on delete cascade,
      revision integer not null,
      spec jsonb not null,
      created_at timestamptz not null default now(),
      created_by uuid,
      unique (deployment_id, revision)
    )`,
  ];
  for (const statement of statements) await statement.execute(db);
}
