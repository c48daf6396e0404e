// Graceful shutdown over real HTTP: close() lets in-flight requests finish, ends open SSE streams with a
// final event telling the client to reconnect, and drains keep-alive connections without resetting any.
import { afterEach, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/gateway.js';
import type { GatewayExtension } from './app.js';
import { keepAliveLoad, until } from '../../../test/keep-alive-load.js';

const gateways: TestGateway[] = [];
afterEach(async () => {
  for (const gw of gateways.splice(0)) await gw.close();
});

async function listening(extensions?: GatewayExtension[]) {
  const gw = await createTestGateway({ extensions });
  gateways.push(gw);
  await gw.app.listen({ port: 0, host: '127.0.0.1' });
  return { gw, port: (gw.app.server.address() as { port: number }).port };
}

it('finishes in-flight requests, then refuses new connections', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let inFlight!: () => void;
  const entered = new Promise<void>((r) => (inFlight = r));
  const { gw, port } = await listening([
    async (app) => {
      app.get('/slow', async () => {
        inFlight();
        await gate;
        return { finished: true };
      });
    },
  ]);
  const pending = fetch(`http://127.0.0.1:${port}/slow`);
  await entered;
  const closing = gw.app.close();
  await new Promise((r) => setTimeout(r, 50));
  release();
  const res = await pending;
  expect(res.status).toBe(200);
  expect(res.headers.get('connection')).toBe('close');
  expect(await res.json()).toEqual({ finished: true });
  await closing;
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
});

it('ends an open training-job event stream with a shutdown event, so close() completes promptly', async () => {
  const { gw, port } = await listening();
  const project = await gw.catalog.projects.create({ name: 'sse' });
  const job = await gw.catalog.trainingJobs.create({ projectId: project.id, modelName: 'ctr', spec: { model: { kind: 'mlp' } } });
  await gw.catalog.trainingJobs.appendEvent(job.id, 'state', { status: 'queued' });

  const res = await fetch(`http://127.0.0.1:${port}/v1/projects/sse/training-jobs/${job.id}/events`, { headers: gw.adminAuth });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('event: state')) text += decoder.decode((await reader.read()).value);

  const started = Date.now();
  const closing = gw.app.close();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
  }
  await closing;
  // The job is still queued (no worker): before, the stream kept the server open until the 30 s force exit.
  expect(Date.now() - started).toBeLessThan(5000);
  const last = text.trim().split('\n\n').at(-1)!;
  expect(last).toMatch(/^event: shutdown\nretry: \d+\ndata: /m);
  expect(JSON.parse(last.split('data: ')[1]).reason).toContain('reconnect');
});

it('drains keep-alive clients sending continuously: each request finishes or gets 503 + Retry-After, no connection is reset', async () => {
  const { gw, port } = await listening();
  const load = keepAliveLoad(port, '/healthz', 16);
  await until('the clients to be busy', () => load.stats.ok >= 200);
  const started = Date.now();
  await gw.app.close();
  await load.done;
  expect(load.stats.resets).toEqual([]);
  expect(load.stats.unexpected).toEqual([]);
  expect(load.stats.shuttingDown + load.stats.refused).toBe(16);
  expect(load.stats.shuttingDown).toBeGreaterThan(0);
  expect(Date.now() - started).toBeLessThan(10_000);
});
