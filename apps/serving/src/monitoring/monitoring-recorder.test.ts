// The node's side of model monitoring on a real catalog: the reference comes from the training dataset
// version of the model's own project (never another project's, whatever an uploaded lineage says), rows
// are counted per window and written as running totals, and answers kept for labels are capped per flush.
import { expect, it } from 'vitest';
import type { Catalog, ModelVersion } from '@atelier/catalog';
import type { MonitoringReference, MonitoringWindowCounts } from '@atelier/contracts';
import { describeEachDatabase } from '../../../../test/database.js';
import { MonitoringRecorder } from './monitoring-recorder.js';

const profile = {
  columns: [
    { name: 'age', nullFraction: 0, histogram: { kind: 'numeric', bins: [{ lower: 20, upper: 40, count: 5 }, { lower: 40, upper: 60, count: 5 }], nonFiniteCount: 0 } },
    { name: 'city', nullFraction: 0.1, histogram: { kind: 'categorical', buckets: [{ value: 'paris', count: 6 }, { value: 'lyon', count: 3 }], otherCount: 0 } },
  ],
};
const inputs = [{ name: 'age', shape: [] }, { name: 'city', shape: [] }];

describeEachDatabase('monitoring recorder', ({ catalog }) => {
  let n = 0;
  async function setup(c: Catalog, opts: { foreignDataset?: boolean } = {}) {
    const project = await c.projects.create({ name: `rec-${++n}` });
    const owner = opts.foreignDataset ? await c.projects.create({ name: `rec-foreign-${n}` }) : project;
    const dataset = await c.datasets.create({ projectId: owner.id, name: 'customers' });
    const dv = await c.datasets.createVersion({ datasetId: dataset.id, format: 'csv', artifactKey: `d/${n}`, sha256: `s${n}`, sizeBytes: 1, rowCount: 10, schema: {}, profile });
    const model = await c.models.createOrGet({ projectId: project.id, name: 'churn' });
    const version = await c.models.createVersion({
      modelId: model.id,
      format: 'atelier',
      bundleKey: `b/${n}`,
      bundleSha256: `b${n}`,
      bundleSize: 1,
      signature: { inputs, task: 'binary' },
      metrics: {},
      lineage: { datasetVersionId: dv.id, spec: { label: 'churned' } },
    });
    const { deployment } = await c.deployments.create({ projectId: project.id, name: 'live', modelId: model.id, spec: { routes: [{ version: 1, weight: 100 }], shadows: [] } });
    return { projectId: project.id, version, deploymentId: deployment.id, datasetVersionId: dv.id };
  }
  const recorder = (c: Catalog, maxOutcomesPerFlush = 1000, dropped: number[] = []) =>
    new MonitoringRecorder(c, { nodeId: 'node-1', windowMs: 86_400_000, flushMs: 3_600_000, maxOutcomesPerFlush, onDropped: (k) => dropped.push(k) }, () => {});

  it("bins a deployment's rows into the training profile's bins and writes the window's running totals", async () => {
    const c = catalog();
    const { projectId, version, deploymentId, datasetVersionId } = await setup(c);
    const rec = recorder(c);
    await rec.prepare(version as ModelVersion, projectId, inputs, 1);
    const reference = (await c.monitoring.findReference(version.id)) as MonitoringReference;
    expect(reference.datasetVersionId).toBe(datasetVersionId);
    expect(reference.features.map((f) => f.name)).toEqual(['age', 'city']);
    const rows = [{ age: 25, city: 'paris' }, { age: 70, city: 'nice' }, { age: null, city: null }];
    rec.observe(deploymentId, version.id, rows, Float32Array.from([0.1, 0.95, 0.5]), 1, 'req-1');
    await rec.flush();
    rec.observe(deploymentId, version.id, rows.slice(0, 1), Float32Array.from([0.2]), 1, 'req-2');
    await rec.flush();
    const written = await c.monitoring.listWindows(deploymentId, new Date(0), new Date(Date.now() + 86_400_000));
    expect(written).toHaveLength(1); // one row per node and window, rewritten with the running totals
    const counts = written[0].counts as MonitoringWindowCounts;
    expect(counts.rows).toBe(4);
    expect(counts.features[0]).toEqual({ bins: [2, 1], missing: 1, outOfRange: 1 }); // 70 > 60: last bin, out of range
    expect(counts.features[1]).toEqual({ bins: [2, 0, 1], missing: 1, outOfRange: 1 }); // nice: never seen, all values known
    expect(counts.output!.bins.reduce((a, b) => a + b, 0)).toBe(4);
    const labelled = await c.monitoring.labelOutcomes(deploymentId, [
      { requestId: 'req-1', rowIndex: 2, label: 1 },
      { requestId: 'req-2', rowIndex: 0, label: 0 },
    ]);
    expect(labelled).toHaveLength(2);
    await rec.stop();
  });

  it("ignores a lineage naming another project's dataset: no feature bins from it", async () => {
    const c = catalog();
    const { projectId, version } = await setup(c, { foreignDataset: true });
    const rec = recorder(c);
    await rec.prepare(version as ModelVersion, projectId, inputs, 1);
    const reference = (await c.monitoring.findReference(version.id)) as MonitoringReference;
    expect(reference).toMatchObject({ datasetVersionId: null, features: [], task: 'binary' });
    expect(reference.output).toMatchObject({ kind: 'numeric', expected: null });
    await rec.stop();
  });

  it('keeps at most maxOutcomesPerFlush answers for labels and reports the rest', async () => {
    const c = catalog();
    const { projectId, version, deploymentId } = await setup(c);
    const dropped: number[] = [];
    const rec = recorder(c, 2, dropped);
    await rec.prepare(version as ModelVersion, projectId, inputs, 1);
    rec.observe(deploymentId, version.id, [{ age: 30, city: 'lyon' }, { age: 31, city: 'lyon' }, { age: 32, city: 'lyon' }], Float32Array.from([0.1, 0.2, 0.3]), 1, 'r');
    rec.observe(deploymentId, version.id, [{ age: 30, city: 'lyon' }], Float32Array.from([0.4]), 1, 'bad\u0000id');
    await rec.flush();
    expect(dropped).toEqual([1]);
    const found = await c.monitoring.labelOutcomes(deploymentId, [0, 1, 2].map((rowIndex) => ({ requestId: 'r', rowIndex, label: 1 })));
    expect(found.map((f) => f.rowIndex).sort()).toEqual([0, 1]);
    await rec.stop();
  });
});
