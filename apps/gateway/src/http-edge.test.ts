// The gateway's HTTP edge over a real socket: every answer is problem+json (also those Node's parser and
// Fastify's router write before a route runs), JSON bodies must be UTF-8, and request bodies may be sent
// with Content-Encoding (decoded before body limits apply). /metrics passes promtool.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/gateway.js';
import { MALFORMED_REQUESTS, head, rawRequest } from '../../../test/raw-http.js';
import { findPromtool, promtoolCheck } from '../../../test/promtool.js';

let gw: TestGateway;
let port: number;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'atelier-edge-'));
  process.env.ATELIER_DATASETS_DIR = workDir;
  process.env.ATELIER_DATASET_UPLOAD_LIMIT_BYTES = String(256 * 1024);
  gw = await createTestGateway();
  delete process.env.ATELIER_DATASETS_DIR;
  delete process.env.ATELIER_DATASET_UPLOAD_LIMIT_BYTES;
  await gw.app.listen({ port: 0, host: '127.0.0.1' });
  port = (gw.app.server.address() as { port: number }).port;
  await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'edge' } });
  await gw.app.inject({ method: 'POST', url: '/v1/projects/edge/datasets', headers: gw.adminAuth, payload: { name: 'sales' } });
});
afterAll(async () => {
  await gw?.close();
  rmSync(workDir, { recursive: true, force: true });
});

const auth = () => `Authorization: ${gw.adminAuth.authorization}`;
/** A POST with a body, over a raw socket (no client library normalising what is sent). */
const post = (path: string, body: Buffer, ...headers: string[]) =>
  rawRequest(port, Buffer.concat([Buffer.from(head(`POST ${path} HTTP/1.1`, auth(), `Content-Length: ${body.length}`, ...headers)), body]));

function expectProblem(answer: { status: number; headers: Record<string, string>; json(): Record<string, unknown> }, status: number, code: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.json()).toMatchObject({ status, code });
}

describe('answers Node and Fastify write themselves', () => {
  it.each(MALFORMED_REQUESTS)('$name → $status problem+json', async ({ bytes, status, code }) => {
    const answer = await rawRequest(port, bytes);
    expectProblem(answer, status, code);
    expect(String(answer.json().detail)).not.toMatch(/FST_|HPE_|at \w+ \(/);
  });

  it('an unsupported media type, an empty JSON body and an oversized one are problem+json', async () => {
    expectProblem(await post('/v1/projects', Buffer.from('<name>x</name>'), 'Content-Type: application/xml'), 415, 'ATL_UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await post('/v1/projects', Buffer.alloc(0), 'Content-Type: application/json'), 400, 'ATL_MALFORMED_JSON');
    const big = Buffer.from(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expectProblem(await post('/v1/projects', big, 'Content-Type: application/json'), 413, 'ATL_BODY_TOO_LARGE');
  });
});

describe('JSON bodies', () => {
  it('refuses invalid UTF-8 instead of storing U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from('{"name":"bad'), Buffer.from([0xc3, 0x28]), Buffer.from('name"}')]);
    const answer = await post('/v1/projects', body, 'Content-Type: application/json');
    expectProblem(answer, 400, 'ATL_MALFORMED_JSON');
    expect(answer.json().detail).toContain('UTF-8');
    const list = await gw.app.inject({ url: '/v1/projects', headers: gw.adminAuth });
    expect(list.body).not.toContain('\ufffd');
  });

  it('accepts valid multi-byte UTF-8 and still refuses prototype poisoning', async () => {
    const ok = await post('/v1/projects', Buffer.from(JSON.stringify({ name: 'cafe', description: 'café ☕' })), 'Content-Type: application/json; charset=utf-8');
    expect(ok.status).toBe(201);
    expect(ok.json().description).toBe('café ☕');
    const poisoned = await post('/v1/projects', Buffer.from('{"name":"p","__proto__":{"admin":true}}'), 'Content-Type: application/json');
    expectProblem(poisoned, 400, 'ATL_MALFORMED_JSON');
    expectProblem(await post('/v1/projects', Buffer.from('{"name":"l"}'), 'Content-Type: application/json; charset=latin1'), 415, 'ATL_UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('Content-Encoding', () => {
  it('decodes gzip, deflate and br JSON bodies', async () => {
    for (const [coding, encode] of [['gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]] as const) {
      const body = encode(Buffer.from(JSON.stringify({ name: `zipped-${coding}` })));
      const answer = await post('/v1/projects', body, 'Content-Type: application/json', `Content-Encoding: ${coding}`);
      expect(answer.status, coding).toBe(201);
      expect(answer.json().name).toBe(`zipped-${coding}`);
    }
  });

  it('refuses other codings with 415 naming the supported ones, and a corrupt body with 400', async () => {
    const unsupported = await post('/v1/projects', Buffer.from('{"name":"z"}'), 'Content-Type: application/json', 'Content-Encoding: compress');
    expectProblem(unsupported, 415, 'ATL_UNSUPPORTED_CONTENT_ENCODING');
    expect(unsupported.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(unsupported.json().detail).toContain('gzip, deflate, br');
    const corrupt = await post('/v1/projects', Buffer.from('not gzip at all'), 'Content-Type: application/json', 'Content-Encoding: gzip');
    expectProblem(corrupt, 400, 'ATL_BAD_CONTENT_ENCODING');
  });

  it('applies the body limit to the decoded size: a zip bomb stops at the limit with 413', async () => {
    const bomb = gzipSync(Buffer.from(`{"name":"${'a'.repeat(64 * 1024 * 1024)}"}`));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const answer = await post('/v1/projects', bomb, 'Content-Type: application/json', 'Content-Encoding: gzip');
    expectProblem(answer, 413, 'ATL_BODY_TOO_LARGE');
  });

  it('hands the streamed dataset upload the decoded CSV, and stops a CSV bomb at the upload limit', async () => {
    const csv = 'id,city\n' + Array.from({ length: 1000 }, (_, i) => `${i},paris`).join('\n') + '\n';
    const answer = await post('/v1/projects/edge/datasets/sales/versions', gzipSync(Buffer.from(csv)), 'Content-Type: text/csv', 'Content-Encoding: gzip');
    expect(answer.status).toBe(201);
    expect(answer.json()).toMatchObject({ version: 1, format: 'csv', rowCount: 1000, sizeBytes: Buffer.byteLength(csv) });
    const bomb = gzipSync(Buffer.from('id,city\n' + '1,paris\n'.repeat(4 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(256 * 1024);
    expectProblem(await post('/v1/projects/edge/datasets/sales/versions', bomb, 'Content-Type: text/csv', 'Content-Encoding: gzip'), 413, 'ATL_BODY_TOO_LARGE');
  });
});

describe('/metrics', () => {
  it('passes promtool check metrics (no _total gauges from the default process metrics)', async (ctx) => {
    const promtool = findPromtool();
    if (!promtool) {
      ctx.skip(true, 'promtool not found ($PROMTOOL, PATH, or run test/services/promtool.sh)');
      return;
    }
    await rawRequest(port, head('GET /healthz HTTP/1.1'));
    const res = await gw.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('atelier_http_requests_total');
    expect(res.body).toContain('nodejs_active_handles');
    expect(promtoolCheck(promtool, res.body)).toEqual({ status: 0, output: '' });
  });
});
