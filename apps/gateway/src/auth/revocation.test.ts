// Revocation reaches every gateway: two gateway apps on one database, each with a long auth cache TTL
// (so only the NOTIFY can explain a prompt refusal). Revoke through one; the other refuses within 1 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { FilesystemArtifactStore } from '@atelier/artifacts';
import type { Catalog } from '@atelier/catalog';
import { NOTIFY_CHANNELS } from '@atelier/contracts';
import { buildGatewayApp } from '../app.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from '../../../../test/database.js';
import { TEST_ADMIN_KEY } from '../../../../test/gateway.js';

const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
const json = (res: { body: string }) => JSON.parse(res.body);

/** Poll until `fn` is true; returns the milliseconds it took, or throws after `deadlineMs`. */
async function within(deadlineMs: number, fn: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await fn())) {
    if (Date.now() - start > deadlineMs) throw new Error(`not within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}

for (const kind of ['pglite', 'postgres'] as const) {
  const availability = kind === 'postgres' ? postgresAvailability() : { url: '' };
  describe.skipIf('skip' in availability)(`revocation across gateways [${kind}]`, () => {
    let database: TestDatabase;
    const catalogs: Catalog[] = [];
    const apps: FastifyInstance[] = [];
    let artifactsDir: string;
    let artifacts: FilesystemArtifactStore;
    let keyCount = 0;

    beforeAll(async () => {
      database = await createTestDatabase(kind);
      artifactsDir = mkdtempSync(join(tmpdir(), 'atelier-revocation-'));
      artifacts = new FilesystemArtifactStore({ rootDir: artifactsDir });
      for (let i = 0; i < 2; i++) {
        const catalog = await database.openCatalog();
        catalogs.push(catalog);
        const { app, services } = await buildGatewayApp(
          { jsonBodyLimitBytes: 1024 * 1024, authCacheTtlMs: 60_000, logLevel: 'silent' },
          { catalog, artifacts, logger: false },
        );
        apps.push(app);
        if (i === 0) await services.apiKeys.bootstrapAdmin(TEST_ADMIN_KEY);
      }
      const res = await apps[0].inject({ method: 'POST', url: '/v1/projects', headers: admin, payload: { name: 'revocation' } });
      expect(res.statusCode).toBe(201);
    });
    afterAll(async () => {
      for (const app of apps) await app.close();
      await artifacts?.close();
      for (const catalog of catalogs) await catalog.close();
      await database?.drop();
      rmSync(artifactsDir, { recursive: true, force: true });
    });

    /** A new editor key, made on gateway A and already cached by both gateways. */
    async function cachedKey() {
      const res = await apps[0].inject({
        method: 'POST',
        url: '/v1/projects/revocation/api-keys',
        headers: admin,
        payload: { name: `k${++keyCount}`, role: 'editor' },
      });
      expect(res.statusCode).toBe(201);
      const { key, secret } = json(res);
      const auth = { authorization: `Bearer ${secret}` };
      for (const app of apps) expect((await app.inject({ url: '/v1/projects/revocation', headers: auth })).statusCode).toBe(200);
      return { id: key.id as string, auth };
    }

    const refusedBy = (app: FastifyInstance, auth: { authorization: string }) => async () => {
      const res = await app.inject({ url: '/v1/projects/revocation', headers: auth });
      return res.statusCode === 401 && json(res).code === 'ATL_API_KEY_REVOKED';
    };

    it('a key revoked through one gateway is refused by the other within 1 s', async () => {
      const key = await cachedKey();
      const revoke = await apps[0].inject({ method: 'POST', url: `/v1/projects/revocation/api-keys/${key.id}/revoke`, headers: admin });
      expect(revoke.statusCode).toBe(200);
      const ms = await within(1000, refusedBy(apps[1], key.auth));
      console.log(`revocation (${kind}): the other gateway refused the key ${ms} ms after the revoke answered`);
      expect(ms).toBeLessThan(1000);
      expect(await refusedBy(apps[0], key.auth)()).toBe(true);
    });

    it.skipIf(kind === 'pglite')('forgets every key when its listen connection drops, and listens again', async () => {
      const listeners = async () => {
        const rows = await catalogs[0].rawQuery<[number]>(
          'select pid from pg_stat_activity where datname = current_database() and query = $1',
          [`LISTEN "${NOTIFY_CHANNELS.apiKeyRevocations}"`],
        );
        return rows.map(([pid]) => pid);
      };
      expect((await listeners()).length).toBe(2);
      const key = await cachedKey();
      for (const pid of await listeners()) await catalogs[0].rawQuery('select pg_terminate_backend($1)', [pid]);
      // revoked behind the gateways' backs (no NOTIFY): only dropping the cache on the gap refuses it
      await catalogs[0].db.updateTable('api_keys').set({ revoked_at: new Date() }).where('id', '=', key.id).execute();
      await within(1000, refusedBy(apps[1], key.auth));

      await within(10_000, async () => (await listeners()).length === 2);
      const next = await cachedKey();
      await apps[0].inject({ method: 'POST', url: `/v1/projects/revocation/api-keys/${next.id}/revoke`, headers: admin });
      await within(1000, refusedBy(apps[1], next.auth));
    });
  });
}
