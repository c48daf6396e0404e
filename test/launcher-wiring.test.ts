// The launcher's composition, in process: a gateway started without a serving node and without
// ATELIER_SERVING_URL keeps its predict routes (503 naming the setting, still in the document), and
// a training worker started beside it puts its metrics on the gateway's /metrics.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformConfigFromEnv } from '../apps/launcher/src/platform.config.js';
import { startPlatform, type PlatformHandle } from '../apps/launcher/src/platform.js';
import { createTestDatabase, type TestDatabase } from './database.js';

const ADMIN_KEY = 'atl_wiring-admin-key-0123456789abcdefghijklmnopqrstuv';
const admin = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
const dataDir = mkdtempSync(join(tmpdir(), 'atelier-wiring-'));
let database: TestDatabase | undefined;
let platform: PlatformHandle;
let url: string;

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = { ATELIER_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ATELIER_ADMIN_KEY: ADMIN_KEY };
  // A database of its own on Postgres when the suite has one; else an embedded PGlite in dataDir.
  database = await createTestDatabase();
  if (database.kind === 'postgres') env.DATABASE_URL = database.databaseUrl;
  platform = await startPlatform(platformConfigFromEnv(env), ['gateway', 'orchestrator']);
  url = platform.gateway!.url;
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('atelier-server gateway without ATELIER_SERVING_URL', () => {
  it('keeps the predict routes: 503 problem+json naming the missing setting, and the routes stay in the document', async () => {
    expect((await fetch(`${url}/v1/projects`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'wired' }) })).status).toBe(201);
    for (const path of ['/models/m/predict', '/models/m/versions/1/predict', '/models/m/aliases/production/predict', '/models/m/rank']) {
      const body = path.endsWith('rank') ? { candidates: [{ x: 1 }] } : { instances: [{ x: 1 }] };
      const res = await fetch(`${url}/v1/projects/wired${path}`, { method: 'POST', headers: admin, body: JSON.stringify(body) });
      expect(res.status, path).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await res.json()) as { code: string; detail: string };
      expect(problem.code).toBe('ATL_SERVING_NOT_CONFIGURED');
      expect(problem.detail).toContain('set ATELIER_SERVING_URL');
    }
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/projects/{project}/models/{name}/predict', '/v1/projects/{project}/models/{name}/rank']),
    );
  });

  it('refuses an ATELIER_SERVING_URL that is not an http(s) URL, naming the variable', () => {
    expect(() => platformConfigFromEnv({ ATELIER_SERVING_URL: 'atelier-serving:8081' })).toThrow(/ATELIER_SERVING_URL must be an http\(s\) URL/);
    expect(() => platformConfigFromEnv({ ATELIER_SERVING_URL: 'not a url' })).toThrow(/ATELIER_SERVING_URL must be an http\(s\) URL/);
    expect(platformConfigFromEnv({ ATELIER_SERVING_URL: 'http://serving:8081/' }).servingUrl).toBe('http://serving:8081');
  });
});

describe('a training worker beside the gateway', () => {
  it("exposes the training metrics on the gateway's /metrics", async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/^atelier_training_jobs\{state="queued"\} 0$/m);
    expect(text).toMatch(/^atelier_training_queue_depth 0$/m);
    expect(text).toContain('# TYPE atelier_training_job_duration_seconds histogram');
  });
});
