import { describe, expect, it } from 'vitest';
import { PlatformConfigError, platformConfigFromEnv } from './platform.config.js';

// Two bad variables in every part: one start-up must name all of them.
const BAD: Record<string, string> = {
  PORT: 'eighty',
  LOG_LEVEL: 'loud',
  ATELIER_AUTH_CACHE_TTL_MS: '-1',
  ATELIER_GC_INTERVAL_MS: '10',
  ATELIER_GC_GRACE_MS: 'soon',
  ATELIER_DATASET_MAX_COLUMNS: '0',
  ATELIER_DUCKDB_THREADS: 'many',
  DATABASE_URL: 'mysql://db/atelier',
  DATABASE_POOL_MAX: 'lots',
  S3_ENDPOINT: 'ftp://s3.example',
  S3_BUCKET: 'Bad_Bucket',
  ATELIER_SERVING_POOL: 'Not A Pool',
  ATELIER_SERVING_RECONCILE_MS: '5',
  ATELIER_WORKER_CORES: '0',
  ATELIER_LEASE_TTL_MS: 'forever',
  ATELIER_WORKER_PORT: '80000',
};

function problemsOf(env: NodeJS.ProcessEnv, apps?: string[]): string[] {
  try {
    platformConfigFromEnv(env, apps);
  } catch (err) {
    expect(err).toBeInstanceOf(PlatformConfigError);
    return (err as PlatformConfigError).problems;
  }
  return [];
}

describe('platformConfigFromEnv', () => {
  it('names every bad variable of every part in one error, one line each', () => {
    const problems = problemsOf({ ...BAD, ATELIER_DATA_DIR: '/tmp/atelier-config-test' });
    for (const name of [...Object.keys(BAD), 'S3_ACCESS_KEY', 'S3_SECRET_KEY']) {
      expect(problems.filter((p) => p.startsWith(`${name} `) || p.startsWith(`${name}=`)), name).toHaveLength(1);
    }
    expect(problems).toHaveLength(Object.keys(BAD).length + 2);
  });

  it('reads the serving node and training worker settings only for the apps it starts', () => {
    const env = { ATELIER_WORKER_CORES: '0', ATELIER_SERVING_RECONCILE_MS: '5' };
    expect(problemsOf(env, ['gateway'])).toEqual([]);
    expect(platformConfigFromEnv(env, ['gateway'])).toMatchObject({ serving: undefined, orchestrator: undefined });
    expect(problemsOf(env, ['orchestrator'])).toEqual(["ATELIER_WORKER_CORES must be an integer ≥ 1 (got '0')"]);
    expect(problemsOf(env, ['serving'])).toEqual(["ATELIER_SERVING_RECONCILE_MS must be at least 100 (got '5')"]);
  });

  it('returns every part typed when all is well', () => {
    const config = platformConfigFromEnv({ ATELIER_DATA_DIR: '/tmp/atelier-config-test', ATELIER_WORKER_CORES: '3', ATELIER_SERVING_POOL: 'gpu' });
    expect(config).toMatchObject({ dataDir: '/tmp/atelier-config-test', orchestrator: { cores: 3 }, serving: { pool: 'gpu' }, gateway: { port: 8080 } });
  });
});
