// The feature store end to end at the package level, on PGlite and on Postgres: definitions checked
// against real dataset versions, a point-in-time join checked value by value on a hand-made example,
// materialization (full, incremental, failed midway and resumed) and online reads with TTL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '@atelier/artifacts';
import type { Catalog, Project } from '@atelier/catalog';
import { describeEachDatabase } from '../../../../test/database.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import { withDuckDb, sqlLiteral } from '../duckdb/duckdb-session.js';
import { createFeatureStore, type FeatureStore } from './feature-store.js';
import { Materializer } from './materializer.js';
import { OnlineFeatureReader, type OnlineFeaturesCompactResponse } from './online-feature-reader.js';
import { PostgresOnlineStore, type OnlineStore } from './online-store.js';
import { interceptWrites } from './online-store.conformance.js';
import { FeatureStoreError } from './errors.js';

const DAY = 86_400;
const T = (iso: string) => Date.parse(iso);

export const USER_STATS_V1 = [
  'user_id,ts,clicks,ctr,segment',
  'u1,2024-01-01T00:00:00Z,1,0.1,a',
  'u1,2024-01-03T00:00:00Z,3,0.3,b',
  'u1,2024-01-10T00:00:00Z,10,1.0,c',
  'u2,2024-01-02T00:00:00Z,2,0.2,a',
  'u3,2023-12-01T00:00:00Z,99,0.9,z',
].join('\n');

// v2: the full history plus newer rows, and one late row for u3 (older than the watermark).
export const USER_STATS_V2 = [
  USER_STATS_V1,
  'u1,2024-01-12T00:00:00Z,12,1.2,d',
  'u2,2024-01-11T00:00:00Z,5,0.5,b',
  'u5,2024-01-12T00:00:00Z,7,0.7,e',
  'u3,2023-12-05T00:00:00Z,100,1.0,y',
].join('\n');

export const PROFILES = ['user_id,updated_at,age', 'u1,2023-01-01 00:00:00,30', 'u2,2024-01-05 00:00:00,40'].join('\n');

export const LABELS = [
  'user_id,event_time,label',
  'u1,2024-01-03T00:00:00Z,1', // exactly at a feature timestamp: that row counts
  'u1,2024-01-02T12:00:00Z,0', // latest before: 2024-01-01 (1.5 days, within the 3-day TTL)
  'u1,2024-01-09T00:00:00Z,1', // latest before is 2024-01-03: 6 days old → expired → null
  'u2,2024-01-02T00:00:00Z,0', // profile of u2 is from the future → null
  'u3,2024-01-02T00:00:00Z,1', // only a 32-day-old value → null
  'u4,2024-01-02T00:00:00Z,0', // unknown key → null
].join('\n');

describeEachDatabase('feature store', ({ catalog }) => {
  let dir: string;
  let artifacts: FilesystemArtifactStore;
  let datasets: DatasetsService;
  let features: FeatureStore;
  let project: Project;
  let c: Catalog;

  async function upload(name: string, csv: string) {
    if (!(await c.datasets.findByName(project.id, name))) await datasets.createDataset(project.id, { name });
    const { version } = await datasets.uploadVersion(project.id, name, Buffer.from(csv), { format: 'csv' });
    return version;
  }

  beforeAll(async () => {
    c = catalog();
    dir = mkdtempSync(join(tmpdir(), 'atelier-fs-test-'));
    artifacts = new FilesystemArtifactStore({ rootDir: join(dir, 'artifacts') });
    datasets = new DatasetsService(c, artifacts, { workDir: join(dir, 'datasets'), uploadLimitBytes: 1 << 30, duckdbMemoryLimitMb: 256, duckdbThreads: 1 });
    features = createFeatureStore({ catalog: c, artifacts, datasetsService: datasets }, { workDir: join(dir, 'features'), duckdb: { memoryLimitMb: 256, threads: 1 } });
    project = await c.projects.create({ name: 'fs-pkg' });
    await upload('user-stats', USER_STATS_V1);
    await upload('profiles', PROFILES);
    await upload('labels', LABELS);
    await features.registry.createEntity(project.id, { name: 'user', joinKeys: [{ name: 'user_id', type: 'string' }] });
  });

  afterAll(async () => {
    await artifacts?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const statsView = {
    name: 'user-stats',
    entity: 'user',
    source: { dataset: 'user-stats', version: 1 },
    eventTimestampColumn: 'ts',
    features: [
      { name: 'clicks', type: 'int' as const },
      { name: 'ctr', type: 'float' as const },
      { name: 'segment', type: 'string' as const },
    ],
    ttlSeconds: 3 * DAY,
  };

  it('checks views against the entity and the dataset version, and versions changes', async () => {
    const err = (p: Promise<unknown>) => p.then(() => undefined, (e) => e as FeatureStoreError);

    const unknownEntity = await err(features.registry.applyFeatureView(project.id, { ...statsView, entity: 'nobody' }));
    expect(unknownEntity).toMatchObject({ code: 'ATL_ENTITY_NOT_FOUND', statusCode: 400 });
    expect(unknownEntity!.errors).toEqual([{ field: '/body/entity', message: "entity 'nobody' does not exist" }]);

    const missing = await err(
      features.registry.applyFeatureView(project.id, { ...statsView, features: [...statsView.features, { name: 'dwell', type: 'float' }] }),
    );
    expect(missing).toMatchObject({ code: 'ATL_FEATURE_VIEW_INVALID', statusCode: 400 });
    expect(missing!.errors).toEqual([{ field: '/body/features/3/name', message: "'dwell' is not a column of dataset 'user-stats' version 1" }]);

    const mismatch = await err(
      features.registry.applyFeatureView(project.id, { ...statsView, features: [{ name: 'segment', type: 'float' }] }),
    );
    expect(mismatch!.errors?.[0].field).toBe('/body/features/0/type');
    expect(mismatch!.errors?.[0].message).toMatch(/declared float but the dataset column is string/);

    const v1 = await features.registry.applyFeatureView(project.id, statsView);
    expect(v1).toMatchObject({ created: true, version: { name: 'user-stats', version: 1, datasetVersion: 1, ttlSeconds: 3 * DAY } });
    const stats = v1.version.statistics as { features: Array<Record<string, unknown>>; timestampFormat: string };
    expect(stats.timestampFormat).toBe('timestamp');
    expect(stats.features.find((f) => f.name === 'clicks')).toMatchObject({ count: 5, nulls: 0, min: 1, max: 99, mean: 23 });
    expect(stats.features.find((f) => f.name === 'segment')).toMatchObject({ distinct: 4, min: 'a', max: 'z' });

    const again = await features.registry.applyFeatureView(project.id, statsView);
    expect(again).toMatchObject({ created: false, version: { id: v1.version.id, version: 1 } });
    const changed = await features.registry.applyFeatureView(project.id, { ...statsView, ttlSeconds: DAY });
    expect(changed).toMatchObject({ created: true, version: { version: 2, ttlSeconds: DAY } });
    // Back to the 3-day definition: a third version (versions never change).
    expect((await features.registry.applyFeatureView(project.id, statsView)).version.version).toBe(3);

    await features.registry.applyFeatureView(project.id, {
      name: 'profile',
      entity: 'user',
      source: { dataset: 'profiles' }, // latest at creation, pinned
      eventTimestampColumn: 'updated_at',
      features: [{ name: 'age', type: 'int' }],
      ttlSeconds: 0,
    });
    expect((await features.registry.getViewVersion(project.id, 'profile')).version.datasetVersion).toBe(1);
  });

  it('refuses a timestamp column that mixes formats, naming the column', async () => {
    await upload('mixed', ['user_id,ts,clicks', 'u1,2024-01-01T00:00:00Z,1', 'u2,1704067200,2'].join('\n'));
    const e = await features.registry
      .applyFeatureView(project.id, { ...statsView, name: 'mixed', source: { dataset: 'mixed' }, features: [{ name: 'clicks', type: 'int' }] })
      .catch((x) => x);
    expect(e).toMatchObject({ code: 'ATL_MIXED_TIMESTAMP_FORMATS', statusCode: 400 });
    expect(e.errors[0].field).toBe('/body/eventTimestampColumn');
    expect(e.message).toMatch(/^Column 'ts' mixes timestamp formats \((iso-datetime-with-zone, epoch-seconds|epoch-seconds, iso-datetime-with-zone);/);
  });

  it('builds a point-in-time correct training set across views, with TTL, as a new dataset version', async () => {
    const { dataset, lineage } = await features.trainingSets.build(project.id, {
      labelDataset: { name: 'labels' },
      eventTimestampColumn: 'event_time',
      entity: 'user',
      featureViews: [{ name: 'user-stats', version: 1 }, { name: 'profile' }],
      output: { dataset: 'ctr-training' },
    });
    expect(dataset).toMatchObject({ datasetName: 'ctr-training', version: 1, format: 'parquet', rowCount: 6 });
    expect(lineage).toMatchObject({
      labelDataset: { name: 'labels', version: 1 },
      featureViews: [
        { name: 'user-stats', version: 1, dataset: { version: 1 } },
        { name: 'profile', version: 1 },
      ],
    });
    const stored = await c.datasets.findVersionById(dataset.versionId);
    expect(stored?.lineage).toMatchObject({ kind: 'training-set', labelDataset: { versionId: expect.any(String) } });

    const path = await datasets.localCopy(dataset.versionId);
    const rows = await withDuckDb({}, (db) =>
      db.allJson(`SELECT user_id, strftime(event_time, '%Y-%m-%dT%H:%M:%S') AS t, label, clicks, ctr, segment, age FROM read_parquet(${sqlLiteral(path)})`),
    );
    expect(rows).toEqual([
      { user_id: 'u1', t: '2024-01-03T00:00:00', label: '1', clicks: '3', ctr: 0.3, segment: 'b', age: '30' },
      { user_id: 'u1', t: '2024-01-02T12:00:00', label: '0', clicks: '1', ctr: 0.1, segment: 'a', age: '30' },
      { user_id: 'u1', t: '2024-01-09T00:00:00', label: '1', clicks: null, ctr: null, segment: null, age: '30' },
      { user_id: 'u2', t: '2024-01-02T00:00:00', label: '0', clicks: '2', ctr: 0.2, segment: 'a', age: null },
      { user_id: 'u3', t: '2024-01-02T00:00:00', label: '1', clicks: null, ctr: null, segment: null, age: null },
      { user_id: 'u4', t: '2024-01-02T00:00:00', label: '0', clicks: null, ctr: null, segment: null, age: null },
    ]);
  });

  it('materializes full then incremental; online reads show hits, misses and TTL expiry', async () => {
    const reader = (now: string) => new OnlineFeatureReader(c, { now: () => T(now) });
    const full = await features.materializer.materialize(project.id, 'user-stats', { mode: 'full', version: 1, datasetVersion: 1 });
    expect(full.run).toMatchObject({ status: 'complete', mode: 'full', rowsWritten: 3, startWatermark: null });
    expect(full.run.endWatermark?.toISOString()).toBe('2024-01-10T00:00:00.000Z');

    const read = await reader('2024-01-11T00:00:00Z').read(project.id, {
      featureViews: ['user-stats@1'],
      entityKeys: [{ user_id: 'u1' }, { user_id: 'u2' }, { user_id: 'u4' }],
    });
    expect(read.featureViews).toEqual([{ name: 'user-stats', version: 1, ttlSeconds: 3 * DAY, features: ['clicks', 'ctr', 'segment'] }]);
    expect(read.results).toEqual([
      {
        entityKey: { user_id: 'u1' },
        found: true,
        features: { 'user-stats': { found: true, status: 'present', eventTimestamp: '2024-01-10T00:00:00.000Z', values: { clicks: 10, ctr: 1, segment: 'c' } } },
      },
      {
        entityKey: { user_id: 'u2' },
        found: false, // 9 days old with a 3-day TTL
        features: { 'user-stats': { found: false, status: 'expired', eventTimestamp: '2024-01-02T00:00:00.000Z', values: { clicks: null, ctr: null, segment: null } } },
      },
      {
        entityKey: { user_id: 'u4' },
        found: false,
        features: { 'user-stats': { found: false, status: 'missing', eventTimestamp: null, values: { clicks: null, ctr: null, segment: null } } },
      },
    ]);

    await upload('user-stats', USER_STATS_V2);
    const inc = await features.materializer.materialize(project.id, 'user-stats', { mode: 'incremental', version: 1 });
    expect(inc.run).toMatchObject({ status: 'complete', mode: 'incremental', datasetVersion: 2, rowsWritten: 3 }); // u1, u2, u5
    expect(inc.run.startWatermark?.toISOString()).toBe('2024-01-10T00:00:00.000Z');
    expect(inc.run.endWatermark?.toISOString()).toBe('2024-01-12T00:00:00.000Z');
    expect((await c.featureStore.getOnlineState(inc.view.id))?.rowCount).toBe(4);

    const after = await reader('2024-01-12T12:00:00Z').read(project.id, {
      featureViews: ['user-stats@1'],
      entityKeys: [{ user_id: 'u1' }, { user_id: 'u2' }, { user_id: 'u5' }, { user_id: 'u3' }],
    });
    const values = after.results.map((r) => [r.features['user-stats'].status, r.features['user-stats'].values.clicks]);
    // u3's late row (older than the watermark) is not picked up by an incremental run; its old value is expired.
    expect(values).toEqual([
      ['present', 12],
      ['present', 5],
      ['present', 7],
      ['expired', null],
    ]);
    // Incremental with nothing new: complete, no rows, watermark unchanged.
    const none = await features.materializer.materialize(project.id, 'user-stats', { mode: 'incremental', version: 1 });
    expect(none.run).toMatchObject({ status: 'complete', rowsWritten: 0 });
    expect(none.run.endWatermark?.toISOString()).toBe('2024-01-12T00:00:00.000Z');
  });

  it('never shows a materialization that failed midway; running it again resumes from its last chunk', async () => {
    const view = await features.registry.applyFeatureView(project.id, {
      ...statsView,
      name: 'resumable',
      source: { dataset: 'user-stats', version: 1 },
    });
    await features.materializer.materialize(project.id, 'resumable', { mode: 'full', datasetVersion: 1 });
    const before = await new OnlineFeatureReader(c).read(project.id, { featureViews: ['resumable'], entityKeys: [{ user_id: 'u1' }, { user_id: 'u5' }] });

    let calls = 0;
    const failing = interceptWrites(new PostgresOnlineStore(c), () => {
      calls += 1;
      if (calls === 2) throw new Error('disk full (injected)');
    });
    const chunked = (store: OnlineStore) => new Materializer(c, features.datasets, { chunkSize: 1, store, duckdb: { memoryLimitMb: 256, threads: 1 } });
    const failed = await chunked(failing)
      .materialize(project.id, 'resumable', { mode: 'full', datasetVersion: 2 })
      .catch((e) => e);
    expect(failed.message).toMatch(/injected/);
    const [run] = await c.featureStore.listRuns(view.version.id);
    expect(run).toMatchObject({ status: 'failed', rowsWritten: 1, chunksWritten: 1, datasetVersion: 2 });

    // Readers still see the previous complete materialization, value for value.
    const during = await new OnlineFeatureReader(c).read(project.id, { featureViews: ['resumable'], entityKeys: [{ user_id: 'u1' }, { user_id: 'u5' }] });
    expect(during).toEqual(before);
    expect(during.results[0].features.resumable.eventTimestamp).toBe('2024-01-10T00:00:00.000Z');
    expect(during.results[1].found).toBe(false);

    let written = 0;
    const counting = interceptWrites(new PostgresOnlineStore(c), (rows) => {
      written += rows.length;
    });
    const resumed = await chunked(counting).materialize(project.id, 'resumable', { mode: 'full', datasetVersion: 2 });
    expect(resumed).toMatchObject({ resumed: true, run: { id: run.id, status: 'complete', rowsWritten: 4 } });
    expect(written).toBe(3); // the first key was already committed
    const now = await new OnlineFeatureReader(c, { now: () => T('2024-01-12T00:00:00Z') }).read(project.id, {
      featureViews: ['resumable'],
      entityKeys: [{ user_id: 'u1' }, { user_id: 'u5' }],
    });
    expect(now.results.map((r) => r.features.resumable.values.clicks)).toEqual([12, 7]);
    // Only the live generation is left behind.
    const left = await c.db.selectFrom('online_features').select(['generation']).where('feature_view_version_id', '=', view.version.id).execute();
    expect(new Set(left.map((r) => r.generation)).size).toBe(1);
    expect(left).toHaveLength(4);
  });

  it('rejects duplicate keys, bad keys, oversized batches and unmaterialized views', async () => {
    const reader = new OnlineFeatureReader(c, { maxEntityKeys: 3 });
    const dup = await reader
      .read(project.id, { featureViews: ['user-stats@1'], entityKeys: [{ user_id: 'a' }, { user_id: 'b' }, { user_id: 'a' }] })
      .catch((e) => e);
    expect(dup).toMatchObject({ code: 'ATL_ONLINE_REQUEST_INVALID', statusCode: 400 });
    expect(dup.errors).toEqual([{ field: '/body/entityKeys/2', message: 'duplicates /body/entityKeys/0; send each key once' }]);

    const bad = await reader.read(project.id, { featureViews: ['user-stats@1'], entityKeys: [{ user_id: 7 }, {}] }).catch((e) => e);
    expect(bad.errors).toEqual([
      { field: '/body/entityKeys/0/user_id', message: 'must be a string' },
      { field: '/body/entityKeys/1/user_id', message: "is required (join key of entity 'user')" },
    ]);

    const big = await reader
      .read(project.id, { featureViews: ['user-stats@1'], entityKeys: [1, 2, 3, 4].map((i) => ({ user_id: `u${i}` })) })
      .catch((e) => e);
    expect(big).toMatchObject({ code: 'ATL_TOO_MANY_ENTITY_KEYS', statusCode: 413 });
    expect(big.errors[0]).toEqual({ field: '/body/entityKeys', message: 'must have at most 3 items (got 4)' });

    const unknown = await reader.read(project.id, { featureViews: ['nope'], entityKeys: [{ user_id: 'u1' }] }).catch((e) => e);
    expect(unknown.errors).toEqual([{ field: '/body/featureViews/0', message: "feature view 'nope' does not exist" }]);

    const notYet = await reader.read(project.id, { featureViews: ['profile'], entityKeys: [{ user_id: 'u1' }] }).catch((e) => e);
    expect(notYet).toMatchObject({ code: 'ATL_FEATURE_VIEW_NOT_MATERIALIZED', statusCode: 409 });
  });

  it('serves repeated reads from the read-through cache until its TTL passes', async () => {
    let now = T('2024-01-12T00:00:00Z');
    const cached = new OnlineFeatureReader(c, { cacheTtlMs: 1000, now: () => now });
    const req = { featureViews: ['user-stats@1'], entityKeys: [{ user_id: 'u1' }, { user_id: 'zz' }] };
    const first = await cached.read(project.id, req);
    expect(first.results.map((r) => r.features['user-stats'].values.clicks)).toEqual([12, null]);
    // Change the stored row behind the cache's back: the cached value is served until it expires.
    await c.db
      .updateTable('online_features')
      .set({ vals: JSON.stringify([13, 1.3, 'q']) })
      .where('feature_view_version_id', '=', (await c.featureStore.findViewVersion(project.id, 'user-stats', 1))!.id)
      .where('entity_key', '=', 'u1')
      .execute();
    expect((await cached.read(project.id, req)).results[0].features['user-stats'].values.clicks).toBe(12);
    now += 1001;
    expect((await cached.read(project.id, req)).results[0].features['user-stats'].values.clicks).toBe(13);
  });
  it('answers the same read as JSON text, byte for byte, whatever the stored values hold', async () => {
    const view = (await c.featureStore.findViewVersion(project.id, 'user-stats', 1))!;
    // A value with everything a naive cut at commas or brackets would get wrong.
    const tricky = 'x,"y"]\\[{z}\u2028é';
    await c.db
      .updateTable('online_features')
      .set({ vals: JSON.stringify([14, null, tricky]) })
      .where('feature_view_version_id', '=', view.id)
      .where('entity_key', '=', 'u1')
      .execute();
    const reader = new OnlineFeatureReader(c, { now: () => T('2024-01-12T12:00:00Z') });
    const req = {
      featureViews: ['user-stats@1', 'resumable'],
      entityKeys: [{ user_id: 'u1' }, { user_id: 'u3' }, { user_id: 'nobody' }, { user_id: 'u5', extra: 1 }],
    };
    const objects = await reader.read(project.id, req);
    expect(objects.results[0].features['user-stats']).toEqual({
      found: true,
      status: 'present',
      eventTimestamp: '2024-01-12T00:00:00.000Z',
      values: { clicks: 14, ctr: null, segment: tricky },
    });
    expect(objects.results.map((r) => r.features['user-stats'].status)).toEqual(['present', 'expired', 'missing', 'present']);
    const text = await reader.readJson(project.id, req);
    expect(text).toBe(JSON.stringify(objects));
    expect(JSON.parse(text)).toEqual(objects);

    // The compact layout holds the same read, per view, aligned with the keys.
    const compact = JSON.parse(await reader.readJson(project.id, req, 'compact')) as OnlineFeaturesCompactResponse;
    expect(compact).toEqual({
      format: 'compact',
      featureViews: objects.featureViews,
      found: objects.results.map((r) => r.found),
      views: objects.featureViews.map(({ name, features }) => ({
        status: objects.results.map((r) => r.features[name].status),
        eventTimestamps: objects.results.map((r) => r.features[name].eventTimestamp),
        values: objects.results.map((r) => (r.features[name].found ? features.map((f) => r.features[name].values[f]) : null)),
      })),
    });
    expect(compact.views[0].values[0]).toEqual([14, null, tricky]);
    expect(compact.views[0].status).toEqual(['present', 'expired', 'missing', 'present']);
    expect(compact.views[0].values.slice(1, 3)).toEqual([null, null]);

    // A corrupt row fails the read instead of breaking the response's JSON; stray spaces are fine.
    const setU1 = (vals: string) =>
      c.db.updateTable('online_features').set({ vals }).where('feature_view_version_id', '=', view.id).where('entity_key', '=', 'u1').execute();
    const one = { featureViews: ['user-stats@1'], entityKeys: [{ user_id: 'u1' }] };
    await setU1(' [15, 0.5, "s"] ');
    expect((JSON.parse(await reader.readJson(project.id, one, 'compact')) as OnlineFeaturesCompactResponse).views[0].values).toEqual([[15, 0.5, 's']]);
    for (const corrupt of ['[15, 0.5', '{"clicks": 15}']) {
      await setU1(corrupt);
      await expect(reader.readJson(project.id, one, 'compact')).rejects.toThrow();
    }
  });
});
