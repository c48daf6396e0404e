// The orchestrator against a real database and filesystem artifacts, with real worker threads:
// a job runs to a model version whose bundle loads and predicts, checkpoints per epoch, and the same
// spec + seed + data reproduces the same metrics.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '@atelier/artifacts';
import type { Catalog, TrainingJob } from '@atelier/catalog';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { bundlePredictFn } from './evaluation-core.js';
import { defaultOrchestratorConfig } from './orchestrator.config.js';
import { start, type OrchestratorHandle } from './orchestrator.js';
import { storeCsvDatasetVersion, syntheticCsv } from './testing/fixtures.js';

let db: TestDatabase;
let catalog: Catalog;
let artifacts: FilesystemArtifactStore;
let dir: string;
let projectId: string;
let orchestrator: OrchestratorHandle;

async function waitFor(jobId: string, statuses: string[], timeoutMs = 60_000): Promise<TrainingJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await catalog.trainingJobs.get(jobId);
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms (error: ${job.error})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const spec = (over: Record<string, unknown> = {}) => ({
  modelName: 'churn',
  data: { dataset: 'customers', version: 1 },
  label: 'churned',
  features: [
    { name: 'age', type: 'numeric', transform: 'standardize' },
    { name: 'income', type: 'numeric', transform: 'standardize' },
    { name: 'city', type: 'categorical', transform: 'vocabulary' },
  ],
  model: { kind: 'logistic' },
  maxEpochs: 4,
  batchSize: 32,
  optimizer: { kind: 'adam', lr: 0.05 },
  seed: 3,
  ...over,
});

beforeAll(async () => {
  db = await createTestDatabase();
  catalog = await db.openCatalog();
  dir = mkdtempSync(join(tmpdir(), 'atelier-orch-'));
  artifacts = new FilesystemArtifactStore({ rootDir: dir });
  projectId = (await catalog.projects.create({ name: 'orch' })).id;
  await storeCsvDatasetVersion(catalog, artifacts, projectId, 'customers', syntheticCsv(300));
  orchestrator = await start(defaultOrchestratorConfig({ workerId: 'w-unit', cores: 2, leaseTtlMs: 3000, pollIntervalMs: 100 }), { catalog, artifacts });
});

afterAll(async () => {
  await orchestrator?.stop();
  await artifacts?.close();
  await catalog?.close();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('orchestrator', () => {
  it('trains a job into a model version whose bundle predicts, with epochs and checkpoints recorded', async () => {
    const job = await catalog.trainingJobs.create({ projectId, modelName: 'churn', spec: spec(), device: 'cpu' });
    const done = await waitFor(job.id, ['succeeded', 'failed']);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(done.checkpointEpoch).toBe(4);
    const version = await catalog.models.getVersionById(done.modelVersionId!);
    expect(version.metrics.auc).toBeGreaterThan(0.8);
    expect(version.lineage.trainingJobId).toBe(job.id);
    const bytes = await artifacts.getBytes(version.bundleKey);
    expect(bytes.length).toBe(version.bundleSize);
    const p = bundlePredictFn(bytes);
    const out = p.predict({ age: new Float64Array([70, 20]), income: new Float64Array([30, 110]), city: ['paris', 'lille'] }, 2);
    expect(out[0]).toBeGreaterThan(out[1]);
    p.dispose();
    const events = await catalog.trainingJobs.listEvents(job.id);
    expect(events.filter((e) => e.type === 'metric').map((e) => e.payload.epoch)).toEqual([1, 2, 3, 4]);
    expect(events.at(-1)!.payload.status).toBe('succeeded');
    // The checkpoint (weights + optimizer state) of a finished job is removed by its runner.
    const checkpoints = async () => {
      const keys: string[] = [];
      for await (const e of artifacts.list(`training-jobs/${job.id}/`)) keys.push(e.key);
      return keys;
    };
    await expect.poll(checkpoints, { timeout: 10_000 }).toEqual([]);
  });
});

describe('claimed specs', () => {
  it('fails a job whose stored spec the contracts refuse, naming every bad field, instead of running it', async () => {
    const bad = await catalog.trainingJobs.create({
      projectId,
      modelName: 'churn-bad',
      spec: spec({ modelName: 'churn-bad', batchSize: 'big', split: { method: 'random', fractions: { train: 2, validation: 0, test: 0 } }, extra: true }),
      device: 'cpu',
    });
    const hyper = await catalog.trainingJobs.create({
      projectId,
      modelName: 'churn-hyper',
      spec: spec({ modelName: 'churn-hyper', model: { kind: 'mlp', hyperparameters: { hiddenUnits: [0], bogus: 1 } } }),
      device: 'cpu',
    });
    const failed = await waitFor(bad.id, ['succeeded', 'failed']);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^the job's spec is invalid: /);
    for (const field of ['/batchSize', '/split/fractions/train', '/extra']) expect(failed.error).toContain(field);
    const failedHyper = await waitFor(hyper.id, ['succeeded', 'failed']);
    expect(failedHyper.status).toBe('failed');
    expect(failedHyper.error).toContain('/model/hyperparameters/hiddenUnits/0');
    expect(failedHyper.error).toContain('/model/hyperparameters/bogus is not a known field');
    expect(await catalog.models.findByName(projectId, 'churn-bad')).toBeUndefined();
  });
});

describe('lease loss', () => {
  it('stops the local run at once when the job is no longer its own, and writes nothing more', async () => {
    const job = await catalog.trainingJobs.create({
      projectId,
      modelName: 'churn-stolen',
      spec: spec({ modelName: 'churn-stolen', model: { kind: 'mlp', hyperparameters: { hiddenUnits: [64, 64] } }, maxEpochs: 300, batchSize: 8 }),
      device: 'cpu',
    });
    await waitFor(job.id, ['running']);
    const deadline = Date.now() + 30_000;
    while (((await catalog.trainingJobs.get(job.id)).checkpointEpoch ?? 0) < 1) {
      if (Date.now() > deadline) throw new Error('no checkpoint');
      await new Promise((r) => setTimeout(r, 25));
    }
    // Someone else settles the job (as an expired-lease sweep would): the worker must let go.
    const owner = (await catalog.trainingJobs.get(job.id)).leaseOwner!;
    await catalog.trainingJobs.finish(job.id, owner, { status: 'failed', error: 'taken away by the test' });
    const t0 = Date.now();
    while (orchestrator.running().includes(job.id)) {
      if (Date.now() - t0 > 5000) throw new Error('the worker kept running the job');
      await new Promise((r) => setTimeout(r, 20));
    }
    const eventsAtStop = (await catalog.trainingJobs.listEvents(job.id)).length;
    await new Promise((r) => setTimeout(r, 600));
    const after = await catalog.trainingJobs.get(job.id);
    expect(after).toMatchObject({ status: 'failed', error: 'taken away by the test', modelVersionId: null });
    expect((await catalog.trainingJobs.listEvents(job.id)).length).toBe(eventsAtStop);
    expect(await catalog.models.findByName(projectId, 'churn-stolen')).toBeUndefined();
  });
});

describe('resume and placement', () => {
  it('a run resumed from a decoded checkpoint ends bit-identical to an uninterrupted run', async () => {
    const { runTraining } = await import('./training-core.js');
    const { encodeCheckpoint, decodeCheckpoint } = await import('./checkpoint-codec.js');
    const n = 240;
    const r = (i: number) => ((Math.sin(i * 12.9898) * 43758.5453) % 1 + 1) % 1;
    const a = Float64Array.from({ length: n }, (_, i) => r(i) * 10);
    const b = Float64Array.from({ length: n }, (_, i) => r(i + 1000));
    const c = Array.from({ length: n }, (_, i) => ['x', 'y', 'z'][i % 3]);
    const y = Float64Array.from({ length: n }, (_, i) => (a[i] / 10 + b[i] + (i % 3) * 0.3 > 1.1 ? 1 : 0));
    const table = { numRows: n, columns: { a, b, c, y } };
    const s = spec({
      label: 'y',
      features: [
        { name: 'a', type: 'numeric', transform: 'standardize' },
        { name: 'b', type: 'numeric', transform: 'bucketize', options: { numBuckets: 4 } },
        { name: 'c', type: 'categorical', transform: 'hash', options: { hashBuckets: 8 } },
      ],
      model: { kind: 'mlp', hyperparameters: { hiddenUnits: [8], dropout: 0.2 } },
      earlyStopping: { metric: 'val_auc', patience: 50 },
      maxEpochs: 4,
    }) as never;
    const straight = await runTraining(s, table);
    let saved: Uint8Array | undefined;
    const first = await runTraining({ ...(s as object), maxEpochs: 2 } as never, table, {
      onCheckpoint: (ck) => {
        saved = encodeCheckpoint(ck);
      },
    });
    expect(first.epochsCompleted).toBe(2);
    const resumed = await runTraining(s, table, {}, decodeCheckpoint(Buffer.from(saved!)).checkpoint);
    expect(resumed.testMetrics).toEqual(straight.testMetrics);
    expect(Buffer.from(resumed.bundle!).equals(Buffer.from(straight.bundle!))).toBe(true);
  });

  it('never runs jobs whose cores sum above the worker cores', async () => {
    const narrow = await start(defaultOrchestratorConfig({ workerId: 'w-narrow', cores: 3, concurrency: 3, leaseTtlMs: 3000, pollIntervalMs: 50 }), {
      catalog,
      artifacts,
    });
    await orchestrator.stop(); // only the narrow worker claims now
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await catalog.trainingJobs.create({ projectId, modelName: 'churn', spec: spec({ resources: { cores: 2 }, maxEpochs: 2 }), device: 'cpu' })).id);
      }
      for (const id of ids) {
        const job = await waitFor(id, ['succeeded', 'failed']);
        expect(job.status).toBe('succeeded');
        // Claimed while cores were busy, but held (lease renewed) until they freed: never claimed twice.
        expect(job.attempts).toBe(1);
      }
      // Each job's compute runs between its first metric event and its final state: with 2 of 3 cores each, no overlap.
      const spans = await Promise.all(
        ids.map(async (id) => {
          const ev = await catalog.trainingJobs.listEvents(id);
          const start = ev.find((e) => e.type === 'log' && String(e.payload.message).startsWith('loaded'))!.at.getTime();
          return [start, ev.at(-1)!.at.getTime()] as const;
        }),
      );
      spans.sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
    } finally {
      await narrow.stop();
    }
  });

  it('rides out a flaky artifact store with retries and still commits a complete bundle', async () => {
    await orchestrator.stop();
    let puts = 0;
    let failures = 0;
    // Every other write fails once, as a dropped connection to S3 would.
    const flaky = new Proxy(artifacts, {
      get(target, prop, receiver) {
        if (prop === 'put') {
          return async (...args: Parameters<FilesystemArtifactStore['put']>) => {
            if (puts++ % 2 === 0) {
              failures++;
              throw Object.assign(new Error('socket hang up (simulated)'), { code: 'ECONNRESET' });
            }
            return target.put(...args);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const worker = await start(defaultOrchestratorConfig({ workerId: 'w-flaky', cores: 1, leaseTtlMs: 3000, pollIntervalMs: 50 }), { catalog, artifacts: flaky });
    try {
      const job = await catalog.trainingJobs.create({ projectId, modelName: 'churn-flaky', spec: spec({ modelName: 'churn-flaky', maxEpochs: 3 }), device: 'cpu' });
      const done = await waitFor(job.id, ['succeeded', 'failed']);
      expect(done.error).toBeNull();
      expect(done).toMatchObject({ status: 'succeeded', attempts: 1, checkpointEpoch: 3 });
      expect(failures).toBeGreaterThanOrEqual(4); // 3 checkpoints + 1 bundle, each failed once
      const version = await catalog.models.getVersionById(done.modelVersionId!);
      const stat = await artifacts.stat(version.bundleKey);
      expect(stat).toMatchObject({ size: version.bundleSize, sha256: version.bundleSha256 });
    } finally {
      await worker.stop();
    }
  });
});
