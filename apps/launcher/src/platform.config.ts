// The whole platform's settings, read from env once at start-up. Each part validates its own
// variables and fails fast naming the one that is wrong.
import { resolve } from 'node:path';
import { catalogConfigFromEnv, type CatalogConfig } from '@atelier/catalog';
import { artifactConfigFromEnv, type ArtifactStoreConfig } from '@atelier/artifacts';
import { artifactGcConfigFromEnv, gatewayConfigFromEnv, type ArtifactGcConfig, type GatewayConfig } from '@atelier/gateway';
import { datasetsConfigFromEnv, type DatasetsConfig } from '@atelier/feature-store';
import { servingToken } from '@atelier/serving';

export interface PlatformConfig {
  /** ATELIER_DATA_DIR, default ./.atelier: embedded database and filesystem artifacts live here. */
  dataDir: string;
  catalog: CatalogConfig;
  artifacts: ArtifactStoreConfig;
  gateway: GatewayConfig;
  /** ATELIER_GC_*: the gateway's artifact collector (orphaned bytes, temp files, spool). */
  artifactGc: ArtifactGcConfig;
  /** Dataset spool/cache/DuckDB work dir (default `${dataDir}/datasets`), upload limit, DuckDB bounds. */
  datasets: DatasetsConfig;
  /** ATELIER_SERVING_TOKEN: what serving nodes require and gateways send when they proxy (null: none). */
  servingToken: string | null;
  /** ATELIER_SERVING_URL: the serving pool a gateway without an in-process node proxies predict calls to (null: none). */
  servingUrl: string | null;
}

export function platformConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const dataDir = resolve(env.ATELIER_DATA_DIR || './.atelier');
  return {
    dataDir,
    catalog: catalogConfigFromEnv(env, dataDir),
    artifacts: artifactConfigFromEnv(env, dataDir),
    gateway: gatewayConfigFromEnv(env),
    artifactGc: artifactGcConfigFromEnv(env),
    datasets: datasetsConfigFromEnv({ ...env, ATELIER_DATA_DIR: dataDir }),
    servingToken: servingToken(env),
    servingUrl: servingUrl(env),
  };
}

/** ATELIER_SERVING_URL: an http(s) URL when set, kept without trailing slashes. */
function servingUrl(env: NodeJS.ProcessEnv): string | null {
  const raw = env.ATELIER_SERVING_URL;
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`ATELIER_SERVING_URL must be an http(s) URL such as http://atelier-serving:8081 (got '${raw}')`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`ATELIER_SERVING_URL must be an http(s) URL (got '${raw}')`);
  return raw.replace(/\/+$/, '');
}
