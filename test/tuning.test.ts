// Tuning jobs end to end over the gateway's HTTP API: submit-time validation naming every bad field;
// an aging-evolution study with ASHA (mlp on a small dataset, 8 trials, parallelism 2) run by an
// orchestrator's tuning controller — trials are training jobs with lineage to the study, never more
// than 2 at once, the best trial registered as the only version, SSE events and /metrics; project
// isolation; cancel; and a controller PROCESS killed with SIGKILL mid-study, resumed by another worker
// with every completed trial kept and no trial index created twice. Needs Postgres (two processes).
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '../packages/artifacts/src/index.js';
import type { Catalog } from '../packages/catalog/src/index.js';
import { buildGatewayApp, type GatewayServices } from '../apps/gateway/src/index.js';
import { bundlePredictFn, start as startOrchestrator, defaultOrchestratorConfig, type OrchestratorHandle } from '../apps/training-orchestrator/src/index.js';
import { syntheticCsv } from '../apps/training-orchestrator/src/testing/fixtures.js';
import { poll as pollEvery, spawnWorkerProcess, type WorkerProcess } from './worker-process.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './database.js';
import { TEST_ADMIN_KEY } from './gateway.js';

const availability = postgresAvailability();
const LEASE_MS = 1500;
const P = '/v1/projects/tune';

let db: TestDatabase;
let catalog: Catalog;
let artifacts: FilesystemArtifactStore;
let dataDir: string;
let app: FastifyInstance;
let services: GatewayServices;
let editor: { authorization: string };
let outsider: { authorization: string };
const workers: OrchestratorHandle[] = [];
const children: ChildProcess[] = [];
const json = (res: { body: string }) => JSON.parse(res.body);

const base = (over: Record<string, unknown> = {}) => ({
  modelName: 'churn',
  data: { dataset: 'customers', version: 1 },
  label: 'churned',
  features: [
    { name: 'age', type: 'numeric', transform: 'standardize' },
    { name: 'income', type: 'numeric', transform: 'standardize' },
    { name: 'city', type: 'categorical', transform: 'vocabulary' },
  ],
  model: { kind: 'mlp' },
  split: { method: 'random', fractions: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 3 },
  device: 'cpu',
  maxEpochs: 6,
  batchSize: 32,
  optimizer: { kind: 'adam', lr: 0.01 },
  seed: 1,
  ...over,
});

const study = (over: Record<string, unknown> = {}) => ({
  base: base(),
  searchSpace: [
    { path: '/optimizer/lr', type: 'float', min: 0.001, max: 0.1, scale: 'log' },
    { path: '/model/kind', type: 'choice', values: ['mlp', 'logistic'] },
    { path: '/model/hyperparameters/hiddenUnits', type: 'choice', values: [[8], [16, 8]], when: { path: '/model/kind', in: ['mlp'] } },
    { path: '/batchSize', type: 'int', min: 16, max: 64, scale: 'log' },
  ],
  strategy: { kind: 'aging_evolution', populationSize: 3, sampleSize: 2 },
  earlyStopping: { kind: 'asha', minEpochs: 2, reductionFactor: 2 },
  objective: { metric: 'auc' },
  maxTrials: 8,
  parallelism: 2,
  seed: 4,
  ...over,
});

const poll = <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 240_000, everyMs = 100) => pollEvery(what, fn, timeoutMs, everyMs);

const getStudy = async (id: string) => json(await app.inject({ url: `${P}/tuning-jobs/${id}`, headers: editor }));
const finished = (s: { status: string }) => ['succeeded', 'failed', 'cancelled'].includes(s.status);

function parseSse(body: string): Array<{ id: number; event: string; data: Record<string, any> }> {
  const out = [];
  for (const block of body.split('\n\n')) {
    const lines = block.split('\n');
    const id = lines.find((l) => l.startsWith('id: '));
    const ev = lines.find((l) => l.startsWith('event: '));
    const data = lines.find((l) => l.startsWith('data: '));
    if (id && ev && data) out.push({ id: Number(id.slice(4)), event: ev.slice(7), data: JSON.parse(data.slice(6)) });
  }
  return out;
}

function spawnWorker(workerId: string): WorkerProcess {
  const worker = spawnWorkerProcess({
    DATABASE_URL: db.databaseUrl,
    ATELIER_DATA_DIR: dataDir,
    ATELIER_WORKER_ID: workerId,
    ATELIER_WORKER_CORES: '2',
    ATELIER_WORKER_CONCURRENCY: '2',
    ATELIER_LEASE_TTL_MS: String(LEASE_MS),
  });
  children.push(worker.child);
  return worker;
}

/** The largest number of trials whose [startedAt, finishedAt] intervals overlap at one instant. */
function maxOverlap(trials: Array<{ job: { startedAt: string | null; finishedAt: string | null } }>): number {
  const points: Array<[number, number]> = [];
  for (const t of trials) {
    if (!t.job.startedAt) continue;
    points.push([Date.parse(t.job.startedAt), 1], [t.job.finishedAt ? Date.parse(t.job.finishedAt) : Infinity, -1]);
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of points) max = Math.max(max, (now += d));
  return max;
}

describe.skipIf('skip' in availability)('tuning jobs over HTTP', () => {
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    catalog = await db.openCatalog();
    dataDir = mkdtempSync(join(tmpdir(), 'atelier-tuning-'));
    artifacts = new FilesystemArtifactStore({ rootDir: join(dataDir, 'artifacts') });
    ({ app, services } = await buildGatewayApp({ jsonBodyLimitBytes: 1024 * 1024, authCacheTtlMs: 5000, logLevel: 'silent' }, { catalog, artifacts, logger: false }));
    await services.apiKeys.bootstrapAdmin(TEST_ADMIN_KEY);
    const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
    for (const name of ['tune', 'other']) await app.inject({ method: 'POST', url: '/v1/projects', headers: admin, payload: { name } });
    editor = { authorization: `Bearer ${json(await app.inject({ method: 'POST', url: `${P}/api-keys`, headers: admin, payload: { name: 'ci', role: 'editor' } })).secret}` };
    outsider = { authorization: `Bearer ${json(await app.inject({ method: 'POST', url: '/v1/projects/other/api-keys', headers: admin, payload: { name: 'ci', role: 'admin' } })).secret}` };
    expect((await app.inject({ method: 'POST', url: `${P}/datasets`, headers: editor, payload: { name: 'customers' } })).statusCode).toBe(201);
    const upload = await app.inject({
      method: 'POST',
      url: `${P}/datasets/customers/versions`,
      headers: { ...editor, 'content-type': 'text/csv' },
      payload: Readable.from([Buffer.from(syntheticCsv(400))]),
    });
    expect(upload.statusCode, upload.body).toBe(201);
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const w of workers) await w.stop();
    await app?.close();
    await artifacts?.close();
    await catalog?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a bad study at submit, naming every bad field', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${P}/tuning-jobs`,
      headers: editor,
      payload: study({
        base: base({ label: 'nope' }),
        searchSpace: [
          { path: '/optimizer/lr', type: 'float', min: 0, max: 0.1, scale: 'log' },
          { path: '/model/hyperparameters/dropout', type: 'float', min: 0.5, max: 0.1 },
          { path: '/data/version', type: 'int', min: 1, max: 2 },
          { path: '/model/hyperparameters/hiddenUnits', type: 'choice', values: [[8]], when: { path: '/model/kind', in: ['mlp'] } },
        ],
        strategy: { kind: 'aging_evolution', populationSize: 2, sampleSize: 5 },
        objective: { metric: 'rmse' },
      }),
    });
    expect(res.statusCode, res.body).toBe(400);
    const fields = json(res).errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(
      ['/body/base/label', '/body/objective/metric', '/body/searchSpace/0/min', '/body/searchSpace/1/max', '/body/searchSpace/2/path', '/body/searchSpace/3/when/path', '/body/strategy/sampleSize'].sort(),
    );

    // A sound space whose values make trials the platform would refuse: named per parameter.
    const bad = await app.inject({
      method: 'POST',
      url: `${P}/tuning-jobs`,
      headers: editor,
      payload: study({
        searchSpace: [
          { path: '/model/hyperparameters/activation', type: 'choice', values: ['relu', 'bogus'] },
          { path: '/model/hyperparameters/nope', type: 'int', min: 1, max: 3 },
          { path: '/batchSize', type: 'int', min: 0, max: 8 },
        ],
      }),
    });
    expect(bad.statusCode, bad.body).toBe(400);
    const problems = json(bad).errors as Array<{ field: string; message: string }>;
    expect(problems.map((e) => e.field).sort()).toEqual(['/body/searchSpace/0', '/body/searchSpace/1', '/body/searchSpace/2']);
    expect(problems.find((e) => e.field === '/body/searchSpace/0')!.message).toContain('"bogus"');

    // A base hyperparameter that another searched kind does not take: the trial that switches kind is named.
    const trap = await app.inject({
      method: 'POST',
      url: `${P}/tuning-jobs`,
      headers: editor,
      payload: study({ base: base({ model: { kind: 'mlp', hyperparameters: { hiddenUnits: [8] } } }) }),
    });
    expect(trap.statusCode, trap.body).toBe(400);
    expect(json(trap).errors).toEqual([
      { field: '/body/searchSpace/2', message: expect.stringContaining('a trial with /model/kind = "logistic" would be refused: /model/hyperparameters/hiddenUnits is not a known field') },
    ]);

    // Schema errors (strategy, maxTrials) are 400s with their fields too.
    const schema = await app.inject({ method: 'POST', url: `${P}/tuning-jobs`, headers: editor, payload: { ...study(), maxTrials: 0, strategy: { kind: 'grid' } } });
    expect(schema.statusCode).toBe(400);
    expect(JSON.stringify(json(schema).errors)).toContain('/body/maxTrials');
  }, 400_000);

  it('runs an aging-evolution study with ASHA: trials are training jobs, at most 2 at once, the best registered', async () => {
    workers.push(
      await startOrchestrator(defaultOrchestratorConfig({ workerId: 'tune-w1', cores: 4, concurrency: 4, leaseTtlMs: 3000, pollIntervalMs: 100, cancelPollMs: 100 }), {
        catalog,
        artifacts,
        registry: services.registry,
      }),
    );
    const res = await app.inject({ method: 'POST', url: `${P}/tuning-jobs`, headers: editor, payload: study() });
    expect(res.statusCode, res.body).toBe(201);
    const created = json(res);
    expect(res.headers.location).toBe(`${P}/tuning-jobs/${created.id}`);
    expect(created).toMatchObject({ status: 'queued', modelName: 'churn', spec: { objective: { metric: 'auc', direction: 'maximize' }, parallelism: 2, maxTrials: 8 } });

    // Another project sees nothing of it.
    expect((await app.inject({ url: `/v1/projects/other/tuning-jobs/${created.id}`, headers: outsider })).statusCode).toBe(404);
    expect((await app.inject({ url: `${P}/tuning-jobs/${created.id}`, headers: outsider })).statusCode).toBe(403);

    const done = await poll('the study to finish', async () => {
      const s = await getStudy(created.id);
      return finished(s) ? s : undefined;
    });
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');

    const trials = json(await app.inject({ url: `${P}/tuning-jobs/${created.id}/trials`, headers: editor })).items;
    expect(trials.map((t: { trial: number }) => t.trial)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const t of trials) {
      expect(t.job).toMatchObject({ tuningJobId: created.id, trial: t.trial, modelName: 'churn' });
      // Each trial trains its point: the spec has the params at their paths; conditionals respected.
      expect(t.job.spec.optimizer.lr).toBe(t.params['/optimizer/lr']);
      expect(t.job.spec.model.kind).toBe(t.params['/model/kind']);
      expect('/model/hyperparameters/hiddenUnits' in t.params).toBe(t.params['/model/kind'] === 'mlp');
      expect(t.params['/batchSize']).toBeGreaterThanOrEqual(16);
      expect(t.params['/optimizer/lr']).toBeLessThanOrEqual(0.1);
      expect(['succeeded', 'stopped']).toContain(t.state);
      if (t.state === 'stopped') expect(t.stop).toMatchObject({ rung: expect.any(Number), epoch: expect.any(Number) });
    }
    expect(maxOverlap(trials)).toBeLessThanOrEqual(2);
    // ASHA (rungs at epochs 2 and 4 of 6, η = 2) stopped some trials at a rung, through the training jobs' cancel.
    const stopped = trials.filter((t: { state: string }) => t.state === 'stopped');
    expect(stopped.length).toBeGreaterThan(0);
    for (const t of stopped) {
      expect([2, 4]).toContain(t.stop.epoch);
      expect(t.stop.value).toBeLessThan(t.stop.cutoff);
    }

    // The best trial: the highest validation AUC among those that finished; registered as v1, the only version.
    const ok = trials.filter((t: { state: string }) => t.state === 'succeeded');
    const best = ok.reduce((a: any, b: any) => (b.objective > a.objective ? b : a));
    expect(done.bestTrial).toBe(best.trial);
    expect(done.bestObjective).toBe(best.objective);
    const versions = json(await app.inject({ url: `${P}/models/churn/versions`, headers: editor })).items;
    expect(versions).toHaveLength(1);
    expect(versions[0].id).toBe(done.modelVersionId);
    expect(versions[0].lineage).toMatchObject({ tuningJobId: created.id, trial: best.trial, trainingJobId: best.job.id, params: best.params });
    expect(versions[0].metrics.auc).toBe(best.job.metrics.test.auc);
    // The registered bundle is the best trial's model: its bytes load and predict probabilities.
    const row = await catalog.models.getVersionById(done.modelVersionId);
    const bytes = await artifacts.getBytes(row.bundleKey);
    expect(row.bundleSha256).toBe(best.job.metrics.trialBundle.sha256);
    const loaded = bundlePredictFn(bytes);
    const p = loaded.predict({ age: new Float64Array([40, 70]), income: new Float64Array([50, 20]), city: ['paris', 'lille'] }, 2);
    loaded.dispose();
    expect(p.length).toBeGreaterThanOrEqual(2);
    for (const v of p) expect(v).toBeGreaterThanOrEqual(0);

    // SSE: the whole story, replayable with Last-Event-ID.
    const sse = await app.inject({ url: `${P}/tuning-jobs/${created.id}/events`, headers: editor });
    expect(sse.headers['content-type']).toContain('text/event-stream');
    const events = parseSse(sse.body);
    const types = new Set(events.map((e) => e.event));
    for (const t of ['state', 'trial', 'population', 'best']) expect(types).toContain(t);
    expect(events.at(-1)).toMatchObject({ event: 'state', data: { status: 'succeeded', bestTrial: best.trial, modelVersionId: done.modelVersionId } });
    // Aging evolution: the first 3 trials are random, later ones mutations of a sampled parent.
    const queued = events.filter((e) => e.event === 'trial' && e.data.state === 'queued');
    expect(queued).toHaveLength(8);
    expect(queued.slice(0, 3).every((e) => e.data.origin === 'random')).toBe(true);
    for (const e of queued.filter((q) => q.data.origin === 'mutation')) expect(e.data.sample).toContain(e.data.parentTrial);
    // Population events never hold more than P = 3 members; once full, a join means the oldest died.
    for (const e of events.filter((x) => x.event === 'population')) {
      expect(e.data.members.length).toBeLessThanOrEqual(3);
      if (e.data.died !== null) expect(e.data.members).not.toContain(e.data.died);
    }
    const replay = parseSse((await app.inject({ url: `${P}/tuning-jobs/${created.id}/events`, headers: { ...editor, 'last-event-id': String(events[3].id) } })).body);
    expect(replay[0].id).toBe(events[4].id);

    // /metrics: studies and trials by state.
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/atelier_tuning_jobs\{state="succeeded"\} [1-9]/);
    expect(metrics).toMatch(/atelier_tuning_trials\{state="succeeded"\} [1-9]/);
    expect(metrics).toContain('atelier_tuning_trials_created_total');

    // The list shows it with trial counts.
    const list = json(await app.inject({ url: `${P}/tuning-jobs`, headers: editor })).items;
    expect(list[0]).toMatchObject({ id: created.id, status: 'succeeded' });
    expect(Object.values(list[0].trials as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(8);
  }, 400_000);

  it('cancels a running study: its trials stop and it ends cancelled', async () => {
    const res = await app.inject({ method: 'POST', url: `${P}/tuning-jobs`, headers: editor, payload: study({ base: base({ modelName: 'cancelled', maxEpochs: 200 }), earlyStopping: undefined, maxTrials: 6 }) });
    expect(res.statusCode, res.body).toBe(201);
    const id = json(res).id;
    await poll('a running trial', async () => ((await getStudy(id)).trials.running ? true : undefined));
    const cancel = await app.inject({ method: 'POST', url: `${P}/tuning-jobs/${id}/cancel`, headers: editor });
    expect(cancel.statusCode).toBe(200);
    const done = await poll('the study to be cancelled', async () => {
      const s = await getStudy(id);
      return finished(s) ? s : undefined;
    }, 60_000);
    expect(done.status).toBe('cancelled');
    const trials = json(await app.inject({ url: `${P}/tuning-jobs/${id}/trials`, headers: editor })).items;
    expect(trials.every((t: { job: { status: string } }) => ['cancelled', 'succeeded'].includes(t.job.status))).toBe(true);
    expect(trials.length).toBeLessThan(6);
    expect((await app.inject({ url: `${P}/models/cancelled/versions`, headers: editor })).statusCode).toBe(404);
  }, 400_000);

  it('resumes a study after its controller process is killed with SIGKILL: completed trials kept, none run twice', async () => {
    // Only the doomed process may claim: the in-process worker stops first.
    for (const w of workers.splice(0)) await w.stop();
    const doomed = spawnWorker('doomed');
    const res = await app.inject({ method: 'POST', url: `${P}/tuning-jobs`, headers: editor, payload: study({ base: base({ modelName: 'resumed' }), earlyStopping: undefined, maxTrials: 7, seed: 9 }) });
    expect(res.statusCode, res.body).toBe(201);
    const id = json(res).id;
    const atKill = await poll('the doomed controller to complete 2 trials', async () => {
      const s = await catalog.tuningJobs.get(id);
      if (s.status !== 'queued' && s.status !== 'running') throw new Error(`study ended early: ${s.status} ${s.error}\n${doomed.output()}`);
      const trials = await catalog.tuningJobs.trials(id);
      return s.leaseOwner === 'doomed' && trials.filter((t) => t.status === 'succeeded').length >= 2 ? trials : undefined;
    });
    doomed.child.kill('SIGKILL');
    await new Promise((r) => doomed.child.once('exit', r));
    const before = await catalog.tuningJobs.trials(id);
    expect(before.length).toBeLessThan(7);
    expect((await catalog.tuningJobs.get(id)).status).toBe('running');

    workers.push(await startOrchestrator(defaultOrchestratorConfig({ workerId: 'rescuer', cores: 2, concurrency: 2, leaseTtlMs: LEASE_MS, pollIntervalMs: 100, cancelPollMs: 100 }), { catalog, artifacts }));
    const done = await poll('the resumed study to finish', async () => {
      const s = await catalog.tuningJobs.get(id);
      return finished(s) ? s : undefined;
    });
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(done.attempts).toBeGreaterThanOrEqual(2);

    const after = await catalog.tuningJobs.trials(id);
    // Every index once, 0..6; the trials completed before the kill are the same rows, untouched.
    expect(after.map((t) => t.trialIndex)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const t of atKill.filter((x) => x.status === 'succeeded')) {
      const same = after.find((a) => a.id === t.id)!;
      expect(same.finishedAt).toEqual(t.finishedAt);
      expect(same.trialParams).toEqual(t.trialParams);
    }
    // Trials created before the kill keep their ids and points (none re-created).
    for (const t of before) expect(after.find((a) => a.trialIndex === t.trialIndex)!.id).toBe(t.id);
    expect(after.every((t) => t.status === 'succeeded')).toBe(true);
    // The study's log shows both controllers.
    const states = (await catalog.tuningJobs.listEvents(id, { type: 'state' })).map((e) => e.payload);
    expect(states.filter((s) => s.status === 'running').map((s) => s.worker)).toEqual(['doomed', 'rescuer']);
    const queuedEvents = (await catalog.tuningJobs.listEvents(id, { type: 'trial' })).filter((e) => e.payload.state === 'queued');
    expect(queuedEvents.map((e) => e.payload.trial)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const versions = json(await app.inject({ url: `${P}/models/resumed/versions`, headers: editor })).items;
    expect(versions).toHaveLength(1);
    expect(versions[0].lineage).toMatchObject({ tuningJobId: id, trial: done.bestTrialIndex });
  }, 400_000);
});
