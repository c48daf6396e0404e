// Tuning metrics on the orchestrator's registry (the gateway's /metrics in the all-in-one process):
// studies by state, trials by state (ASHA-stopped trials as `stopped`), the best objective of each
// unfinished study, from catalog queries cached a few seconds; and counters of trials created,
// finished and stopped by ASHA on this controller.
import type { Catalog, JobStatus, TuningJob } from '@atelier/catalog';
import { Counter, Gauge, type Registry } from 'prom-client';

interface Snapshot {
  studies: Record<JobStatus, number>;
  trials: Record<string, number>;
  active: TuningJob[];
}

export class TuningMetrics {
  readonly trialsCreated: Counter;
  readonly trialsFinished: Counter<'state'>;
  readonly ashaStops: Counter;
  private snapshot: { at: number; value: Promise<Snapshot> } | null = null;

  constructor(
    registry: Registry,
    private readonly catalog: Catalog,
    private readonly cacheMs = 5000,
  ) {
    const snap = () => this.read();
    new Gauge({
      name: 'atelier_tuning_jobs',
      help: 'Tuning jobs (studies) by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const s = await snap().catch(() => null);
        if (s) for (const [state, n] of Object.entries(s.studies)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'atelier_tuning_trials',
      help: 'Trials of every tuning job by state (stopped: ASHA stopped it early)',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const s = await snap().catch(() => null);
        if (!s) return;
        for (const state of ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'stopped']) this.set({ state }, s.trials[state] ?? 0);
      },
    });
    new Gauge({
      name: 'atelier_tuning_best_objective',
      help: 'The best objective so far of each unfinished tuning job (labels: its id and metric)',
      labelNames: ['tuning_job', 'metric'],
      registers: [registry],
      async collect() {
        const s = await snap().catch(() => null);
        if (!s) return;
        this.reset();
        for (const job of s.active) {
          const metric = String((job.spec.objective as { metric?: string } | undefined)?.metric ?? '');
          if (job.bestObjective !== null) this.set({ tuning_job: job.id, metric }, job.bestObjective);
        }
      },
    });
    this.trialsCreated = new Counter({ name: 'atelier_tuning_trials_created_total', help: 'Trials this controller created', registers: [registry] });
    this.trialsFinished = new Counter({ name: 'atelier_tuning_trials_finished_total', help: 'Trials seen finishing by this controller, by final state', labelNames: ['state'], registers: [registry] });
    this.ashaStops = new Counter({ name: 'atelier_tuning_asha_stops_total', help: 'Trials ASHA stopped at a rung', registers: [registry] });
  }

  private read(): Promise<Snapshot> {
    const now = Date.now();
    if (!this.snapshot || now - this.snapshot.at >= this.cacheMs) {
      const value = (async () => {
        const [studies, trials, active] = await Promise.all([this.catalog.tuningJobs.countByStatus(), this.catalog.tuningJobs.trialCountsByState(), this.catalog.tuningJobs.listActive()]);
        return { studies, trials, active };
      })();
      this.snapshot = { at: now, value };
      value.catch(() => {
        if (this.snapshot?.value === value) this.snapshot = null;
      });
    }
    return this.snapshot.value;
  }
}
