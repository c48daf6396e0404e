// Model monitoring's gateway settings (services/monitoring.service.ts), read from env once at start-up;
// bad values fail fast, every one named in one message. The window length is the serving nodes'
// (ATELIER_MONITORING_WINDOW_MS, stored with each window's counts), not a gateway setting.

export interface MonitoringConfig {
  /** ATELIER_MONITORING_EVALUATE_MS, default 30 s: time between alert evaluations of every monitored deployment; 0 turns them off. */
  evaluateMs: number;
  /** ATELIER_MONITORING_RETENTION_HOURS, default 168 (7 days): window counts, answers awaiting labels and resolved alerts older than this are deleted. */
  retentionHours: number;
}

export function monitoringConfigFromEnv(env: NodeJS.ProcessEnv): MonitoringConfig {
  const problems: string[] = [];
  const read = (name: string, fallback: number, ok: (v: number) => boolean, what: string) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const v = Number(raw);
    if (Number.isSafeInteger(v) && ok(v)) return v;
    problems.push(`${name} must be ${what} (got '${raw}')`);
    return fallback;
  };
  const config: MonitoringConfig = {
    evaluateMs: read('ATELIER_MONITORING_EVALUATE_MS', 30_000, (v) => v === 0 || v >= 100, '0 (off) or a whole number of milliseconds ≥ 100'),
    retentionHours: read('ATELIER_MONITORING_RETENTION_HOURS', 168, (v) => v >= 1, 'a whole number of hours ≥ 1'),
  };
  if (problems.length) throw new Error(problems.join('\n'));
  return config;
}
