// prom-client's default process metrics (CPU, memory, event loop lag, GC, active handles), registered so
// the exposition passes `promtool check metrics`: besides the per-type gauges `nodejs_active_{handles,
// requests,resources}{type}`, prom-client adds their sums as gauges named `…_total`, a suffix reserved
// for counters. Those sums are dropped (`sum(nodejs_active_handles)` gives the same number).
import { collectDefaultMetrics, type Registry } from 'prom-client';

export function collectProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const metric of registry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type?: string };
    if (type === 'gauge' && name.endsWith('_total')) registry.removeSingleMetric(name);
  }
}
