// Serving end to end on a real database, filesystem artifacts and real HTTP: deployments (revisions,
// audit, rollback, validation), a serving node that learns of changes by LISTEN/NOTIFY (and heals by
// periodic reconcile), ONNX and engine-bundle versions, predict / rank through the gateway, version
// switch under load, corrupt bundles refused, readiness, A/B weights, shadows, unloading.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemArtifactStore, type ArtifactStore } from '../packages/artifacts/src/index.js';
import type { Catalog } from '../packages/catalog/src/index.js';
import { buildGatewayApp, type GatewayServices } from '../apps/gateway/src/index.js';
import { HttpPredictionBackend, predictionsExtension, type PredictionBackend } from '../apps/gateway/src/routes/predictions.routes.js';
import { start as startServing, defaultServingConfig, servingConfigFromEnv, type ServingConfig, type ServingHandle } from '../apps/serving/src/index.js';
import { trainTinyBundle, type TrainedBundle } from '../apps/serving/src/testing/engine-fixture.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { TEST_ADMIN_KEY } from './gateway.js';

const ONNX = readFileSync(new URL('./fixtures/tiny-mlp.onnx', import.meta.url));
/** Same graph, other bytes (another producer name): other versions with the same answers. */
const variant = (tag: string) => Buffer.from(ONNX.toString('latin1').replace('atelier-test', tag), 'latin1');
const X = [
  [1, 2, 3, 4],
  [0, 0, 0, 0],
  [-1, 0.5, 2, -3],
];
// NumPy on the fixture script's weights (see apps/serving/src/runtimes/runtimes.test.ts).
const EXPECTED = [0.21884045004844666, 0.5, 0.12866556644439697];
const SIGNATURE = {
  inputs: [{ name: 'features', dtype: 'float32', shape: [4] }],
  outputs: [{ name: 'probability', dtype: 'float32', shape: [1] }],
};
const P = '/v1/projects/ml';
const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

let database: TestDatabase;
let catalog: Catalog;
let artifacts: ArtifactStore;
let app: FastifyInstance;
let services: GatewayServices;
let url: string;
let serving: ServingHandle;
let projectId: string;
const dirs: string[] = [];
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};

const json = (res: { body: string }) => JSON.parse(res.body);
/** The V8 collector as a function, without starting the test process with --expose-gc. */
const exposeGc = (): (() => void) => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
};
const poll = async <T>(what: string, fn: () => T | Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

function servingConfig(over: Partial<ServingConfig> = {}): ServingConfig {
  return defaultServingConfig({
    cacheDir: tmp('atelier-serving-cache-'),
    // Long: in this suite, changes arrive by NOTIFY (the self-heal test uses its own node).
    reconcileIntervalMs: 60_000,
    predictionLogSampleRate: 1,
    predictionLogFlushRecords: 1_000_000,
    predictionLogFlushIntervalMs: 600_000,
    routingSeed: 42,
    engineWorkerThreads: 1,
    engineWorkerMinRows: 4,
    ...over,
  });
}

async function http(method: string, path: string, body?: unknown, headers: Record<string, string> = admin) {
  const res = await fetch(url + path, {
    method,
    headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

async function registerOnnx(model: string, bytes: Buffer): Promise<number> {
  const up = await app.inject({
    method: 'POST',
    url: `${P}/models/${model}/uploads`,
    headers: { ...admin, 'content-type': 'application/octet-stream' },
    payload: Readable.from([bytes]),
  });
  expect(up.statusCode, up.body).toBe(201);
  const v = await app.inject({ method: 'POST', url: `${P}/models/${model}/versions`, headers: admin, payload: { format: 'onnx', uploadId: json(up).uploadId, signature: SIGNATURE } });
  expect(v.statusCode, v.body).toBe(201);
  return json(v).version;
}

async function registerBundle(model: string, bundle: Uint8Array, signature: unknown): Promise<number> {
  const m = await catalog.models.getByName(projectId, model);
  const sha = createHash('sha256').update(bundle).digest('hex');
  const key = `models/${projectId}/${m.id}/sha256/${sha}.atlbndl`;
  await artifacts.put(key, bundle);
  const v = await catalog.models.createVersion({ modelId: m.id, format: 'atelier', bundleKey: key, bundleSha256: sha, bundleSize: bundle.length, signature: { inputs: signature } });
  return v.version;
}

const deploy = (name: string, body: Record<string, unknown>) => http('PUT', `${P}/deployments/${name}`, body);
const predict = (model: string, body: Record<string, unknown>, suffix = '') => http('POST', `${P}/models/${model}${suffix}/predict`, body);
const servedVersions = (model: string) => serving.status().deployments.filter((d) => d.model === model).flatMap((d) => d.versions);

let trained: TrainedBundle;

beforeAll(async () => {
  database = await createTestDatabase();
  catalog = await database.openCatalog();
  artifacts = new FilesystemArtifactStore({ rootDir: tmp('atelier-artifacts-') });
  // The launcher's wiring: the gateway calls the in-process node through the predictions extension.
  const backend: PredictionBackend = { predict: (r) => serving.predict(r), rank: (r) => serving.rank(r) };
  ({ app, services } = await buildGatewayApp(
    { jsonBodyLimitBytes: 8 * 1024 * 1024, authCacheTtlMs: 5000, logLevel: 'silent' },
    {
      catalog,
      artifacts,
      logger: false,
      extensions: [predictionsExtension(backend)],
      readiness: [{ name: 'serving', check: () => serving.readiness.check() }],
    },
  ));
  await services.apiKeys.bootstrapAdmin(TEST_ADMIN_KEY);
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  serving = await startServing(servingConfig(), { catalog, artifacts, registry: services.registry, log: () => {} });

  projectId = json(await app.inject({ method: 'POST', url: '/v1/projects', headers: admin, payload: { name: 'ml' } })).id;
  for (const name of ['churn', 'risk', 'other']) {
    const r = await app.inject({ method: 'POST', url: `${P}/models`, headers: admin, payload: { name, task: 'binary' } });
    expect(r.statusCode, r.body).toBe(201);
  }
  expect(await registerOnnx('churn', ONNX)).toBe(1);
  expect(await registerOnnx('churn', variant('atelier-tesu'))).toBe(2);
  expect(await registerOnnx('churn', variant('atelier-tesv'))).toBe(3);
  trained = await trainTinyBundle(7);
  expect(await registerBundle('risk', trained.bytes, trained.signature)).toBe(1);
  const second = await trainTinyBundle(8);
  expect(await registerBundle('risk', second.bytes, second.signature)).toBe(2);
  await app.inject({ method: 'PUT', url: `${P}/models/churn/aliases/production`, headers: admin, payload: { version: 2 } });
});

afterAll(async () => {
  await serving?.stop();
  await app?.close();
  await artifacts?.close();
  await catalog?.close();
  await database?.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('deployments API', () => {
  it('validates every bad field at once', async () => {
    const res = await deploy('bad', {
      model: 'churn',
      routes: [{ version: 99, weight: 50 }, { alias: 'nope', weight: 30 }, { version: 1, alias: 'production', weight: 10 }],
      shadows: [{ version: 42 }],
      batching: { maxBatchRows: 8, preferredBatchSizes: [16], queueCapacityRows: 4 },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('ATL_VALIDATION_FAILED');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: '/body/routes/0/version', message: "model 'churn' has no version 99" },
        { field: '/body/routes/1/alias', message: "model 'churn' has no alias 'nope'" },
        { field: '/body/routes/2', message: 'must name exactly one of version or alias' },
        { field: '/body/shadows/0/version', message: "model 'churn' has no version 42" },
        { field: '/body/routes', message: 'weights sum to 90; they must sum to 100' },
        { field: '/body/batching/preferredBatchSizes/0', message: 'must be at most maxBatchRows (8)' },
        { field: '/body/batching/queueCapacityRows', message: 'must be at least maxBatchRows (8)' },
      ]),
    );
    const unknownModel = await deploy('bad', { model: 'ghost', routes: [{ version: 1, weight: 100 }] });
    expect(unknownModel.body.errors).toEqual([{ field: '/body/model', message: "model 'ghost' does not exist in project 'ml'" }]);
    expect((await http('GET', `${P}/deployments/bad`)).status).toBe(404);
  });

  it('creates revisions with audit entries, and rolls back in one call', async () => {
    const created = await deploy('churn-live', { model: 'churn', routes: [{ version: 1, weight: 100 }], batching: { maxBatchRows: 32 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'churn-live', model: 'churn', revision: 1, spec: { routes: [{ version: 1, weight: 100 }], pool: 'default' } });
    // The node hears the NOTIFY (its periodic reconcile is a minute away) and serves version 1.
    await poll('v1 served', () => servedVersions('churn'), (v) => v.includes(1));

    const other = await deploy('churn-live', { model: 'other', routes: [{ version: 1, weight: 100 }] });
    expect(other.body.errors[0]).toMatchObject({ field: '/body/model' });

    expect((await deploy('churn-live', { model: 'churn', routes: [{ alias: 'production', weight: 100 }] })).body.revision).toBe(2);
    const revisions = await http('GET', `${P}/deployments/churn-live/revisions`);
    expect(revisions.body.items.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    const back = await http('POST', `${P}/deployments/churn-live/rollback`, { revision: 1 });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ revision: 3, spec: { routes: [{ version: 1, weight: 100 }] } });
    expect((await http('POST', `${P}/deployments/churn-live/rollback`, { revision: 9 })).body.code).toBe('ATL_DEPLOYMENT_REVISION_NOT_FOUND');

    const audit = await catalog.db.selectFrom('audit_log').select(['action', 'details']).where('resource_type', '=', 'deployment').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['deployment.create', 'deployment.update', 'deployment.rollback']);
    expect(audit[2].details).toMatchObject({ from: 2, to: 1, revision: 3 });
    const list = await http('GET', `${P}/deployments`);
    expect(list.body.items.map((d: { name: string }) => d.name)).toEqual(['churn-live']);
    // Back on v1 only at the rollback's revision (v1 is also served at revision 2, through the alias, so
    // the versions alone do not say that the node has applied revision 3 yet).
    const churnOnNode = () => serving.status().deployments.filter((d) => d.model === 'churn');
    await poll('back on v1 only, at revision 3', churnOnNode, (ds) => ds.length === 1 && ds[0].revision === 3 && ds[0].serving && ds[0].versions.join() === '1');
  });
});

describe('predict', () => {
  it('answers over HTTP with the deployed ONNX version, the version that answered and the request id', async () => {
    const res = await predict('churn', { instances: X.map((features) => ({ features })), requestId: 'req-1' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ model: 'churn', version: 1, deployment: 'churn-live', outputs: ['probability'], requestId: 'req-1' });
    res.body.predictions.forEach((p: number, i: number) => expect(p).toBeCloseTo(EXPECTED[i], 5));
    // Directly by version and by alias (both must be served by the pool).
    const byVersion = await predict('churn', { instances: [{ features: X[0] }] }, '/versions/1');
    expect(byVersion.body.version, JSON.stringify(byVersion.body)).toBe(1);
    const notServed = await predict('churn', { instances: [{ features: X[0] }] }, '/versions/3');
    expect(notServed.status).toBe(404);
    expect(notServed.body.code).toBe('ATL_MODEL_NOT_DEPLOYED');
    const noKey = await fetch(`${url}${P}/models/churn/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"instances":[{}]}' });
    expect(noKey.status).toBe(401);
  });

  it('names every bad field of the input (400)', async () => {
    const res = await predict('churn', { instances: [{ features: [1, 2, 3] }, { features: [1, 'x', 3, 4], age: 3 }, {}] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('ATL_VALIDATION_FAILED');
    expect(res.body.errors).toEqual([
      { field: 'instances[0].features', message: 'expected 4 values, got 3' },
      { field: 'instances[1].features[1]', message: 'expected a number, got "x"' },
      { field: 'instances[1].age', message: 'is not an input of this model' },
      { field: 'instances[2].features', message: 'is required' },
    ]);
    // The ONNX path: a finite number beyond float32 is refused, not turned into Infinity and a null prediction.
    const huge = await predict('churn', { instances: [{ features: [1, 3.5e38, 1e300, 4] }] });
    expect(huge.status).toBe(400);
    expect(huge.body.errors).toEqual([
      { field: 'instances[0].features[1]', message: '3.5e+38 is outside the float32 range (±3.4028234663852886e+38)' },
      { field: 'instances[0].features[2]', message: '1e+300 is outside the float32 range (±3.4028234663852886e+38)' },
    ]);
    expect((await predict('churn', {})).body.errors).toEqual([{ field: '/body/instances', message: expect.stringContaining('is required') }]);
  });

  it('serves an engine bundle trained here: the engine’s own predictions, missing values by the bundle’s rules', async () => {
    expect((await deploy('risk-live', { model: 'risk', routes: [{ version: 1, weight: 100 }] })).status).toBe(201);
    await poll('risk v1', () => servedVersions('risk'), (v) => v.includes(1));
    const instances = [
      { age: 25, plan: 'basic' },
      { age: 61, plan: 'pro' },
      { age: null, plan: 'unknown-plan' },
      { age: null, plan: null },
      { age: 44, plan: 'basic' },
    ];
    const res = await predict('risk', { instances });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const expected = trained.reference(instances);
    res.body.predictions.forEach((p: number, i: number) => expect(p).toBeCloseTo(expected[i], 5));
    const bad = await predict('risk', { instances: [{ age: 'old', plan: 'pro' }, { age: 3, plan: 7, zip: 1 }] });
    expect(bad.body.errors).toEqual([
      { field: 'instances[0].age', message: 'expected a number, got "old"' },
      { field: 'instances[1].plan', message: 'expected a string, got 7' },
      { field: 'instances[1].zip', message: 'is not an input of this model' },
    ]);
    // Absent is not missing: every absent input is named (null asks for the missing-value rule), and a
    // number beyond float32 is refused instead of answering null.
    const absent = await predict('risk', { instances: [{}, { age: 3.5e38, plan: 'pro' }, { age: 1e300 }] });
    expect(absent.status).toBe(400);
    expect(absent.body.errors).toEqual([
      { field: 'instances[0].age', message: "is required: send null to apply the model's missing-value rule" },
      { field: 'instances[0].plan', message: "is required: send null to apply the model's missing-value rule" },
      { field: 'instances[1].age', message: '3.5e+38 is outside the float32 range (±3.4028234663852886e+38)' },
      { field: 'instances[2].age', message: '1e+300 is outside the float32 range (±3.4028234663852886e+38)' },
      { field: 'instances[2].plan', message: "is required: send null to apply the model's missing-value rule" },
    ]);
  });

  it('ranks N candidates in one batch, best first, top-k', async () => {
    const res = await http('POST', `${P}/models/risk/rank`, {
      context: { plan: 'basic' },
      candidates: [{ age: 20 }, { age: 70 }, { age: 45 }, { age: 30 }],
      topK: 3,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const scores = trained.reference([20, 70, 45, 30].map((age) => ({ age, plan: 'basic' })));
    const order = [0, 1, 2, 3].sort((a, b) => scores[b] - scores[a]).slice(0, 3);
    expect(res.body.ranking.map((r: { index: number }) => r.index)).toEqual(order);
    res.body.ranking.forEach((r: { index: number; score: number }) => expect(r.score).toBeCloseTo(scores[r.index], 5));
  });

  it('exposes serving metrics on the gateway registry and logs sampled predictions to artifacts as JSONL', async () => {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/atelier_serving_request_duration_seconds_count\{project="[^"]+",model="churn",version="1",status="200"\} [1-9]/);
    expect(metrics).toMatch(/atelier_serving_batch_rows_count\{[^}]*model="risk"[^}]*\} [1-9]/);
    expect(metrics).toContain('atelier_serving_queue_rows');
    expect(metrics).toContain('atelier_serving_queue_wait_seconds_bucket');
    expect(metrics).toMatch(/atelier_serving_model_load_seconds_count\{format="onnx",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/atelier_serving_bundle_cache_lookups_total\{result="miss"\} [1-9]/);
    await serving.node.flushPredictionLog();
    const keys: string[] = [];
    for await (const e of artifacts.list(`prediction-logs/${projectId}/churn/`)) keys.push(e.key);
    expect(keys.length).toBeGreaterThan(0);
    const lines = (await Promise.all(keys.map(async (k) => Buffer.from(await artifacts.getBytes(k)).toString('utf8'))))
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const first = lines.find((l) => l.requestId === 'req-1');
    expect(first).toMatchObject({ model: 'churn', version: 1, deployment: 'churn-live', shadow: false, inputs: X.map((features) => ({ features })) });
    expect(first.outputs[1]).toBeCloseTo(0.5, 5);
    expect(first.latencyMs).toBeGreaterThan(0);
  });
});

describe('rollout', () => {
  it('switches versions under load with zero failed requests, then unloads (and releases) the old one', async () => {
    let v1: { released: boolean } | undefined = serving.node.loadedVersion(projectId, 'churn', 1)!.runtime;
    expect(v1.released).toBe(false);
    // Once unloaded, nothing may keep v1's runtime alive (no list of released runtimes): it gets collected.
    let v1Collected = false;
    const finalizer = new FinalizationRegistry(() => (v1Collected = true));
    finalizer.register(v1, 'v1');
    let stop = false;
    const seen: number[] = [];
    const failures: unknown[] = [];
    const workers = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const r = await predict('churn', { instances: [{ features: X[0] }, { features: X[2] }] });
        if (r.status !== 200) failures.push(r.body);
        else {
          seen.push(r.body.version);
          expect(r.body.predictions[0]).toBeCloseTo(EXPECTED[0], 5);
        }
      }
    });
    await poll('traffic', () => seen.length, (n) => n > 50);
    expect((await deploy('churn-live', { model: 'churn', routes: [{ version: 2, weight: 100 }] })).status).toBe(200);
    await poll('answers from v2', () => seen.slice(-20), (s) => s.length === 20 && s.every((v) => v === 2));
    stop = true;
    await Promise.all(workers);
    expect(failures).toEqual([]);
    expect(new Set(seen)).toEqual(new Set([1, 2]));
    // After the first v2 answer, only requests already queued on v1 (at most one per client) end on v1.
    expect(seen.slice(seen.indexOf(2)).filter((v) => v === 1).length).toBeLessThanOrEqual(8);
    await poll('v1 released', () => v1!.released, Boolean); // the ONNX session was released
    expect(serving.node.loadedVersion(projectId, 'churn', 1)).toBeUndefined();
    expect(serving.status().loaded.filter((l) => l.model === 'churn').map((l) => l.version)).toEqual([2]);
    v1 = undefined;
    const gc = exposeGc();
    await poll('v1 runtime collected', () => (gc(), v1Collected), Boolean);
  });

  it('refuses a corrupt bundle, reports it, and keeps the old version serving', async () => {
    const v3 = await catalog.models.getVersion((await catalog.models.getByName(projectId, 'churn')).id, 3);
    await artifacts.put(v3.bundleKey, Buffer.from('definitely not the bytes that were registered'));
    expect((await deploy('churn-live', { model: 'churn', routes: [{ version: 3, weight: 100 }] })).status).toBe(200);
    const failure = await poll('failure reported', () => serving.status().failures, (f) => f.some((x) => x.version === 3));
    expect(failure.find((x) => x.version === 3)).toMatchObject({ deployment: 'churn-live', code: 'ATL_BUNDLE_CORRUPT' });
    expect(serving.status().ready).toBe(false);
    const ready = await http('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.serving.detail.failures[0]).toMatchObject({ code: 'ATL_BUNDLE_CORRUPT', version: 3 });
    const res = await predict('churn', { instances: [{ features: X[1] }] });
    expect(res.body).toMatchObject({ version: 2, predictions: [0.5] });
    // Roll back to the good spec: ready again.
    const revs = await http('GET', `${P}/deployments/churn-live/revisions`);
    const good = revs.body.items.find((r: { spec: { routes: Array<{ version?: number }> } }) => r.spec.routes[0].version === 2).revision;
    expect((await http('POST', `${P}/deployments/churn-live/rollback`, { revision: good })).status).toBe(200);
    await poll('ready', async () => (await http('GET', '/readyz')).status, (s) => s === 200);
  });

  it('respects A/B weights over 1,000 requests (seeded), and sends shadows a copy that is never returned', async () => {
    expect((await deploy('churn-live', { model: 'churn', routes: [{ version: 1, weight: 70 }, { alias: 'production', weight: 30 }] })).status).toBe(200);
    await poll('both served', () => servedVersions('churn').sort().join(), (v) => v === '1,2');
    const counts = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const r = await app.inject({ method: 'POST', url: `${P}/models/churn/predict`, headers: admin, payload: { instances: [{ features: X[1] }] } });
      const v = json(r).version as number;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect(counts.get(1)! / 1000).toBeGreaterThan(0.65);
    expect(counts.get(1)! / 1000).toBeLessThan(0.75);
    expect(counts.get(2)! + counts.get(1)!).toBe(1000);
    // The alias-routed version is also reachable through its alias.
    expect((await predict('churn', { instances: [{ features: X[0] }] }, '/aliases/production')).body.version).toBe(2);

    expect((await deploy('churn-live', { model: 'churn', routes: [{ version: 1, weight: 100 }], shadows: [{ version: 2 }] })).status).toBe(200);
    await poll('shadow loaded', () => serving.status().deployments.find((d) => d.name === 'churn-live')?.revision, (r) => r !== undefined && r >= 8);
    const shadowOk = () => serving.node.metrics.shadows.get().then((m) => m.values.filter((v) => v.labels.version === '2' && v.labels.outcome === 'ok').reduce((a, v) => a + v.value, 0));
    const start = await shadowOk();
    for (let i = 0; i < 40; i++) {
      const r = await predict('churn', { instances: [{ features: X[0] }], requestId: `shadowed-${i}` });
      expect(r.body.version).toBe(1);
    }
    await poll('shadow copies', shadowOk, (n) => n - start === 40);
    await serving.node.flushPredictionLog();
    const keys: string[] = [];
    for await (const e of artifacts.list(`prediction-logs/${projectId}/churn/`)) keys.push(e.key);
    const records = (await Promise.all(keys.map(async (k) => Buffer.from(await artifacts.getBytes(k)).toString('utf8')))).join('').trim().split('\n').map((l) => JSON.parse(l));
    const shadowed = records.filter((r) => r.requestId === 'shadowed-0');
    expect(shadowed.map((r) => [r.version, r.shadow]).sort()).toEqual([
      [1, false],
      [2, true],
    ]);
  });
});

describe('serving node lifecycle', () => {
  it('is not ready until every assigned version is warm; heals a missed notification by periodic reconcile', async () => {
    // A second node whose artifact reads wait on a gate: it cannot warm up until the gate opens.
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const slow: ArtifactStore = Object.create(artifacts, {
      get: { value: async (key: string, range?: never) => (await gate, artifacts.get(key, range)) },
    });
    const node = await startServing(servingConfig({ reconcileIntervalMs: 200 }), { catalog, artifacts: slow, log: () => {} });
    try {
      const r1 = await node.readiness.check();
      expect(r1.ok).toBe(false);
      await expect(node.predict({ projectId, model: 'risk', instances: [{ age: 1, plan: 'pro' }] })).rejects.toMatchObject({ code: 'ATL_MODEL_NOT_READY', statusCode: 503 });
      open();
      await poll('second node ready', () => node.readiness.check(), (r) => r.ok);
      expect((await node.predict({ projectId, model: 'risk', instances: [{ age: 1, plan: 'pro' }] })).version).toBe(1);
      // A revision written without NOTIFY (as if the notification was lost): the 200 ms reconcile finds it.
      const d = await catalog.deployments.getByName(projectId, 'risk-live');
      await catalog.deployments.addRevision(d.id, { routes: [{ version: 2, weight: 100 }], pool: 'default' }, null);
      await poll('healed to v2', () => node.status().deployments.find((x) => x.name === 'risk-live')?.versions, (v) => v?.[0] === 2);
      expect((await node.predict({ projectId, model: 'risk', instances: [{ age: 1, plan: 'pro' }] })).version).toBe(2);
    } finally {
      await node.stop();
    }
    // Stopping released every runtime it held (engine weights disposed, compute threads ended).
    expect(node.status().loaded).toEqual([]);
  });

  it('joins online features by entity key (explicit instance values win) and names a missing feature view', async () => {
    const reads: unknown[] = [];
    const featureStore = {
      async read(pid: string, req: { featureViews: string[]; entityKeys: Array<Record<string, unknown>> }) {
        reads.push({ pid, ...req });
        return { results: req.entityKeys.map((k) => ({ features: { users: { values: { age: k.user === 'u1' ? 61 : 25, plan: 'basic' } } } })) };
      },
    };
    const node = await startServing(servingConfig(), { catalog, artifacts, featureStore, log: () => {} });
    try {
      await poll('node ready', () => node.readiness.check(), (r) => r.ok);
      const joined = await node.predict({ projectId, model: 'risk', entityKeys: [{ user: 'u1' }, { user: 'u2' }], instances: [{ plan: 'pro' }, {}], featureViews: ['users'] });
      const explicit = await node.predict({ projectId, model: 'risk', instances: [{ age: 61, plan: 'pro' }, { age: 25, plan: 'basic' }] });
      expect(joined.predictions).toEqual(explicit.predictions);
      expect(reads).toEqual([{ pid: projectId, featureViews: ['users'], entityKeys: [{ user: 'u1' }, { user: 'u2' }] }]);
      await expect(node.predict({ projectId, model: 'risk', entityKeys: [{ user: 'u1' }] })).rejects.toMatchObject({
        code: 'ATL_VALIDATION_FAILED',
        errors: [{ field: 'featureViews', message: 'is required with entityKeys (the deployment names none)' }],
      });
    } finally {
      await node.stop();
    }
  });

  it('runs as a separate process shape: its own port with the predict routes, the gateway proxying to it', async () => {
    const token = 'pool-token-0123456789abcdef';
    const node = await startServing(servingConfig({ port: 0, host: '127.0.0.1', token }), { catalog, artifacts, log: () => {} });
    const built = await buildGatewayApp(
      { jsonBodyLimitBytes: 1024 * 1024, authCacheTtlMs: 5000, logLevel: 'silent' },
      { catalog, artifacts, logger: false, extensions: [predictionsExtension(new HttpPredictionBackend(node.url!, token))] },
    );
    try {
      await poll('node ready', async () => (await fetch(`${node.url}/readyz`)).status, (s) => s === 200);
      // The node's own port answers gateways only (the pool token); probes stay open.
      for (const authorization of [undefined, `Bearer ${token}x`, `Bearer ${TEST_ADMIN_KEY}`]) {
        const direct = await fetch(`${node.url}${P}/models/churn/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
          body: JSON.stringify({ instances: [{ features: X[2] }] }),
        });
        expect(direct.status).toBe(401);
        expect(((await direct.json()) as { code: string }).code).toBe('ATL_UNAUTHENTICATED');
      }
      expect(() => servingConfigFromEnv({ ATELIER_SERVING_TOKEN: 'short' })).toThrow(/ATELIER_SERVING_TOKEN must be at least 16 characters/);
      const ok = await built.app.inject({ method: 'POST', url: `${P}/models/churn/predict`, headers: admin, payload: { instances: [{ features: X[2] }], requestId: 'via-proxy' } });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(json(ok)).toMatchObject({ model: 'churn', version: 1, requestId: 'via-proxy' });
      expect(json(ok).predictions[0]).toBeCloseTo(EXPECTED[2], 5);
      const bad = await built.app.inject({ method: 'POST', url: `${P}/models/churn/predict`, headers: admin, payload: { instances: [{ features: 'no' }] } });
      expect(bad.statusCode).toBe(400);
      expect(json(bad).errors).toEqual([{ field: 'instances[0].features', message: 'expected an array of 4 values, got "no"' }]);
      const missing = await built.app.inject({ method: 'POST', url: `${P}/models/other/predict`, headers: admin, payload: { instances: [{}] } });
      expect(missing.statusCode).toBe(404);
      expect(json(missing).code).toBe('ATL_MODEL_NOT_DEPLOYED');
      expect(await (await fetch(`${node.url}/metrics`)).text()).toContain('atelier_serving_request_duration_seconds');
    } finally {
      await built.app.close();
      await node.stop();
    }
  });

  it('maps queue-full and deadline errors to 503 + Retry-After and 504 problem+json', async () => {
    const errors = [
      Object.assign(new Error('queue full'), { code: 'ATL_QUEUE_FULL', statusCode: 503, headers: { 'retry-after': '3' } }),
      Object.assign(new Error('too late'), { code: 'ATL_DEADLINE_EXCEEDED', statusCode: 504 }),
    ];
    const backend: PredictionBackend = { predict: async () => Promise.reject(errors.shift()), rank: async () => Promise.reject(new Error('unused')) };
    const built = await buildGatewayApp(
      { jsonBodyLimitBytes: 1024 * 1024, authCacheTtlMs: 5000, logLevel: 'silent' },
      { catalog, artifacts, logger: false, extensions: [predictionsExtension(backend)] },
    );
    try {
      const full = await built.app.inject({ method: 'POST', url: `${P}/models/churn/predict`, headers: admin, payload: { instances: [{}] } });
      expect(full.statusCode).toBe(503);
      expect(full.headers['retry-after']).toBe('3');
      expect(full.headers['content-type']).toContain('application/problem+json');
      expect(json(full).code).toBe('ATL_QUEUE_FULL');
      const late = await built.app.inject({ method: 'POST', url: `${P}/models/churn/predict`, headers: admin, payload: { instances: [{}] } });
      expect(late.statusCode).toBe(504);
      expect(json(late).code).toBe('ATL_DEADLINE_EXCEEDED');
    } finally {
      await built.app.close();
    }
  });
});

describe('readiness you can wait on', () => {
  const body = (over: Record<string, unknown> = {}) => ({ model: 'fresh', routes: [{ version: 1, weight: 100 }], pool: 'slow', ...over });
  const row = { instances: [{ features: X[0] }] };

  beforeAll(async () => {
    expect((await app.inject({ method: 'POST', url: `${P}/models`, headers: admin, payload: { name: 'fresh', task: 'binary' } })).statusCode).toBe(201);
    expect(await registerOnnx('fresh', variant('atelier-fres'))).toBe(1);
    expect(await registerOnnx('fresh', variant('atelier-fret'))).toBe(2);
    expect(await registerOnnx('fresh', variant('atelier-freu'))).toBe(3);
  });

  it('reports progressing while a node of the pool loads (predict: 503 with Retry-After and the state, never "not deployed"), and ?wait=ready returns once every live node is ready', async () => {
    // Two nodes in pool 'slow': one loads at once, the other cannot read bundles until the gate opens.
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const slow: ArtifactStore = Object.create(artifacts, { get: { value: async (key: string, range?: never) => (await gate, artifacts.get(key, range)) } });
    const gated = await startServing(servingConfig({ pool: 'slow', nodeId: 'slow-gated' }), { catalog, artifacts: slow, log: () => {} });
    const quick = await startServing(servingConfig({ pool: 'slow', nodeId: 'slow-quick' }), { catalog, artifacts, log: () => {} });
    const built = await buildGatewayApp(
      { jsonBodyLimitBytes: 1024 * 1024, authCacheTtlMs: 5000, logLevel: 'silent' },
      { catalog, artifacts, logger: false, extensions: [predictionsExtension({ predict: (r) => gated.predict(r), rank: (r) => gated.rank(r) })] },
    );
    try {
      // Not deployed anywhere: 404, the only case that says so.
      const none = await built.app.inject({ method: 'POST', url: `${P}/models/fresh/predict`, headers: admin, payload: row });
      expect(none.statusCode).toBe(404);
      expect(json(none).code).toBe('ATL_MODEL_NOT_DEPLOYED');

      const created = await deploy('fresh-slow', body());
      expect(created.status).toBe(201);
      expect(created.body.status).toMatchObject({ state: 'progressing', revision: 1 });
      // Right after the 201: the gated node is loading (or has not heard of it yet). Either way a 503.
      const early = await built.app.inject({ method: 'POST', url: `${P}/models/fresh/predict`, headers: admin, payload: row });
      expect(early.statusCode, early.body).toBe(503);
      expect(early.headers['content-type']).toContain('application/problem+json');
      expect(early.headers['retry-after']).toBe('1');
      expect(json(early).code).toBe('ATL_MODEL_NOT_READY');
      expect(json(early).detail).toMatch(/^Deployment 'fresh-slow' \(revision 1\) of model 'fresh' is progressing: /);

      // The quick node is ready, the gated one is not: the deployment is not ready.
      const status = await poll(
        'both nodes reporting',
        async () => (await http('GET', `${P}/deployments/fresh-slow`)).body.status,
        (s) => s.nodes.length === 2 && s.nodes[0].revision === 1 && s.nodes[1].state === 'ready',
      );
      expect(status.state).toBe('progressing');
      expect(status.nodes).toEqual([
        { node: 'slow-gated', state: 'progressing', revision: 1, versions: [], reason: 'loading version 1' },
        { node: 'slow-quick', state: 'ready', revision: 1, versions: [1], reason: null },
      ]);
      expect(status.reason).toBe('node slow-gated: loading version 1');

      // Bounded wait: 202 with the current status at the timeout.
      const t0 = Date.now();
      const timedOut = await http('PUT', `${P}/deployments/fresh-slow?wait=ready&timeoutMs=300`, body());
      expect(timedOut.status).toBe(202);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
      expect(timedOut.body.status).toMatchObject({ state: 'progressing', revision: 2 });
      const tooLong = await http('PUT', `${P}/deployments/fresh-slow?wait=ready&timeoutMs=999999`, body());
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.errors[0].field).toContain('timeoutMs');

      // Gate opens while a client waits (and another follows the events stream): the answer comes when every live node is ready.
      const events = await fetch(`${url}${P}/deployments/fresh-slow/events?timeoutMs=60000`, { headers: admin });
      expect(events.headers.get('content-type')).toContain('text/event-stream');
      const streamed = events.text();
      const waiting = http('PUT', `${P}/deployments/fresh-slow?wait=ready&timeoutMs=60000`, body());
      open();
      const ready = await waiting;
      const sse = (await streamed)
        .trim()
        .split('\n\n')
        .map((block) => ({ event: /^event: (.*)$/m.exec(block)![1], data: JSON.parse(/^data: (.*)$/m.exec(block)![1]) }));
      expect(sse[0]).toMatchObject({ event: 'status', data: { state: 'progressing' } });
      expect(sse.at(-1)).toMatchObject({ event: 'ready', data: { state: 'ready', versions: [1] } });
      expect(ready.status, JSON.stringify(ready.body)).toBe(200);
      expect(ready.body.status).toMatchObject({ state: 'ready', revision: 3, versions: [1], reason: null });
      expect(ready.body.status.nodes.map((n: { state: string }) => n.state)).toEqual(['ready', 'ready']);
      const ok = await built.app.inject({ method: 'POST', url: `${P}/models/fresh/predict`, headers: admin, payload: row });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(json(ok).version).toBe(1);

      // A stopped node leaves the pool at once: the status counts the live nodes only.
      await quick.stop();
      expect((await http('GET', `${P}/deployments/fresh-slow`)).body.status.nodes.map((n: { node: string }) => n.node)).toEqual(['slow-gated']);
    } finally {
      open();
      await built.app.close();
      await quick.stop();
      await gated.stop();
    }
    // No live node left in the pool: progressing, and the reason says why.
    expect((await http('GET', `${P}/deployments/fresh-slow`)).body.status).toMatchObject({ state: 'progressing', reason: "no live serving node in pool 'slow'", nodes: [] });
  });

  it('answers 503 (not 404) for a deployment the node has not heard of yet, and catches up on its own', async () => {
    const node = await startServing(servingConfig({ pool: 'quiet', nodeId: 'quiet-node' }), { catalog, artifacts, log: () => {} });
    try {
      await poll('node reconciled', () => node.status().lastReconcileAt, (at) => at !== null);
      // Written without NOTIFY (as if lost) and the periodic reconcile is a minute away.
      const m = await catalog.models.getByName(projectId, 'fresh');
      await catalog.deployments.create({ projectId, name: 'fresh-quiet', modelId: m.id, spec: { routes: [{ version: 3, weight: 100 }], pool: 'quiet' } });
      await expect(node.predict({ projectId, model: 'fresh', ...row })).rejects.toMatchObject({
        code: 'ATL_MODEL_NOT_READY',
        statusCode: 503,
        headers: { 'retry-after': '1' },
        message: expect.stringContaining("Deployment 'fresh-quiet' (revision 1) of model 'fresh' is progressing: this serving node has not picked the revision up yet"),
      });
      // That predict started a reconcile: the node serves it without waiting for its period.
      expect((await poll('served', () => node.predict({ projectId, model: 'fresh', ...row }).catch(() => null), (r) => r !== null, 10_000))!.version).toBe(3);
    } finally {
      await node.stop();
    }
  });

  it('reports failed with the reason when a node refuses the revision', async () => {
    const node = await startServing(servingConfig({ pool: 'broken', nodeId: 'broken-node' }), { catalog, artifacts, log: () => {} });
    try {
      const m = await catalog.models.getByName(projectId, 'fresh');
      const v = await catalog.models.createVersion({ modelId: m.id, format: 'onnx', bundleKey: 'models/missing.onnx', bundleSha256: 'f'.repeat(64), bundleSize: 10, signature: SIGNATURE });
      const res = await http('PUT', `${P}/deployments/fresh-broken?wait=ready&timeoutMs=20000`, body({ pool: 'broken', routes: [{ version: v.version, weight: 100 }] }));
      expect(res.status).toBe(202);
      expect(res.body.status).toMatchObject({ state: 'failed', revision: 1, versions: [] });
      expect(res.body.status.reason).toMatch(new RegExp(`^node broken-node: version ${v.version}: ATL_BUNDLE_MISSING: `));
      const predicted = await node.predict({ projectId, model: 'fresh', ...row }).catch((e: unknown) => e);
      expect(predicted).toMatchObject({ code: 'ATL_MODEL_NOT_READY', statusCode: 503, message: expect.stringContaining("of model 'fresh' is failed: ") });
    } finally {
      await node.stop();
    }
  });

  it('brings alias moves and deployment changes to every serving node of the pool through NOTIFY within 1 s', async () => {
    // A second node of the default pool beside the gateway's; neither reconciles within the test (60 s).
    const second = await startServing(servingConfig({ nodeId: 'default-second' }), { catalog, artifacts, log: () => {} });
    try {
      await http('PUT', `${P}/models/fresh/aliases/live`, { version: 1 });
      const res = await http('PUT', `${P}/deployments/fresh-live?wait=ready`, { model: 'fresh', routes: [{ alias: 'live', weight: 100 }] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.status).toMatchObject({ state: 'ready', versions: [1] });
      // Right after ?wait=ready, predict answers (no 404 window).
      expect((await predict('fresh', row)).body.version).toBe(1);
      expect((await predict('fresh', row, '/aliases/live')).body.version).toBe(1);
      // The second node serves it too (set-up: it may have joined the pool after the wait began).
      await poll('the second node serving v1', () => second.predict({ projectId, model: 'fresh', ...row }).catch(() => null), (r) => r?.version === 1, 20_000);

      // Only the NOTIFY can bring these: each node is asked in parallel, timed from the change's answer.
      const gatewayNode = (suffix = '') => async () => (await predict('fresh', row, suffix)).body?.version as number | undefined;
      const secondNode = (alias?: string) => async () =>
        (await second.predict({ projectId, model: 'fresh', ...row, ...(alias && { target: { alias } }) }).catch(() => undefined))?.version;
      const servedWithin1s = (what: string, version: number, t0: number, ask: () => Promise<number | undefined>) => async () => {
        const last = await poll(what, ask, (v) => v === version || Date.now() - t0 > 1000, 1500);
        const ms = Date.now() - t0;
        console.log(`NOTIFY propagation: ${what} served after ${ms} ms`);
        expect(last, `${what} after ${ms} ms`).toBe(version);
        expect(ms).toBeLessThanOrEqual(1000);
      };
      const everyNode = async (what: string, version: number, t0: number) =>
        Promise.all([
          servedWithin1s(`${what}, gateway's node`, version, t0, gatewayNode())(),
          servedWithin1s(`${what}, gateway's node by alias`, version, t0, gatewayNode('/aliases/live'))(),
          servedWithin1s(`${what}, second node`, version, t0, secondNode())(),
          servedWithin1s(`${what}, second node by alias`, version, t0, secondNode('live'))(),
        ]);

      expect((await http('PUT', `${P}/models/fresh/aliases/live`, { version: 2 })).status).toBe(200);
      await everyNode('the alias move', 2, Date.now());
      expect((await deploy('fresh-live', { model: 'fresh', routes: [{ version: 3, weight: 100 }] })).status).toBe(200);
      const t0 = Date.now();
      await Promise.all([
        servedWithin1s("the deployment change, gateway's node", 3, t0, gatewayNode())(),
        servedWithin1s('the deployment change, second node', 3, t0, secondNode())(),
      ]);
    } finally {
      await second.stop();
    }
  });
});
