// Kill safety of batch predictions: a worker PROCESS (the real `atelier-server orchestrator` binary)
// is killed with SIGKILL while scoring. No dataset version exists afterwards (nothing half-written is
// visible), its scratch files are swept by the next attempt, and another worker runs the job again from
// its first row to exactly one output version. Needs Postgres: two processes share one database.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '../packages/artifacts/src/index.js';
import type { Catalog, DatasetVersion } from '../packages/catalog/src/index.js';
import type { BatchPredictJobSpec } from '../packages/contracts/src/index.js';
import { start as startOrchestrator, defaultOrchestratorConfig, type OrchestratorHandle } from '../apps/training-orchestrator/src/index.js';
import { storeCsvDatasetVersion, syntheticCsv } from '../apps/training-orchestrator/src/testing/fixtures.js';
import { poll, spawnWorkerProcess, type WorkerProcess } from './worker-process.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './database.js';

const availability = postgresAvailability();
const LEASE_MS = 1500;

let db: TestDatabase;
let catalog: Catalog;
let artifacts: FilesystemArtifactStore;
let dataDir: string;
let batchDir: string;
let projectId: string;
let modelVersionId: string;
let big: DatasetVersion;
const children: ChildProcess[] = [];
const workers: OrchestratorHandle[] = [];

function spawnWorker(workerId: string): WorkerProcess {
  const worker = spawnWorkerProcess({
    DATABASE_URL: db.databaseUrl,
    ATELIER_DATA_DIR: dataDir,
    ATELIER_BATCH_WORK_DIR: batchDir,
    ATELIER_WORKER_ID: workerId,
    ATELIER_WORKER_CORES: '1',
    ATELIER_LEASE_TTL_MS: String(LEASE_MS),
  });
  children.push(worker.child);
  return worker;
}


const finished = (status: string) => ['succeeded', 'failed', 'cancelled'].includes(status);

describe.skipIf('skip' in availability)('batch prediction kill safety', () => {
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    catalog = await db.openCatalog();
    dataDir = mkdtempSync(join(tmpdir(), 'atelier-bp-recovery-'));
    batchDir = join(dataDir, 'batch-scratch');
    artifacts = new FilesystemArtifactStore({ rootDir: join(dataDir, 'artifacts') });
    projectId = (await catalog.projects.create({ name: 'bp-recovery' })).id;
    await storeCsvDatasetVersion(catalog, artifacts, projectId, 'customers', syntheticCsv(300));
    big = await storeCsvDatasetVersion(catalog, artifacts, projectId, 'big', syntheticCsv(120_000, 9));
    // A model to score with, trained by an in-process worker.
    const trainer = await startOrchestrator(defaultOrchestratorConfig({ workerId: 'trainer', cores: 1, leaseTtlMs: LEASE_MS, pollIntervalMs: 100 }), { catalog, artifacts });
    const train = await catalog.trainingJobs.create({
      projectId,
      modelName: 'churn',
      device: 'cpu',
      spec: {
        type: 'train',
        modelName: 'churn',
        data: { dataset: 'customers', version: 1 },
        label: 'churned',
        features: [
          { name: 'age', type: 'numeric', transform: 'standardize' },
          { name: 'city', type: 'categorical', transform: 'vocabulary' },
        ],
        model: { kind: 'logistic' },
        maxEpochs: 2,
        seed: 1,
      },
    });
    const trained = await poll('the training job', async () => {
      const j = await catalog.trainingJobs.get(train.id);
      return finished(j.status) ? j : undefined;
    });
    expect(trained.status, trained.error ?? '').toBe('succeeded');
    modelVersionId = trained.modelVersionId!;
    await trainer.stop();
  }, 120_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const w of workers) await w.stop();
    await artifacts?.close();
    await catalog?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a SIGKILL mid-scoring leaves no version; the next attempt sweeps the scratch files and writes exactly one', async () => {
    const spec: BatchPredictJobSpec = {
      type: 'batch_predict',
      modelVersionId,
      modelVersion: 1,
      alias: null,
      input: { dataset: 'big', version: 1, versionId: big.id, rows: 120_000 },
      output: { dataset: 'big-scores' },
      passthroughColumns: ['id'],
      outputs: ['probabilities', 'class'],
      chunkRows: 64,
    };
    const job = await catalog.trainingJobs.create({ projectId, modelName: 'churn', spec, device: 'cpu', maxAttempts: 3 });
    const worker = spawnWorker('doomed');
    await poll('the child worker to be scoring', async () => {
      const j = await catalog.trainingJobs.get(job.id);
      if (finished(j.status)) throw new Error(`job ended before the kill: ${j.status} ${j.error}\n${worker.output()}`);
      if (j.leaseOwner !== 'doomed') return undefined;
      // Scoring has begun: the once-a-second progress in the metrics, or the log line at each quarter
      // (on an idle machine the whole job can end before its first progress write).
      if (Number(j.metrics.rowsScored ?? 0) > 0) return j;
      const events = await catalog.trainingJobs.listEvents(job.id);
      return events.some((e) => e.type === 'log' && /^scored \d+ of /.test(String(e.payload.message))) ? j : undefined;
    });
    worker.child.kill('SIGKILL');
    await new Promise((r) => worker.child.once('exit', r));

    const atKill = await catalog.trainingJobs.get(job.id);
    expect(atKill.status).toBe('running');
    expect(await catalog.datasets.findByName(projectId, 'big-scores')).toBeUndefined();
    // The dead attempt's scratch dir (input copy, scratch table) is still on disk.
    expect(readdirSync(batchDir).filter((e) => e.startsWith(`${job.id}-`))).toEqual([`${job.id}-1`]);

    workers.push(
      await startOrchestrator(defaultOrchestratorConfig({ workerId: 'rescuer', cores: 1, leaseTtlMs: LEASE_MS, pollIntervalMs: 100, batchWorkDir: batchDir }), {
        catalog,
        artifacts,
      }),
    );
    const done = await poll('the retried job', async () => {
      const j = await catalog.trainingJobs.get(job.id);
      return finished(j.status) ? j : undefined;
    });
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(done.attempts).toBe(2);
    expect(done.metrics).toMatchObject({ rowsScored: 120_000, totalRows: 120_000, outputVersion: 1 });
    const dataset = await catalog.datasets.findByName(projectId, 'big-scores');
    const versions = await catalog.datasets.listVersions(dataset!.id);
    expect(versions.map((v) => v.version)).toEqual([1]);
    expect(versions[0]).toMatchObject({ format: 'parquet', rowCount: 120_000 });
    expect(versions[0].lineage).toMatchObject({ batchPredictionJobId: job.id, attempt: 2, worker: 'rescuer' });
    // Both attempts' scratch dirs are gone (the runner removes its own just after the commit).
    await poll('the scratch dirs removed', async () => (readdirSync(batchDir).some((e) => e.startsWith(`${job.id}-`)) ? undefined : true), 10_000);
  });
});
