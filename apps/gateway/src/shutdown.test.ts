// Graceful shutdown over real HTTP: close() stops accepting new connections but lets an in-flight
// request finish.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/gateway.js';

let gw: TestGateway;
let release!: () => void;
const gate = new Promise<void>((r) => (release = r));
let inFlight!: () => void;
const entered = new Promise<void>((r) => (inFlight = r));

beforeAll(async () => {
  gw = await createTestGateway({
    extensions: [
      async (app) => {
        app.get('/slow', async () => {
          inFlight();
          await gate;
          return { finished: true };
        });
      },
    ],
  });
});
afterAll(async () => gw?.close());

it('finishes in-flight requests, then refuses new connections', async () => {
  await gw.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = gw.app.server.address() as { port: number };
  const pending = fetch(`http://127.0.0.1:${port}/slow`);
  await entered;
  const closing = gw.app.close();
  await new Promise((r) => setTimeout(r, 50));
  release();
  const res = await pending;
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ finished: true });
  await closing;
  await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
});
