// A Prometheus histogram for hot paths. prom-client's own `observe` builds a label hash string, a
// closure and a label object on every call (~0.5 µs, several per request on the predict path); here a
// caller binds its label values once (`series(labels)`) and each observation is a bucket search and
// three increments, with no allocation. It registers on a prom-client Registry like any metric, so
// /metrics renders it in the same exposition format as prom-client's Histogram.
import type { Registry } from 'prom-client';
import { SeriesMap } from './series-map.js';

export interface HistogramSeries {
  observe(value: number): void;
}

class Series implements HistogramSeries {
  /** counts[i]: observations ≤ upperBounds[i] and > upperBounds[i-1]; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly upperBounds: Float64Array,
  ) {
    this.counts = new Float64Array(upperBounds.length + 1);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return; // a NaN latency is a bug upstream, not a reason to throw on the hot path
    const b = this.upperBounds;
    let i = 0;
    while (i < b.length && value > b[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

export interface LabeledHistogramOptions<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  /** Upper bounds, ascending (the +Inf bucket is implicit). */
  buckets: readonly number[];
  registers: Registry[];
}

type MetricValue = { value: number; labels: Record<string, string | number>; metricName: string };

export class LabeledHistogram<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly upperBounds: Float64Array;
  private readonly all: SeriesMap<L, Series>;

  constructor(opts: LabeledHistogramOptions<L>) {
    const sorted = [...opts.buckets].sort((a, b) => a - b);
    if (sorted.some((b, i) => !Number.isFinite(b) || (i > 0 && b === sorted[i - 1]))) throw new Error(`${opts.name}: buckets must be finite and distinct`);
    this.name = opts.name;
    this.help = opts.help;
    this.upperBounds = Float64Array.from(sorted);
    this.all = new SeriesMap(opts.name, opts.labelNames);
    for (const r of opts.registers) r.registerMetric(this as never);
  }

  /** The series for these label values, created on first use; keep it and observe on it. */
  series(labels: Record<L, string>): HistogramSeries {
    return this.all.get(labels, (own) => new Series(own, this.upperBounds));
  }

  /** Drop a series (e.g. a model version that was unloaded). */
  remove(labels: Record<L, string>): void {
    this.all.delete(labels);
  }

  reset(): void {
    this.all.clear();
  }

  /** prom-client's metric interface: the values the registry renders. */
  async get(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: MetricValue[] }> {
    const values: MetricValue[] = [];
    for (const s of this.all.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.upperBounds.length; i++) {
        cumulative += s.counts[i];
        values.push({ value: cumulative, labels: { ...s.labels, le: this.upperBounds[i] }, metricName: `${this.name}_bucket` });
      }
      values.push({ value: s.count, labels: { ...s.labels, le: '+Inf' }, metricName: `${this.name}_bucket` });
      values.push({ value: s.sum, labels: { ...s.labels }, metricName: `${this.name}_sum` });
      values.push({ value: s.count, labels: { ...s.labels }, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
