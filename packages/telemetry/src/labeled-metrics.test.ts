import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabeledCounter } from './labeled-counter.js';
import { LabeledHistogram } from './labeled-histogram.js';

/** Exposition lines with the metric name swapped and labels sorted, so two renderings compare. */
async function normalized(registry: Registry, from: string, to: string): Promise<string[]> {
  const text = await registry.metrics();
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^([^{ ]+)(?:\{(.*)\})? (.+)$/.exec(l.replaceAll(from, to))!;
      const labels = (m[2] ?? '').split(',').filter(Boolean).sort().join(',');
      return `${m[1]}{${labels}} ${m[3]}`;
    })
    .sort();
}

describe('hot-path metrics render exactly like prom-client', () => {
  it('histogram: buckets, +Inf, sum and count per label set', async () => {
    const registry = new Registry();
    const buckets = [0.001, 0.005, 0.01, 0.1, 1];
    const ours = new LabeledHistogram({ name: 'a_seconds', help: 'h', labelNames: ['route', 'status'], buckets, registers: [registry] });
    const theirs = new Histogram({ name: 'b_seconds', help: 'h', labelNames: ['route', 'status'], buckets, registers: [registry] });
    const values = [0, 0.001, 0.0011, 0.005, 0.05, 0.5, 1, 2, 1000, 0.0001];
    for (const [i, v] of values.entries()) {
      const labels = { route: i % 2 ? '/x' : '/y"quoted"', status: String(200 + (i % 3)) };
      ours.series(labels).observe(v);
      theirs.observe(labels, v);
    }
    const all = await normalized(registry, 'b_seconds', 'a_seconds');
    const a = all.filter((l) => l.startsWith('a_seconds'));
    expect(a.length).toBeGreaterThan(0);
    // Every line appears twice: once from each implementation.
    const counts = new Map<string, number>();
    for (const l of all) counts.set(l, (counts.get(l) ?? 0) + 1);
    expect([...counts].filter(([, n]) => n !== 2)).toEqual([]);
    expect((await registry.metrics())).toContain('# TYPE a_seconds histogram');
  });

  it('counter, reset and remove', async () => {
    const registry = new Registry();
    const ours = new LabeledCounter({ name: 'a_total', help: 'h', labelNames: ['result'], registers: [registry] });
    const theirs = new Counter({ name: 'b_total', help: 'h', labelNames: ['result'], registers: [registry] });
    ours.series({ result: 'hit' }).inc();
    ours.series({ result: 'hit' }).inc(2);
    ours.series({ result: 'miss' }).inc(-1);
    theirs.inc({ result: 'hit' });
    theirs.inc({ result: 'hit' }, 2);
    theirs.inc({ result: 'miss' }, 0);
    const all = await normalized(registry, 'b_total', 'a_total');
    expect(all).toEqual(['a_total{result="hit"} 3', 'a_total{result="hit"} 3', 'a_total{result="miss"} 0', 'a_total{result="miss"} 0']);
    registry.resetMetrics();
    expect((await registry.metrics()).split('\n').filter((l) => l.startsWith('a_total'))).toEqual([]);

    const h = new LabeledHistogram({ name: 'c_seconds', help: 'h', labelNames: ['v'], buckets: [1], registers: [registry] });
    h.series({ v: '1' }).observe(0.5);
    h.remove({ v: '1' });
    expect(await registry.metrics()).not.toContain('c_seconds_count{');
  });

  it('refuses a wrong label set when a series is bound, never on observe', () => {
    const h = new LabeledHistogram({ name: 'd_seconds', help: 'h', labelNames: ['a', 'b'], buckets: [1], registers: [] });
    expect(() => h.series({ a: 'x' } as never)).toThrow("label 'b' is missing");
    expect(() => h.series({ a: 'x', b: 'y', c: 'z' } as never)).toThrow("unknown label 'c'");
    expect(() => new LabeledHistogram({ name: 'e', help: 'h', labelNames: [], buckets: [1, 1], registers: [] })).toThrow('distinct');
    const s = h.series({ a: 'x', b: 'y' });
    expect(() => s.observe(Number.NaN)).not.toThrow();
  });
});
