// A training worker alone (`atelier-server orchestrator`) has no gateway whose /metrics holds its
// metrics, and Kubernetes needs something to probe: this small HTTP listener (ATELIER_WORKER_PORT,
// default 8082 for that command) answers GET /healthz (alive), /readyz (the catalog reachable; 503
// once shutdown began) and /metrics (the worker's Prometheus registry: atelier_training_queue_depth is
// what a worker pool's autoscaler reads). Nothing else; every other path is a 404.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface WorkerEndpoints {
  url: string;
  /** /readyz answers 503 from now on (called first when shutdown begins). */
  drain(): void;
  close(): Promise<void>;
}

export async function startWorkerEndpoints(opts: { port: number; host: string; registry: Registry; catalogHealth: () => Promise<{ ok: boolean }> }): Promise<WorkerEndpoints> {
  let draining = false;
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { status: 'method not allowed' });
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      if (draining) return json(res, 503, { status: 'not_ready', checks: { shutdown: { ok: false } } });
      opts.catalogHealth().then(
        (health) => json(res, health.ok ? 200 : 503, { status: health.ok ? 'ready' : 'not_ready', checks: { catalog: { ok: health.ok } } }),
        () => json(res, 503, { status: 'not_ready', checks: { catalog: { ok: false } } }),
      );
      return;
    }
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': opts.registry.contentType }).end(text),
        (err: Error) => json(res, 500, { status: 'error', detail: err.message }),
      );
      return;
    }
    json(res, 404, { status: 'not found' });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
    drain: () => {
      draining = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
