// The artifact collector's settings (services/artifact-gc.service.ts), read from env once at start-up;
// bad values fail fast, every one named in one message.
import { DEFAULT_UPLOAD_TTL_MS } from './services/model-registry.service.js';

export interface ArtifactGcConfig {
  /** ATELIER_GC_INTERVAL_MS, default 15 min: time between passes (the first runs at start); 0 turns the collector off. */
  intervalMs: number;
  /**
   * ATELIER_GC_GRACE_MS, default 1 h: an unreferenced dataset file, bundle or checkpoint younger than this
   * is kept (its writer may be about to insert the row that points at it).
   */
  graceMs: number;
  /** ATELIER_GC_TEMP_MAX_AGE_MS, default 15 min: artifact-store temp / staging files untouched this long are removed. */
  tempMaxAgeMs: number;
  /**
   * ATELIER_GC_SPOOL_MAX_AGE_MS, default 6 h: local spool files (dataset uploads, feature work dirs)
   * untouched this long are removed; at start, all of them when this process owns the work dir.
   */
  spoolMaxAgeMs: number;
  /** ATELIER_GC_UPLOAD_TTL_MS, default 24 h: ONNX uploads not registered as a version within this time are removed. */
  uploadTtlMs: number;
}

/** The milliseconds in `name`, or `fallback` when unset; a bad value is added to `problems` (and `fallback` returned). */
function msFromEnv(env: NodeJS.ProcessEnv, problems: string[], name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (Number.isSafeInteger(value) && value >= min) return value;
  problems.push(`${name} must be a whole number of milliseconds ≥ ${min} (got '${raw}')`);
  return fallback;
}

export function artifactGcConfigFromEnv(env: NodeJS.ProcessEnv): ArtifactGcConfig {
  const problems: string[] = [];
  const intervalMs = msFromEnv(env, problems, 'ATELIER_GC_INTERVAL_MS', 15 * 60_000, 0);
  if (intervalMs > 0 && intervalMs < 1000) problems.push(`ATELIER_GC_INTERVAL_MS must be 0 (off) or at least 1000 (got '${env.ATELIER_GC_INTERVAL_MS}')`);
  const config: ArtifactGcConfig = {
    intervalMs,
    graceMs: msFromEnv(env, problems, 'ATELIER_GC_GRACE_MS', 60 * 60_000, 60_000),
    tempMaxAgeMs: msFromEnv(env, problems, 'ATELIER_GC_TEMP_MAX_AGE_MS', 15 * 60_000, 60_000),
    spoolMaxAgeMs: msFromEnv(env, problems, 'ATELIER_GC_SPOOL_MAX_AGE_MS', 6 * 60 * 60_000, 60_000),
    uploadTtlMs: msFromEnv(env, problems, 'ATELIER_GC_UPLOAD_TTL_MS', DEFAULT_UPLOAD_TTL_MS, 60_000),
  };
  if (problems.length) throw new Error(problems.join('\n'));
  return config;
}
