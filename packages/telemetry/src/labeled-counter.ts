// A Prometheus counter for hot paths: label values bound once (`series(labels)`), each increment a
// field add. Registers on a prom-client Registry and renders like prom-client's Counter.
import type { Registry } from 'prom-client';
import { SeriesMap } from './series-map.js';

export interface CounterSeries {
  inc(by?: number): void;
}

class Series implements CounterSeries {
  value = 0;
  constructor(readonly labels: Readonly<Record<string, string>>) {}
  inc(by = 1): void {
    if (by >= 0) this.value += by; // counters never go down; a negative increment is ignored, not thrown
  }
}

export class LabeledCounter<L extends string = string> {
  readonly name: string;
  readonly help: string;
  readonly type = 'counter' as const;
  readonly aggregator = 'sum' as const;
  private readonly all: SeriesMap<L, Series>;

  constructor(opts: { name: string; help: string; labelNames: readonly L[]; registers: Registry[] }) {
    this.name = opts.name;
    this.help = opts.help;
    this.all = new SeriesMap(opts.name, opts.labelNames);
    for (const r of opts.registers) r.registerMetric(this as never);
  }

  series(labels: Record<L, string>): CounterSeries {
    return this.all.get(labels, (own) => new Series(own));
  }

  reset(): void {
    this.all.clear();
  }

  /** prom-client's metric interface: the values the registry renders. */
  async get(): Promise<{ name: string; help: string; type: 'counter'; aggregator: 'sum'; values: Array<{ value: number; labels: Record<string, string> }> }> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: [...this.all.values()].map((s) => ({ value: s.value, labels: { ...s.labels } })) };
  }
}
