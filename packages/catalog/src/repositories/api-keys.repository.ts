import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { NOTIFY_CHANNELS } from '@atelier/contracts';
import type { Database } from '../database.js';
import type { ApiKeysTable, Role } from '../schema/core.tables.js';
import { NotFoundError } from '../errors.js';


/** An API key as stored: never the secret, only its hash and a display prefix that is no part of it. */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  projectId: string | null;
  createdAt: Date;
  createdBy: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface NewApiKey {
  name: string;
  prefix: string;
  lookupId: string;
  /** A slow salted hash of the key (the gateway's format); the key itself is never stored. */
  secretHash: string;
  role: Role;
  projectId: string | null;
  createdBy?: string | null;
  expiresAt?: Date | null;
}

/** What verifying a presented key needs: the key, and the hash it must match. */
export interface ApiKeyCredentials {
  key: ApiKey;
  secretHash: string | null;
  /** sha256 of a key made before migration 0008 (those have no `secretHash`). */
  legacySha256: string | null;
}

const toApiKey = (r: Selectable<ApiKeysTable>): ApiKey => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  role: r.role,
  projectId: r.project_id,
  createdAt: r.created_at,
  createdBy: r.created_by,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

export class ApiKeysRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: NewApiKey): Promise<ApiKey> {
    const row = await this.db
      .insertInto('api_keys')
      .values({
        id: randomUUID(),
        name: input.name,
        prefix: input.prefix,
        lookup_id: input.lookupId,
        secret_hash: input.secretHash,
        role: input.role,
        project_id: input.projectId,
        created_by: input.createdBy ?? null,
        expires_at: input.expiresAt ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toApiKey(row);
  }

  /** The key with this lookup id and its hashes, revoked or not: the caller tells 'revoked' from 'unknown'. */
  async findCredentials(lookupId: string): Promise<ApiKeyCredentials | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('lookup_id', '=', lookupId).executeTakeFirst();
    return row && { key: toApiKey(row), secretHash: row.secret_hash, legacySha256: row.key_hash };
  }

  async findById(id: string): Promise<ApiKey | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toApiKey(row);
  }

  /** Keys of one project (null: platform-wide keys), newest first. */
  async list(projectId: string | null, opts: { includeRevoked?: boolean } = {}): Promise<ApiKey[]> {
    let q = this.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('id');
    q = projectId === null ? q.where('project_id', 'is', null) : q.where('project_id', '=', projectId);
    if (!opts.includeRevoked) q = q.where('revoked_at', 'is', null);
    return (await q.execute()).map(toApiKey);
  }

  async countActiveAdmins(): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('project_id', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Revoke once (revoking again keeps the first revocation time) and tell every gateway
   * (NOTIFY_CHANNELS.apiKeyRevocations, payload: the key id): sent in the revoking transaction, it is
   * delivered exactly when the revocation commits.
   */
  async revoke(id: string): Promise<ApiKey> {
    const row = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` as any })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError('api key', id, 'ATL_API_KEY_NOT_FOUND');
    await sql`select pg_notify(${NOTIFY_CHANNELS.apiKeyRevocations}, ${id})`.execute(this.db);
    return toApiKey(row);
  }

  async touch(id: string, at = new Date()): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
