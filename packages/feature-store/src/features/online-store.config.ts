// Which online store a process uses, read once from the environment:
//   ATELIER_ONLINE_STORE unset or `postgres` → the catalog's database (the embedded default);
//   `redis://[user:password@]host:port[/db][?keyPrefix=atl]` (or rediss:// for TLS) → Redis.
// Every process that materializes or reads (gateways, serving nodes) must name the same store.
import type { Catalog } from '@atelier/catalog';
import { PostgresOnlineStore, type OnlineStore } from './online-store.js';
import { RedisOnlineStore } from './redis-online-store.js';

export type OnlineStoreConfig = { kind: 'postgres' } | { kind: 'redis'; url: string; keyPrefix?: string };

export function onlineStoreConfigFromEnv(env: NodeJS.ProcessEnv): OnlineStoreConfig {
  const raw = env.ATELIER_ONLINE_STORE?.trim();
  if (!raw || raw === 'postgres') return { kind: 'postgres' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`ATELIER_ONLINE_STORE must be 'postgres' or a redis:// URL (got '${raw}')`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`ATELIER_ONLINE_STORE must be 'postgres' or a redis:// or rediss:// URL (got the scheme '${url.protocol}')`);
  }
  const keyPrefix = url.searchParams.get('keyPrefix') ?? undefined;
  if (keyPrefix !== undefined && !/^[A-Za-z0-9_.-]+$/.test(keyPrefix)) {
    throw new Error(`ATELIER_ONLINE_STORE: keyPrefix '${keyPrefix}' may hold only letters, digits, '_', '.' and '-'`);
  }
  for (const name of url.searchParams.keys()) {
    if (name !== 'keyPrefix') throw new Error(`ATELIER_ONLINE_STORE: unknown parameter '${name}' (only keyPrefix is read)`);
  }
  url.search = '';
  return { kind: 'redis', url: url.toString(), keyPrefix };
}

/** The store a config names; the Postgres one lives in `catalog`'s database. Close it with the process. */
export function createOnlineStore(config: OnlineStoreConfig, catalog: Pick<Catalog, 'rawQuery' | 'db'>): OnlineStore {
  return config.kind === 'redis' ? new RedisOnlineStore({ url: config.url, keyPrefix: config.keyPrefix }) : new PostgresOnlineStore(catalog);
}
