import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/database.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Catalog } from '../catalog.js';
import type { NewDatasetVersion } from './datasets.repository.js';

const MISSING = '00000000-0000-0000-0000-000000000000';

function upload(datasetId: string, sha256: string, extra: Partial<NewDatasetVersion> = {}): NewDatasetVersion {
  return {
    datasetId,
    format: 'csv',
    artifactKey: `datasets/sha256/${sha256}`,
    sha256,
    sizeBytes: 5_000_000_000, // past 2^32: int8 comes back as an exact number
    rowCount: 1234,
    schema: [
      { name: 'user_id', type: 'string' },
      { name: 'clicked', type: 'int' },
    ],
    ...extra,
  };
}

describeEachDatabase('datasets repository', ({ catalog, database, kind }) => {
  async function project(c: Catalog, name: string) {
    return c.projects.create({ name });
  }

  it('creates datasets with names unique per project, finds, lists and deletes them', async () => {
    const c = catalog();
    const ranking = await project(c, 'ds-ranking');
    const risk = await project(c, 'ds-risk');
    const clicks = await c.datasets.create({ projectId: ranking.id, name: 'clicks', description: 'search clicks' });
    await c.datasets.create({ projectId: ranking.id, name: 'impressions' });
    await c.datasets.create({ projectId: risk.id, name: 'clicks' }); // same name, other project: fine

    const dup = await c.datasets.create({ projectId: ranking.id, name: 'clicks' }).catch((e) => e);
    expect(dup).toBeInstanceOf(ConflictError);
    expect(dup.code).toBe('ATL_DATASET_EXISTS');
    expect(dup.message).toMatch(/add a version/);

    expect(await c.datasets.getByName(ranking.id, 'clicks')).toMatchObject({
      id: clicks.id,
      projectId: ranking.id,
      description: 'search clicks',
    });
    const missing = await c.datasets.getByName(ranking.id, 'nope').catch((e) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.code).toBe('ATL_DATASET_NOT_FOUND');
    expect((await c.datasets.list(ranking.id)).map((d) => d.name)).toEqual(['clicks', 'impressions']);
    expect((await c.datasets.list(ranking.id, { after: 'clicks' })).map((d) => d.name)).toEqual(['impressions']);

    const v1 = await c.datasets.createVersion(upload(clicks.id, 'aa'));
    await c.datasets.delete(clicks.id);
    expect(await c.datasets.findById(clicks.id)).toBeUndefined();
    expect(await c.datasets.findVersionById(v1.id)).toBeUndefined(); // versions go with it
    await expect(c.datasets.delete(clicks.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('numbers versions, round-trips their JSON and big sizes, finds identical bytes by hash', async () => {
    const c = catalog();
    const p = await project(c, 'ds-versions');
    const ds = await c.datasets.create({ projectId: p.id, name: 'events' });
    expect(await c.datasets.latestVersion(ds.id)).toBeUndefined();

    const v1 = await c.datasets.createVersion(
      upload(ds.id, 'sha-one', { profile: { columns: { clicked: { mean: 0.12, histogram: [1, 2, 3] } } }, lineage: { source: 's3://x' } }),
    );
    const v2 = await c.datasets.createVersion(upload(ds.id, 'sha-two', { format: 'parquet' }));
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1.sizeBytes).toBe(5_000_000_000);
    expect(v1.schema).toEqual([
      { name: 'user_id', type: 'string' },
      { name: 'clicked', type: 'int' },
    ]);
    expect(v1.profile).toEqual({ columns: { clicked: { mean: 0.12, histogram: [1, 2, 3] } } });
    expect(v2.profile).toEqual({});
    expect(v1.lineage).toEqual({ source: 's3://x' });

    expect((await c.datasets.findVersionBySha(ds.id, 'sha-one'))?.id).toBe(v1.id);
    expect(await c.datasets.findVersionBySha(ds.id, 'sha-three')).toBeUndefined();
    expect((await c.datasets.getVersion(ds.id, 2)).format).toBe('parquet');
    const missing = await c.datasets.getVersion(ds.id, 3).catch((e) => e);
    expect(missing.code).toBe('ATL_DATASET_VERSION_NOT_FOUND');
    expect((await c.datasets.latestVersion(ds.id))?.version).toBe(2);

    await c.datasets.createVersion(upload(ds.id, 'sha-three'));
    expect((await c.datasets.listVersions(ds.id)).map((v) => v.version)).toEqual([3, 2, 1]);
    expect((await c.datasets.listVersions(ds.id, { limit: 1, beforeVersion: 3 })).map((v) => v.version)).toEqual([2]);

    await expect(c.datasets.createVersion(upload(MISSING, 'x'))).rejects.toMatchObject({ code: 'ATL_DATASET_NOT_FOUND' });
  });

  it('gives concurrent uploads from two processes consecutive version numbers', async () => {
    const first = catalog();
    const second = kind === 'postgres' ? await database().openCatalog() : first; // a second pool
    const p = await project(first, 'ds-race');
    const ds = await first.datasets.create({ projectId: p.id, name: 'racing' });
    const created = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? second : first).datasets.createVersion(upload(ds.id, `sha-${i}`))),
    );
    expect(created.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });

  it('creates a version inside a caller transaction and rolls it back with it', async () => {
    const c = catalog();
    const p = await project(c, 'ds-tx');
    const ds = await c.datasets.create({ projectId: p.id, name: 'tx' });
    await expect(
      c.transaction(async (tx) => {
        await tx.datasets.createVersion(upload(ds.id, 'rolled-back'));
        throw new Error('artifact write failed');
      }),
    ).rejects.toThrow('artifact write failed');
    expect(await c.datasets.listVersions(ds.id)).toEqual([]);
    const v = await c.transaction((tx) => tx.datasets.createVersion(upload(ds.id, 'kept')));
    expect(v.version).toBe(1);
  });
});
