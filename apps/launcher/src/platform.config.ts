// The whole platform's settings, read from env once at start-up, before anything opens. Each part
// validates its own variables; every bad one, of every part, is named in one error.
import { resolve } from 'node:path';
import { catalogConfigFromEnv, type CatalogConfig } from '@atelier/catalog';
import { artifactConfigFromEnv, type ArtifactStoreConfig } from '@atelier/artifacts';
import { artifactGcConfigFromEnv, gatewayConfigFromEnv, monitoringConfigFromEnv, type ArtifactGcConfig, type GatewayConfig, type MonitoringConfig } from '@atelier/gateway';
import { datasetsConfigFromEnv, type DatasetsConfig } from '@atelier/feature-store';
import { servingConfigFromEnv, servingToken, type ServingConfig } from '@atelier/serving';
import { orchestratorConfigFromEnv, type OrchestratorConfig } from '@atelier/training-orchestrator';
import { DEFAULT_CONSOLE_DIST } from './console-build.js';

export interface PlatformConfig {
  /** ATELIER_DATA_DIR, default ./.atelier: embedded database and filesystem artifacts live here. */
  dataDir: string;
  catalog: CatalogConfig;
  artifacts: ArtifactStoreConfig;
  gateway: GatewayConfig;
  /** ATELIER_GC_*: the gateway's artifact collector (orphaned bytes, temp files, spool). */
  artifactGc: ArtifactGcConfig;
  /** ATELIER_MONITORING_EVALUATE_MS / ATELIER_MONITORING_RETENTION_HOURS: the gateway's model monitoring. */
  monitoring: MonitoringConfig;
  /** Dataset spool/cache/DuckDB work dir (default `${dataDir}/datasets`), upload limit, DuckDB bounds. */
  datasets: DatasetsConfig;
  /** ATELIER_SERVING_TOKEN: what serving nodes require and gateways send when they proxy (null: none). */
  servingToken: string | null;
  /** ATELIER_SERVING_* / ATELIER_PREDICTION_LOG_* / ATELIER_ONNX_* / ATELIER_ENGINE_*: when this process runs a serving node. */
  serving?: ServingConfig;
  /** ATELIER_WORKER_* / ATELIER_LEASE_TTL_MS / …: when this process runs a training worker. */
  orchestrator?: OrchestratorConfig;
  /**
   * ATELIER_WORKER_PORT: a training worker alone (no gateway or serving node in the process) answers
   * /healthz, /readyz and /metrics on this port (`atelier-server orchestrator` defaults it to 8082; null: none).
   */
  workerPort: number | null;
  /** ATELIER_SERVING_URL: the serving pool a gateway without an in-process node proxies predict calls to (null: none). */
  servingUrl: string | null;
  /**
   * ATELIER_CONSOLE_DIR: the admin console's static build the gateway serves at /console. Default: this
   * checkout's apps/console/dist, which `atelier-server start|gateway` builds when missing or stale
   * (`consoleBuild`); a folder named here is served as it is.
   */
  consoleDir: string;
  consoleBuild: boolean;
}

/** The settings that are wrong, one line each (the message joins them). */
export class PlatformConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PlatformConfigError';
  }
}

/**
 * Reads every setting the platform needs, and those of the serving node and training worker when `apps`
 * runs them. Throws a PlatformConfigError listing every bad variable, not only the first.
 */
export function platformConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  apps: readonly string[] = ['serving', 'gateway', 'orchestrator'],
): PlatformConfig {
  const problems: string[] = [];
  // Each part's reader names all of its own bad variables in one message, one line each.
  const read = <T>(part: () => T): T | undefined => {
    try {
      return part();
    } catch (err) {
      problems.push(...(err as Error).message.split('\n'));
      return undefined;
    }
  };
  const dataDir = resolve(env.ATELIER_DATA_DIR || './.atelier');
  const config = {
    dataDir,
    catalog: read(() => catalogConfigFromEnv(env, dataDir)),
    artifacts: read(() => artifactConfigFromEnv(env, dataDir)),
    gateway: read(() => gatewayConfigFromEnv(env)),
    artifactGc: read(() => artifactGcConfigFromEnv(env)),
    monitoring: read(() => monitoringConfigFromEnv(env)),
    datasets: read(() => datasetsConfigFromEnv({ ...env, ATELIER_DATA_DIR: dataDir })),
    servingToken: read(() => servingToken(env)),
    servingUrl: read(() => servingUrl(env)),
    workerPort: read(() => workerPort(env)),
    serving: apps.includes('serving') ? read(() => servingConfigFromEnv(env)) : undefined,
    orchestrator: apps.includes('orchestrator') ? read(() => orchestratorConfigFromEnv(env)) : undefined,
    consoleDir: env.ATELIER_CONSOLE_DIR ? resolve(env.ATELIER_CONSOLE_DIR) : DEFAULT_CONSOLE_DIST,
    consoleBuild: !env.ATELIER_CONSOLE_DIR,
  };
  if (problems.length) throw new PlatformConfigError([...new Set(problems)]); // ATELIER_SERVING_TOKEN is read twice
  return config as PlatformConfig;
}

/** ATELIER_WORKER_PORT: a port number when set (0: any free port). */
function workerPort(env: NodeJS.ProcessEnv): number | null {
  const raw = env.ATELIER_WORKER_PORT;
  if (raw === undefined || raw === '') return null;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) throw new Error(`ATELIER_WORKER_PORT must be a port number (0-65535; got '${raw}')`);
  return port;
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
