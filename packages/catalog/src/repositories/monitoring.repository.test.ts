import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/database.js';
import type { Catalog } from '../catalog.js';

describeEachDatabase('monitoring repository', ({ catalog }) => {
  let n = 0;
  async function deployed(c: Catalog) {
    const project = await c.projects.create({ name: `monitor-${++n}` });
    const model = await c.models.createOrGet({ projectId: project.id, name: 'churn' });
    const version = await c.models.createVersion({
      modelId: model.id,
      format: 'atelier',
      bundleKey: `models/sha256/m${n}`,
      bundleSha256: `sha-m${n}`,
      bundleSize: 10,
      signature: { inputs: [] },
      metrics: {},
      lineage: {},
    });
    const { deployment } = await c.deployments.create({ projectId: project.id, name: 'live', modelId: model.id, spec: { routes: [{ version: 1, weight: 100 }], shadows: [] } });
    return { deploymentId: deployment.id, versionId: version.id };
  }
  const counts = (rows: number) => ({ rows, features: [{ bins: [rows, 0], missing: 0, outOfRange: 0 }], output: null });

  it('keeps the first reference stored for a version (every node bins alike)', async () => {
    const c = catalog();
    const { versionId } = await deployed(c);
    expect(await c.monitoring.saveReference(versionId, { first: true })).toEqual({ first: true });
    expect(await c.monitoring.saveReference(versionId, { first: false })).toEqual({ first: true });
  });

  it("rewrites a node's running totals per window, keeps each node's row, and finds the newest window with enough rows", async () => {
    const c = catalog();
    const { deploymentId, versionId } = await deployed(c);
    const w1 = new Date('2030-01-01T00:00:00Z');
    const w2 = new Date('2030-01-01T00:05:00Z');
    const row = (windowStart: Date, rows: number) => ({ deploymentId, modelVersionId: versionId, windowStart, windowMs: 300_000, rows, counts: counts(rows) });
    await c.monitoring.writeWindows('node-a', [row(w1, 10)]);
    await c.monitoring.writeWindows('node-a', [row(w1, 150)]); // the same node's later totals: a rewrite, not an addition
    await c.monitoring.writeWindows('node-b', [row(w1, 40), row(w2, 120)]);
    const rows = await c.monitoring.windowRows(deploymentId, versionId, w1);
    expect(rows.map((r) => r.rows).sort((a, b) => a - b)).toEqual([40, 150]);
    expect(await c.monitoring.latestWindows(deploymentId, 100)).toEqual([{ modelVersionId: versionId, windowStart: w2 }]);
    expect(await c.monitoring.latestWindows(deploymentId, 150)).toEqual([{ modelVersionId: versionId, windowStart: w1 }]); // 150 + 40 across nodes
    expect(await c.monitoring.firstWindow(deploymentId, versionId, 100)).toEqual(w1);
    expect((await c.monitoring.listWindows(deploymentId, w2, new Date('2030-01-02T00:00:00Z'))).map((r) => r.nodeId)).toEqual(['node-b']);
    // A deployment deleted while a node still holds its counts: the rows are dropped, the write does not fail.
    await c.deployments.delete(deploymentId);
    await expect(c.monitoring.writeWindows('node-a', [row(w2, 5)])).resolves.toBeUndefined();
  });

  it('labels known answers by request id and row, and says which are unknown', async () => {
    const c = catalog();
    const { deploymentId, versionId } = await deployed(c);
    const windowStart = new Date('2030-01-01T00:00:00Z');
    const answer = (requestId: string, rowIndex: number, score: number) => ({ deploymentId, requestId, rowIndex, modelVersionId: versionId, windowStart, score });
    await c.monitoring.insertOutcomes([answer('r1', 0, 0.9), answer('r1', 1, 0.2), answer('r2', 0, 0.6)]);
    await c.monitoring.insertOutcomes([answer('r1', 0, 0.1)]); // a request id seen again keeps its first answer
    const found = await c.monitoring.labelOutcomes(deploymentId, [
      { requestId: 'r1', rowIndex: 0, label: 1 },
      { requestId: 'r1', rowIndex: 5, label: 1 },
      { requestId: 'nope', rowIndex: 0, label: 0 },
    ]);
    expect(found).toEqual([{ requestId: 'r1', rowIndex: 0 }]);
    expect(await c.monitoring.labeledOutcomes(deploymentId, windowStart, new Date('2030-01-02T00:00:00Z'), 10)).toEqual([{ modelVersionId: versionId, windowStart, score: expect.closeTo(0.9, 6), label: 1 }]);
    expect(await c.monitoring.latestLabeledWindow(deploymentId, versionId, 1)).toEqual(windowStart);
    expect(await c.monitoring.latestLabeledWindow(deploymentId, versionId, 2)).toBeUndefined();
  });

  it('keeps one active alert per version, feature and check, however often (and however concurrently) it is raised', async () => {
    const c = catalog();
    const { deploymentId, versionId } = await deployed(c);
    const finding = (value: number) => ({ deploymentId, modelVersionId: versionId, version: 1, feature: 'age', check: 'psi', value, threshold: 0.2, windowStart: new Date() });
    await Promise.all([c.monitoring.raiseAlert(finding(0.5)), c.monitoring.raiseAlert(finding(0.6)), c.monitoring.raiseAlert(finding(0.7))]);
    await c.monitoring.raiseAlert(finding(0.9));
    const active = await c.monitoring.listAlerts(deploymentId, { state: 'active' });
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({ feature: 'age', check: 'psi', value: 0.9, state: 'active', resolvedAt: null });
    await c.monitoring.resolveAlert(active[0].id);
    await c.monitoring.raiseAlert(finding(0.4));
    const all = await c.monitoring.listAlerts(deploymentId);
    expect(all.map((a) => a.state)).toEqual(['active', 'resolved']);
    expect(all[1].resolvedAt).toBeInstanceOf(Date);
  });
});
