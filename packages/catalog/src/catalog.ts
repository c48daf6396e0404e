// The catalog: the process's one database handle, its migrations, and the repositories over it.
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import { openCatalogDatabase, type CatalogDatabase, type CatalogDatabaseConfig, type Unlisten } from './catalog-database.js';
import { migrateToLatest, pendingMigrations } from './migrator.js';
import { createRepositories, type Repositories } from './repositories/index.js';

export interface CatalogConfig extends CatalogDatabaseConfig {
  /** Run pending migrations on open (default true). */
  migrate?: boolean;
}

export interface CatalogHealth {
  ok: boolean;
  database: 'postgres' | 'pglite';
  pendingMigrations: string[];
  error?: string;
}

export interface Catalog extends Repositories {
  readonly db: Kysely<Database>;
  readonly kind: 'postgres' | 'pglite';
  /** One statement as arrays of column values; a named prepared statement on Postgres (see CatalogDatabase). */
  rawQuery: CatalogDatabase['rawQuery'];
  /** Run `fn` in one transaction: every repository it uses commits or rolls back together. */
  transaction<T>(fn: (repos: Repositories & { db: Kysely<Database> }) => Promise<T>): Promise<T>;
  /** NOTIFY subscription; `onGap`: notifications may have been missed (see CatalogDatabase.listen). */
  listen(channel: string, onPayload: (payload: string) => void, onGap?: () => void): Promise<Unlisten>;
  notify(channel: string, payload: string): Promise<void>;
  /** DB reachable and schema current: what /readyz reports. */
  health(): Promise<CatalogHealth>;
  close(): Promise<void>;
}

export async function createCatalog(config: CatalogConfig): Promise<Catalog> {
  const database: CatalogDatabase = await openCatalogDatabase(config);
  try {
    if (config.migrate !== false) await migrateToLatest(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  const { db } = database;
  let closed = false;
  return {
    ...createRepositories(db),
    db,
    kind: database.kind,
    rawQuery: (text, values, name) => database.rawQuery(text, values, name),
    transaction: (fn) => db.transaction().execute((tx) => fn({ ...createRepositories(tx), db: tx })),
    listen: (channel, onPayload, onGap) => database.listen(channel, onPayload, onGap),
    async notify(channel, payload) {
      await sql`select pg_notify(${channel}, ${payload})`.execute(db);
    },
    async health() {
      try {
        await sql`select 1`.execute(db);
        const pending = await pendingMigrations(db);
        return { ok: pending.length === 0, database: database.kind, pendingMigrations: pending };
      } catch (err) {
        return { ok: false, database: database.kind, pendingMigrations: [], error: (err as Error).message };
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await database.close();
    },
  };
}
