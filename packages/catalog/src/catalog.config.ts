// Where the catalog lives, read once from env: Postgres when DATABASE_URL is set, else the embedded
// PGlite under `${ATELIER_DATA_DIR}/db`. Bad values fail, every one named in one message.
import { join } from 'node:path';
import type { CatalogConfig } from './catalog.js';

export function catalogConfigFromEnv(env: NodeJS.ProcessEnv, dataDir: string): CatalogConfig {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    const problems: string[] = [];
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push(`DATABASE_URL must be a postgres:// URL (got '${databaseUrl.slice(0, 40)}')`);
    const poolMax = env.DATABASE_POOL_MAX ? Number(env.DATABASE_POOL_MAX) : undefined;
    if (poolMax !== undefined && !(Number.isInteger(poolMax) && poolMax > 0)) {
      problems.push(`DATABASE_POOL_MAX must be a positive integer (got '${env.DATABASE_POOL_MAX}')`);
    }
    if (problems.length) throw new Error(problems.join('\n'));
    return { databaseUrl, poolMax };
  }
  return { dataDir: join(dataDir, 'db') };
}
