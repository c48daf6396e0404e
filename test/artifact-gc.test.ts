// The gateway's artifact collector on a real database and real files, with a process "killed" at each
// step that leaves something behind: bytes stored but no version row, a temp file mid-write, a spool
// file, a finished job's checkpoint. After a pass (or the next start) no orphan remains, and nothing
// referenced — nor anything younger than the grace age — is ever removed, even when a row appears
// while the collector works.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { FilesystemArtifactStore, S3ArtifactStore, uniqueBucketName, type ArtifactStore } from '../packages/artifacts/src/index.js';
import type { Catalog } from '../packages/catalog/src/index.js';
import { DatasetsService } from '../packages/feature-store/src/index.js';
import { artifactKeys } from '../packages/contracts/src/index.js';
import { ArtifactGcService, artifactGcConfigFromEnv, type ArtifactGcConfig } from '../apps/gateway/src/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const CONFIG: ArtifactGcConfig = { intervalMs: HOUR, graceMs: HOUR, tempMaxAgeMs: 15 * MIN, spoolMaxAgeMs: 6 * HOUR, uploadTtlMs: 24 * HOUR };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let database: TestDatabase;
let catalog: Catalog;
let root: string;
let store: FilesystemArtifactStore;
let projectId: string;
const dirs: string[] = [];
const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  database = await createTestDatabase();
  catalog = await database.openCatalog();
  projectId = (await catalog.projects.create({ name: `gc-${randomUUID().slice(0, 8)}` })).id;
});

afterAll(async () => {
  await catalog?.close();
  await database?.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

beforeEach(() => {
  root = tmp('atelier-gc-artifacts-');
  store = new FilesystemArtifactStore({ rootDir: root });
});

/** What a process did long enough ago: the object's (or file's) modification time moved back. */
async function age(path: string, ms: number): Promise<void> {
  const t = new Date(Date.now() - ms);
  await utimes(path, t, t);
}
const objectPath = (key: string) => join(root, 'objects', ...key.split('/'));
const exists = async (key: string) => (await store.stat(key)) !== null;
async function putAged(key: string, body: string, ms: number): Promise<void> {
  await store.put(key, Buffer.from(body));
  await age(objectPath(key), ms);
}

function collector(opts: { workDir?: string; artifacts?: ArtifactStore; config?: Partial<ArtifactGcConfig> } = {}) {
  const logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const registry = new Registry();
  const gc = new ArtifactGcService(
    { ...CONFIG, ...opts.config },
    {
      catalog,
      artifacts: opts.artifacts ?? store,
      registry,
      workDir: opts.workDir ?? tmp('atelier-gc-work-'),
      log: (level, message, fields) => logs.push({ level, message, fields }),
    },
  );
  return { gc, logs, registry };
}

async function datasetVersion(name: string, body: string, ageMs: number) {
  const dataset = await catalog.datasets.create({ projectId, name });
  const key = artifactKeys.dataset(dataset.id, sha(body), 'csv');
  await putAged(key, body, ageMs);
  await catalog.datasets.createVersion({ datasetId: dataset.id, format: 'csv', artifactKey: key, sha256: sha(body), sizeBytes: body.length, rowCount: 1, schema: {} });
  return { dataset, key };
}

describe('artifact collector: stored objects', () => {
  it('removes bytes stored by a process killed before its row was inserted, and keeps referenced and young ones', async () => {
    // Datasets: a version with its bytes (old), bytes without a version (old: the crash), and bytes
    // without a version yet written a minute ago (an upload about to insert its row).
    const kept = await datasetVersion('kept', 'a,b\n1,2\n', 3 * HOUR);
    const crashed = await catalog.datasets.create({ projectId, name: 'crashed' });
    const orphan = artifactKeys.dataset(crashed.id, sha('x\n1\n'), 'csv');
    await putAged(orphan, 'x\n1\n', 2 * HOUR);
    const young = artifactKeys.dataset(crashed.id, sha('y\n2\n'), 'csv');
    await putAged(young, 'y\n2\n', MIN);
    // A dataset deleted since (its versions with it): its bytes have no owner at all.
    const gone = artifactKeys.dataset(randomUUID(), sha('gone'), 'parquet');
    await putAged(gone, 'gone', 2 * HOUR);

    // Model bundles: one a version points at, one a training run stored before it was killed.
    const model = await catalog.models.createOrGet({ projectId, name: 'churn' });
    const bundle = artifactKeys.bundle(projectId, model.id, sha('bundle v1'), 'atelier');
    await putAged(bundle, 'bundle v1', 3 * HOUR);
    await catalog.models.createVersion({ modelId: model.id, format: 'atelier', bundleKey: bundle, bundleSha256: sha('bundle v1'), bundleSize: 9, signature: {} });
    const orphanBundle = artifactKeys.bundle(projectId, model.id, sha('never registered'), 'atelier');
    await putAged(orphanBundle, 'never registered', 2 * HOUR);
    const onnx = artifactKeys.bundle(projectId, model.id, sha('onnx copy'), 'onnx');
    await putAged(onnx, 'onnx copy', 2 * HOUR);

    // Uploads: one abandoned a day and more ago, one from a minute ago (step 2 may still come).
    const staleUpload = artifactKeys.upload(projectId, model.id, randomUUID());
    await putAged(staleUpload, 'onnx bytes', 25 * HOUR);
    const freshUpload = artifactKeys.upload(projectId, model.id, randomUUID());
    await putAged(freshUpload, 'onnx bytes', MIN);

    // Keys outside the collector's layouts are never its business, however old.
    const foreign = ['imports/raw/customers.csv', `datasets/${projectId}/fixture/test-1.csv`, 'prediction-logs/p/m/2024-01-01/x.jsonl'];
    for (const k of foreign) await putAged(k, 'not ours', 48 * HOUR);

    const { gc, logs, registry } = collector();
    const report = await gc.runOnce();

    expect(await exists(kept.key)).toBe(true);
    expect(await exists(orphan)).toBe(false);
    expect(await exists(young)).toBe(true);
    expect(await exists(gone)).toBe(false);
    expect(await exists(bundle)).toBe(true);
    expect(await exists(orphanBundle)).toBe(false);
    expect(await exists(onnx)).toBe(false);
    expect(await exists(staleUpload)).toBe(false);
    expect(await exists(freshUpload)).toBe(true);
    for (const k of foreign) expect(await exists(k)).toBe(true);
    expect(report.errors).toBe(0);
    expect(report.removed.dataset).toEqual({ count: 2, bytes: 'x\n1\n'.length + 'gone'.length });
    expect(report.removed.bundle).toEqual({ count: 2, bytes: 'never registered'.length + 'onnx copy'.length });
    expect(report.removed.upload).toEqual({ count: 1, bytes: 'onnx bytes'.length });
    // What it removed is logged and exported.
    expect(logs.find((l) => l.message === 'artifact collector pass done')?.fields).toMatchObject({ removed: { dataset: { count: 2 }, bundle: { count: 2 }, upload: { count: 1 } } });
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/atelier_gc_removed_total\{kind="dataset"\} 2/);
    expect(metrics).toMatch(/atelier_gc_removed_bytes_total\{kind="bundle"\} 25/);
    expect(metrics).toMatch(/atelier_gc_passes_total\{outcome="ok"\} 1/);

    // A second pass finds nothing more to do.
    const again = await gc.runOnce();
    expect(Object.values(again.removed).every((r) => r.count === 0)).toBe(true);
  });

  it('keeps an orphan whose row is inserted after the listing (the reference is checked again right before the delete)', async () => {
    const dataset = await catalog.datasets.create({ projectId, name: 'late-row' });
    const key = artifactKeys.dataset(dataset.id, sha('late\n1\n'), 'csv');
    await putAged(key, 'late\n1\n', 2 * HOUR);
    // A writer that reused these bytes inserts its version row just after the collector listed them.
    const racing: ArtifactStore = Object.create(store, {
      list: {
        value: async function* (prefix: string) {
          yield* store.list(prefix);
          if (prefix === 'datasets/') {
            await catalog.datasets.createVersion({ datasetId: dataset.id, format: 'csv', artifactKey: key, sha256: sha('late\n1\n'), sizeBytes: 7, rowCount: 1, schema: {} });
          }
        },
      },
    });
    const report = await collector({ artifacts: racing }).gc.runOnce();
    expect(await exists(key)).toBe(true);
    expect(report.removed.dataset.count).toBe(0);
  });

  it('an upload that reuses orphaned bytes the collector removes before its insert stores them again', async () => {
    const workDir = tmp('atelier-gc-datasets-');
    const body = 'id,score\n1,0.5\n2,0.25\n';
    await catalog.datasets.create({ projectId, name: 'retried' });
    const dataset = (await catalog.datasets.findByName(projectId, 'retried'))!;
    // The first upload was killed after storing its bytes: an orphan, older than the grace age.
    const key = artifactKeys.dataset(dataset.id, sha(body), 'csv');
    await putAged(key, body, 2 * HOUR);
    const { gc } = collector();
    // The client retries; the collector runs right after the upload found the bytes already stored.
    let swept = false;
    const observed: ArtifactStore = Object.create(store, {
      stat: {
        value: async (k: string) => {
          const st = await store.stat(k);
          if (k === key && !swept) {
            swept = true;
            await gc.runOnce();
          }
          return st;
        },
      },
    });
    const datasets = new DatasetsService(catalog, observed, { workDir, uploadLimitBytes: 1 << 20, duckdbMemoryLimitMb: 128, duckdbThreads: 1 });
    const { version, created } = await datasets.uploadVersion(projectId, 'retried', Buffer.from(body), { format: 'csv' });
    expect(swept).toBe(true);
    expect(created).toBe(true);
    expect((await catalog.datasets.findVersionById(version.id))?.artifactKey).toBe(key);
    expect(Buffer.from(await store.getBytes(key)).toString()).toBe(body);
  });

  it('removes the checkpoints of finished jobs (runner killed between finishing and deleting), never a running job’s', async () => {
    const job = (status: 'running' | 'succeeded' | 'failed' | 'cancelled') =>
      catalog.trainingJobs.create({ projectId, modelName: `m-${status}`, spec: {}, device: 'cpu' }).then(async (j) => {
        await catalog.db.updateTable('training_jobs').set({ status }).where('id', '=', j.id).execute();
        return j;
      });
    const running = await job('running');
    const succeeded = await job('succeeded');
    const failed = await job('failed');
    const runningKey = artifactKeys.checkpoint(running.id, 3);
    await putAged(runningKey, 'weights+optimizer', 5 * HOUR); // a long epoch: old, and still needed
    const succeededKeys = [artifactKeys.checkpoint(succeeded.id, 7), artifactKeys.checkpoint(succeeded.id, 8)];
    for (const k of succeededKeys) await putAged(k, 'weights+optimizer', MIN); // finished: no grace needed
    const failedKey = artifactKeys.checkpoint(failed.id, 2);
    await putAged(failedKey, 'weights+optimizer', MIN);
    const deletedJob = artifactKeys.checkpoint(randomUUID(), 1); // its project was deleted
    await putAged(deletedJob, 'weights+optimizer', 2 * HOUR);

    const report = await collector().gc.runOnce();
    expect(await exists(runningKey)).toBe(true);
    for (const k of [...succeededKeys, failedKey, deletedJob]) expect(await exists(k)).toBe(false);
    expect(report.removed.checkpoint).toEqual({ count: 4, bytes: 4 * 'weights+optimizer'.length });
  });

  it('removes temp files of a writer killed mid-write after minutes, not a day; a live write keeps its own', async () => {
    await store.put('warm-up', Buffer.from('creates the store folders'));
    const killed = join(root, '.tmp', `${randomUUID()}.data`);
    await writeFile(killed, 'half an object');
    await age(killed, 20 * MIN);
    const live = join(root, '.tmp', `${randomUUID()}.data`);
    await writeFile(live, 'being written');
    const report = await collector().gc.runOnce();
    await expect(stat(killed)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await stat(live)).toBeTruthy();
    expect(report.removed.temporary).toEqual({ count: 1, bytes: 'half an object'.length });
    expect(await exists('warm-up')).toBe(true);
  });

  it('two replicas collecting at once remove each orphan once, keep what is referenced, and report no errors', async () => {
    const kept = await datasetVersion('replicas', 'k\n1\n', 3 * HOUR);
    const dataset = await catalog.datasets.create({ projectId, name: 'replicas-orphans' });
    const orphans = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const key = artifactKeys.dataset(dataset.id, sha(`orphan ${i}`), 'csv');
        await putAged(key, `orphan ${i}`, 2 * HOUR);
        return key;
      }),
    );
    const [a, b] = await Promise.all([collector().gc.runOnce(), collector().gc.runOnce()]);
    expect(a.errors + b.errors).toBe(0);
    expect(a.removed.dataset.count + b.removed.dataset.count).toBe(20);
    for (const k of orphans) expect(await exists(k)).toBe(false);
    expect(await exists(kept.key)).toBe(true);
  });
});

describe('artifact collector: local spool', () => {
  async function spoolFile(workDir: string, rel: string, ageMs: number): Promise<string> {
    const path = join(workDir, rel);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, 'spooled bytes');
    await age(path, ageMs);
    return path;
  }

  it('clears a killed predecessor’s spool at start, and by age on every pass', async () => {
    const workDir = tmp('atelier-gc-spool-');
    await mkdir(join(workDir, 'cache', 'sha256'), { recursive: true });
    const cached = await spoolFile(workDir, join('cache', 'sha256', `${sha('v1')}.csv`), 48 * HOUR); // a cache, not spool
    const upload = await spoolFile(workDir, join('incoming', `${randomUUID()}.csv`), MIN);
    const run = await spoolFile(workDir, join('features', 'training-sets', `training-set-${randomUUID()}`, 'training-set.parquet'), MIN);
    const spill = await spoolFile(workDir, join('duckdb-tmp', 'duckdb_temp_storage-0.tmp'), MIN);

    const { gc } = collector({ workDir, config: { intervalMs: HOUR } });
    await gc.start(); // nothing of this process can be in flight yet: the whole spool is a dead process's
    try {
      for (const p of [upload, run, spill]) await expect(stat(p)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(await stat(cached)).toBeTruthy();
      // start() also began a first scheduled pass in the background; a runOnce() while it runs gets
      // that pass, which may have swept before the files below existed. Let it end first.
      await gc.runOnce();
      // While running: an upload in progress stays, one untouched for longer than the spool age goes.
      const inProgress = await spoolFile(workDir, join('incoming', `${randomUUID()}.csv`), MIN);
      const abandoned = await spoolFile(workDir, join('incoming', `${randomUUID()}.csv`), 7 * HOUR);
      const report = await gc.runOnce();
      expect(await stat(inProgress)).toBeTruthy();
      await expect(stat(abandoned)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(report.removed.spool).toEqual({ count: 1, bytes: 'spooled bytes'.length });
    } finally {
      await gc.stop();
    }
    expect(await readdir(workDir)).not.toContain('gateway.pid');
  });

  it('leaves young spool alone at start when another live process holds the work dir', async () => {
    const workDir = tmp('atelier-gc-shared-');
    mkdirSync(workDir, { recursive: true });
    await writeFile(join(workDir, 'gateway.pid'), String(process.ppid)); // alive, and not us
    const theirs = await spoolFile(workDir, join('incoming', `${randomUUID()}.csv`), MIN);
    const { gc } = collector({ workDir });
    await gc.start();
    await gc.stop();
    expect(await stat(theirs)).toBeTruthy();
  });
});

// The same decisions over S3 (the global setup's real server): listing times, stat and delete come from
// the server. An object's time cannot be moved back there, so "old" is a negative grace age (Swift
// rounds listing times up to the next second); that young objects are kept is shown above.
const s3 = inject('s3');
describe.skipIf(!s3)('artifact collector on S3', () => {
  it('removes orphaned bytes, a finished job’s checkpoint and a killed writer’s staging object; keeps what rows point at', async () => {
    const bucket = new S3ArtifactStore({ ...s3!, bucket: uniqueBucketName('atelier-gc-test') });
    try {
      const body = 'a,b\n1,2\n';
      const dataset = await catalog.datasets.create({ projectId, name: `s3-${randomUUID().slice(0, 8)}` });
      const kept = artifactKeys.dataset(dataset.id, sha(body), 'csv');
      await bucket.put(kept, Buffer.from(body));
      await catalog.datasets.createVersion({ datasetId: dataset.id, format: 'csv', artifactKey: kept, sha256: sha(body), sizeBytes: body.length, rowCount: 1, schema: {} });
      const orphan = artifactKeys.dataset(dataset.id, sha('orphan'), 'csv');
      await bucket.put(orphan, Buffer.from('orphan'));
      const finished = await catalog.trainingJobs.create({ projectId, modelName: 's3-job', spec: {}, device: 'cpu' });
      await catalog.db.updateTable('training_jobs').set({ status: 'succeeded' }).where('id', '=', finished.id).execute();
      await bucket.put(artifactKeys.checkpoint(finished.id, 4), Buffer.from('weights+optimizer'));
      await bucket.client.putObject(bucket.bucket, '.atelier/staging/killed-writer', Buffer.from('half'));

      const { gc } = collector({ artifacts: bucket, config: { graceMs: -MIN, tempMaxAgeMs: -MIN } });
      const report = await gc.runOnce();
      expect(report.errors).toBe(0);
      expect(await bucket.stat(kept)).not.toBeNull();
      expect(await bucket.stat(orphan)).toBeNull();
      expect(await bucket.stat(artifactKeys.checkpoint(finished.id, 4))).toBeNull();
      expect((await bucket.client.listObjectsV2Query(bucket.bucket, '.atelier/', '', '', 1000, '')).objects).toEqual([]);
      expect(report.removed).toMatchObject({ dataset: { count: 1, bytes: 6 }, checkpoint: { count: 1 }, temporary: { count: 1, bytes: 4 } });
    } finally {
      await bucket.destroyBucket();
      await bucket.close();
    }
  });
});

describe('artifact collector settings', () => {
  it('reads ATELIER_GC_* once, with defaults, and names a bad variable', () => {
    expect(artifactGcConfigFromEnv({})).toEqual({ intervalMs: 15 * MIN, graceMs: HOUR, tempMaxAgeMs: 15 * MIN, spoolMaxAgeMs: 6 * HOUR, uploadTtlMs: 24 * HOUR });
    expect(artifactGcConfigFromEnv({ ATELIER_GC_INTERVAL_MS: '0', ATELIER_GC_GRACE_MS: '7200000' })).toMatchObject({ intervalMs: 0, graceMs: 2 * HOUR });
    expect(() => artifactGcConfigFromEnv({ ATELIER_GC_GRACE_MS: '5s' })).toThrow(/ATELIER_GC_GRACE_MS/);
    expect(() => artifactGcConfigFromEnv({ ATELIER_GC_GRACE_MS: '1000' })).toThrow(/ATELIER_GC_GRACE_MS/);
    expect(() => artifactGcConfigFromEnv({ ATELIER_GC_INTERVAL_MS: '10' })).toThrow(/ATELIER_GC_INTERVAL_MS/);
  });
});
