// Projects, API keys and the audit log: who may do what, and a record of what they did.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table projects (
      id uuid primary key,
      name text not null unique,
      display_name text not null,
      description text not null default '',
      created_at timestamptz not null default now(),
      created_by uuid
    )`,
    // A key is stored only as its sha256; `prefix` is the first characters shown back to users.
    // project_id null = a platform-wide key (the bootstrap admin).
    sql`create table api_keys (
      id uuid primary key,
      name text not null,
      prefix text not null,
      key_hash text not null unique,
      role text not null check (role in ('admin', 'editor', 'viewer')),
      project_id uuid references projects(id) on delete cascade,
      created_at timestamptz not null default now(),
      created_by uuid,
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz
    )`,
    sql`create index api_keys_project_idx on api_keys (project_id)`,
    sql`create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor_key_id uuid,
      project_id uuid,
      action text not null,
      resource_type text not null,
      resource_id text not null,
      details jsonb not null default '{}'::jsonb
    )`,
    sql`create index audit_log_project_idx on audit_log (project_id, id)`,
    sql`create index audit_log_resource_idx on audit_log (resource_type, resource_id, id)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
