// Training metrics on a Prometheus registry (the gateway's in the all-in-one process): jobs by state
// and the queue depth (from the catalog, one grouped query cached a few seconds, so scrapes stay
// cheap whatever their rate), how long jobs waited in the queue, how long they ran, and epoch times.
import type { Catalog, JobStatus } from '@atelier/catalog';
import { Gauge, Histogram, type Registry } from 'prom-client';

const JOB_TYPES = new Set(['train', 'evaluate', 'tune', 'batch_predict']);

/** The job's type as a bounded label value. */
export function jobTypeLabel(spec: Record<string, unknown>): string {
  const type = typeof spec.type === 'string' ? spec.type : 'train';
  return JOB_TYPES.has(type) ? type : 'other';
}

export class TrainingMetrics {
  readonly queueWaitSeconds: Histogram<'type'>;
  readonly jobSeconds: Histogram<'type' | 'outcome'>;
  readonly epochSeconds: Histogram<'kind'>;
  private counts: { at: number; value: Promise<Record<JobStatus, number>> } | null = null;

  constructor(
    registry: Registry,
    private readonly catalog: Catalog,
    /** How long one count of jobs by state is reused. */
    private readonly stateCacheMs = 5000,
  ) {
    // prom-client calls collect() with the gauge as `this`: the counts come through this closure.
    const jobCounts = () => this.jobCounts();
    new Gauge({
      name: 'atelier_training_jobs',
      help: 'Training jobs by state (every job in the catalog; refreshed at most every few seconds)',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        // The catalog unreachable: keep the last values rather than failing the whole scrape.
        const counts = await jobCounts().catch(() => null);
        if (counts) for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'atelier_training_queue_depth',
      help: 'Training jobs waiting to be claimed by a worker (what a worker pool scales on)',
      registers: [registry],
      async collect() {
        const counts = await jobCounts().catch(() => null);
        if (counts) this.set(counts.queued);
      },
    });
    this.queueWaitSeconds = new Histogram({
      name: 'atelier_training_queue_wait_seconds',
      help: 'Time from a job being created to its first claim by a worker',
      labelNames: ['type'],
      buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600, 14400],
      registers: [registry],
    });
    this.jobSeconds = new Histogram({
      name: 'atelier_training_job_duration_seconds',
      help: 'Time one attempt of a job ran on this worker, by outcome (succeeded, failed, cancelled, abandoned: lease lost or worker stopping)',
      labelNames: ['type', 'outcome'],
      buckets: [1, 5, 15, 60, 300, 900, 3600, 14400, 86400],
      registers: [registry],
    });
    this.epochSeconds = new Histogram({
      name: 'atelier_training_epoch_seconds',
      help: 'Duration of one training epoch, by model kind (epochs per second = count / sum)',
      labelNames: ['kind'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
      registers: [registry],
    });
  }

  private jobCounts(): Promise<Record<JobStatus, number>> {
    const now = Date.now();
    if (!this.counts || now - this.counts.at >= this.stateCacheMs) {
      const value = this.catalog.trainingJobs.countByStatus();
      this.counts = { at: now, value };
      // A failed count is not cached: the next scrape asks again.
      value.catch(() => {
        if (this.counts?.value === value) this.counts = null;
      });
    }
    return this.counts.value;
  }
}
