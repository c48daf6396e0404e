// A real gateway app over a real database and a filesystem artifact store in a temp dir, with a known
// platform admin key. Tests drive it with `app.inject()` (or `listen()` for real HTTP).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FilesystemArtifactStore, type ArtifactStore } from '../packages/artifacts/src/index.js';
import type { Catalog } from '../packages/catalog/src/index.js';
import { buildGatewayApp, type GatewayDeps, type GatewayServices } from '../apps/gateway/src/index.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './database.js';

export const TEST_ADMIN_KEY = 'atl_test-admin-key-0123456789abcdefghijklmnopqrstuv';

export interface TestGateway {
  app: FastifyInstance;
  services: GatewayServices;
  catalog: Catalog;
  artifacts: ArtifactStore;
  database: TestDatabase;
  adminAuth: { authorization: string };
  close(): Promise<void>;
}

export async function createTestGateway(
  opts: { kind?: DatabaseKind; extensions?: GatewayDeps['extensions']; jsonBodyLimitBytes?: number; logger?: GatewayDeps['logger']; maxModelParameters?: number } = {},
): Promise<TestGateway> {
  const database = await createTestDatabase(opts.kind);
  const catalog = await database.openCatalog();
  const artifactsDir = mkdtempSync(join(tmpdir(), 'atelier-artifacts-'));
  const artifacts = new FilesystemArtifactStore({ rootDir: artifactsDir });
  const { app, services } = await buildGatewayApp(
    {
      jsonBodyLimitBytes: opts.jsonBodyLimitBytes ?? 1024 * 1024,
      authCacheTtlMs: 5000,
      logLevel: 'silent',
      ...(opts.maxModelParameters !== undefined && { maxModelParameters: opts.maxModelParameters }),
    },
    { catalog, artifacts, extensions: opts.extensions, logger: opts.logger ?? false },
  );
  await services.apiKeys.bootstrapAdmin(TEST_ADMIN_KEY);
  return {
    app,
    services,
    catalog,
    artifacts,
    database,
    adminAuth: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    async close() {
      await app.close();
      await artifacts.close();
      await catalog.close();
      await database.drop();
      rmSync(artifactsDir, { recursive: true, force: true });
    },
  };
}
