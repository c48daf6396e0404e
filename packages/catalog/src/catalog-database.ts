// One Kysely instance per process: PGlite (embedded default) or Postgres through `pg` (DATABASE_URL).
// Both return int8 as a JS number (our counters and byte sizes stay below 2^53) so callers never see
// a string on one and a number on the other.
import { mkdirSync, openSync, closeSync, writeSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from './pglite-dialect.js';
import type { Database } from './database.js';
import { CatalogError } from './errors.js';
import { withDataErrors } from './data-errors-dialect.js';

const INT8_OID = 20;
const parseInt8 = (value: string) => Number(value);

export interface CatalogDatabaseConfig {
  /** `postgres://…`; when set, Postgres is used and `dataDir` is ignored. */
  databaseUrl?: string;
  /** PGlite data directory; omitted → an in-memory database. */
  dataDir?: string;
  /** Start an in-memory PGlite from a dump (tests clone a migrated template this way). */
  pgliteTemplate?: Blob;
  /** Max `pg` pool connections. */
  poolMax?: number;
}

export type Unlisten = () => Promise<void>;

export interface CatalogDatabase {
  readonly db: Kysely<Database>;
  readonly kind: 'postgres' | 'pglite';
  /**
   * One statement outside Kysely's query builder, for hot read paths: rows come back as arrays of column
   * values in select order (int8 → number, as everywhere). On Postgres it runs on the pool; with `name`,
   * as a named prepared statement (parsed and planned once per pooled connection; a name must always
   * stand for the same text). On PGlite it runs through the Kysely driver (its one session, under the
   * same mutex as transactions) and `name` is ignored; there, selected columns need distinct names.
   * Never part of a `transaction(fn)`.
   */
  rawQuery<Row extends unknown[] = unknown[]>(text: string, values: readonly unknown[], name?: string): Promise<Row[]>;
  /**
   * Subscribe to NOTIFY on a channel (serving nodes learn of deployment changes this way). On Postgres a
   * lost listen connection is reopened (backing off up to 5 s); `onGap` is called when it drops and
   * again once it listens anew, the two moments after which notifications may have been missed.
   */
  listen(channel: string, onPayload: (payload: string) => void, onGap?: () => void): Promise<Unlisten>;
  close(): Promise<void>;
}

export async function openCatalogDatabase(config: CatalogDatabaseConfig): Promise<CatalogDatabase> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, config.poolMax ?? 10) : openPGlite(config);
}

function openPostgres(databaseUrl: string, poolMax: number): CatalogDatabase {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format as 'text'),
  };
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolMax, types: types as any });
  // An idle client that loses its server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: withDataErrors(new PostgresDialect({ pool })) });
  const listeners = new Set<Unlisten>();
  return {
    db,
    kind: 'postgres',
    async rawQuery<Row extends unknown[]>(text: string, values: readonly unknown[], name?: string) {
      const result = await pool.query<Row>({ text, values: values as unknown[], name, rowMode: 'array' });
      return result.rows;
    },
    async listen(channel, onPayload, onGap) {
      let stopped = false;
      let client: pg.Client | undefined;
      const connect = async () => {
        const c = new pg.Client({ connectionString: databaseUrl });
        c.on('error', () => {});
        c.on('notification', (msg) => {
          if (msg.channel === channel) onPayload(msg.payload ?? '');
        });
        try {
          await c.connect();
          await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        } catch (err) {
          c.end().catch(() => {}); // not awaited: ending a client whose connect failed may never settle
          throw err;
        }
        c.once('end', () => {
          if (stopped) return;
          onGap?.();
          void reconnect();
        });
        return c;
      };
      const reconnect = async () => {
        for (let delayMs = 100; !stopped; delayMs = Math.min(delayMs * 2, 5000)) {
          try {
            const c = await connect();
            if (stopped) return void (await c.end().catch(() => {}));
            client = c;
            onGap?.();
            return;
          } catch {
            await new Promise((r) => setTimeout(r, delayMs).unref());
          }
        }
      };
      client = await connect();
      const unlisten = async () => {
        stopped = true;
        listeners.delete(unlisten);
        await client?.end().catch(() => {});
      };
      listeners.add(unlisten);
      return unlisten;
    },
    async close() {
      await Promise.all([...listeners].map((unlisten) => unlisten()));
      await db.destroy();
    },
  };
}

async function openPGlite(config: CatalogDatabaseConfig): Promise<CatalogDatabase> {
  const options = { parsers: { [INT8_OID]: parseInt8 }, loadDataDir: config.pgliteTemplate };
  let releaseLock = () => {};
  let pglite: PGlite;
  if (config.dataDir) {
    mkdirSync(config.dataDir, { recursive: true });
    releaseLock = lockDataDir(config.dataDir);
    try {
      pglite = await PGlite.create(config.dataDir, options);
    } catch (err) {
      releaseLock();
      throw err;
    }
  } else {
    pglite = await PGlite.create(options);
  }
  const db = new Kysely<Database>({ dialect: withDataErrors(new PGliteDialect(pglite)) });
  return {
    db,
    kind: 'pglite',
    async rawQuery<Row extends unknown[]>(text: string, values: readonly unknown[]) {
      const result = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, values as unknown[]));
      return result.rows.map((row) => Object.values(row) as Row);
    },
    async listen(channel, onPayload) {
      const unlisten = await pglite.listen(channel, onPayload);
      return async () => unlisten();
    },
    async close() {
      await db.destroy();
      await pglite.close();
      releaseLock();
    },
  };
}

/**
 * PGlite lets two processes open one data dir and then silently loses writes; an exclusive lock file
 * (holding the owner's pid, stale when that pid is gone) turns that into a clear start-up error.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dataDir, 'atelier.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (err: any) {
      if (err.code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(lockPath, 'utf8').trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new CatalogError(
          'ATL_DATA_DIR_LOCKED',
          `The embedded database at ${dataDir} is in use by process ${owner}. Stop that process, or set ` +
            `ATELIER_DATA_DIR to another folder, or use DATABASE_URL to share one Postgres between processes.`,
        );
      }
      rmSync(lockPath, { force: true }); // stale: its owner is gone
    }
  }
  throw new CatalogError('ATL_DATA_DIR_LOCKED', `Could not lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    return err.code === 'EPERM';
  }
}
