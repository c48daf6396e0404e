// The behaviour every OnlineStore must show, as one Vitest suite run through the real materializer and
// reader on both catalog databases: full and incremental runs, TTL by event time, a failed run that is
// never visible and resumes from its last chunk, newer-event-wins upserts that may be written twice,
// only the live generation left behind, and project isolation. Each implementation's test file calls
// describeOnlineStoreConformance with a factory and a way to list what it holds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '@atelier/artifacts';
import type { Catalog, Project } from '@atelier/catalog';
import { describeEachDatabase } from '../../../../test/database.js';
import { DatasetsService } from '../datasets/datasets.service.js';
import { createFeatureStore, type FeatureStore } from './feature-store.js';
import { Materializer } from './materializer.js';
import { OnlineFeatureReader } from './online-feature-reader.js';
import type { OnlineRow, OnlineStore, OnlineViewRef } from './online-store.js';

const DAY = 86_400;
const T = (iso: string) => Date.parse(iso);

const STATS_V1 = ['user_id,ts,clicks,ctr,segment', 'u1,2024-01-01T00:00:00Z,1,0.1,a', 'u1,2024-01-10T00:00:00Z,10,1.0,c', 'u2,2024-01-02T00:00:00Z,2,0.2,a', 'u3,2023-12-01T00:00:00Z,99,0.9,z'].join('\n');
const STATS_V2 = [STATS_V1, 'u1,2024-01-12T00:00:00Z,12,1.2,d', 'u2,2024-01-11T00:00:00Z,5,0.5,b', 'u5,2024-01-12T00:00:00Z,7,0.7,e'].join('\n');
const OTHER_PROJECT = ['user_id,ts,clicks,ctr,segment', 'u1,2024-01-10T00:00:00Z,-1,0.0,other'].join('\n');

export interface OnlineStoreConformanceOptions {
  /** Generation → rows the store holds for a view version (every generation, live or not). */
  generations(store: OnlineStore, catalog: Catalog, ref: OnlineViewRef): Promise<Map<number, number>>;
  /** For a store that can lose its rows on its own (Redis without persistence): remove all of a view version's. */
  loseRows?(ref: OnlineViewRef): Promise<void>;
}

/** The same store with a hook before every chunk write (to count chunks or inject a failure). */
export function interceptWrites(store: OnlineStore, before: (rows: OnlineRow[]) => void): OnlineStore {
  return {
    kind: store.kind,
    read: (ref, keys) => store.read(ref, keys),
    async writeChunk(tx, target, rows) {
      before(rows);
      return store.writeChunk(tx, target, rows);
    },
    finish: (tx, target, merge) => store.finish(tx, target, merge),
    activate: (tx, ref, generation) => store.activate(tx, ref, generation),
    isLive: (ref, generation) => store.isLive(ref, generation),
    dropOtherGenerations: (ref, keep) => store.dropOtherGenerations(ref, keep),
    afterLoad: () => store.afterLoad(),
    close: () => store.close(),
  };
}

export function describeOnlineStoreConformance(name: string, makeStore: (catalog: Catalog) => OnlineStore, options: OnlineStoreConformanceOptions): void {
  describeEachDatabase(`online store conformance: ${name}`, ({ catalog }) => {
    let dir: string;
    let artifacts: FilesystemArtifactStore;
    let datasets: DatasetsService;
    let features: FeatureStore;
    let store: OnlineStore;
    let project: Project;
    let other: Project;
    let c: Catalog;

    async function upload(p: Project, dataset: string, csv: string) {
      if (!(await c.datasets.findByName(p.id, dataset))) await datasets.createDataset(p.id, { name: dataset });
      return (await datasets.uploadVersion(p.id, dataset, Buffer.from(csv), { format: 'csv' })).version;
    }
    const view = (viewName: string) => ({
      name: viewName,
      entity: 'user',
      source: { dataset: 'user-stats', version: 1 },
      eventTimestampColumn: 'ts',
      features: [
        { name: 'clicks', type: 'int' as const },
        { name: 'ctr', type: 'float' as const },
        { name: 'segment', type: 'string' as const },
      ],
      ttlSeconds: 3 * DAY,
    });
    const reader = (now: string, s: OnlineStore = store) => new OnlineFeatureReader(c, { now: () => T(now), store: s });
    const ref = async (p: Project, viewName: string): Promise<OnlineViewRef> => ({
      projectId: p.id,
      viewVersionId: (await c.featureStore.findViewVersion(p.id, viewName))!.id,
    });
    const duck = { memoryLimitMb: 256, threads: 1 };

    beforeAll(async () => {
      c = catalog();
      dir = mkdtempSync(join(tmpdir(), 'atelier-online-store-'));
      artifacts = new FilesystemArtifactStore({ rootDir: join(dir, 'artifacts') });
      datasets = new DatasetsService(c, artifacts, { workDir: join(dir, 'datasets'), uploadLimitBytes: 1 << 30, duckdbMemoryLimitMb: 256, duckdbThreads: 1 });
      store = makeStore(c);
      features = createFeatureStore({ catalog: c, artifacts, datasetsService: datasets }, { workDir: join(dir, 'features'), duckdb: duck, onlineStore: store });
      project = await c.projects.create({ name: `os-a-${name}` });
      other = await c.projects.create({ name: `os-b-${name}` });
      for (const p of [project, other]) {
        await upload(p, 'user-stats', p === project ? STATS_V1 : OTHER_PROJECT);
        await features.registry.createEntity(p.id, { name: 'user', joinKeys: [{ name: 'user_id', type: 'string' }] });
        await features.registry.applyFeatureView(p.id, view('user-stats'));
      }
      await upload(project, 'user-stats', STATS_V2);
    });

    afterAll(async () => {
      await store?.close();
      await artifacts?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('materializes full then incremental; reads show hits, misses and TTL expiry by event time', async () => {
      const full = await features.materializer.materialize(project.id, 'user-stats', { mode: 'full', datasetVersion: 1 });
      expect(full.run).toMatchObject({ status: 'complete', mode: 'full', rowsWritten: 3 });
      expect((await c.featureStore.getOnlineState(full.view.id))?.rowCount).toBe(3);
      const keys = [{ user_id: 'u1' }, { user_id: 'u2' }, { user_id: 'u4' }];
      const first = await reader('2024-01-11T00:00:00Z').read(project.id, { featureViews: ['user-stats'], entityKeys: keys });
      expect(first.results.map((r) => [r.features['user-stats'].status, r.features['user-stats'].eventTimestamp, r.features['user-stats'].values])).toEqual([
        ['present', '2024-01-10T00:00:00.000Z', { clicks: 10, ctr: 1, segment: 'c' }],
        ['expired', '2024-01-02T00:00:00.000Z', { clicks: null, ctr: null, segment: null }], // 9 days old, 3-day TTL
        ['missing', null, { clicks: null, ctr: null, segment: null }],
      ]);

      const inc = await features.materializer.materialize(project.id, 'user-stats', { mode: 'incremental' });
      expect(inc.run).toMatchObject({ status: 'complete', mode: 'incremental', datasetVersion: 2, rowsWritten: 3 });
      expect((await c.featureStore.getOnlineState(inc.view.id))?.rowCount).toBe(4);
      const after = await reader('2024-01-12T12:00:00Z').read(project.id, {
        featureViews: ['user-stats'],
        entityKeys: [{ user_id: 'u1' }, { user_id: 'u2' }, { user_id: 'u5' }, { user_id: 'u3' }],
      });
      expect(after.results.map((r) => [r.features['user-stats'].status, r.features['user-stats'].values.clicks])).toEqual([
        ['present', 12],
        ['present', 5],
        ['present', 7],
        ['expired', null],
      ]);
      // The staged generation was folded in: only the live one is left.
      const held = await options.generations(store, c, await ref(project, 'user-stats'));
      expect([...held.entries()]).toEqual([[full.run.generation, 4]]);
    });

    it('never shows a run that failed midway; running it again resumes from its last chunk', async () => {
      await features.registry.applyFeatureView(project.id, view('resumable'));
      await features.materializer.materialize(project.id, 'resumable', { mode: 'full', datasetVersion: 1 });
      const req = { featureViews: ['resumable'], entityKeys: [{ user_id: 'u1' }, { user_id: 'u5' }] };
      const before = await reader('2024-01-12T00:00:00Z').read(project.id, req);

      let calls = 0;
      const failing = interceptWrites(store, () => {
        if (++calls === 2) throw new Error('store unavailable (injected)');
      });
      const chunked = (s: OnlineStore) => new Materializer(c, features.datasets, { chunkSize: 1, store: s, duckdb: duck });
      await expect(chunked(failing).materialize(project.id, 'resumable', { mode: 'full', datasetVersion: 2 })).rejects.toThrow(/injected/);
      const [run] = await c.featureStore.listRuns((await ref(project, 'resumable')).viewVersionId);
      expect(run).toMatchObject({ status: 'failed', rowsWritten: 1, datasetVersion: 2 });
      expect(await reader('2024-01-12T00:00:00Z').read(project.id, req)).toEqual(before);

      let written = 0;
      const counting = interceptWrites(store, (rows) => {
        written += rows.length;
      });
      const resumed = await chunked(counting).materialize(project.id, 'resumable', { mode: 'full', datasetVersion: 2 });
      expect(resumed).toMatchObject({ resumed: true, run: { id: run.id, status: 'complete', rowsWritten: 4 } });
      expect(written).toBe(3); // the first key was already committed
      const now = await reader('2024-01-12T00:00:00Z').read(project.id, req);
      expect(now.results.map((r) => r.features.resumable.values.clicks)).toEqual([12, 7]);
      const held = await options.generations(store, c, await ref(project, 'resumable'));
      expect([...held.entries()]).toEqual([[run.generation, 4]]);
    });

    it('keeps the newer event time, takes a chunk written twice once, and folds a staged generation in', async () => {
      const r = await ref(project, 'user-stats');
      const live = (await c.featureStore.getOnlineState(r.viewVersionId))!;
      const staged = { ...r, generation: live.generation + 1000, ttlSeconds: 3 * DAY };
      const rows: OnlineRow[] = [
        { key: 'u1', eventTs: new Date('2024-01-20T00:00:00Z'), values: [20, 2, 'new'] },
        { key: 'u2', eventTs: new Date('2020-01-01T00:00:00Z'), values: [-1, -1, 'old'] },
        { key: 'u9', eventTs: new Date('2024-01-19T00:00:00Z'), values: [9, 0.9, 'k'] },
      ];
      await c.transaction((tx) => store.writeChunk(tx.db, staged, rows));
      await c.transaction((tx) => store.writeChunk(tx.db, staged, rows));
      const older = [{ key: 'u9', eventTs: new Date('2024-01-18T00:00:00Z'), values: [8, 0.8, 'older, written after'] }];
      await c.transaction((tx) => store.writeChunk(tx.db, staged, older));
      // Staged rows are not visible.
      expect((await store.read(r, ['u9'])).rows.size).toBe(0);
      const { rowCount } = await c.transaction((tx) => store.finish(tx.db, staged, { from: staged.generation, into: live.generation }));
      expect(rowCount).toBe(5); // u1 u2 u3 u5 + u9
      const read = await store.read(r, ['u1', 'u2', 'u9', 'nobody']);
      expect(read.materialized).toBe(true);
      expect(Object.fromEntries([...read.rows].map(([k, v]) => [k, [new Date(v.eventMs).toISOString(), JSON.parse(v.vals)]]))).toEqual({
        u1: ['2024-01-20T00:00:00.000Z', [20, 2, 'new']],
        u2: ['2024-01-11T00:00:00.000Z', [5, 0.5, 'b']], // the live row is newer than the staged one
        u9: ['2024-01-19T00:00:00.000Z', [9, 0.9, 'k']],
      });
      expect([...(await options.generations(store, c, r)).keys()]).toEqual([live.generation]);
    });

    it.skipIf(!options.loseRows)('after losing its rows: reads say not materialized, and an incremental run is a full one', async () => {
      await features.registry.applyFeatureView(project.id, view('lost'));
      await features.materializer.materialize(project.id, 'lost', { mode: 'full', datasetVersion: 1 });
      const r = await ref(project, 'lost');
      await options.loseRows!(r);
      await expect(reader('2024-01-12T00:00:00Z').read(project.id, { featureViews: ['lost'], entityKeys: [{ user_id: 'u1' }] })).rejects.toMatchObject({
        code: 'ATL_FEATURE_VIEW_NOT_MATERIALIZED',
      });
      const again = await features.materializer.materialize(project.id, 'lost', { mode: 'incremental', datasetVersion: 2 });
      expect(again.run).toMatchObject({ mode: 'full', status: 'complete', rowsWritten: 4 });
      const read = await reader('2024-01-12T00:00:00Z').read(project.id, { featureViews: ['lost'], entityKeys: [{ user_id: 'u1' }, { user_id: 'u3' }] });
      expect(read.results.map((x) => x.features.lost.values.clicks)).toEqual([12, null]); // u3 is 42 days old: expired
      expect(read.results[1].features.lost.status).toBe('expired');
    });

    it("keeps projects apart: another project's id finds nothing, its own view reads its own rows", async () => {
      const mine = await ref(project, 'user-stats');
      const stolen = await store.read({ projectId: other.id, viewVersionId: mine.viewVersionId }, ['u1', 'u2']);
      expect(stolen).toEqual({ materialized: false, rows: new Map() });
      // The other project's view of the same name is not materialized: its read is refused, not answered with ours.
      const otherReader = reader('2024-01-12T00:00:00Z');
      await expect(otherReader.read(other.id, { featureViews: ['user-stats'], entityKeys: [{ user_id: 'u1' }] })).rejects.toMatchObject({
        code: 'ATL_FEATURE_VIEW_NOT_MATERIALIZED',
      });
      await features.materializer.materialize(other.id, 'user-stats', { mode: 'full' });
      const theirs = await reader('2024-01-12T00:00:00Z').read(other.id, { featureViews: ['user-stats'], entityKeys: [{ user_id: 'u1' }] });
      expect(theirs.results[0].features['user-stats'].values).toEqual({ clicks: -1, ctr: 0, segment: 'other' });
      const ours = await reader('2024-01-21T00:00:00Z').read(project.id, { featureViews: ['user-stats'], entityKeys: [{ user_id: 'u1' }] });
      expect(ours.results[0].features['user-stats'].values).toEqual({ clicks: 20, ctr: 2, segment: 'new' });
    });
  });
}
