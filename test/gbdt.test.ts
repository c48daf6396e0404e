// The `gbdt` model kind end to end over HTTP: a CSV uploaded through the datasets API → a gbdt
// training job (validated hyperparameters, one epoch event per boosting round, round checkpoints) →
// a model version → a deployment on an in-process serving node → predict, answering what the bundle
// answers in the engine. Real database, real filesystem artifacts, real worker threads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from './gateway.js';
import { inProcessServing } from './in-process-serving.js';
import { start as startOrchestrator, defaultOrchestratorConfig, type OrchestratorHandle } from '../apps/training-orchestrator/src/index.js';
import { syntheticCsv } from '../apps/training-orchestrator/src/testing/fixtures.js';
import { bundlePredictFn } from '../apps/training-orchestrator/src/evaluation-core.js';
import type { ServingHandle } from '../apps/serving/src/index.js';

let gw: TestGateway;
let worker: OrchestratorHandle;
let serving: ServingHandle;
let editor: { authorization: string };
const cacheDir = mkdtempSync(join(tmpdir(), 'atelier-gbdt-serving-'));
const P = '/v1/projects/trees';
const json = (res: { body: string }) => JSON.parse(res.body);
const call = (method: string, url: string, payload?: unknown) => gw.app.inject({ method: method as 'POST', url, headers: editor, payload: payload as string });

async function poll<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not met after ${timeoutMs} ms (${JSON.stringify(v).slice(0, 300)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const spec = (hyperparameters: Record<string, unknown>) => ({
  modelName: 'churn-trees',
  data: { dataset: 'customers', version: 1 },
  label: 'churned',
  features: [
    { name: 'age', type: 'numeric', transform: 'none' },
    { name: 'income', type: 'numeric', transform: 'none' },
    { name: 'city', type: 'categorical', transform: 'vocabulary' },
  ],
  model: { kind: 'gbdt', hyperparameters },
  split: { method: 'random', fractions: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 2 },
  seed: 4,
});

beforeAll(async () => {
  gw = await createTestGateway({ extensions: [inProcessServing({ cacheDir, reconcileIntervalMs: 500 }, (node) => void (serving = node))] });
  await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'trees' } });
  const key = await gw.app.inject({ method: 'POST', url: `${P}/api-keys`, headers: gw.adminAuth, payload: { name: 'ci', role: 'editor' } });
  editor = { authorization: `Bearer ${json(key).secret}` };
  expect((await call('POST', `${P}/datasets`, { name: 'customers' })).statusCode).toBe(201);
  const upload = await gw.app.inject({
    method: 'POST',
    url: `${P}/datasets/customers/versions`,
    headers: { ...editor, 'content-type': 'text/csv' },
    payload: Readable.from([Buffer.from(syntheticCsv(800))]),
  });
  expect(upload.statusCode, upload.body).toBe(201);
  worker = await startOrchestrator(defaultOrchestratorConfig({ cores: 2, leaseTtlMs: 3000, pollIntervalMs: 100, cancelPollMs: 200, workerId: 'gbdt-w1' }), {
    catalog: gw.catalog,
    artifacts: gw.artifacts,
    registry: gw.services.registry,
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await serving?.stop();
  await gw?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('gbdt over HTTP', () => {
  it('names every bad hyperparameter at submit', async () => {
    const res = await call('POST', `${P}/training-jobs`, spec({ numTrees: 0, learningRate: 2, growPolicy: 'sideways', depth: 3 }));
    expect(res.statusCode, res.body).toBe(400);
    const fields = (json(res).errors as { field: string }[]).map((e) => e.field).join(' ');
    for (const f of ['numTrees', 'learningRate', 'growPolicy', 'depth']) expect(fields).toContain(f);
  });

  it('trains by boosting rounds into a version that serving predicts with', async () => {
    const res = await call('POST', `${P}/training-jobs`, spec({ numTrees: 40, maxDepth: 4, learningRate: 0.2, earlyStoppingRounds: 10 }));
    expect(res.statusCode, res.body).toBe(201);
    const id = json(res).id;
    const job = await poll('the gbdt job to finish', async () => json(await call('GET', `${P}/training-jobs/${id}`)), (j) => ['succeeded', 'failed', 'cancelled'].includes(j.status));
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    const rounds = job.metrics.epochs.length;
    expect(rounds).toBeGreaterThan(1);
    expect(rounds).toBeLessThanOrEqual(40);
    expect(job.metrics.epochs.map((e: { epoch: number }) => e.epoch)).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
    expect(job.checkpointEpoch).toBe(rounds);
    expect(job.metrics.test.auc).toBeGreaterThan(0.85);

    const version = json(await call('GET', `${P}/models/churn-trees/versions/1`));
    expect(version.metrics.auc).toBe(job.metrics.test.auc);
    expect((await call('PUT', `${P}/deployments/churn-trees-live`, { model: 'churn-trees', routes: [{ version: 1, weight: 100 }] })).statusCode).toBeLessThan(300);
    const instances = [
      { age: 70, income: 30, city: 'paris' },
      { age: 20, income: 110, city: 'paris' },
      { age: 45, income: 60, city: 'nowhere' },
    ];
    const predicted = await poll('the deployment to answer', () => call('POST', `${P}/models/churn-trees/predict`, { instances }), (r) => r.statusCode === 200);
    const body = json(predicted);
    expect(body.modelVersion ?? body.version).toBeDefined();
    const probs = (body.predictions as unknown[]).map((p) => (typeof p === 'number' ? p : ((p as Record<string, number>).probability ?? Object.values(p as object)[0])));
    expect(probs[0]).toBeGreaterThan(0.5);
    expect(probs[1]).toBeLessThan(0.5);
    // Serving answers what the engine answers with the same bundle.
    const row = await gw.catalog.models.getVersionById(job.modelVersionId);
    const local = bundlePredictFn(await gw.artifacts.getBytes(row.bundleKey));
    const want = local.predict({ age: Float64Array.of(70, 20, 45), income: Float64Array.of(30, 110, 60), city: ['paris', 'paris', 'nowhere'] }, 3);
    local.dispose();
    for (let i = 0; i < 3; i++) expect(probs[i] as number).toBeCloseTo(want[i], 6);

    // explain: TreeSHAP contributions per instance, by feature name, summing to the log-odds.
    const explained = json(await call('POST', `${P}/models/churn-trees/predict`, { instances, explain: true }));
    expect(explained.contributions).toHaveLength(3);
    for (let i = 0; i < 3; i++) {
      const c = explained.contributions[i] as Record<string, number>;
      expect(Object.keys(c).sort()).toEqual(['__bias', 'age', 'city', 'income']);
      const margin = Object.values(c).reduce((a, b) => a + b, 0);
      expect(1 / (1 + Math.exp(-margin))).toBeCloseTo(probs[i] as number, 5);
    }
    // Old people churn in this data: age pushes the first instance up, the second down.
    expect(explained.contributions[0].age).toBeGreaterThan(0);
    expect(explained.contributions[1].age).toBeLessThan(0);
    const plain = json(await call('POST', `${P}/models/churn-trees/predict`, { instances }));
    expect(plain.contributions).toBeUndefined();
    // Bad explain requests name the field.
    const badType = await call('POST', `${P}/models/churn-trees/predict`, { instances, explain: 'yes' });
    expect(badType.statusCode).toBe(400);
    expect(badType.body).toContain('explain');
    const tooMany = await call('POST', `${P}/models/churn-trees/predict`, { instances: Array.from({ length: 1001 }, () => instances[0]), explain: true });
    expect(tooMany.statusCode, tooMany.body).toBe(400);
    expect(json(tooMany).errors.map((e: { field: string }) => e.field).join(' ')).toContain('instances');
  });
});
