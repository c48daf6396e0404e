// @atelier/telemetry: Prometheus metrics for hot paths (bound label series, allocation-free updates),
// registered on prom-client registries next to prom-client's own metrics.
export { LabeledHistogram, type HistogramSeries, type LabeledHistogramOptions } from './labeled-histogram.js';
export { LabeledCounter, type CounterSeries } from './labeled-counter.js';
export { collectProcessMetrics } from './process-metrics.js';
