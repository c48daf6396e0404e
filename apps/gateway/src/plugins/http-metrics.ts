// Prometheus metrics for the HTTP layer: request count and latency by method, route pattern and status.
// Each route gets its own onResponse hook (added in onRoute) that already knows its pattern, and
// label series are bound once per status, so recording costs no label hashing on the hot path.
// The registry is per app (not prom-client's global), so tests and the all-in-one process can hold
// several apps without metric name clashes.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onResponseHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Registry } from 'prom-client';
import { LabeledCounter, LabeledHistogram, type CounterSeries, type HistogramSeries } from '@atelier/telemetry';

type Recorder = (method: string, status: number, seconds: number) => void;

export const httpMetricsPlugin = fp(async (app: FastifyInstance, opts: { registry: Registry }) => {
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new LabeledCounter({
    name: 'atelier_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames,
    registers: [opts.registry],
  });
  const duration = new LabeledHistogram({
    name: 'atelier_http_request_duration_seconds',
    help: 'HTTP request latency from arrival to response, by method, route pattern and status code',
    labelNames,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [opts.registry],
  });

  /** A recorder for one route pattern: series bound per (method, status) on first use. */
  const recorder = (route: string): Recorder => {
    const bound = new Map<string, { n: CounterSeries; t: HistogramSeries }>();
    return (method, status, seconds) => {
      const key = method + status;
      let s = bound.get(key);
      if (!s) {
        const labels = { method, route, status_code: String(status) };
        bound.set(key, (s = { n: requests.series(labels), t: duration.series(labels) }));
      }
      s.n.inc();
      s.t.observe(seconds);
    };
  };
  const hookFor = (record: Recorder): onResponseHookHandler =>
    function (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
      record(request.method, reply.statusCode, reply.elapsedTime / 1000);
      done();
    };

  // Route patterns, not raw URLs: label cardinality stays bounded whatever clients send.
  app.addHook('onRoute', (route) => {
    const hook = hookFor(recorder(route.url));
    const existing = route.onResponse;
    route.onResponse = existing === undefined ? [hook] : Array.isArray(existing) ? [...existing, hook] : [existing, hook];
  });
  // Requests that matched no route run no route hook.
  const unmatched = recorder('unmatched');
  app.addHook('onResponse', (request, reply, done) => {
    if (request.is404) unmatched(request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
});
