// Runs once per `npm test`: finds Postgres and S3, and builds a migrated PGlite template that each
// suite clones (creating a fresh PGlite takes ~4 s; loading a dump takes a fraction of that).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from '../packages/catalog/src/pglite-dialect.js';
import { migrateToLatest } from '../packages/catalog/src/migrator.js';
import { findPostgresForTests } from './postgres-probe.js';
import { ensureS3 } from './services/s3.js';
import { ensureConsoleBuilt } from '../apps/launcher/src/console-build.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string | null;
    databaseUnavailableReason: string | null;
    pgliteTemplatePath: string;
    s3: { endpoint: string; accessKey: string; secretKey: string; region: string; bucket: string } | null;
    s3UnavailableReason: string | null;
  }
}

export default async function setup(project: TestProject) {
  const workDir = mkdtempSync(join(tmpdir(), 'atelier-test-'));

  const pglite = await PGlite.create();
  const db = new Kysely<any>({ dialect: new PGliteDialect(pglite) });
  await migrateToLatest(db);
  const dump = await pglite.dumpDataDir('none');
  await db.destroy();
  await pglite.close();
  const templatePath = join(workDir, 'pglite-template.tar');
  writeFileSync(templatePath, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplatePath', templatePath);

  const postgres = await findPostgresForTests();
  project.provide('databaseUrl', postgres.url ?? null);
  project.provide('databaseUnavailableReason', postgres.reason ?? null);

  // The console's static build, once, before any suite starts a platform that serves it (the launcher
  // would otherwise build it in each process that finds it stale).
  await ensureConsoleBuilt();

  const s3 = await ensureS3();
  project.provide('s3', 'unavailable' in s3 ? null : s3);
  project.provide('s3UnavailableReason', 'unavailable' in s3 ? s3.unavailable : null);

  return async () => {
    await postgres.stop?.();
    rmSync(workDir, { recursive: true, force: true });
  };
}
