// API keys get a lookup id and a slow salted hash, and no stored character of any secret.
//
// - New keys (`atl_<lookupId>_<secret>`) store `lookup_id` (random, public) and `secret_hash` (scrypt with a
//   per-key salt); `key_hash` (unsalted sha256) becomes legacy and nullable.
// - Keys made before this migration were 256-bit random secrets: their sha256 stays enough to verify
//   them, so they keep working. Their lookup id is the first 16 hex chars of that sha256 (what the
//   gateway derives from a token that is not in the new format), and their `prefix`, which held 8
//   secret characters after `atl_`, becomes just `atl_`.
// - Keys registered from ATELIER_ADMIN_KEY were operator-chosen, possibly short, and stored as an
//   unsalted sha256 beside 12 of their characters: they are revoked and both are erased. The gateway
//   registers ATELIER_ADMIN_KEY again (scrypt) on its next start if the key is strong enough.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`alter table api_keys add column lookup_id text`,
    sql`alter table api_keys add column secret_hash text`,
    sql`alter table api_keys alter column key_hash drop not null`,
    sql`update api_keys
      set revoked_at = coalesce(revoked_at, now()), key_hash = null, prefix = ''
      where project_id is null and name = 'bootstrap admin (ATELIER_ADMIN_KEY)'`,
    sql`update api_keys set lookup_id = left(key_hash, 16), prefix = 'atl_' where key_hash is not null`,
    sql`create unique index api_keys_lookup_id_idx on api_keys (lookup_id)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
