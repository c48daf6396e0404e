// Migration 0008 on a database with keys made before it: generated keys keep working with their
// plaintext prefix erased; a key registered from ATELIER_ADMIN_KEY (operator-chosen, maybe weak, stored
// as an unsalted sha256 beside 12 of its characters) is revoked and erased, and a strong
// ATELIER_ADMIN_KEY is registered anew on the next start.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Migrator, sql, type Migration } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '../packages/artifacts/src/index.js';
import { MIGRATIONS_DIR, createCatalog, migrateToLatest, type Catalog } from '../packages/catalog/src/index.js';
import { buildGatewayApp } from '../apps/gateway/src/index.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './database.js';
import { TEST_ADMIN_KEY } from './gateway.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const json = (res: { body: string }) => JSON.parse(res.body);

/** Every migration before 0008, as a Kysely migration provider would give them. */
async function migrationsBefore0008(): Promise<Record<string, Migration>> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.ts$/.test(f) && f < '0008')
    .sort();
  const entries = await Promise.all(files.map(async (f) => [f.replace(/\.ts$/, ''), await import(pathToFileURL(join(MIGRATIONS_DIR, f)).href)]));
  return Object.fromEntries(entries);
}

for (const kind of ['pglite', 'postgres'] as const) {
  const availability = kind === 'postgres' ? postgresAvailability() : { url: '' };
  describe.skipIf('skip' in availability)(`API keys made before migration 0008 [${kind}]`, () => {
    let database: TestDatabase | undefined;
    let catalog: Catalog;
    const artifactsDir = mkdtempSync(join(tmpdir(), 'atelier-key-migration-'));
    const legacySecret = `atl_${randomBytes(32).toString('base64url')}`;
    const operatorSecret = 'Weak-admin-key16';
    const ids = { legacy: randomUUID(), operator: randomUUID(), project: randomUUID() };

    beforeAll(async () => {
      if (kind === 'postgres') database = await createTestDatabase('postgres'); // empty until migrated
      catalog = await createCatalog({ databaseUrl: database?.databaseUrl, migrate: false });
      const migrations = await migrationsBefore0008();
      const { error } = await new Migrator({ db: catalog.db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
      expect(error).toBeUndefined();
      await sql`insert into projects (id, name, display_name) values (${ids.project}, 'legacy', 'legacy')`.execute(catalog.db);
      await sql`insert into api_keys (id, name, prefix, key_hash, role, project_id) values
        (${ids.legacy}, 'old ci key', ${legacySecret.slice(0, 12)}, ${sha256(legacySecret)}, 'editor', ${ids.project}),
        (${ids.operator}, 'bootstrap admin (ATELIER_ADMIN_KEY)', ${operatorSecret.slice(0, 12)}, ${sha256(operatorSecret)}, 'admin', null)`.execute(
        catalog.db,
      );
      expect(await migrateToLatest(catalog.db)).toContain('0008_api_key_secrets');
    });
    afterAll(async () => {
      await catalog?.close();
      await database?.drop();
      rmSync(artifactsDir, { recursive: true, force: true });
    });

    it('erases every stored secret character, keeps generated keys working and revokes the operator-chosen one', async () => {
      const rows = await catalog.db.selectFrom('api_keys').selectAll().orderBy('name').execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(ids.legacy)).toMatchObject({ prefix: 'atl_', lookup_id: sha256(legacySecret).slice(0, 16), key_hash: sha256(legacySecret), revoked_at: null });
      expect(byId.get(ids.operator)).toMatchObject({ prefix: '', lookup_id: null, key_hash: null, secret_hash: null });
      expect(byId.get(ids.operator)!.revoked_at).toBeInstanceOf(Date);
      expect(JSON.stringify(rows)).not.toContain(legacySecret.slice(4, 12));
      expect(JSON.stringify(rows)).not.toContain(operatorSecret.slice(0, 12));

      const artifacts = new FilesystemArtifactStore({ rootDir: artifactsDir });
      const { app, services } = await buildGatewayApp(
        { jsonBodyLimitBytes: 1024 * 1024, authCacheTtlMs: 5000, logLevel: 'silent' },
        { catalog, artifacts, logger: false },
      );
      try {
        // the next start registers a (strong) ATELIER_ADMIN_KEY with a salted scrypt hash
        expect(await services.apiKeys.bootstrapAdmin(TEST_ADMIN_KEY)).toEqual({ created: true });
        expect(await services.apiKeys.bootstrapAdmin(TEST_ADMIN_KEY)).toEqual({ created: false });
        const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
        const legacy = { authorization: `Bearer ${legacySecret}` };
        expect((await app.inject({ url: '/v1/projects/legacy', headers: legacy })).statusCode).toBe(200);
        const weak = await app.inject({ url: '/v1/projects', headers: { authorization: `Bearer ${operatorSecret}` } });
        expect(weak.statusCode).toBe(401);

        const listed = await app.inject({ url: '/v1/projects/legacy/api-keys', headers: admin });
        expect(json(listed).items.map((k: { prefix: string }) => k.prefix)).toEqual(['atl_']);
        const revoked = await app.inject({ method: 'POST', url: `/v1/projects/legacy/api-keys/${ids.legacy}/revoke`, headers: admin });
        expect(revoked.statusCode).toBe(200);
        expect(json(await app.inject({ url: '/v1/projects/legacy', headers: legacy })).code).toBe('ATL_API_KEY_REVOKED');
      } finally {
        await app.close();
        await artifacts.close();
      }
    });
  });
}
