// Prometheus metrics for the HTTP layer: request count and latency by method, route pattern and status.
// The registry is per app (not prom-client's global), so tests and the all-in-one process can hold
// several apps without metric name clashes.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Histogram, type Registry } from 'prom-client';

export const httpMetricsPlugin = fp(async (app: FastifyInstance, opts: { registry: Registry }) => {
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'atelier_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames,
    registers: [opts.registry],
  });
  const duration = new Histogram({
    name: 'atelier_http_request_duration_seconds',
    help: 'HTTP request latency from arrival to response, by method, route pattern and status code',
    labelNames,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [opts.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // Route patterns, not raw URLs: label cardinality stays bounded whatever clients send.
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
});
