// Training jobs over HTTP, end to end: a CSV uploaded through the datasets API → a spec checked
// against its schema → orchestrator workers (in this process, real worker threads) → a model version
// with holdout metrics; reproducibility, racing workers, cancel, SSE replay, divergence, spec errors
// and gpu placement. Real database, real filesystem artifacts.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from './gateway.js';
import { start as startOrchestrator, defaultOrchestratorConfig, type OrchestratorHandle } from '../apps/training-orchestrator/src/index.js';
import { syntheticCsv } from '../apps/training-orchestrator/src/testing/fixtures.js';
import { findPromtool, promtoolCheck } from './promtool.js';

let gw: TestGateway;
let editor: { authorization: string };
const workers: OrchestratorHandle[] = [];
const P = '/v1/projects/growth';
const json = (res: { body: string }) => JSON.parse(res.body);

interface SseEvent {
  id: number;
  event: string;
  data: Record<string, unknown>;
}

function parseSse(body: string): SseEvent[] {
  const out: SseEvent[] = [];
  for (const block of body.split('\n\n')) {
    const lines = block.split('\n');
    const id = lines.find((l) => l.startsWith('id: '));
    const ev = lines.find((l) => l.startsWith('event: '));
    const data = lines.find((l) => l.startsWith('data: '));
    if (id && ev && data) out.push({ id: Number(id.slice(4)), event: ev.slice(7), data: JSON.parse(data.slice(6)) });
  }
  return out;
}

const baseSpec = (over: Record<string, unknown> = {}) => ({
  modelName: 'churn',
  data: { dataset: 'customers', version: 1 },
  label: 'churned',
  features: [
    { name: 'age', type: 'numeric', transform: 'standardize' },
    { name: 'income', type: 'numeric', transform: 'minmax' },
    { name: 'city', type: 'categorical', transform: 'vocabulary' },
  ],
  model: { kind: 'logistic' },
  split: { method: 'random', fractions: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 11 },
  device: 'cpu',
  maxEpochs: 3,
  batchSize: 32,
  optimizer: { kind: 'adam', lr: 0.05 },
  seed: 5,
  ...over,
});

async function submit(spec: Record<string, unknown>) {
  return gw.app.inject({ method: 'POST', url: `${P}/training-jobs`, headers: editor, payload: spec });
}

async function getJob(id: string) {
  return json(await gw.app.inject({ url: `${P}/training-jobs/${id}`, headers: editor }));
}

async function waitForJob(id: string, done: (job: any) => boolean, timeoutMs = 60_000, everyMs = 50): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(id);
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id}: condition not met after ${timeoutMs} ms (status ${job.status}, error ${job.error})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
const finished = (j: any) => ['succeeded', 'failed', 'cancelled'].includes(j.status);

beforeAll(async () => {
  gw = await createTestGateway();
  await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'growth' } });
  const key = await gw.app.inject({ method: 'POST', url: `${P}/api-keys`, headers: gw.adminAuth, payload: { name: 'ci', role: 'editor' } });
  editor = { authorization: `Bearer ${json(key).secret}` };
  // The dataset goes through the real upload path: streamed CSV, profiled, schema recorded.
  expect((await gw.app.inject({ method: 'POST', url: `${P}/datasets`, headers: editor, payload: { name: 'customers' } })).statusCode).toBe(201);
  const upload = await gw.app.inject({
    method: 'POST',
    url: `${P}/datasets/customers/versions`,
    headers: { ...editor, 'content-type': 'text/csv' },
    payload: Readable.from([Buffer.from(syntheticCsv(360))]),
  });
  expect(upload.statusCode, upload.body).toBe(201);
  const config = { cores: 2, leaseTtlMs: 3000, pollIntervalMs: 100, cancelPollMs: 200 };
  // As in the all-in-one process: the worker's training metrics join the gateway's registry (its /metrics).
  workers.push(await startOrchestrator(defaultOrchestratorConfig({ ...config, workerId: 'http-w1' }), { catalog: gw.catalog, artifacts: gw.artifacts, registry: gw.services.registry }));
});

afterAll(async () => {
  for (const w of workers) await w.stop();
  await gw?.close();
});

describe('training jobs over HTTP', () => {
  it('spec → job → model version with holdout metrics, lineage and a loadable bundle', async () => {
    const res = await submit(baseSpec());
    expect(res.statusCode, res.body).toBe(201);
    const created = json(res);
    expect(created).toMatchObject({ status: 'queued', modelName: 'churn', type: 'train', waitingReason: null });
    const job = await waitForJob(created.id, finished);
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    expect(job.checkpointEpoch).toBe(3);
    expect(job.metrics.epochs.map((e: any) => e.epoch)).toEqual([1, 2, 3]);
    expect(job.metrics.test.auc).toBeGreaterThan(0.8);
    // The job's log names the backend that trained it: the native one wherever its addon built (it
    // builds at npm install on these machines, so CI must see it), otherwise the reason it did not.
    const { nativeCpuStatus } = await import('@atelier/engine-cpu');
    const native = nativeCpuStatus();
    const logs = (await gw.catalog.trainingJobs.listEvents(job.id)).filter((e) => e.type === 'log').map((e) => String(e.payload.message));
    expect(logs).toContain(native.loaded ? `engine backend: native-cpu (${native.isa}, ${native.threads} thread${native.threads === 1 ? '' : 's'})` : `engine backend: TypeScript (native-cpu unavailable: ${native.reason})`);
    if (process.env.CI) expect(native, 'the native addon must build and load in CI').toMatchObject({ loaded: true });

    // The version is visible through the registry API with the holdout metrics and lineage.
    const version = await gw.app.inject({ url: `${P}/models/churn/versions/1`, headers: editor });
    expect(version.statusCode, version.body).toBe(200);
    const v = json(version);
    expect(v.metrics.auc).toBe(job.metrics.test.auc);
    expect(v.metrics.accuracy).toBeGreaterThan(0.7);
    expect(v.lineage).toMatchObject({ trainingJobId: job.id, seed: 5, dataset: { dataset: 'customers', version: 1 } });
    expect(v.id).toBe(job.modelVersionId);
    // Bytes first, row after: the bundle is there, complete, with the recorded hash.
    const row = await gw.catalog.models.getVersionById(job.modelVersionId);
    const stat = await gw.artifacts.stat(row.bundleKey);
    expect(stat?.size).toBe(row.bundleSize);
    expect(stat?.sha256).toBe(row.bundleSha256);
    const list = json(await gw.app.inject({ url: `${P}/training-jobs?status=succeeded`, headers: editor }));
    expect(list.items.map((j: any) => j.id)).toContain(job.id);
  });

  it('trains a minimal spec with the defaults (no transforms, epochs, optimizer or split) and stores the holdout evaluation with curves and importance', async () => {
    const res = await submit({
      modelName: 'churn-defaults',
      data: { dataset: 'customers', version: 1 },
      label: 'churned',
      features: [
        { name: 'age', type: 'numeric' },
        { name: 'income', type: 'numeric' },
        { name: 'city', type: 'categorical' },
      ],
      model: { kind: 'logistic' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const job = await waitForJob(json(res).id, finished, 300_000, 200);
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    // ~250 train rows (the hash split's share of 360) = 2 or 3 steps a pass of 128: a reported epoch is as
    // many whole passes as reach 20 optimizer steps between validations; early stopping counts its
    // patience in steps and the best weights come back at the end.
    const stepsPerPass = Math.ceil(job.metrics.rows.train / 128);
    expect(stepsPerPass).toBeGreaterThan(1);
    expect(job.metrics.epochs[0].steps).toBe(Math.ceil(20 / stepsPerPass) * stepsPerPass);
    expect(job.metrics.epochsCompleted).toBeGreaterThan(10);
    expect(job.metrics.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(job.metrics.test.auc).toBeGreaterThan(0.8);
    const lrs = job.metrics.epochs.map((e: any) => e.lr);
    expect(lrs[lrs.length - 1]).toBeLessThan(lrs[0]); // the cosine schedule decays the step size
    // The bundle's preprocessing says what the defaults were: robust scaling and a vocabulary.
    const { loadBundle } = await import('@atelier/engine');
    const row = await gw.catalog.models.getVersionById(job.modelVersionId);
    const manifest = loadBundle(new Uint8Array(await gw.artifacts.getBytes(row.bundleKey))).manifest as any;
    const byName = Object.fromEntries(manifest.preprocessing.features.map((f: any) => [f.spec.name, f]));
    expect(byName.age.spec.transform).toBe('robust');
    expect(byName.age.state).toMatchObject({ kind: 'dense', clip: 5 });
    expect(byName.city.spec.transform).toBe('vocabulary');
    // Evaluation after training fills what on-demand evaluation fills, visible through the registry.
    const list = json(await gw.app.inject({ url: `${P}/models/churn-defaults/versions/1/evaluations`, headers: editor }));
    expect(list.items).toHaveLength(1);
    const evaluation = list.items[0];
    expect(evaluation).toMatchObject({ status: 'completed', split: 'holdout' });
    expect(evaluation.metrics.auc).toBe(job.metrics.test.auc);
    expect(evaluation.curves.roc.fpr.length).toBeGreaterThan(2);
    expect(evaluation.curves.pr.precision.length).toBeGreaterThan(2);
    expect(evaluation.curves.calibration.counts.reduce((a: number, b: number) => a + b, 0)).toBe(evaluation.metrics.count);
    expect(evaluation.featureImportance.map((f: any) => f.feature).sort()).toEqual(['age', 'city', 'income']);
    expect(evaluation.featureImportance.some((f: any) => f.importance > 0)).toBe(true);
  });

  it('exposes training metrics in /metrics: jobs by state, queue depth and wait, job and epoch durations (promtool-clean)', async () => {
    // After the job above: one train job waited in the queue, ran to success, and ran 3 epochs. The
    // worker records the attempt's duration just after the job row turns succeeded: poll for it.
    const done = 'atelier_training_job_duration_seconds_count{type="train",outcome="succeeded"}';
    const find = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text)?.[1]);
    const deadline = Date.now() + 10_000;
    let text = '';
    for (;;) {
      const res = await gw.app.inject({ url: '/metrics' });
      expect(res.statusCode).toBe(200);
      text = res.body;
      if (find(text, done) >= 1 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const value = (series: string) => find(text, series);
    expect(value('atelier_training_jobs{state="succeeded"}')).toBeGreaterThanOrEqual(1);
    expect(value('atelier_training_jobs{state="queued"}')).toBe(0);
    expect(value('atelier_training_queue_depth')).toBe(0);
    expect(value('atelier_training_queue_wait_seconds_count{type="train"}')).toBeGreaterThanOrEqual(1);
    expect(value('atelier_training_job_duration_seconds_count{type="train",outcome="succeeded"}')).toBeGreaterThanOrEqual(1);
    expect(value('atelier_training_epoch_seconds_count{kind="logistic"}')).toBeGreaterThanOrEqual(3);
    expect(value('atelier_training_epoch_seconds_sum{kind="logistic"}')).toBeGreaterThan(0);
    const promtool = findPromtool();
    if (promtool) expect(promtoolCheck(promtool, text)).toEqual({ status: 0, output: '' });
  });

  it('reproduces the same metrics for the same spec, seed and data (and two racing workers never run a job twice)', async () => {
    workers.push(
      await startOrchestrator(defaultOrchestratorConfig({ workerId: 'http-w2', cores: 2, leaseTtlMs: 3000, pollIntervalMs: 100 }), {
        catalog: gw.catalog,
        artifacts: gw.artifacts,
      }),
    );
    const spec = baseSpec({ modelName: 'churn-mlp', model: { kind: 'mlp', hyperparameters: { hiddenUnits: [8], dropout: 0.1 } }, maxEpochs: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(json(await submit(spec)).id);
    const jobs = await Promise.all(ids.map((id) => waitForJob(id, finished)));
    for (const j of jobs) expect(j.status, j.error).toBe('succeeded');
    // Each job ran exactly once: one claim, one 'running' state event, one model version each.
    for (const j of jobs) {
      expect(j.attempts).toBe(1);
      const events = await gw.catalog.trainingJobs.listEvents(j.id);
      expect(events.filter((e) => e.type === 'state' && e.payload.status === 'running')).toHaveLength(1);
    }
    expect(new Set(jobs.map((j) => j.modelVersionId)).size).toBe(4);
    // Same spec + seed + data on the same backend → identical metrics, epoch by epoch.
    const first = jobs[0].metrics;
    for (const j of jobs.slice(1)) {
      expect(j.metrics.test).toEqual(first.test);
      expect(j.metrics.epochs.map((e: any) => [e.trainLoss, e.validation])).toEqual(first.epochs.map((e: any) => [e.trainLoss, e.validation]));
    }
    const versions = await Promise.all(jobs.map((j) => gw.catalog.models.getVersionById(j.modelVersionId)));
    expect(new Set(versions.map((v) => v.bundleSha256)).size).toBe(1);
  });

  it('runs evaluate jobs queued by the registry: slices, importance, and the gate against production', async () => {
    // churn-mlp v1…v4 come from the reproducibility test: identical bundles, so v2 cannot regress vs v1.
    const model = await gw.catalog.models.getByName((await gw.catalog.projects.findByName('growth'))!.id, 'churn-mlp');
    const v1 = await gw.catalog.models.getVersion(model.id, 1);
    await gw.catalog.models.setAlias(model.id, 'production', v1.id, null);
    const queued = await gw.app.inject({
      method: 'POST',
      url: `${P}/models/churn-mlp/versions/2/evaluations`,
      headers: editor,
      payload: { dataset: { name: 'customers', version: 1 }, sliceColumn: 'city', gate: [{ metric: 'auc', direction: 'higher_is_better', maxRegression: 0 }] },
    });
    expect(queued.statusCode, queued.body).toBe(202);
    const job = await waitForJob(json(queued).jobId, finished);
    expect(job.error).toBeNull();
    expect(job).toMatchObject({ status: 'succeeded', type: 'evaluate' });
    const list = json(await gw.app.inject({ url: `${P}/models/churn-mlp/versions/2/evaluations`, headers: editor }));
    // Newest first: this evaluation, then the holdout evaluation training recorded with the version.
    expect(list.items.map((e: any) => e.split)).toEqual(['all', 'holdout']);
    const evaluation = list.items[0];
    expect(evaluation).toMatchObject({ status: 'completed', verdict: 'blessed', baselineVersion: 1, split: 'all' });
    expect(evaluation.metrics.count).toBe(360);
    expect(evaluation.metrics.auc).toBeGreaterThan(0.8);
    expect(evaluation.slices.column).toBe('city');
    expect(evaluation.slices.values.map((s: any) => s.value).sort()).toEqual(['lille', 'lyon', 'nice', 'paris']);
    expect(evaluation.featureImportance.map((f: any) => f.feature).sort()).toEqual(['age', 'city', 'income']);
    expect(evaluation.comparison.auc.delta).toBe(0);
    expect(evaluation.curves.roc.fpr.length).toBeGreaterThan(2);
  });

  it('names every bad field of a spec at once', async () => {
    const res = await submit(
      baseSpec({
        label: 'no_such_label',
        features: [
          { name: 'age', type: 'numeric', transform: 'standardize' },
          { name: 'ghost', type: 'numeric', transform: 'standardize' },
          { name: 'income', type: 'categorical', transform: 'vocabulary' },
          { name: 'city', type: 'categorical', transform: 'hash' },
        ],
        model: { kind: 'mlp', hyperparameters: { hiddenUnits: [8], learningRate: 0.1, dropout: 2 } },
        split: { method: 'time', fractions: { train: 0.5, validation: 0.3, test: 0.3 }, timeColumn: 'city' },
        earlyStopping: { metric: 'rmse', patience: 2 },
      }),
    );
    expect(res.statusCode).toBe(400);
    const problem = json(res);
    expect(problem.code).toBe('ATL_VALIDATION_FAILED');
    const fields = problem.errors.map((e: any) => e.field).sort();
    expect(fields).toEqual(
      [
        '/body/earlyStopping/metric',
        '/body/features/1/name',
        '/body/features/2/type',
        '/body/features/3/options/hashBuckets',
        '/body/label',
        '/body/model/hyperparameters/dropout',
        '/body/model/hyperparameters/learningRate',
        '/body/split/fractions',
        '/body/split/timeColumn',
      ].sort(),
    );
    expect(problem.errors.find((e: any) => e.field === '/body/features/1/name').message).toContain("'ghost' is not in customers v1");
    expect(problem.errors.find((e: any) => e.field === '/body/model/hyperparameters/learningRate').message).toBe('is not a known field for this model kind');
    // Unknown top-level fields and bad kinds are caught by the schema, also all at once.
    const schemaRes = await submit({ ...baseSpec({ model: { kind: 'forest' } }), epochs: 3 });
    expect(schemaRes.statusCode).toBe(400);
    const schemaFields = json(schemaRes).errors.map((e: any) => e.field);
    expect(schemaFields).toContain('/body/epochs');
    expect(schemaFields.some((f: string) => f.startsWith('/body/model/kind'))).toBe(true);
    // A missing dataset version is named too.
    const missing = await submit(baseSpec({ data: { dataset: 'customers', version: 9 } }));
    expect(json(missing).errors).toEqual([{ field: '/body/data/version', message: "dataset 'customers' has no version 9" }]);
  });

  it('accepts a gpu job with no GPU worker online and says why it waits', async () => {
    const res = await submit(baseSpec({ device: 'gpu', modelName: 'churn-gpu' }));
    expect(res.statusCode).toBe(201);
    const job = json(res);
    expect(job.status).toBe('queued');
    expect(job.waitingReason).toMatch(/^no GPU worker is online; /);
    // CPU-only workers leave it alone.
    await new Promise((r) => setTimeout(r, 500));
    const again = await getJob(job.id);
    expect(again).toMatchObject({ status: 'queued', attempts: 0 });
    expect(again.waitingReason).toMatch(/no GPU worker/);
    const cancelled = json(await gw.app.inject({ method: 'POST', url: `${P}/training-jobs/${job.id}/cancel`, headers: editor }));
    expect(cancelled.status).toBe('cancelled');
  });

  it('cancels a running job within a second; the stream replays from Last-Event-ID', async () => {
    const spec = baseSpec({ modelName: 'churn-long', model: { kind: 'mlp', hyperparameters: { hiddenUnits: [64, 64] } }, maxEpochs: 400, batchSize: 8 });
    const id = json(await submit(spec)).id;
    // An SSE client attached while the job runs gets the events live, until the job ends.
    const live = gw.app.inject({ url: `${P}/training-jobs/${id}/events`, headers: editor });
    await waitForJob(id, (j) => j.status === 'running' && (j.metrics.epoch ?? 0) >= 1, 60_000, 20);
    const t0 = Date.now();
    const res = await gw.app.inject({ method: 'POST', url: `${P}/training-jobs/${id}/cancel`, headers: editor });
    expect(res.statusCode).toBe(200);
    const job = await waitForJob(id, finished, 10_000, 10);
    const elapsed = Date.now() - t0;
    expect(job.status).toBe('cancelled');
    expect(elapsed).toBeLessThan(1000);
    expect(job.metrics.epochs.length).toBeLessThan(400);

    const stream = await live;
    expect(stream.headers['content-type']).toContain('text/event-stream');
    const all = parseSse(stream.body);
    expect(all[0]).toMatchObject({ event: 'state', data: { status: 'queued' } });
    expect(all.some((e) => e.event === 'state' && e.data.status === 'running')).toBe(true);
    expect(all.some((e) => e.event === 'metric' && e.data.epoch === 1)).toBe(true);
    expect(all.at(-1)).toMatchObject({ event: 'state', data: { status: 'cancelled' } });
    const ids = all.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    // Resume: only what came after the given id, in order, then the stream ends (job is finished).
    const cut = all[2].id;
    const resumed = parseSse((await gw.app.inject({ url: `${P}/training-jobs/${id}/events`, headers: { ...editor, 'last-event-id': String(cut) } })).body);
    expect(resumed.map((e) => e.id)).toEqual(ids.filter((x) => x > cut));
    expect(resumed[0].id).toBeGreaterThan(cut);
  });

  it('fails a diverging job with the reason, without retrying it', async () => {
    const res = await submit(
      baseSpec({
        modelName: 'spend-diverges',
        label: 'spend',
        features: [{ name: 'income', type: 'numeric', transform: 'none' }],
        model: { kind: 'linear' },
        optimizer: { kind: 'sgd', lr: 1e6 },
        maxEpochs: 5,
      }),
    );
    const job = await waitForJob(json(res).id, finished);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^training diverged: loss is (NaN|Infinity|-Infinity) at epoch \d+/);
    expect(job.attempts).toBe(1);
    expect(job.modelVersionId).toBeNull();
    const events = parseSse((await gw.app.inject({ url: `${P}/training-jobs/${job.id}/events`, headers: editor })).body);
    expect(events.at(-1)).toMatchObject({ event: 'state', data: { status: 'failed' } });
    expect(String(events.at(-1)!.data.error)).toContain('training diverged');
  });

  it('404s unknown jobs, refuses viewers, and documents the routes in OpenAPI', async () => {
    const doc = json(await gw.app.inject({ url: '/openapi.json' }));
    for (const path of ['/v1/projects/{project}/training-jobs', '/v1/projects/{project}/training-jobs/{id}', '/v1/projects/{project}/training-jobs/{id}/cancel', '/v1/projects/{project}/training-jobs/{id}/events']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const missing = await gw.app.inject({ url: `${P}/training-jobs/00000000-0000-4000-8000-000000000000`, headers: editor });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).code).toBe('ATL_TRAINING_JOB_NOT_FOUND');
    const key = await gw.app.inject({ method: 'POST', url: `${P}/api-keys`, headers: gw.adminAuth, payload: { name: 'ro', role: 'viewer' } });
    const viewer = { authorization: `Bearer ${json(key).secret}` };
    expect((await gw.app.inject({ method: 'POST', url: `${P}/training-jobs`, headers: viewer, payload: baseSpec() })).statusCode).toBe(403);
  });
});
