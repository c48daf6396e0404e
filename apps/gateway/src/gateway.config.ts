// The gateway's settings, read from env once at start-up; bad values fail fast, every one named in one message.
import { MIN_OPERATOR_KEY_BITS, TOKEN_PATTERN, estimateEntropyBits } from './auth/api-key-secret.js';

export interface GatewayConfig {
  /** PORT, default 8080 (0 = any free port). */
  port: number;
  /** HOST, default 0.0.0.0. */
  host: string;
  /**
   * ATELIER_ADMIN_KEY: use this platform admin key instead of generating one on first start; at most 256
   * visible ASCII characters and ≥ 128 bits of estimated entropy (e.g. `openssl rand -base64 32`).
   */
  adminKey?: string;
  /** ATELIER_JSON_BODY_LIMIT_BYTES, default 1 MiB: the largest JSON body any /v1 route accepts. */
  jsonBodyLimitBytes: number;
  /** ATELIER_AUTH_CACHE_TTL_MS, default 5000: how long a key lookup is reused. */
  authCacheTtlMs: number;
  /** LOG_LEVEL, default info. */
  logLevel: string;
  /**
   * ATELIER_MAX_MODEL_PARAMETERS, default 50,000,000: the largest model a training job may build
   * (embedding tables + layers, estimated at submit); a bigger spec is refused with a 400.
   */
  maxModelParameters: number;
}

export const DEFAULT_MAX_MODEL_PARAMETERS = 50_000_000;

/** pino's levels, the ones LOG_LEVEL may name. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The integer in `name`, or `fallback` when unset; a bad value is added to `problems` (and `fallback` returned). */
function intFromEnv(env: NodeJS.ProcessEnv, problems: string[], name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value >= min) return value;
  problems.push(`${name} must be an integer ≥ ${min} (got '${raw}')`);
  return fallback;
}

export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv): GatewayConfig {
  const problems: string[] = [];
  const port = intFromEnv(env, problems, 'PORT', 8080);
  if (port > 65535) problems.push(`PORT must be at most 65535 (got '${env.PORT}')`);
  const adminKey = env.ATELIER_ADMIN_KEY || undefined;
  const weakKey = adminKey === undefined ? null : adminKeyProblem(adminKey);
  if (weakKey) problems.push(weakKey);
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got '${logLevel}')`);
  const config: GatewayConfig = {
    port,
    host: env.HOST || '0.0.0.0',
    adminKey,
    jsonBodyLimitBytes: intFromEnv(env, problems, 'ATELIER_JSON_BODY_LIMIT_BYTES', 1024 * 1024, 1),
    authCacheTtlMs: intFromEnv(env, problems, 'ATELIER_AUTH_CACHE_TTL_MS', 5000),
    logLevel,
    maxModelParameters: intFromEnv(env, problems, 'ATELIER_MAX_MODEL_PARAMETERS', DEFAULT_MAX_MODEL_PARAMETERS, 1),
  };
  if (problems.length) throw new Error(problems.join('\n'));
  return config;
}

const ADMIN_KEY_ADVICE =
  'Use a random key, e.g. the output of `openssl rand -base64 32`, or unset ATELIER_ADMIN_KEY to have an admin key generated on first start';

// An operator-chosen key is a password the server cannot make strong: refuse one that is guessable.
function adminKeyProblem(key: string): string | null {
  if (!TOKEN_PATTERN.test(key)) {
    return `ATELIER_ADMIN_KEY must be at most 256 visible ASCII characters, without spaces. ${ADMIN_KEY_ADVICE}.`;
  }
  const bits = estimateEntropyBits(key);
  if (bits < MIN_OPERATOR_KEY_BITS) {
    return (
      `ATELIER_ADMIN_KEY is too weak: about ${bits} bits of entropy estimated (${key.length} characters), ` +
      `at least ${MIN_OPERATOR_KEY_BITS} needed. ${ADMIN_KEY_ADVICE}.`
    );
  }
  return null;
}
