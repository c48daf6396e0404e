// The whole lifecycle through @atelier/sdk alone, against a real `atelier-server start`: data →
// features → train → evaluate → promote (the gate refusing, then a promotion) → deploy → predict, plus
// paging, typed errors with field errors, downloads and file uploads with progress.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Atelier, AtelierError, isAtelierError, type TrainingJobEvent, type TrainingJobRequest, type UploadProgress } from '@atelier/sdk';
import { fileSource } from '@atelier/sdk/node';
import { startTestPlatform, type TestPlatform } from './sdk-platform.js';

let platform: TestPlatform;
let admin: Atelier;
let atl: Atelier;
const dir = mkdtempSync(join(tmpdir(), 'atelier-sdk-lifecycle-'));

beforeAll(async () => {
  platform = await startTestPlatform();
  admin = new Atelier({ baseUrl: platform.url, apiKey: platform.adminKey });
  await admin.projects.create({ name: 'shop' });
  // The rest runs as a product team would: an editor key of its own project.
  const key = await admin.withProject('shop').apiKeys.create({ name: 'team', role: 'editor' });
  atl = new Atelier({ baseUrl: platform.url, apiKey: key.secret, project: 'shop' });
});
afterAll(async () => {
  await platform?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Deterministic activity per user and labels after it: users with many clicks convert. */
function activityCsv(): string {
  let csv = 'user_id,ts,clicks,spend\n';
  for (let u = 0; u < 120; u++) csv += `u${u},2024-01-01T00:00:00Z,${u % 10},${(u % 7) * 3.5}\n`;
  return csv;
}
function labelsCsv(): string {
  let csv = 'user_id,event_time,converted\n';
  for (let u = 0; u < 120; u++) for (const day of ['02', '03']) csv += `u${u},2024-01-${day}T00:00:00Z,${u % 10 >= 5 ? 1 : 0}\n`;
  return csv;
}

const trainSpec = (version: number): TrainingJobRequest => ({
  modelName: 'conversion',
  data: { dataset: 'conversion-train', version },
  label: 'converted',
  model: { kind: 'mlp' },
  maxEpochs: 4,
  seed: 7,
  features: [
    { name: 'clicks', type: 'numeric', transform: 'standardize' },
    { name: 'spend', type: 'numeric', transform: 'standardize' },
  ],
});

describe('@atelier/sdk against a real platform', () => {
  it('runs data → features → train → evaluate → promote → deploy → predict', async () => {
    // 1. Data: one upload from a file (streamed, with progress), one from text.
    const activityFile = join(dir, 'activity.csv');
    writeFileSync(activityFile, activityCsv());
    const progress: UploadProgress[] = [];
    const activity = await atl.datasets.upload('activity', fileSource(activityFile), { onProgress: (p) => progress.push(p) });
    expect(activity).toMatchObject({ dataset: 'activity', version: 1, rowCount: 120, format: 'csv' });
    expect(progress[0]).toEqual({ bytesSent: 0, totalBytes: activityCsv().length });
    expect(progress.at(-1)).toEqual({ bytesSent: activityCsv().length, totalBytes: activityCsv().length });
    // From an async iterable of chunks (a generator, a socket…): streamed, progress without a total.
    const streamed: UploadProgress[] = [];
    async function* chunks() {
      const bytes = new TextEncoder().encode(labelsCsv());
      for (let at = 0; at < bytes.length; at += 1000) yield bytes.subarray(at, at + 1000);
    }
    const labels = await atl.datasets.upload('labels', chunks(), { format: 'csv', onProgress: (p) => streamed.push(p) });
    expect(labels.rowCount).toBe(240);
    expect(streamed.length).toBeGreaterThan(3);
    expect(streamed.at(-1)).toEqual({ bytesSent: labelsCsv().length, totalBytes: undefined });
    const profile = await atl.datasets.profile('activity', 1);
    expect(profile.columns.map((c) => c.name)).toEqual(['user_id', 'ts', 'clicks', 'spend']);
    const downloaded = await new Response(await atl.datasets.download('activity', 1)).text();
    expect(downloaded).toBe(activityCsv());

    // 2. Features: entity, view, point-in-time training set, materialization, an online read.
    await atl.features.entities.create({ name: 'user', joinKeys: [{ name: 'user_id', type: 'string' }] });
    await atl.features.views.apply({
      name: 'activity',
      entity: 'user',
      source: { dataset: 'activity' },
      eventTimestampColumn: 'ts',
      ttlSeconds: 0,
      features: [
        { name: 'clicks', type: 'int' },
        { name: 'spend', type: 'float' },
      ],
    });
    const set = await atl.features.trainingSet({
      labelDataset: { name: 'labels', version: 1 },
      eventTimestampColumn: 'event_time',
      entity: 'user',
      featureViews: [{ name: 'activity' }],
      output: { dataset: 'conversion-train' },
    });
    expect(set).toMatchObject({ dataset: 'conversion-train', version: 1, rowCount: 240 });
    const run = await atl.features.materialize('activity', { mode: 'full' });
    expect(run.status).toBe('complete');
    const online = await atl.features.online({ featureViews: ['activity'], entityKeys: [{ user_id: 'u7' }, { user_id: 'nobody' }] });
    expect(online.results.map((r) => r.found)).toEqual([true, false]);
    expect(online.results[0].features.activity.values).toEqual({ clicks: 7, spend: 0 });

    // 3. Train and follow: every event once, in order, per-epoch metrics, ending with success.
    const events: TrainingJobEvent[] = [];
    const job = await atl.jobs.train(trainSpec(1)).wait({ onEvent: (e) => events.push(e) });
    expect(job.status).toBe('succeeded');
    const ids = events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(events.filter((e) => e.type === 'metric').map((e) => e.data.epoch)).toEqual([1, 2, 3, 4]);
    expect(events.at(-1)).toMatchObject({ type: 'state', data: { status: 'succeeded', modelVersion: 1 } });

    // 4. Evaluate with a gate no model can pass, and the promotion is refused with the verdict.
    const evaluation = await atl.models.evaluate('conversion', 1, {
      dataset: { name: 'conversion-train', version: 1 },
      gate: [{ metric: 'auc', direction: 'higher_is_better', minAbsolute: 1.5 }],
    });
    await evaluation.wait();
    const [evaluated] = await atl.models.evaluations('conversion', 1);
    expect(evaluated.verdict).toBe('rejected');
    expect(evaluated.metrics.auc).toBeGreaterThan(0.9);
    const refused = await atl.models.promote('conversion', 1, 'production').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AtelierError);
    expect(refused).toMatchObject({ status: 409, code: 'ATL_GATE_REJECTED' });
    expect((refused as AtelierError).detail).toMatch(/reject/i);

    // A second version (no evaluation yet) is promoted.
    await (await atl.jobs.create(trainSpec(1))).wait();
    expect((await atl.models.versions('conversion', { pageSize: 1 }).toArray()).map((v) => v.version)).toEqual([2, 1]);
    const alias = await atl.models.promote('conversion', 2, 'production');
    expect(alias).toMatchObject({ alias: 'production', version: 2 });

    // 5. Deploy (waiting until serving answers with it) and predict, by instances and by entity keys.
    const deployment = await atl.deployments.apply(
      { name: 'conversion-live', model: 'conversion', routes: [{ alias: 'production', weight: 100 }], featureViews: ['activity'] },
      { wait: 'ready' },
    );
    expect(deployment.status?.state).toBe('ready');
    const statusEvents = [];
    for await (const event of atl.deployments.events('conversion-live')) statusEvents.push(event.type);
    expect(statusEvents).toEqual(['status', 'ready']);
    // Applying again (`timeoutMs` bounds the wait) answers once the pool serves the current revision.
    const again = await atl.deployments.apply(
      { name: 'conversion-live', model: 'conversion', routes: [{ alias: 'production', weight: 100 }], featureViews: ['activity'] },
      { wait: 'ready', timeoutMs: 20_000 },
    );
    expect(again.status).toMatchObject({ state: 'ready', revision: again.revision });
    expect(await atl.ready()).toMatchObject({ ready: true });
    const byRows = await atl.predict('conversion', [
      { clicks: 9, spend: 10 },
      { clicks: 0, spend: 10 },
    ]);
    expect(byRows).toMatchObject({ model: 'conversion', version: 2, deployment: 'conversion-live' });
    const [high, low] = byRows.predictions as number[];
    expect(high).toBeGreaterThan(low);
    const byKeys = await atl.predict('conversion', { entityKeys: [{ user_id: 'u9' }, { user_id: 'u0' }] });
    expect((byKeys.predictions as number[])[0]).toBeGreaterThan((byKeys.predictions as number[])[1]);
    const pinned = await atl.predict('conversion', [{ clicks: 9, spend: 10 }], { alias: 'production' });
    expect(pinned).toMatchObject({ version: 2, deployment: null });
    await expect(atl.predict('conversion', [{ clicks: 9, spend: 10 }], { version: 1 })).rejects.toMatchObject({ code: 'ATL_MODEL_NOT_DEPLOYED' });

    // 6. Monitoring of the deployment: thresholds, labels for the answer above, the view and alerts.
    expect(await atl.monitoring.thresholds('conversion-live')).toMatchObject({ psi: 0.2, minRows: 100 });
    expect(await atl.monitoring.setThresholds('conversion-live', { minRows: 1, js: null })).toMatchObject({ psi: 0.2, js: null, minRows: 1 });
    await expect(atl.monitoring.setThresholds('conversion-live', { minRows: 0 })).rejects.toMatchObject({ status: 400, errors: [{ field: '/body/minRows' }] });
    const unknown = await atl.monitoring.labels('conversion-live', [{ requestId: 'never-answered', label: 1 }]);
    expect(unknown).toEqual({ accepted: 0, unknown: [{ requestId: 'never-answered', index: 0 }] });
    // The answer is known once the serving node has flushed its monitoring counts.
    await expect
      .poll(async () => (await atl.monitoring.labels('conversion-live', [{ requestId: byRows.requestId!, index: 0, label: 1 }])).accepted, { timeout: 60_000, interval: 500 })
      .toBe(1);
    const monitored = await atl.monitoring.get('conversion-live', { from: new Date(Date.now() - 3_600_000) });
    expect(monitored.versions.map((v) => v.version)).toContain(2);
    for (const alert of await atl.monitoring.alerts('conversion-live', { state: 'active' })) expect(alert).toMatchObject({ state: 'active', resolvedAt: null });

    const jobs = await atl.jobs.list({ status: 'succeeded' }, { pageSize: 1 }).toArray();
    expect(jobs.filter((j) => j.type === 'train')).toHaveLength(2);
  }, 300_000);

  it('pages through every item once, whatever the page size and cursor kind', async () => {
    for (const name of ['pa', 'pb', 'pc', 'pd', 'pe']) await atl.datasets.create(name);
    const names = (await atl.datasets.list({ pageSize: 2 }).toArray()).map((d) => d.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['pa', 'pb', 'pc', 'pd', 'pe']));
    expect(new Set(names).size).toBe(names.length);
    const pages: number[] = [];
    for await (const page of atl.datasets.list({ pageSize: 2 }).byPage()) pages.push(page.length);
    expect(pages.slice(0, -1).every((n) => n === 2)).toBe(true);

    for (const name of ['qa', 'qb', 'qc']) await admin.projects.create({ name });
    const projects = (await admin.projects.list({ pageSize: 2 }).toArray()).map((p) => p.name);
    expect(projects).toEqual(expect.arrayContaining(['shop', 'qa', 'qb', 'qc']));
    expect(new Set(projects).size).toBe(projects.length);
  });

  it('lists the audit log page by page for an admin, and refuses an editor', async () => {
    await admin.withProject('shop').apiKeys.create({ name: 'audit-probe', role: 'viewer' });
    const creates = await admin.withProject('shop').auditLog.list({ action: 'api-key.create' }, { pageSize: 1 }).toArray();
    expect(creates.map((e) => e.details.name)).toEqual(expect.arrayContaining(['team', 'audit-probe']));
    expect(creates[0].details.name).toBe('audit-probe');
    expect(new Set(creates.map((e) => e.id)).size).toBe(creates.length);
    const older = await admin.withProject('shop').auditLog.list({ action: 'api-key.create', before: creates[0].id }).toArray();
    expect(older.map((e) => e.id)).toEqual(creates.slice(1).map((e) => e.id));
    await expect(atl.auditLog.list().toArray()).rejects.toMatchObject({ status: 403 });
  });

  it('throws typed errors: every bad field, the code, the status and the request id', async () => {
    const err = await atl.datasets.create({ name: 'Not A Name', bogus: 1 } as never).catch((e: unknown) => e);
    expect(isAtelierError(err, 'ATL_VALIDATION_FAILED')).toBe(true);
    const e = err as AtelierError;
    expect(e.status).toBe(400);
    expect(e.errors.map((f) => f.field).sort()).toEqual(['/body/bogus', '/body/name']);
    expect(e.requestId).toBeTruthy();
    expect(e.message).toContain('/body/name');

    await expect(atl.models.get('no-such-model')).rejects.toMatchObject({ status: 404, code: 'ATL_MODEL_NOT_FOUND' });
    // Another project is another world: the same name is not found there, with this key not even visible.
    await expect(atl.withProject('qa').datasets.get('activity')).rejects.toMatchObject({ status: expect.any(Number) });
    const other = await atl.withProject('qa').datasets.get('activity').catch((x: AtelierError) => x);
    expect([403, 404]).toContain((other as AtelierError).status);
    const anonymous = new Atelier({ baseUrl: platform.url, project: 'shop' });
    await expect(anonymous.datasets.get('activity')).rejects.toMatchObject({ status: 401, code: 'ATL_UNAUTHENTICATED' });
    await expect(new Atelier({ baseUrl: platform.url }).datasets.get('x')).rejects.toMatchObject({ code: 'ATL_NO_PROJECT' });
  });
});
