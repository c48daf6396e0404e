// Recent predictions from the prediction log, end to end on a real platform (gateway + training worker
// + serving node in one process, real HTTP, the test database, files in a real data dir): with sampling
// at 1.0 and a short flush, each predict request made through a deployment comes back newest first with their
// inputs, outputs, version and latency; another project's admin key gets nothing, not even from a
// model of the same name in its own project.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformConfigFromEnv } from '../apps/launcher/src/platform.config.js';
import { startPlatform, type PlatformHandle } from '../apps/launcher/src/platform.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { jsonClient, pollUntil, type Json } from './json-client.js';

const ADMIN_KEY = 'atl_recent-predictions-admin-0123456789abcdefghijklmnopq';
const dataDir = mkdtempSync(join(tmpdir(), 'atelier-recent-predictions-'));
let database: TestDatabase | undefined;
let platform: PlatformHandle;
let url: string;
let otherKey = '';

const rows = Array.from({ length: 200 }, (_, i) => ({ age: 18 + (i % 60), income: 20000 + ((i * 7919) % 80000), churned: i % 60 < 17 ? 1 : 0 }));
const csv = 'age,income,churned\n' + rows.map((r) => `${r.age},${r.income},${r.churned}`).join('\n') + '\n';

const call = jsonClient(() => url, ADMIN_KEY);
const poll = pollUntil;

const P = '/v1/projects/shop';

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = {
    ATELIER_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ATELIER_ADMIN_KEY: ADMIN_KEY,
    ATELIER_PREDICTION_LOG_SAMPLE_RATE: '1',
    ATELIER_PREDICTION_LOG_FLUSH_MS: '200',
  };
  database = await createTestDatabase();
  if (database.kind === 'postgres') env.DATABASE_URL = database.databaseUrl;
  platform = await startPlatform(platformConfigFromEnv(env));
  url = platform.gateway!.url;

  expect((await call('POST', '/v1/projects', { name: 'shop' })).status).toBe(201);
  expect((await call('POST', '/v1/projects', { name: 'other' })).status).toBe(201);
  const key = await call('POST', '/v1/projects/other/api-keys', { name: 'other-admin', role: 'admin' });
  otherKey = key.body.secret;
  expect((await call('POST', '/v1/projects/other/models', { name: 'churn', task: 'binary' }, otherKey)).status).toBe(201);
  expect((await call('POST', `${P}/datasets`, { name: 'customers' })).status).toBe(201);
  expect((await call('POST', `${P}/datasets/customers/versions`, csv, ADMIN_KEY, 'text/csv')).status).toBe(201);
  const job = await call('POST', `${P}/training-jobs`, {
    modelName: 'churn',
    data: { dataset: 'customers', version: 1 },
    label: 'churned',
    model: { kind: 'mlp' },
    maxEpochs: 3,
    seed: 7,
    features: [
      { name: 'age', type: 'numeric', transform: 'standardize' },
      { name: 'income', type: 'numeric', transform: 'standardize' },
    ],
  });
  expect(job.status).toBe(201);
  const done = await poll('the training job', async () => (await call('GET', `${P}/training-jobs/${job.body.id}`)).body.status, (s) => s === 'succeeded' || s === 'failed', 180_000);
  expect(done).toBe('succeeded');
  const deployed = await call('PUT', `${P}/deployments/churn-live?wait=ready&timeoutMs=60000`, { model: 'churn', routes: [{ version: 1, weight: 100 }] });
  expect(deployed.body.status?.state).toBe('ready');
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('recent predictions from the prediction log', () => {
  it('is empty before any prediction, then shows each logged prediction newest first', async () => {
    const before = await call('GET', `${P}/models/churn/predictions`);
    expect(before.status).toBe(200);
    expect(before.body.items).toEqual([]);

    const first = await call('POST', `${P}/models/churn/predict`, { instances: [{ age: 20, income: 30000 }, { age: 70, income: 90000 }] });
    expect(first.status).toBe(200);
    await poll('the first flush', async () => (await call('GET', `${P}/models/churn/predictions`)).body.items, (items) => items.length === 1);
    const second = await call('POST', `${P}/models/churn/predict`, { instances: [{ age: 44, income: 55555 }], requestId: 'recent-probe-1' });
    expect(second.status).toBe(200);

    // one record per request: its instances and the predictions answered for them
    const items = await poll('the second flush', async () => (await call('GET', `${P}/models/churn/predictions?limit=50`)).body.items as Json[], (items) => items.length === 2);
    expect(items[0]).toMatchObject({ version: 1, deployment: 'churn-live', shadow: false, requestId: 'recent-probe-1', inputs: [{ age: 44, income: 55555 }] });
    expect(items[0].outputs).toEqual(second.body.predictions);
    expect(typeof items[0].latencyMs).toBe('number');
    expect(Date.parse(items[0].ts)).toBeGreaterThanOrEqual(Date.parse(items[1].ts));
    expect(items[1]).toMatchObject({ requestId: first.body.requestId, inputs: [{ age: 20, income: 30000 }, { age: 70, income: 90000 }] });
    expect(items[1].outputs).toEqual(first.body.predictions);

    const one = await call('GET', `${P}/models/churn/predictions?limit=1`);
    expect(one.body.items).toHaveLength(1);
    expect(one.body.items[0].requestId).toBe('recent-probe-1');
  });

  it('names every bad query field, and a missing model', async () => {
    const bad = await call('GET', `${P}/models/churn/predictions?limit=0&bogus=1`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['/querystring/bogus', '/querystring/limit']);
    const missing = await call('GET', `${P}/models/nope/predictions`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('ATL_MODEL_NOT_FOUND');
  });

  it("gives another project's admin key nothing: not this project's log, not through its own model of the same name", async () => {
    const foreign = await call('GET', `${P}/models/churn/predictions`, undefined, otherKey);
    expect([403, 404]).toContain(foreign.status);
    expect(JSON.stringify(foreign.body)).not.toContain('55555');
    const own = await call('GET', '/v1/projects/other/models/churn/predictions', undefined, otherKey);
    expect(own.status).toBe(200);
    expect(own.body.items).toEqual([]);
  });
});
