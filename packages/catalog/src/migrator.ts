// Runs the ordered migrations in /migrations. Kysely's Postgres adapter takes a session advisory lock
// around the run, so replicas that start together migrate once: the others wait, then find nothing to do.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { CatalogError } from './errors.js';

// Compiled (`npm run build`: this file is dist/migrator.js), the compiled migrations in migrations/dist;
// the names (without extension) are the same either way, so a database migrated by one is current for the other.
const COMPILED = import.meta.url.endsWith('.js');
export const MIGRATIONS_DIR = fileURLToPath(new URL(COMPILED ? '../../../migrations/dist/' : '../../../migrations/', import.meta.url));
const MIGRATION_FILE = COMPILED ? /^\d{4}_[a-z0-9_]+\.js$/ : /^\d{4}_[a-z0-9_]+\.ts$/;

class DirectoryMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const mod = await import(pathToFileURL(join(this.dir, file)).href);
      if (typeof mod.up !== 'function') throw new Error(`migration ${file} does not export up(db)`);
      migrations[file.replace(/\.[jt]s$/, '')] = mod;
    }
    return migrations;
  }
}

function migrator(db: Kysely<any>, dir = MIGRATIONS_DIR): Migrator {
  return new Migrator({ db, provider: new DirectoryMigrationProvider(dir) });
}

/** Apply every pending migration in order; returns the names applied by this call. */
export async function migrateToLatest(db: Kysely<any>, dir?: string): Promise<string[]> {
  const { error, results } = await migrator(db, dir).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new CatalogError('ATL_MIGRATION_FAILED', `Migration ${failed} failed: ${(error as Error).message}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not yet applied (empty when the schema is current). */
export async function pendingMigrations(db: Kysely<any>, dir?: string): Promise<string[]> {
  const all = await migrator(db, dir).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}
