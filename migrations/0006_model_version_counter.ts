// Version numbers are never reused: a deleted v3 stays gone and the next version is v4, so a number
// always names the same bytes (caches, lineage and audit entries can trust it). A per-model counter
// replaces max(version) + 1, seeded from the versions that exist.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table models add column last_version integer not null default 0`.execute(db);
  await sql`update models m set last_version = coalesce((select max(version) from model_versions v where v.model_id = m.id), 0)`.execute(db);
}
