// The serving node's own HTTP listener follows the gateway's edge rules: problem+json for every answer
// (also those Node's parser and Fastify's router write), UTF-8-only JSON, Content-Encoding, a drain on
// stop, and a /metrics exposition promtool accepts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '../packages/artifacts/src/index.js';
import type { Catalog } from '../packages/catalog/src/index.js';
import { defaultServingConfig, start as startServing, type ServingHandle } from '../apps/serving/src/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { findPromtool, promtoolCheck } from './promtool.js';
import { MALFORMED_REQUESTS, head, rawRequest } from './raw-http.js';
import { keepAliveLoad, until } from './keep-alive-load.js';

let database: TestDatabase;
let catalog: Catalog;
let serving: ServingHandle;
let port: number;
const dirs: string[] = [];
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  database = await createTestDatabase();
  catalog = await database.openCatalog();
  const artifacts = new FilesystemArtifactStore({ rootDir: tmp('atelier-serving-edge-artifacts-') });
  serving = await startServing(defaultServingConfig({ cacheDir: tmp('atelier-serving-edge-cache-'), port: 0, host: '127.0.0.1' }), { catalog, artifacts, log: () => {} });
  port = Number(new URL(serving.url!).port);
});
afterAll(async () => {
  await serving?.stop();
  await catalog?.close();
  await database?.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const predict = (body: Buffer, ...headers: string[]) =>
  rawRequest(port, Buffer.concat([Buffer.from(head('POST /v1/projects/p/models/m/predict HTTP/1.1', `Content-Length: ${body.length}`, ...headers)), body]));

function expectProblem(answer: { status: number; headers: Record<string, string>; json(): Record<string, unknown> }, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.json()).toMatchObject({ status, code });
}

describe('serving node HTTP edge', () => {
  it.each(MALFORMED_REQUESTS)('$name → $status problem+json', async ({ bytes, status, code }) => {
    expectProblem(await rawRequest(port, bytes), status, code);
  });

  it('refuses invalid UTF-8 in a JSON body with 400 problem+json', async () => {
    const body = Buffer.concat([Buffer.from('{"instances":[{"x":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}')]);
    const answer = await predict(body, 'Content-Type: application/json');
    expectProblem(answer, 400, 'ATL_MALFORMED_JSON');
    expect(answer.json().detail).toContain('UTF-8');
  });

  it('decodes a gzip body (the request then reaches the route), refuses unknown codings with 415', async () => {
    const zipped = await predict(gzipSync(Buffer.from('{"instances":[{"x":1}]}')), 'Content-Type: application/json', 'Content-Encoding: gzip');
    expectProblem(zipped, 404, 'ATL_PROJECT_NOT_FOUND');
    const unknown = await predict(Buffer.from('{"instances":[{"x":1}]}'), 'Content-Type: application/json', 'Content-Encoding: zstd');
    expectProblem(unknown, 415, 'ATL_UNSUPPORTED_CONTENT_ENCODING');
    expect(unknown.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('a GET with Content-Encoding but no body is not refused', async () => {
    const answer = await rawRequest(port, head('GET /healthz HTTP/1.1', 'Content-Encoding: zstd'));
    expect(answer.status).toBe(200);
  });

  it('/metrics passes promtool check metrics', async (ctx) => {
    const promtool = findPromtool();
    if (!promtool) {
      ctx.skip(true, 'promtool not found ($PROMTOOL, PATH, or run test/services/promtool.sh)');
      return;
    }
    const res = await fetch(`${serving.url}/metrics`);
    expect(res.status).toBe(200);
    const exposition = await res.text();
    expect(exposition).toContain('nodejs_active_handles');
    expect(promtoolCheck(promtool, exposition)).toEqual({ status: 0, output: '' });
  });

  // Last: it stops the node.
  it('stop() drains keep-alive clients sending continuously without resetting a connection', async () => {
    const load = keepAliveLoad(port, '/healthz', 8);
    await until('the clients to be busy', () => load.stats.ok >= 100);
    await serving.stop();
    await load.done;
    expect(load.stats.resets).toEqual([]);
    expect(load.stats.unexpected).toEqual([]);
    expect(load.stats.shuttingDown).toBeGreaterThan(0);
  });
});
