// A worker PROCESS (the real `atelier-server orchestrator` binary, training in worker threads) is
// killed with SIGKILL mid-training; its lease expires and another worker resumes the job from the last
// checkpoint (the resumed run starts at checkpoint epoch + 1) and finishes it. A job out of attempts is
// failed with the reason. Needs Postgres: two processes share one database.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '../packages/artifacts/src/index.js';
import type { Catalog, TrainingJob } from '../packages/catalog/src/index.js';
import { start as startOrchestrator, defaultOrchestratorConfig, type OrchestratorHandle } from '../apps/training-orchestrator/src/index.js';
import { storeCsvDatasetVersion, syntheticCsv } from '../apps/training-orchestrator/src/testing/fixtures.js';
import { decodeCheckpoint } from '../apps/training-orchestrator/src/checkpoint-codec.js';
import { poll as pollEvery, spawnWorkerProcess, type WorkerProcess } from './worker-process.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './database.js';

const availability = postgresAvailability();
const LEASE_MS = 1500;

let db: TestDatabase;
let catalog: Catalog;
let artifacts: FilesystemArtifactStore;
let dataDir: string;
let projectId: string;
const children: ChildProcess[] = [];
const workers: OrchestratorHandle[] = [];

function spawnWorker(workerId: string, extraEnv: Record<string, string> = {}): WorkerProcess {
  const worker = spawnWorkerProcess({
    DATABASE_URL: db.databaseUrl,
    ATELIER_DATA_DIR: dataDir,
    ATELIER_WORKER_ID: workerId,
    ATELIER_WORKER_CORES: '1',
    ATELIER_LEASE_TTL_MS: String(LEASE_MS),
    ...extraEnv,
  });
  children.push(worker.child);
  return worker;
}

const poll = <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000, everyMs = 25) => pollEvery(what, fn, timeoutMs, everyMs);

const spec = (modelName: string, maxEpochs: number) => ({
  type: 'train',
  modelName,
  data: { dataset: 'customers', version: 1 },
  label: 'churned',
  features: [
    { name: 'age', type: 'numeric', transform: 'standardize' },
    { name: 'income', type: 'numeric', transform: 'standardize' },
    { name: 'city', type: 'categorical', transform: 'vocabulary' },
  ],
  model: { kind: 'mlp', hyperparameters: { hiddenUnits: [32, 32], dropout: 0.1 } },
  maxEpochs,
  batchSize: 8,
  optimizer: { kind: 'adam', lr: 0.01 },
  seed: 1,
});

describe.skipIf('skip' in availability)('training recovery across processes', () => {
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    catalog = await db.openCatalog();
    dataDir = mkdtempSync(join(tmpdir(), 'atelier-recovery-'));
    artifacts = new FilesystemArtifactStore({ rootDir: join(dataDir, 'artifacts') });
    projectId = (await catalog.projects.create({ name: 'recovery' })).id;
    await storeCsvDatasetVersion(catalog, artifacts, projectId, 'customers', syntheticCsv(400));
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const w of workers) await w.stop();
    await artifacts?.close();
    await catalog?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes a job from its last checkpoint after its worker process is killed with SIGKILL', async () => {
    const job = await catalog.trainingJobs.create({ projectId, modelName: 'churn', spec: spec('churn', 12), device: 'cpu', maxAttempts: 3 });
    // What a worker killed between recording a checkpoint and deleting the one before leaves behind:
    // the attempt's first checkpoint sweeps it.
    await artifacts.put(`training-jobs/${job.id}/checkpoints/epoch-00099.ckpt`, new Uint8Array([1, 2, 3]));
    const worker = spawnWorker('doomed');
    // Let it checkpoint at least two epochs, then kill it mid-training.
    await poll('a checkpoint from the child worker', async () => {
      const j = await catalog.trainingJobs.get(job.id);
      if (j.status !== 'queued' && j.status !== 'running') throw new Error(`job ended early: ${j.status} ${j.error}\n${worker.output()}`);
      return j.leaseOwner === 'doomed' && (j.checkpointEpoch ?? 0) >= 2 ? j : undefined;
    });
    worker.child.kill('SIGKILL');
    await new Promise((r) => worker.child.once('exit', r));
    const atKill = await catalog.trainingJobs.get(job.id);
    expect(atKill.status).toBe('running');
    expect(atKill.checkpointEpoch).toBeLessThan(12);
    const checkpointEpoch = atKill.checkpointEpoch!;

    // Another worker (this process) claims it once the dead worker's lease expires.
    workers.push(await startOrchestrator(defaultOrchestratorConfig({ workerId: 'rescuer', cores: 1, leaseTtlMs: LEASE_MS, pollIntervalMs: 100 }), { catalog, artifacts }));
    const done = await poll('the resumed job to finish', async () => {
      const j = await catalog.trainingJobs.get(job.id);
      return ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
    });
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(done.attempts).toBe(2);

    const events = await catalog.trainingJobs.listEvents(job.id);
    const resumedAt = events.findIndex((e) => e.type === 'state' && e.payload.status === 'running' && e.payload.worker === 'rescuer');
    expect(events[resumedAt].payload.resumedFromEpoch).toBe(checkpointEpoch);
    const firstAfter = events.slice(resumedAt).find((e) => e.type === 'metric')!;
    expect(firstAfter.payload.epoch).toBe(checkpointEpoch + 1);
    const epochsAfter = events.slice(resumedAt).filter((e) => e.type === 'metric').map((e) => e.payload.epoch);
    expect(epochsAfter).toEqual(Array.from({ length: 12 - checkpointEpoch }, (_, i) => checkpointEpoch + 1 + i));
    const epochsBefore = events.slice(0, resumedAt).filter((e) => e.type === 'metric').map((e) => e.payload.epoch as number);
    expect(epochsBefore.slice(0, checkpointEpoch)).toEqual(Array.from({ length: checkpointEpoch }, (_, i) => i + 1));
    const version = await catalog.models.getVersionById(done.modelVersionId!);
    expect(version.lineage).toMatchObject({ trainingJobId: job.id, attempt: 2, worker: 'rescuer' });
    expect((done.metrics.epochs as Array<{ epoch: number }>).map((e) => e.epoch)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // A succeeded job never resumes: its runner removes its checkpoints (the stale epoch-99 one included).
    await poll('the finished job’s checkpoints removed', async () => {
      const keys: string[] = [];
      for await (const e of artifacts.list(`training-jobs/${job.id}/checkpoints/`)) keys.push(e.key);
      return keys.length === 0 ? true : undefined;
    });
  });

  it('resumes a streamed job (a version over the memory budget) after SIGKILL mid-epoch, at the batch its checkpoint recorded', async () => {
    for (const w of workers.splice(0)) await w.stop();
    // 6,000 rows is about 2 MiB in memory: over a 1 MiB budget, so both workers stream it.
    await storeCsvDatasetVersion(catalog, artifacts, projectId, 'customers-big', syntheticCsv(6000));
    const cacheDir = join(dataDir, 'training-cache');
    // Epochs long enough (batches of 4: ~1,000 a pass, ~0.7 s on an idle machine) that mid-epoch checkpoints
    // every 150 ms are the latest one most of the time, so the poll below sees one.
    const EPOCHS = 12;
    const streamSpec = { ...spec('churn-stream', EPOCHS), data: { dataset: 'customers-big', version: 1 }, batchSize: 4 };
    const job = await catalog.trainingJobs.create({ projectId, modelName: 'churn-stream', spec: streamSpec, device: 'cpu', maxAttempts: 3 });
    const worker = spawnWorker('doomed-stream', {
      ATELIER_TRAINING_MEMORY_BUDGET_MB: '1',
      ATELIER_TRAINING_CACHE_DIR: cacheDir,
      ATELIER_TRAINING_CHECKPOINT_INTERVAL_MS: '150',
    });
    // Wait for a checkpoint taken inside an epoch after the first (it records its stream position).
    await poll('a mid-epoch streamed checkpoint from the child worker', async () => {
      const j = await catalog.trainingJobs.get(job.id);
      if (j.status !== 'queued' && j.status !== 'running') throw new Error(`job ended early: ${j.status} ${j.error}\n${worker.output()}`);
      if (j.leaseOwner !== 'doomed-stream' || (j.checkpointEpoch ?? 0) < 1 || !j.checkpointKey) return undefined;
      const bytes = await artifacts.getBytes(j.checkpointKey).catch(() => null);
      const position = bytes ? decodeCheckpoint(bytes).checkpoint.position : undefined;
      return position && position.batches > 0 ? j : undefined;
    }, 120_000, 50);
    worker.child.kill('SIGKILL');
    await new Promise((r) => worker.child.once('exit', r));
    const atKill = await catalog.trainingJobs.get(job.id);
    expect(atKill.status).toBe('running');
    const checkpointEpoch = atKill.checkpointEpoch!;
    expect(checkpointEpoch).toBeLessThan(EPOCHS);

    workers.push(
      await startOrchestrator(
        defaultOrchestratorConfig({ workerId: 'rescuer-stream', cores: 1, leaseTtlMs: LEASE_MS, pollIntervalMs: 100, trainingMemoryBudgetMb: 1, trainingCacheDir: cacheDir }),
        { catalog, artifacts },
      ),
    );
    const done = await poll('the resumed streamed job to finish', async () => {
      const j = await catalog.trainingJobs.get(job.id);
      return ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
    }, 120_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    expect(done.attempts).toBe(2);
    const events = await catalog.trainingJobs.listEvents(job.id);
    const resumedAt = events.findIndex((e) => e.type === 'state' && e.payload.status === 'running' && e.payload.worker === 'rescuer-stream');
    expect(events[resumedAt].payload.resumedFromEpoch).toBe(checkpointEpoch);
    const after = events.slice(resumedAt);
    expect(after.some((e) => e.type === 'log' && String(e.payload.message).startsWith('streaming 6000 rows of customers-big v1'))).toBe(true);
    const resumeLine = after.find((e) => e.type === 'log' && String(e.payload.message).startsWith('resuming from the checkpoint'));
    expect(String(resumeLine?.payload.message)).toMatch(new RegExp(`^resuming from the checkpoint of epoch ${checkpointEpoch}; continuing epoch ${checkpointEpoch + 1} at batch \\d+$`));
    const epochsAfter = after.filter((e) => e.type === 'metric').map((e) => e.payload.epoch);
    expect(epochsAfter).toEqual(Array.from({ length: EPOCHS - checkpointEpoch }, (_, i) => checkpointEpoch + 1 + i));
    expect((done.metrics.epochs as Array<{ epoch: number }>).map((e) => e.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    const version = await catalog.models.getVersionById(done.modelVersionId!);
    expect(version.metrics.auc).toBeGreaterThan(0.8);
  });

  it('fails a job whose worker died on its last attempt, naming the reason', async () => {
    // The rescuer from the previous test is busy-free; keep it out of this claim by stopping it.
    for (const w of workers.splice(0)) await w.stop();
    const job = await catalog.trainingJobs.create({ projectId, modelName: 'churn-once', spec: spec('churn-once', 200), device: 'cpu', maxAttempts: 1 });
    const worker = spawnWorker('doomed-2');
    await poll('the child to start the job', async () => {
      const j = await catalog.trainingJobs.get(job.id);
      return j.leaseOwner === 'doomed-2' && (j.checkpointEpoch ?? 0) >= 1 ? j : undefined;
    });
    worker.child.kill('SIGKILL');
    await new Promise((r) => worker.child.once('exit', r));
    workers.push(await startOrchestrator(defaultOrchestratorConfig({ workerId: 'sweeper', cores: 1, leaseTtlMs: LEASE_MS, pollIntervalMs: 100 }), { catalog, artifacts }));
    const failed: TrainingJob = await poll('the job to fail', async () => {
      const j = await catalog.trainingJobs.get(job.id);
      return j.status === 'failed' ? j : undefined;
    });
    expect(failed.error).toBe('exceeded max_attempts (1): last lease expired');
    expect(failed.attempts).toBe(1);
    const last = (await catalog.trainingJobs.listEvents(job.id)).at(-1)!;
    expect(last.payload).toMatchObject({ status: 'failed', error: 'exceeded max_attempts (1): last lease expired' });
  });
});
