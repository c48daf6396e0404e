// A worker whose memory budget is smaller than a version trains it streamed, from a Parquet copy
// cached by content hash, in real worker threads against a real database and filesystem artifacts;
// the same spec and seed on a worker with room for it trains in memory, and both reach the same
// validation metrics on the same rows.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '@atelier/artifacts';
import type { Catalog, DatasetVersion, TrainingJob } from '@atelier/catalog';
import { createTestDatabase, type TestDatabase } from '../../../test/database.js';
import { defaultOrchestratorConfig, type OrchestratorConfig } from './orchestrator.config.js';
import { start } from './orchestrator.js';
import { estimateInMemoryMb } from './job-runner.js';
import { storeCsvDatasetVersion, syntheticCsv } from './testing/fixtures.js';

let db: TestDatabase;
let catalog: Catalog;
let artifacts: FilesystemArtifactStore;
let dir: string;
let projectId: string;
let version: DatasetVersion;

const spec = {
  modelName: 'churn',
  data: { dataset: 'customers', version: 1 },
  label: 'churned',
  features: [
    { name: 'age', type: 'numeric', transform: 'standardize' },
    { name: 'income', type: 'numeric', transform: 'standardize' },
    { name: 'city', type: 'categorical', transform: 'vocabulary' },
  ],
  model: { kind: 'logistic' },
  maxEpochs: 3,
  batchSize: 64,
  optimizer: { kind: 'adam', lr: 0.05 },
  seed: 5,
};

async function runJob(config: Partial<OrchestratorConfig>, modelName: string): Promise<TrainingJob> {
  const orchestrator = await start(defaultOrchestratorConfig({ cores: 1, leaseTtlMs: 3000, pollIntervalMs: 50, ...config }), { catalog, artifacts });
  try {
    const job = await catalog.trainingJobs.create({ projectId, modelName, spec: { ...spec, modelName }, device: 'cpu' });
    const deadline = Date.now() + 120_000;
    for (;;) {
      const j = await catalog.trainingJobs.get(job.id);
      if (['succeeded', 'failed', 'cancelled'].includes(j.status)) return j;
      if (Date.now() > deadline) throw new Error(`job still ${j.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await orchestrator.stop();
  }
}

async function logs(jobId: string): Promise<string[]> {
  return (await catalog.trainingJobs.listEvents(jobId)).filter((e) => e.type === 'log').map((e) => String(e.payload.message));
}

beforeAll(async () => {
  db = await createTestDatabase();
  catalog = await db.openCatalog();
  dir = mkdtempSync(join(tmpdir(), 'atelier-stream-'));
  artifacts = new FilesystemArtifactStore({ rootDir: join(dir, 'artifacts') });
  projectId = (await catalog.projects.create({ name: 'stream' })).id;
  version = await storeCsvDatasetVersion(catalog, artifacts, projectId, 'customers', syntheticCsv(4000));
});

afterAll(async () => {
  await artifacts?.close();
  await catalog?.close();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('streamed training through the orchestrator', () => {
  it('streams a version over the budget from a cached Parquet copy, with the in-memory run’s validation metrics', async () => {
    expect(estimateInMemoryMb(4000, { age: 'number', income: 'number', city: 'text', churned: 'number' })).toBeGreaterThan(0);
    const cacheDir = join(dir, 'cache');
    const memory = await runJob({ workerId: 'w-memory', trainingMemoryBudgetMb: 10_000, trainingCacheDir: cacheDir }, 'churn-memory');
    expect(memory.error).toBeNull();
    expect((await logs(memory.id)).some((m) => m.startsWith('loaded 4000 rows'))).toBe(true);
    expect(existsSync(cacheDir)).toBe(false);

    const streamed = await runJob({ workerId: 'w-stream', trainingMemoryBudgetMb: 0, trainingCacheDir: cacheDir }, 'churn-stream');
    expect(streamed.error).toBeNull();
    expect(streamed.status).toBe('succeeded');
    const streamLogs = await logs(streamed.id);
    expect(streamLogs.some((m) => m.startsWith('streaming 4000 rows of customers v1 from its Parquet copy'))).toBe(true);
    expect(streamLogs.some((m) => m.startsWith('split random (streamed)'))).toBe(true);
    expect(readdirSync(cacheDir)).toEqual([`${version.sha256}.parquet`]);

    const m = memory.metrics as Record<string, number>;
    const s = streamed.metrics as Record<string, number>;
    expect(m.val_auc).toBeGreaterThan(0.8);
    expect(Math.abs(s.val_auc - m.val_auc)).toBeLessThan(0.01);
    expect(Math.abs(s.val_loss - m.val_loss)).toBeLessThan(0.02);
    const mv = await catalog.models.getVersionById(memory.modelVersionId!);
    const sv = await catalog.models.getVersionById(streamed.modelVersionId!);
    expect(Math.abs((sv.metrics.auc as number) - (mv.metrics.auc as number))).toBeLessThan(0.01);
  });
});
