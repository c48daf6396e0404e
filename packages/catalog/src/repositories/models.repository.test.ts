import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/database.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Catalog } from '../catalog.js';
import type { NewModelVersion } from './models.repository.js';

const MISSING = '00000000-0000-0000-0000-000000000000';

const bundle = (modelId: string, n: number): NewModelVersion => ({
  modelId,
  format: 'atelier',
  bundleKey: `models/sha256/${n}`,
  bundleSha256: `sha-${n}`,
  bundleSize: 6_000_000_000,
  signature: { inputs: [{ name: 'age', dtype: 'float32', shape: [-1] }], outputs: [{ name: 'p', dtype: 'float32' }] },
  metrics: { auc: 0.8 + n / 100 },
  lineage: { jobId: `job-${n}`, datasetVersion: 3 },
});

describeEachDatabase('models repository', ({ catalog, database, kind }) => {
  let n = 0;
  async function model(c: Catalog, name = 'ctr') {
    const project = await c.projects.create({ name: `models-${++n}` });
    return c.models.createOrGet({ projectId: project.id, name, task: 'binary' });
  }

  it('creates a model on first use and returns the same one afterwards; names are per project', async () => {
    const c = catalog();
    const ctr = await model(c);
    expect(ctr).toMatchObject({ name: 'ctr', task: 'binary', description: '' });
    expect((await c.models.createOrGet({ projectId: ctr.projectId, name: 'ctr', task: 'other' })).id).toBe(ctr.id);
    const other = await model(c); // another project
    expect(other.id).not.toBe(ctr.id);
    await c.models.createOrGet({ projectId: ctr.projectId, name: 'aaa' });
    expect((await c.models.list(ctr.projectId)).map((m) => m.name)).toEqual(['aaa', 'ctr']);
    expect((await c.models.getByName(ctr.projectId, 'ctr')).id).toBe(ctr.id);
    expect((await c.models.getById(ctr.id)).name).toBe('ctr');
    const missing = await c.models.getByName(ctr.projectId, 'nope').catch((e) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.code).toBe('ATL_MODEL_NOT_FOUND');
  });

  it('numbers immutable versions and round-trips their signature, metrics, lineage and size', async () => {
    const c = catalog();
    const m = await model(c);
    expect(await c.models.latestVersion(m.id)).toBeUndefined();
    const v1 = await c.models.createVersion(bundle(m.id, 1));
    const v2 = await c.models.createVersion(bundle(m.id, 2));
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1).toMatchObject({ bundleSize: 6_000_000_000, metrics: { auc: 0.81 }, lineage: { jobId: 'job-1', datasetVersion: 3 } });
    expect(v1.signature).toEqual(bundle(m.id, 1).signature);
    expect((await c.models.getVersion(m.id, 2)).id).toBe(v2.id);
    expect((await c.models.getVersionById(v1.id)).version).toBe(1);
    expect((await c.models.latestVersion(m.id))?.id).toBe(v2.id);
    expect((await c.models.listVersions(m.id)).map((v) => v.version)).toEqual([2, 1]);
    expect((await c.models.listVersions(m.id, { beforeVersion: 2 })).map((v) => v.version)).toEqual([1]);
    await expect(c.models.getVersion(m.id, 9)).rejects.toMatchObject({ code: 'ATL_MODEL_VERSION_NOT_FOUND' });
    await expect(c.models.createVersion(bundle(MISSING, 1))).rejects.toMatchObject({ code: 'ATL_MODEL_NOT_FOUND' });
  });

  it('never hands out a deleted version number again', async () => {
    const c = catalog();
    const m = await model(c, 'renumbered');
    const v1 = await c.models.createVersion(bundle(m.id, 1));
    const v2 = await c.models.createVersion(bundle(m.id, 2));
    await c.models.deleteVersion(v2.id);
    await c.models.deleteVersion(v1.id);
    expect((await c.models.createVersion(bundle(m.id, 3))).version).toBe(3);
  });

  it('numbers versions registered concurrently by two processes consecutively', async () => {
    const first = catalog();
    const second = kind === 'postgres' ? await database().openCatalog() : first;
    const m = await model(first);
    const versions = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? second : first).models.createVersion(bundle(m.id, i))),
    );
    expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('moves aliases, reporting the version they pointed at before', async () => {
    const c = catalog();
    const m = await model(c);
    const v1 = await c.models.createVersion(bundle(m.id, 1));
    const v2 = await c.models.createVersion(bundle(m.id, 2));
    const actor = '22222222-2222-2222-2222-222222222222';

    expect(await c.models.setAlias(m.id, 'production', v1.id, actor)).toBeNull();
    expect(await c.models.setAlias(m.id, 'staging', v2.id, null)).toBeNull();
    expect(await c.models.getAlias(m.id, 'production')).toMatchObject({ versionId: v1.id, version: 1, updatedBy: actor });
    expect(await c.models.setAlias(m.id, 'production', v2.id, null)).toBe(v1.id);
    expect(await c.models.getAlias(m.id, 'production')).toMatchObject({ versionId: v2.id, version: 2, updatedBy: null });
    expect((await c.models.listAliases(m.id)).map((a) => [a.alias, a.version])).toEqual([
      ['production', 2],
      ['staging', 2],
    ]);

    // A version of another model cannot be aliased here.
    const other = await model(c, 'other');
    const foreign = await c.models.createVersion(bundle(other.id, 1));
    await expect(c.models.setAlias(m.id, 'production', foreign.id, null)).rejects.toMatchObject({
      code: 'ATL_MODEL_VERSION_NOT_FOUND',
    });
    expect((await c.models.getAlias(m.id, 'production')).versionId).toBe(v2.id);

    // Alias move and audit entry commit or roll back together.
    await expect(
      c.transaction(async (tx) => {
        const previous = await tx.models.setAlias(m.id, 'production', v1.id, null);
        await tx.audit.record({ actorKeyId: null, projectId: m.projectId, action: 'alias.move', resourceType: 'model', resourceId: m.id, details: { previous } });
        throw new Error('audit sink down');
      }),
    ).rejects.toThrow('audit sink down');
    expect((await c.models.getAlias(m.id, 'production')).versionId).toBe(v2.id);

    expect(await c.models.deleteAlias(m.id, 'staging')).toBe(v2.id);
    expect(await c.models.findAlias(m.id, 'staging')).toBeUndefined();
    await expect(c.models.getAlias(m.id, 'staging')).rejects.toMatchObject({ code: 'ATL_MODEL_ALIAS_NOT_FOUND' });
    await expect(c.models.deleteAlias(m.id, 'staging')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses to delete a version an alias or a current deployment revision uses, naming them', async () => {
    const c = catalog();
    const m = await model(c);
    const versions = [];
    for (let i = 1; i <= 4; i++) versions.push(await c.models.createVersion(bundle(m.id, i)));
    const [one, two, three, four] = versions;

    await c.models.setAlias(m.id, 'production', one.id, null);
    // 'main' routes to v2 by number and shadows v3; 'canary' first routed to v4, then moved to the alias.
    await c.deployments.create({
      projectId: m.projectId,
      name: 'main',
      modelId: m.id,
      spec: { routes: [{ version: 2, weight: 100 }], shadows: [{ version: 3 }] },
    });
    const canary = await c.deployments.create({
      projectId: m.projectId,
      name: 'canary',
      modelId: m.id,
      spec: { routes: [{ version: 4, weight: 100 }] },
    });
    await c.deployments.addRevision(canary.deployment.id, { routes: [{ alias: 'production', weight: 100 }] }, null);

    const byAlias = await c.models.deleteVersion(one.id).catch((e) => e);
    expect(byAlias).toBeInstanceOf(ConflictError);
    expect(byAlias.code).toBe('ATL_MODEL_VERSION_IN_USE');
    expect(byAlias.message).toContain("alias 'production'");
    expect(byAlias.message).toContain("deployment 'canary'"); // routes through the alias
    expect(byAlias.details).toMatchObject({ aliases: ['production'], deployments: ['canary'] });

    const routed = await c.models.deleteVersion(two.id).catch((e) => e);
    expect(routed.code).toBe('ATL_MODEL_VERSION_IN_USE');
    expect(routed.details).toMatchObject({ aliases: [], deployments: ['main'] });
    await expect(c.models.deleteVersion(three.id)).rejects.toMatchObject({ details: { deployments: ['main'] } }); // shadow

    // Only an earlier revision of 'canary' routed to v4: it may go.
    await c.models.deleteVersion(four.id);
    expect(await c.models.findVersionById(four.id)).toBeUndefined();
    await expect(c.models.deleteVersion(four.id)).rejects.toMatchObject({ code: 'ATL_MODEL_VERSION_NOT_FOUND' });

    // Once nothing uses v1 any more, it can be deleted too.
    await c.models.deleteAlias(m.id, 'production');
    await c.deployments.addRevision(canary.deployment.id, { routes: [{ version: 2, weight: 100 }] }, null);
    await c.models.deleteVersion(one.id);
    expect((await c.models.listVersions(m.id)).map((v) => v.version)).toEqual([3, 2]);
  });
});
