import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/database.js';
import { ConflictError } from '../errors.js';
import type { Catalog } from '../catalog.js';

describeEachDatabase('feature store repository', ({ catalog }) => {
  async function setup(c: Catalog, name: string) {
    const project = await c.projects.create({ name });
    const dataset = await c.datasets.create({ projectId: project.id, name: 'events' });
    await c.datasets.createVersion({ datasetId: dataset.id, format: 'csv', artifactKey: 'k', sha256: 'aa', sizeBytes: 1, rowCount: 1, schema: [] });
    const entity = await c.featureStore.createEntity({ projectId: project.id, name: 'user', joinKeys: [{ name: 'user_id', type: 'string' }] });
    const base = {
      projectId: project.id,
      name: 'clicks',
      entityId: entity.id,
      datasetId: dataset.id,
      datasetVersion: 1,
      eventTimestampColumn: 'ts',
      features: [{ name: 'n', type: 'int' as const }],
      ttlSeconds: 60,
    };
    return { project, dataset, entity, base };
  }

  it('keeps entity names unique per project', async () => {
    const c = catalog();
    const { project, entity } = await setup(c, 'fsr-entities');
    const dup = await c.featureStore.createEntity({ projectId: project.id, name: 'user', joinKeys: [] }).catch((e) => e);
    expect(dup).toBeInstanceOf(ConflictError);
    expect(dup.code).toBe('ATL_ENTITY_EXISTS');
    expect(await c.featureStore.findEntity(project.id, 'user')).toMatchObject({ id: entity.id, joinKeys: [{ name: 'user_id', type: 'string' }] });
    expect((await c.featureStore.listEntities(project.id)).map((e) => e.name)).toEqual(['user']);
  });

  it('numbers view versions, returns the latest for an unchanged spec, and joins names in', async () => {
    const c = catalog();
    const { project, base } = await setup(c, 'fsr-views');
    const v1 = await c.featureStore.createFeatureViewVersion({ ...base, specHash: 'h1' });
    expect(v1).toMatchObject({ created: true, version: { version: 1, name: 'clicks', entityName: 'user', datasetName: 'events', ttlSeconds: 60 } });
    expect(await c.featureStore.createFeatureViewVersion({ ...base, specHash: 'h1' })).toMatchObject({ created: false, version: { id: v1.version.id } });
    const [a, b] = await Promise.all([
      c.featureStore.createFeatureViewVersion({ ...base, ttlSeconds: 1, specHash: 'h2' }),
      c.featureStore.createFeatureViewVersion({ ...base, ttlSeconds: 2, specHash: 'h3' }),
    ]);
    expect([a.version.version, b.version.version].sort()).toEqual([2, 3]);
    expect((await c.featureStore.findViewVersion(project.id, 'clicks'))?.version).toBe(3);
    expect((await c.featureStore.findViewVersion(project.id, 'clicks', 1))?.id).toBe(v1.version.id);
    expect((await c.featureStore.listViewVersions(project.id, 'clicks')).map((v) => v.version)).toEqual([3, 2, 1]);
    expect((await c.featureStore.listLatestViewVersions(project.id)).map((v) => `${v.name}@${v.version}`)).toEqual(['clicks@3']);
  });

  it('allows one running materialization per view version, takes over dead ones, and flips state on completion', async () => {
    const c = catalog();
    const { base } = await setup(c, 'fsr-runs');
    const { version } = await c.featureStore.createFeatureViewVersion({ ...base, specHash: 'h' });
    const key = { featureViewVersionId: version.id, mode: 'full' as const, datasetVersion: 1, startWatermark: null };
    const run = await c.featureStore.startRun(key);
    expect(run).toMatchObject({ status: 'running', generation: 1, rowsWritten: 0 });
    const busy = await c.featureStore.startRun(key).catch((e) => e);
    expect(busy.code).toBe('ATL_MATERIALIZATION_CONFLICT');

    await c.featureStore.recordChunk(run.id, 5000);
    await c.featureStore.failRun(run.id, 'boom');
    const resumable = await c.featureStore.findResumableRun(key);
    expect(resumable).toMatchObject({ id: run.id, status: 'failed', rowsWritten: 5000, chunksWritten: 1 });
    expect(await c.featureStore.findResumableRun({ ...key, datasetVersion: 2 })).toBeUndefined();
    await c.featureStore.resumeRun(run.id);

    // A running run that stopped reporting is taken over by the next start.
    await new Promise((r) => setTimeout(r, 20));
    const next = await c.featureStore.startRun({ ...key, staleAfterMs: 10 });
    expect(next.generation).toBe(2);
    expect((await c.featureStore.findRun(run.id))?.status).toBe('failed');

    expect(await c.featureStore.getOnlineState(version.id)).toBeUndefined();
    const watermark = new Date('2024-01-05T00:00:00Z');
    await c.transaction((tx) => tx.featureStore.completeRun({ id: next.id, featureViewVersionId: version.id }, { generation: 2, watermark, rowCount: 7 }));
    expect(await c.featureStore.getOnlineState(version.id)).toMatchObject({ generation: 2, watermark, runId: next.id, rowCount: 7 });
    expect(await c.featureStore.findRun(next.id)).toMatchObject({ status: 'complete', endWatermark: watermark });
    expect(await c.featureStore.findResumableRun(key)).toBeUndefined();
  });
});
