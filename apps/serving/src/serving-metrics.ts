// Prometheus metrics of a serving node, registered on the registry it is given (the gateway's, in
// the all-in-one process). Per-version children are created once per loaded version, so the hot
// path does no label lookups.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface VersionMetrics {
  requestSeconds(status: string): { observe(v: number): void };
  batchRows: { observe(v: number): void };
  queueRows: { set(v: number): void };
  queueWaitSeconds: { observe(v: number): void };
}

export class ServingMetrics {
  readonly requestDuration: Histogram<'project' | 'model' | 'version' | 'status'>;
  readonly batchRows: Histogram<'project' | 'model' | 'version'>;
  readonly queueRows: Gauge<'project' | 'model' | 'version'>;
  readonly queueWait: Histogram<'project' | 'model' | 'version'>;
  readonly loadSeconds: Histogram<'format' | 'outcome'>;
  readonly cacheLookups: Counter<'result'>;
  readonly shadows: Counter<'project' | 'model' | 'version' | 'outcome'>;
  readonly loadedVersions: Gauge;
  readonly predictionsLogged: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requestDuration = new Histogram({
      name: 'atelier_serving_request_duration_seconds',
      help: 'Predict/rank latency in the serving node (validation to answer), by model version and status',
      labelNames: ['project', 'model', 'version', 'status'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.batchRows = new Histogram({
      name: 'atelier_serving_batch_rows',
      help: 'Rows per computed batch',
      labelNames: ['project', 'model', 'version'],
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
      registers,
    });
    this.queueRows = new Gauge({
      name: 'atelier_serving_queue_rows',
      help: 'Rows waiting in the batch queue of a model version',
      labelNames: ['project', 'model', 'version'],
      registers,
    });
    this.queueWait = new Histogram({
      name: 'atelier_serving_queue_wait_seconds',
      help: 'Time a request waited in the batch queue before computing (or expiring)',
      labelNames: ['project', 'model', 'version'],
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers,
    });
    this.loadSeconds = new Histogram({
      name: 'atelier_serving_model_load_seconds',
      help: 'Download + verify + load + warm-up time of a model version',
      labelNames: ['format', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.cacheLookups = new Counter({
      name: 'atelier_serving_bundle_cache_lookups_total',
      help: 'Bundle cache lookups by result (hit: served from the local cache, verified)',
      labelNames: ['result'],
      registers,
    });
    this.shadows = new Counter({
      name: 'atelier_serving_shadow_predictions_total',
      help: 'Shadow predictions by outcome (their answers are logged, never returned)',
      labelNames: ['project', 'model', 'version', 'outcome'],
      registers,
    });
    this.loadedVersions = new Gauge({ name: 'atelier_serving_loaded_versions', help: 'Model versions loaded on this node', registers });
    this.predictionsLogged = new Counter({ name: 'atelier_serving_predictions_logged_total', help: 'Predictions sampled into the prediction log', registers });
  }

  forVersion(project: string, model: string, version: number): VersionMetrics {
    const labels = { project, model, version: String(version) };
    const byStatus = new Map<string, { observe(v: number): void }>();
    return {
      requestSeconds: (status) => {
        let h = byStatus.get(status);
        if (!h) byStatus.set(status, (h = this.requestDuration.labels({ ...labels, status })));
        return h;
      },
      batchRows: this.batchRows.labels(labels),
      queueRows: this.queueRows.labels(labels),
      queueWaitSeconds: this.queueWait.labels(labels),
    };
  }

  removeVersion(project: string, model: string, version: number): void {
    const labels = { project, model, version: String(version) };
    this.queueRows.remove(labels);
  }
}
