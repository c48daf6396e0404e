// Prometheus metrics of a serving node, registered on the registry it is given (the gateway's, in
// the all-in-one process). The per-request ones are @atelier/telemetry series bound once per loaded
// version, so the hot path does no label work; queue depth is read from the batchers at scrape time
// instead of being set on every enqueue.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LabeledHistogram, type HistogramSeries } from '@atelier/telemetry';

export interface VersionMetrics {
  requestSeconds(status: string): HistogramSeries;
  batchRows: HistogramSeries;
  queueWaitSeconds: HistogramSeries;
}

/** Rows waiting per loaded version, read when /metrics is scraped. */
export type QueueDepths = () => Iterable<{ project: string; model: string; version: number; rows: number }>;

type VersionLabel = 'project' | 'model' | 'version';

export class ServingMetrics {
  readonly requestDuration: LabeledHistogram<VersionLabel | 'status'>;
  readonly batchRows: LabeledHistogram<VersionLabel>;
  readonly queueRows: Gauge<VersionLabel>;
  readonly queueWait: LabeledHistogram<VersionLabel>;
  readonly loadSeconds: Histogram<'format' | 'outcome'>;
  readonly cacheLookups: Counter<'result'>;
  readonly cacheEvictions: Counter;
  readonly shadows: Counter<VersionLabel | 'outcome'>;
  readonly loadedVersions: Gauge;
  readonly predictionsLogged: Counter;
  readonly monitoringOutcomesDropped: Counter;

  constructor(registry: Registry, queueDepths: QueueDepths) {
    const registers = [registry];
    this.requestDuration = new LabeledHistogram({
      name: 'atelier_serving_request_duration_seconds',
      help: 'Predict/rank latency in the serving node (validation to answer), by model version and status',
      labelNames: ['project', 'model', 'version', 'status'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.batchRows = new LabeledHistogram({
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
      collect() {
        this.reset();
        for (const q of queueDepths()) this.set({ project: q.project, model: q.model, version: String(q.version) }, q.rows);
      },
    });
    this.queueWait = new LabeledHistogram({
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
    this.cacheEvictions = new Counter({
      name: 'atelier_serving_bundle_cache_evictions_total',
      help: 'Bundles deleted from the local cache to keep it under ATELIER_SERVING_CACHE_MAX_MB (least recently used first)',
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
    this.monitoringOutcomesDropped = new Counter({
      name: 'atelier_serving_monitoring_outcomes_dropped_total',
      help: 'Answered rows not kept for labels because a flush period already held ATELIER_MONITORING_MAX_OUTCOMES',
      registers,
    });
  }

  forVersion(project: string, model: string, version: number): VersionMetrics {
    const labels = { project, model, version: String(version) };
    const byStatus = new Map<string, HistogramSeries>();
    return {
      requestSeconds: (status) => {
        let h = byStatus.get(status);
        if (!h) byStatus.set(status, (h = this.requestDuration.series({ ...labels, status })));
        return h;
      },
      batchRows: this.batchRows.series(labels),
      queueWaitSeconds: this.queueWait.series(labels),
    };
  }
}
