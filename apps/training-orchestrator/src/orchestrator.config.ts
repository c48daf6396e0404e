// The orchestrator worker's settings, read from env once at start-up; bad values fail fast, every one
// named in one message.
import { availableParallelism, hostname, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface OrchestratorConfig {
  /** ATELIER_WORKER_ID, default `<hostname>-<pid>-<random>`: the id in the workers table and job leases. */
  workerId: string;
  hostname: string;
  /** ATELIER_WORKER_CORES, default the machine's available parallelism: the jobs' cores never sum above this. */
  cores: number;
  /**
   * ATELIER_WORKER_GPUS: GPUs this worker offers (gpu jobs go only to workers with GPUs), one per running
   * gpu job; never more than the engine-gpu probe finds at start. Unset: every GPU the probe finds.
   */
  gpus: number;
  /** True when ATELIER_WORKER_GPUS was unset: the probe at start decides `gpus`. */
  gpusFromProbe: boolean;
  /** ATELIER_WORKER_CONCURRENCY, default 1: jobs run at once. */
  concurrency: number;
  /** ATELIER_LEASE_TTL_MS, default 15000: a job's lease; renewed every leaseTtlMs/3. */
  leaseTtlMs: number;
  /** ATELIER_POLL_INTERVAL_MS, default 1000: how often an idle worker looks for queued jobs (NOTIFY wakes it sooner). */
  pollIntervalMs: number;
  /** ATELIER_CANCEL_POLL_MS, default 500: how often a running job's cancel flag is read (NOTIFY is faster). */
  cancelPollMs: number;
  /** ATELIER_BATCH_WORK_DIR, default `$ATELIER_DATA_DIR/batch`, else `$TMPDIR/atelier-batch-<uid>`: batch predictions' scratch files (input copy, scratch table, output). */
  batchWorkDir: string;
  /** ATELIER_BATCH_DUCKDB_MEMORY_LIMIT_MB, default 256: DuckDB's memory_limit per batch-prediction session (it spills beyond). */
  batchDuckdbMemoryLimitMb: number;
  /**
   * ATELIER_TRAINING_MEMORY_BUDGET_MB, default a quarter of the machine's memory divided by
   * ATELIER_WORKER_CONCURRENCY: a job whose dataset version would take more than this in memory (its
   * rows × the columns it reads, as loaded, split and preprocessed) trains streamed, chunk by chunk,
   * from a Parquet copy of the version.
   */
  trainingMemoryBudgetMb: number;
  /** ATELIER_TRAINING_CACHE_DIR, default `<tmpdir>/atelier-training-cache`: Parquet copies of streamed versions, by content hash. */
  trainingCacheDir: string;
  /**
   * ATELIER_TRAINING_CHECKPOINT_INTERVAL_MS, default 60000: a running job also checkpoints inside an
   * epoch at most this often, recording its position in the epoch's stream of batches, so a resumed job
   * continues from that batch instead of the epoch's start; 0: epoch ends only.
   */
  trainingCheckpointIntervalMs: number;
}

/** The integer in `name`, or `fallback` when unset; a bad value is added to `problems` (and `fallback` returned). */
function intFromEnv(env: NodeJS.ProcessEnv, problems: string[], name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= min) return value;
  problems.push(`${name} must be an integer ≥ ${min} (got '${raw}')`);
  return fallback;
}

export function orchestratorConfigFromEnv(env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  const host = hostname();
  const problems: string[] = [];
  const config: OrchestratorConfig = {
    workerId: env.ATELIER_WORKER_ID || `${host}-${process.pid}-${randomBytes(3).toString('hex')}`,
    hostname: host,
    cores: intFromEnv(env, problems, 'ATELIER_WORKER_CORES', availableParallelism(), 1),
    gpus: intFromEnv(env, problems, 'ATELIER_WORKER_GPUS', 0, 0),
    gpusFromProbe: env.ATELIER_WORKER_GPUS === undefined || env.ATELIER_WORKER_GPUS === '',
    concurrency: intFromEnv(env, problems, 'ATELIER_WORKER_CONCURRENCY', 1, 1),
    leaseTtlMs: intFromEnv(env, problems, 'ATELIER_LEASE_TTL_MS', 15_000, 300),
    pollIntervalMs: intFromEnv(env, problems, 'ATELIER_POLL_INTERVAL_MS', 1000, 10),
    cancelPollMs: intFromEnv(env, problems, 'ATELIER_CANCEL_POLL_MS', 500, 10),
    batchWorkDir:
      env.ATELIER_BATCH_WORK_DIR || (env.ATELIER_DATA_DIR ? join(env.ATELIER_DATA_DIR, 'batch') : join(tmpdir(), `atelier-batch-${process.getuid?.() ?? 'user'}`)),
    batchDuckdbMemoryLimitMb: intFromEnv(env, problems, 'ATELIER_BATCH_DUCKDB_MEMORY_LIMIT_MB', 256, 16),
    trainingMemoryBudgetMb: 0,
    trainingCheckpointIntervalMs: intFromEnv(env, problems, 'ATELIER_TRAINING_CHECKPOINT_INTERVAL_MS', 60_000, 0),
    trainingCacheDir: env.ATELIER_TRAINING_CACHE_DIR || join(tmpdir(), 'atelier-training-cache'),
  };
  const defaultBudgetMb = Math.max(64, Math.floor(totalmem() / 4 / 1024 / 1024 / config.concurrency));
  config.trainingMemoryBudgetMb = intFromEnv(env, problems, 'ATELIER_TRAINING_MEMORY_BUDGET_MB', defaultBudgetMb, 1);
  if (config.workerId.length > 200) problems.push('ATELIER_WORKER_ID must be at most 200 characters');
  if (problems.length) throw new Error(problems.join('\n'));
  return config;
}

/** Defaults for tests and embedding: env-free, and no GPUs unless `gpus` (or `gpusFromProbe`) is given. */
export function defaultOrchestratorConfig(overrides: Partial<OrchestratorConfig> = {}): OrchestratorConfig {
  return { ...orchestratorConfigFromEnv({}), gpusFromProbe: false, ...overrides };
}
