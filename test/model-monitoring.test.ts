// Model monitoring end to end on a real platform (gateway + training worker + serving node in one
// process, real HTTP, the test database): a model trained on a dataset, deployed; traffic like the
// training data raises nothing; shifted traffic (a feature moved far past its training range, a city
// never seen) raises PSI and out-of-range alerts in the API and on /metrics; labels sent for earlier
// answers give online accuracy and AUC; traffic like training again resolves the alerts. Another
// project's key gets nothing from any of the new routes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformConfigFromEnv } from '../apps/launcher/src/platform.config.js';
import { startPlatform, type PlatformHandle } from '../apps/launcher/src/platform.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { jsonClient, pollUntil, type Json } from './json-client.js';

const ADMIN_KEY = 'atl_monitoring-admin-key-0123456789abcdefghijklmnopqrstuv';
const WINDOW_MS = 2000;
const dataDir = mkdtempSync(join(tmpdir(), 'atelier-monitoring-'));
let database: TestDatabase | undefined;
let platform: PlatformHandle;
let url: string;

/** A seeded generator (mulberry32): the same customers every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(7);
const customers = Array.from({ length: 600 }, () => {
  const age = Math.floor(18 + rand() * 60);
  return { age, income: Math.floor(20000 + rand() * 80000), city: rand() < 0.5 ? 'paris' : 'lyon', churned: age < 35 && rand() < 0.85 ? 1 : 0 };
});
const csv = 'age,income,city,churned\n' + customers.map((c) => `${c.age},${c.income},${c.city},${c.churned}`).join('\n') + '\n';
const instances = customers.map(({ age, income, city }) => ({ age, income, city }));
// Age moved past the training range (max 77), a city training never saw; income as in training.
const shifted = customers.map(({ age, income }) => ({ age: age + 61, income, city: 'marseille' }));

const call = jsonClient(() => url, ADMIN_KEY);
const poll = pollUntil;
const metrics = async () => (await fetch(`${url}/metrics`)).text();
/** The value of one monitoring series for the churn-live deployment, or undefined when absent. */
function series(text: string, name: string, feature: string, check: string): number | undefined {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && l.includes('deployment="churn-live"') && l.includes(`feature="${feature}"`) && l.includes(`check="${check}"`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
/** Wait until the clock is past the end of the window that holds `at` (so the next request opens a new window). */
const nextWindow = (at: number) => poll('the next monitoring window', async () => Date.now(), (now) => now >= at - (at % WINDOW_MS) + WINDOW_MS, 10_000);

const P = '/v1/projects/shop';
const M = `${P}/deployments/churn-live/monitoring`;

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = {
    ATELIER_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ATELIER_ADMIN_KEY: ADMIN_KEY,
    ATELIER_PREDICTION_LOG_SAMPLE_RATE: '0',
    ATELIER_MONITORING_WINDOW_MS: String(WINDOW_MS),
    ATELIER_MONITORING_FLUSH_MS: '200',
    ATELIER_MONITORING_EVALUATE_MS: '250',
  };
  database = await createTestDatabase();
  if (database.kind === 'postgres') env.DATABASE_URL = database.databaseUrl;
  platform = await startPlatform(platformConfigFromEnv(env));
  url = platform.gateway!.url;

  expect((await call('POST', '/v1/projects', { name: 'shop' })).status).toBe(201);
  expect((await call('POST', `${P}/datasets`, { name: 'customers' })).status).toBe(201);
  expect((await call('POST', `${P}/datasets/customers/versions`, csv, ADMIN_KEY, 'text/csv')).status).toBe(201);
  const job = await call('POST', `${P}/training-jobs`, {
    modelName: 'churn',
    data: { dataset: 'customers', version: 1 },
    label: 'churned',
    model: { kind: 'mlp' },
    maxEpochs: 8,
    seed: 7,
    features: [
      { name: 'age', type: 'numeric', transform: 'standardize' },
      { name: 'income', type: 'numeric', transform: 'standardize' },
      { name: 'city', type: 'categorical', transform: 'vocabulary' },
    ],
  });
  expect(job.status).toBe(201);
  await poll('the training job', async () => (await call('GET', `${P}/training-jobs/${job.body.id}`)).body.status, (s) => s === 'succeeded' || s === 'failed', 180_000);
  const deployed = await call('PUT', `${P}/deployments/churn-live?wait=ready&timeoutMs=60000`, { model: 'churn', routes: [{ version: 1, weight: 100 }] });
  expect(deployed.body.status?.state).toBe('ready');
}, 300_000);

afterAll(async () => {
  await platform?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('model monitoring of a deployment', () => {
  let unshiftedRequestId = '';
  let unshiftedAt = 0;

  it('thresholds: the defaults, then the ones set (validated, every bad field named)', async () => {
    const defaults = await call('GET', `${M}/thresholds`);
    expect(defaults.body).toMatchObject({ psi: 0.2, js: 0.1, minRows: 100 });
    const bad = await call('PUT', `${M}/thresholds`, { psi: -1, minRows: 0, bogus: true });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['/body/bogus', '/body/minRows', '/body/psi']);
    const set = await call('PUT', `${M}/thresholds`, { minRows: 200, js: null });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ psi: 0.2, js: null, minRows: 200 });
  });

  it('traffic like the training data: drift near zero, no alert in the API or on /metrics', async () => {
    const res = await call('POST', `${P}/models/churn/predict`, { instances });
    expect(res.status).toBe(200);
    expect(typeof res.body.requestId).toBe('string');
    unshiftedRequestId = res.body.requestId;
    unshiftedAt = Date.now();
    const text = await poll('the first evaluation on /metrics', metrics, (t) => series(t, 'atelier_monitoring_value', 'age', 'psi') !== undefined);
    for (const feature of ['age', 'income', 'city']) {
      expect(series(text, 'atelier_monitoring_value', feature, 'psi')).toBeLessThan(0.01);
      expect(series(text, 'atelier_monitoring_alert_active', feature, 'psi')).toBe(0);
      expect(series(text, 'atelier_monitoring_alert_active', feature, 'outOfRangeRate')).toBe(0);
    }
    expect((await call('GET', `${M}/alerts?state=active`)).body.items).toEqual([]);
    const view = (await call('GET', M)).body;
    expect(view.versions).toHaveLength(1);
    const [v] = view.versions;
    expect(v).toMatchObject({ version: 1, task: 'binary', reference: { features: ['age', 'income', 'city'] } });
    const w = v.windows.at(-1);
    expect(w.rows).toBe(600);
    const age = w.features.find((f: { name: string }) => f.name === 'age');
    expect(age).toMatchObject({ count: 600, missingRate: 0, outOfRangeRate: 0 });
    expect(age.psi).toBeLessThan(0.01);
    expect(w.prediction).toMatchObject({ count: 600, baseline: 'firstWindow', psi: 0 });
  });

  it('shifted traffic: PSI and out-of-range over threshold → active alerts in the API and on /metrics', async () => {
    await nextWindow(unshiftedAt);
    expect((await call('POST', `${P}/models/churn/predict`, { instances: shifted })).status).toBe(200);
    const alerts = await poll(
      'drift alerts',
      async () => (await call('GET', `${M}/alerts?state=active`)).body.items as Array<{ feature: string; check: string; value: number; threshold: number }>,
      (items) => ['age', 'city'].every((f) => items.some((a) => a.feature === f && a.check === 'psi')),
    );
    const ageAlert = alerts.find((a) => a.feature === 'age' && a.check === 'psi')!;
    expect(ageAlert.value).toBeGreaterThanOrEqual(0.2);
    expect(ageAlert.threshold).toBe(0.2);
    expect(alerts.filter((a) => a.check === 'outOfRangeRate').map((a) => a.feature).sort()).toEqual(['age', 'city']);
    // Income did not move; js is switched off by the thresholds set above.
    expect(alerts.some((a) => a.feature === 'income' || a.check === 'js')).toBe(false);
    const text = await poll('the alert on /metrics', metrics, (t) => series(t, 'atelier_monitoring_alert_active', 'age', 'psi') === 1);
    expect(series(text, 'atelier_monitoring_alert_active', 'city', 'outOfRangeRate')).toBe(1);
    expect(series(text, 'atelier_monitoring_alert_active', 'income', 'psi')).toBe(0);
    const w = (await call('GET', M)).body.versions[0].windows.at(-1);
    const byName = Object.fromEntries(w.features.map((f: { name: string }) => [f.name, f]));
    expect(byName.age.outOfRangeRate).toBe(1);
    expect(byName.city.outOfRangeRate).toBe(1);
    expect(byName.age.psi).toBeGreaterThan(1);
    expect(byName.income.psi).toBeLessThan(0.01);
    expect(typeof w.prediction.psi).toBe('number');
  });

  it('labels for earlier answers: online accuracy and AUC of their window; unknown request ids listed, bad labels refused', async () => {
    const bad = await call('POST', `${P}/deployments/churn-live/labels`, { labels: [{ requestId: unshiftedRequestId, label: 2 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: '/body/labels/0/label', message: expect.stringContaining('0 or 1') }]);
    const labels = customers.map((c, index) => ({ requestId: unshiftedRequestId, index, label: c.churned }));
    const res = await call('POST', `${P}/deployments/churn-live/labels`, { labels: [...labels, { requestId: 'never-answered', label: 1 }] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 600, unknown: [{ requestId: 'never-answered', index: 0 }] });
    const windows = (await call('GET', M)).body.versions[0].windows as Array<{ rows: number; online: Json | null }>;
    const labelled = windows.filter((w) => w.online);
    expect(labelled).toHaveLength(1);
    expect(labelled[0].online).toMatchObject({ labeled: 600, rmse: null });
    expect(labelled[0].online!.accuracy).toBeGreaterThan(0.7);
    expect(labelled[0].online!.auc).toBeGreaterThan(0.7);
    expect(labelled[0].online!.logLoss).toBeGreaterThan(0);
  });

  let againRequestId = '';

  it('traffic like training again resolves the drift alerts', async () => {
    await nextWindow(Date.now());
    const again = await call('POST', `${P}/models/churn/predict`, { instances });
    expect(again.status).toBe(200);
    againRequestId = again.body.requestId;
    await poll('the alerts to resolve', async () => (await call('GET', `${M}/alerts?state=active`)).body.items as unknown[], (items) => items.length === 0);
    const resolved = (await call('GET', `${M}/alerts?state=resolved`)).body.items as Array<{ feature: string; check: string; resolvedAt: string }>;
    expect(resolved.some((a) => a.feature === 'age' && a.check === 'psi' && a.resolvedAt)).toBe(true);
    expect(series(await metrics(), 'atelier_monitoring_alert_active', 'age', 'psi')).toBe(0);
  });

  it("labels that contradict the answers: online accuracy falls below the version's test accuracy → an accuracyDrop alert", async () => {
    const labels = customers.map((c, index) => ({ requestId: againRequestId, index, label: 1 - c.churned }));
    expect((await call('POST', `${P}/deployments/churn-live/labels`, { labels })).body.accepted).toBe(600);
    const alerts = await poll(
      'the accuracy alert',
      async () => (await call('GET', `${M}/alerts?state=active`)).body.items as Array<{ feature: string; check: string; value: number }>,
      (items) => items.some((a) => a.check === 'accuracyDrop'),
    );
    const drop = alerts.find((a) => a.check === 'accuracyDrop')!;
    expect(drop.feature).toBe('(prediction)');
    const v = (await call('GET', M)).body.versions[0];
    const online = v.windows.at(-1).online;
    expect(online.labeled).toBe(600);
    expect(drop.value).toBeCloseTo(v.baselineAccuracy - online.accuracy, 6);
    expect(drop.value).toBeGreaterThan(0.4);
  });

  it("another project's key gets nothing: 404 for the deployment in its own project, 403 on this project", async () => {
    expect((await call('POST', '/v1/projects', { name: 'other' })).status).toBe(201);
    const key = (await call('POST', '/v1/projects/other/api-keys', { name: 'editor', role: 'editor' })).body.secret as string;
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/monitoring'],
      ['GET', '/monitoring/thresholds'],
      ['PUT', '/monitoring/thresholds', { psi: 5 }],
      ['GET', '/monitoring/alerts'],
      ['POST', '/labels', { labels: [{ requestId: unshiftedRequestId, label: 0 }] }],
    ];
    for (const [method, path, body] of routes) {
      const own = await call(method, `/v1/projects/other/deployments/churn-live${path}`, body, key);
      expect(own.status, `${method} ${path}`).toBe(404);
      expect(own.body.code).toBe('ATL_DEPLOYMENT_NOT_FOUND');
      expect((await call(method, `${P}/deployments/churn-live${path}`, body, key)).status, `${method} ${path}`).toBe(403);
    }
    // Nothing it sent landed: the thresholds and the labels are as before.
    expect((await call('GET', `${M}/thresholds`)).body.psi).toBe(0.2);
    const online = ((await call('GET', M)).body.versions[0].windows as Array<{ online: Json | null }>).find((w) => w.online)!.online!;
    expect(online.labeled).toBe(600);
  });
});
