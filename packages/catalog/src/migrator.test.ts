import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailability } from '../../../test/database.js';
import { openCatalogDatabase, type CatalogDatabase } from './catalog-database.js';
import { MIGRATIONS_DIR, migrateToLatest, pendingMigrations } from './migrator.js';
import { CatalogError } from './errors.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const allMigrations = readdirSync(MIGRATIONS_DIR)
  .filter((f) => /^\d{4}_[a-z0-9_]+\.ts$/.test(f))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const postgres = postgresAvailability();

describe.skipIf('skip' in postgres)('migrations on a fresh Postgres [postgres]', () => {
  it('applies each migration exactly once when three replicas start at the same time', async () => {
    expect(allMigrations.slice(0, 5)).toEqual(['0001_core', '0002_datasets', '0003_training', '0004_registry', '0005_deployments']);
    const database = await createTestDatabase('postgres'); // an empty database: nothing migrated yet
    const replicas: CatalogDatabase[] = [];
    try {
      for (let i = 0; i < 3; i++) replicas.push(await openCatalogDatabase({ databaseUrl: database.databaseUrl, poolMax: 2 }));
      const tables = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public'`.execute(
        replicas[0].db,
      );
      expect(tables.rows[0].n).toBe(0);

      const applied = await Promise.all(replicas.map((r) => migrateToLatest(r.db)));
      // Each migration ran in exactly one replica; the others waited on the lock and found nothing to do.
      expect(applied.flat().sort()).toEqual(allMigrations);
      const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(replicas[0].db);
      expect(rows.rows.map((r) => r.name)).toEqual(allMigrations);
      for (const r of replicas) expect(await pendingMigrations(r.db)).toEqual([]);
      expect(await migrateToLatest(replicas[1].db)).toEqual([]); // idempotent
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
      await database.drop();
    }
  });
});

describe('embedded database lock [pglite]', () => {
  let dir: string | undefined;
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second process on the same data dir with ATL_DATA_DIR_LOCKED, and recovers once it is gone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'atelier-lock-'));
    const dataDir = join(dir, 'db');
    const script = join(dir, 'hold.mjs');
    const entry = pathToFileURL(join(REPO_ROOT, 'packages/catalog/src/index.ts')).href;
    writeFileSync(
      script,
      `import { openCatalogDatabase } from ${JSON.stringify(entry)};\n` +
        `await openCatalogDatabase({ dataDir: process.argv[2] });\n` +
        `console.log('ready');\n` +
        `setInterval(() => {}, 1000);\n`,
    );
    // Another process (with TypeScript support, like `npm start`) opens the data dir and keeps it.
    child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const holder = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d.toString();
        if (output.includes('ready')) resolve();
      };
      holder.stdout!.on('data', onData);
      holder.stderr!.on('data', onData);
      holder.once('exit', (code) => reject(new Error(`the holding process exited (${code}) before opening: ${output}`)));
    });
    expect(readFileSync(join(dataDir, 'atelier.lock'), 'utf8').trim()).toBe(String(holder.pid));

    const refused = await openCatalogDatabase({ dataDir }).catch((e) => e);
    expect(refused).toBeInstanceOf(CatalogError);
    expect(refused.code).toBe('ATL_DATA_DIR_LOCKED');
    expect(refused.message).toContain(`process ${holder.pid}`);
    expect(refused.message).toMatch(/DATABASE_URL/);

    // The holder crashes without cleaning up: its lock is stale, and the next opening takes over.
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
    const reopened = await openCatalogDatabase({ dataDir });
    try {
      expect(readFileSync(join(dataDir, 'atelier.lock'), 'utf8').trim()).toBe(String(process.pid));
      await sql`select 1`.execute(reopened.db);
    } finally {
      await reopened.close();
    }
    expect(existsSync(join(dataDir, 'atelier.lock'))).toBe(false);
  }, 120_000); // two cold PGlite starts in two processes
});
