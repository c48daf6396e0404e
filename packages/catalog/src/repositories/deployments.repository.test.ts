import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/database.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Catalog } from '../catalog.js';
import type { DeploymentSpec } from './deployments.repository.js';

const specV = (version: number, extra: Partial<DeploymentSpec> = {}): DeploymentSpec => ({
  routes: [{ version, weight: 100 }],
  shadows: [],
  batching: { maxBatchSize: 64, maxQueueDelayMs: 2 },
  ...extra,
});

describeEachDatabase('deployments repository', ({ catalog, database, kind }) => {
  let n = 0;
  async function model(c: Catalog) {
    const project = await c.projects.create({ name: `deploy-${++n}` });
    return c.models.createOrGet({ projectId: project.id, name: 'ctr' });
  }

  it('creates a deployment at revision 1 with names unique per project, finds and lists it', async () => {
    const c = catalog();
    const m = await model(c);
    const spec: DeploymentSpec = {
      routes: [
        { version: 1, weight: 90 },
        { alias: 'staging', weight: 10 },
      ],
      shadows: [{ version: 2 }],
      pool: 'default',
    };
    const actor = '33333333-3333-3333-3333-333333333333';
    const { deployment, revision } = await c.deployments.create({ projectId: m.projectId, name: 'ctr-prod', modelId: m.id, spec, createdBy: actor });
    expect(deployment).toMatchObject({ name: 'ctr-prod', modelId: m.id, currentRevision: 1 });
    expect(revision).toMatchObject({ revision: 1, createdBy: actor });
    expect(revision.spec).toEqual(spec);
    expect(await c.deployments.currentSpec(deployment.id)).toEqual(spec);
    expect((await c.deployments.getByName(m.projectId, 'ctr-prod')).id).toBe(deployment.id);

    const dup = await c.deployments.create({ projectId: m.projectId, name: 'ctr-prod', modelId: m.id, spec }).catch((e) => e);
    expect(dup).toBeInstanceOf(ConflictError);
    expect(dup.code).toBe('ATL_DEPLOYMENT_EXISTS');

    // A model of another project cannot be deployed here.
    const foreign = await model(c);
    await expect(c.deployments.create({ projectId: m.projectId, name: 'x', modelId: foreign.id, spec })).rejects.toMatchObject({
      code: 'ATL_MODEL_NOT_FOUND',
    });
    expect(await c.deployments.findByName(m.projectId, 'x')).toBeUndefined(); // nothing half-created

    const other = await c.models.createOrGet({ projectId: m.projectId, name: 'other' });
    await c.deployments.create({ projectId: m.projectId, name: 'a-other', modelId: other.id, spec });
    expect((await c.deployments.list(m.projectId)).map((d) => d.name)).toEqual(['a-other', 'ctr-prod']);
    expect((await c.deployments.list(m.projectId, { modelId: m.id })).map((d) => d.name)).toEqual(['ctr-prod']);
    await expect(c.deployments.getByName(m.projectId, 'nope')).rejects.toMatchObject({ code: 'ATL_DEPLOYMENT_NOT_FOUND' });
  });

  it('adds revisions that become current, and rolls back by copying an old spec forward', async () => {
    const c = catalog();
    const m = await model(c);
    const { deployment } = await c.deployments.create({ projectId: m.projectId, name: 'ctr', modelId: m.id, spec: specV(1) });
    const r2 = await c.deployments.addRevision(deployment.id, specV(2), null);
    const r3 = await c.deployments.addRevision(deployment.id, specV(3, { shadows: [{ version: 2 }] }), null);
    expect([r2.revision, r3.revision]).toEqual([2, 3]);
    expect((await c.deployments.getById(deployment.id)).currentRevision).toBe(3);
    expect((await c.deployments.currentSpec(deployment.id)).routes).toEqual([{ version: 3, weight: 100 }]);

    const actor = '44444444-4444-4444-4444-444444444444';
    const back = await c.deployments.rollback(deployment.id, 1, actor);
    expect(back).toMatchObject({ revision: 4, createdBy: actor });
    expect(back.spec).toEqual(specV(1));
    expect(await c.deployments.currentSpec(deployment.id)).toEqual(specV(1));
    expect((await c.deployments.listRevisions(deployment.id)).map((r) => r.revision)).toEqual([4, 3, 2, 1]); // history kept
    expect((await c.deployments.listRevisions(deployment.id, { limit: 2, beforeRevision: 4 })).map((r) => r.revision)).toEqual([3, 2]);
    expect((await c.deployments.getRevision(deployment.id, 3)).spec.shadows).toEqual([{ version: 2 }]);

    await expect(c.deployments.rollback(deployment.id, 9, null)).rejects.toMatchObject({
      code: 'ATL_DEPLOYMENT_REVISION_NOT_FOUND',
    });
    expect((await c.deployments.getById(deployment.id)).currentRevision).toBe(4);
    await expect(c.deployments.addRevision('00000000-0000-0000-0000-000000000000', specV(1), null)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('gives concurrent changes from two processes consecutive revisions; current is the newest', async () => {
    const first = catalog();
    const second = kind === 'postgres' ? await database().openCatalog() : first;
    const m = await model(first);
    const { deployment } = await first.deployments.create({ projectId: m.projectId, name: 'busy', modelId: m.id, spec: specV(1) });
    const revisions = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? second : first).deployments.addRevision(deployment.id, specV(i + 2), null)),
    );
    expect(revisions.map((r) => r.revision).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 2));
    const newest = revisions.find((r) => r.revision === 11)!;
    expect((await first.deployments.getById(deployment.id)).currentRevision).toBe(11);
    expect(await first.deployments.currentSpec(deployment.id)).toEqual(newest.spec);
  });

  it('lists every deployment with its current spec for serving to reconcile, and deletes', async () => {
    const c = catalog();
    const m = await model(c);
    const { deployment: a } = await c.deployments.create({ projectId: m.projectId, name: 'a', modelId: m.id, spec: specV(1) });
    await c.deployments.create({ projectId: m.projectId, name: 'b', modelId: m.id, spec: specV(5) });
    await c.deployments.addRevision(a.id, specV(2), null);
    const current = await c.deployments.listCurrent({ projectId: m.projectId });
    expect(current.map(({ deployment, spec }) => [deployment.name, deployment.currentRevision, spec.routes[0].version])).toEqual([
      ['a', 2, 2],
      ['b', 1, 5],
    ]);
    expect((await c.deployments.listCurrent()).length).toBeGreaterThanOrEqual(2);

    await c.deployments.delete(a.id);
    expect(await c.deployments.findById(a.id)).toBeUndefined();
    expect(await c.deployments.listRevisions(a.id)).toEqual([]);
    await expect(c.deployments.currentSpec(a.id)).rejects.toMatchObject({ code: 'ATL_DEPLOYMENT_NOT_FOUND' });
    await expect(c.deployments.delete(a.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
