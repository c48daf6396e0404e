// The serving node's settings: one typed object, read from env once at start-up, validated; bad values
// fail, every one named in one message.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServingConfig {
  /** Serving pool this node serves: deployments whose spec.pool is this (default 'default'). ATELIER_SERVING_POOL */
  pool: string;
  /** Node id in logs and prediction-log file names (default hostname-pid). ATELIER_SERVING_NODE_ID */
  nodeId: string;
  /** Local content-addressed bundle cache. ATELIER_SERVING_CACHE_DIR (default <tmp>/atelier-serving-cache) */
  cacheDir: string;
  /** Most bytes the bundle cache keeps (least recently used bundles not in use go first). ATELIER_SERVING_CACHE_MAX_MB (default 10240) */
  cacheMaxBytes: number;
  /** Full reconcile against the catalog every this many ms (LISTEN/NOTIFY triggers one at once). ATELIER_SERVING_RECONCILE_MS */
  reconcileIntervalMs: number;
  /** Own HTTP port for the standalone `serving` command; null: no listener (in-process use). ATELIER_SERVING_PORT */
  port: number | null;
  host: string;
  /** Share of predictions logged to artifacts (0…1). ATELIER_PREDICTION_LOG_SAMPLE_RATE (default 0.01) */
  predictionLogSampleRate: number;
  /** Flush the prediction log every this many records… ATELIER_PREDICTION_LOG_FLUSH_RECORDS (default 1000) */
  predictionLogFlushRecords: number;
  /** …or every this many ms. ATELIER_PREDICTION_LOG_FLUSH_MS (default 10000) */
  predictionLogFlushIntervalMs: number;
  /** ONNX Runtime intra-op threads per session. ATELIER_ONNX_THREADS (default 1) */
  onnxIntraOpThreads: number;
  /** Compute threads per ONNX version (0 = on the event loop). ATELIER_ONNX_WORKER_THREADS (default 0) */
  onnxWorkerThreads: number;
  /** ONNX batches with at least this many rows compute on a thread. ATELIER_ONNX_WORKER_MIN_ROWS (default 8) */
  onnxWorkerMinRows: number;
  /** Compute threads per engine-bundle version (0 = inline). ATELIER_ENGINE_THREADS (default 1) */
  engineWorkerThreads: number;
  /** Engine batches with at least this many rows compute on a worker thread. ATELIER_ENGINE_THREAD_MIN_ROWS (default 8) */
  engineWorkerMinRows: number;
  /** Bearer token the node's own listener requires on /v1 routes (the gateways send it); null: none. ATELIER_SERVING_TOKEN */
  token: string | null;
  /** Seed of the weighted (A/B) route choice; null: random. ATELIER_SERVING_ROUTING_SEED */
  routingSeed: number | null;
  /** Model monitoring: length of a drift window. ATELIER_MONITORING_WINDOW_MS (default 300000, 5 minutes) */
  monitoringWindowMs: number;
  /** Model monitoring: write window counts and answers awaiting labels every this many ms. ATELIER_MONITORING_FLUSH_MS (default 10000) */
  monitoringFlushMs: number;
  /** Model monitoring: most answers kept for labels per flush. ATELIER_MONITORING_MAX_OUTCOMES (default 10000) */
  monitoringMaxOutcomesPerFlush: number;
}

export function defaultServingConfig(over: Partial<ServingConfig> = {}): ServingConfig {
  return {
    pool: 'default',
    nodeId: `serving-${process.pid}-${randomBytes(3).toString('hex')}`,
    cacheDir: join(tmpdir(), 'atelier-serving-cache'),
    cacheMaxBytes: 10240 * 1024 * 1024,
    reconcileIntervalMs: 5000,
    port: null,
    host: '0.0.0.0',
    predictionLogSampleRate: 0.01,
    predictionLogFlushRecords: 1000,
    predictionLogFlushIntervalMs: 10_000,
    onnxIntraOpThreads: 1,
    onnxWorkerThreads: 0,
    onnxWorkerMinRows: 8,
    engineWorkerThreads: 1,
    engineWorkerMinRows: 8,
    token: null,
    routingSeed: null,
    monitoringWindowMs: 300_000,
    monitoringFlushMs: 10_000,
    monitoringMaxOutcomesPerFlush: 10_000,
    ...over,
  };
}

/** The number in `name`, or `fallback` when unset; a bad value is added to `problems` (and `fallback` returned). */
function num(env: NodeJS.ProcessEnv, problems: string[], name: string, fallback: number, check: (v: number) => boolean, what: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (Number.isFinite(v) && check(v)) return v;
  problems.push(`${name} must be ${what} (got '${raw}')`);
  return fallback;
}

export function servingConfigFromEnv(env: NodeJS.ProcessEnv, over: Partial<ServingConfig> = {}): ServingConfig {
  const d = defaultServingConfig();
  const int = (v: number) => Number.isInteger(v);
  const problems: string[] = [];
  const pool = env.ATELIER_SERVING_POOL ?? d.pool;
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(pool)) problems.push(`ATELIER_SERVING_POOL must be a lowercase name (got '${pool}')`);
  let token: string | null = null;
  try {
    token = servingToken(env);
  } catch (err) {
    problems.push((err as Error).message);
  }
  const port = env.ATELIER_SERVING_PORT ? num(env, problems, 'ATELIER_SERVING_PORT', 0, (v) => int(v) && v >= 0 && v < 65536, 'a port number') : null;
  const config: ServingConfig = {
    pool,
    nodeId: env.ATELIER_SERVING_NODE_ID ?? `${env.HOSTNAME ?? 'serving'}-${process.pid}`,
    cacheDir: env.ATELIER_SERVING_CACHE_DIR ?? (env.ATELIER_DATA_DIR ? join(env.ATELIER_DATA_DIR, 'serving-cache') : d.cacheDir),
    cacheMaxBytes: num(env, problems, 'ATELIER_SERVING_CACHE_MAX_MB', d.cacheMaxBytes / (1024 * 1024), (v) => v > 0, 'a positive number of MB') * 1024 * 1024,
    reconcileIntervalMs: num(env, problems, 'ATELIER_SERVING_RECONCILE_MS', d.reconcileIntervalMs, (v) => v >= 100, 'at least 100'),
    port,
    host: env.ATELIER_SERVING_HOST ?? d.host,
    predictionLogSampleRate: num(env, problems, 'ATELIER_PREDICTION_LOG_SAMPLE_RATE', d.predictionLogSampleRate, (v) => v >= 0 && v <= 1, 'in [0, 1]'),
    predictionLogFlushRecords: num(env, problems, 'ATELIER_PREDICTION_LOG_FLUSH_RECORDS', d.predictionLogFlushRecords, (v) => int(v) && v >= 1, 'an integer ≥ 1'),
    predictionLogFlushIntervalMs: num(env, problems, 'ATELIER_PREDICTION_LOG_FLUSH_MS', d.predictionLogFlushIntervalMs, (v) => v >= 100, 'at least 100'),
    onnxIntraOpThreads: num(env, problems, 'ATELIER_ONNX_THREADS', d.onnxIntraOpThreads, (v) => int(v) && v >= 1, 'an integer ≥ 1'),
    onnxWorkerThreads: num(env, problems, 'ATELIER_ONNX_WORKER_THREADS', d.onnxWorkerThreads, (v) => int(v) && v >= 0, 'an integer ≥ 0'),
    onnxWorkerMinRows: num(env, problems, 'ATELIER_ONNX_WORKER_MIN_ROWS', d.onnxWorkerMinRows, (v) => int(v) && v >= 1, 'an integer ≥ 1'),
    engineWorkerThreads: num(env, problems, 'ATELIER_ENGINE_THREADS', d.engineWorkerThreads, (v) => int(v) && v >= 0, 'an integer ≥ 0'),
    engineWorkerMinRows: num(env, problems, 'ATELIER_ENGINE_THREAD_MIN_ROWS', d.engineWorkerMinRows, (v) => int(v) && v >= 1, 'an integer ≥ 1'),
    token,
    routingSeed: env.ATELIER_SERVING_ROUTING_SEED ? num(env, problems, 'ATELIER_SERVING_ROUTING_SEED', 0, int, 'an integer') : null,
    monitoringWindowMs: num(env, problems, 'ATELIER_MONITORING_WINDOW_MS', d.monitoringWindowMs, (v) => int(v) && v >= 1000 && v <= 86_400_000, 'an integer from 1000 to 86400000'),
    monitoringFlushMs: num(env, problems, 'ATELIER_MONITORING_FLUSH_MS', d.monitoringFlushMs, (v) => int(v) && v >= 100, 'an integer ≥ 100'),
    monitoringMaxOutcomesPerFlush: num(env, problems, 'ATELIER_MONITORING_MAX_OUTCOMES', d.monitoringMaxOutcomesPerFlush, (v) => int(v) && v >= 0, 'an integer ≥ 0'),
    ...over,
  };
  if (problems.length) throw new Error(problems.join('\n'));
  return config;
}

/** ATELIER_SERVING_TOKEN: at least 16 characters when set (it guards every predict route of the node). */
export function servingToken(env: NodeJS.ProcessEnv): string | null {
  const t = env.ATELIER_SERVING_TOKEN;
  if (t === undefined || t === '') return null;
  if (t.length < 16 || /\s/.test(t)) throw new Error(`ATELIER_SERVING_TOKEN must be at least 16 characters without spaces (got ${t.length})`);
  return t;
}
