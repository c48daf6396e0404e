import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/database.js';
import { ConflictError } from '../errors.js';
import type { Catalog } from '../catalog.js';

describeEachDatabase('evaluations repository', ({ catalog }) => {
  let n = 0;
  async function versions(c: Catalog) {
    const project = await c.projects.create({ name: `evals-${++n}` });
    const model = await c.models.createOrGet({ projectId: project.id, name: 'ctr' });
    const make = (i: number) =>
      c.models.createVersion({ modelId: model.id, format: 'atelier', bundleKey: `k${i}`, bundleSha256: `s${i}`, bundleSize: 1, signature: {} });
    const dataset = await c.datasets.create({ projectId: project.id, name: 'holdout' });
    const dv = await c.datasets.createVersion({
      datasetId: dataset.id,
      format: 'csv',
      artifactKey: 'd',
      sha256: 'd',
      sizeBytes: 1,
      rowCount: 1,
      schema: [],
    });
    return { baseline: await make(1), candidate: await make(2), datasetVersionId: dv.id };
  }

  it('runs an evaluation to completion with its metrics, slices, curves, comparison and verdict', async () => {
    const c = catalog();
    const { baseline, candidate, datasetVersionId } = await versions(c);
    const running = await c.evaluations.create({ modelVersionId: candidate.id, datasetVersionId, split: 'test', status: 'running' });
    expect(running).toMatchObject({ status: 'running', metrics: {}, verdict: 'no_baseline', error: null, datasetVersionId });

    const results = {
      metrics: { auc: 0.83, logLoss: 0.41 },
      slices: { country: [{ value: 'FR', count: 120, metrics: { auc: 0.8 } }] },
      curves: { roc: { fpr: [0, 0.5, 1], tpr: [0, 0.8, 1] } },
      featureImportance: [{ feature: 'age', importance: 0.3 }],
      baselineVersionId: baseline.id,
      comparison: { auc: { baseline: 0.8, candidate: 0.83, delta: 0.03 } },
      gate: { auc: { minDelta: 0 } },
      verdict: 'blessed' as const,
    };
    const done = await c.evaluations.complete(running.id, results);
    expect(done).toMatchObject({ status: 'completed', verdict: 'blessed', baselineVersionId: baseline.id });
    const fetched = await c.evaluations.get(running.id);
    expect(fetched.metrics).toEqual(results.metrics);
    expect(fetched.slices).toEqual(results.slices);
    expect(fetched.curves).toEqual(results.curves);
    expect(fetched.featureImportance).toEqual(results.featureImportance); // a JSON array, not a Postgres array
    expect(fetched.comparison).toEqual(results.comparison);
    expect(fetched.gate).toEqual(results.gate);

    const again = await c.evaluations.complete(running.id, { metrics: { auc: 0.1 } }).catch((e) => e);
    expect(again).toBeInstanceOf(ConflictError);
    expect(again.code).toBe('ATL_EVALUATION_FINISHED');
    expect((await c.evaluations.get(running.id)).metrics).toEqual(results.metrics); // unchanged
    await expect(c.evaluations.fail(running.id, 'late')).rejects.toMatchObject({ code: 'ATL_EVALUATION_FINISHED' });
    await expect(c.evaluations.get('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({
      code: 'ATL_EVALUATION_NOT_FOUND',
    });
  });

  it('records failures, lists by version newest first and finds the latest by status and split', async () => {
    const c = catalog();
    const { candidate } = await versions(c);
    const first = await c.evaluations.create({ modelVersionId: candidate.id, split: 'holdout', status: 'completed', metrics: { auc: 0.7 } });
    expect(first).toMatchObject({ status: 'completed', verdict: 'no_baseline', metrics: { auc: 0.7 }, datasetVersionId: null });
    const second = await c.evaluations.create({ modelVersionId: candidate.id, split: 'test', status: 'completed', metrics: { auc: 0.75 }, verdict: 'rejected' });
    const third = await c.evaluations.create({ modelVersionId: candidate.id, split: 'holdout', status: 'running' });
    const failed = await c.evaluations.fail(third.id, 'dataset version 3 has no column "age"');
    expect(failed).toMatchObject({ status: 'failed', error: 'dataset version 3 has no column "age"' });

    expect((await c.evaluations.listByVersion(candidate.id)).map((e) => e.id)).toEqual([third.id, second.id, first.id]);
    expect((await c.evaluations.listByVersion(candidate.id, { status: 'completed', limit: 1 })).map((e) => e.id)).toEqual([second.id]);
    expect((await c.evaluations.latestByVersion(candidate.id))?.id).toBe(third.id);
    expect((await c.evaluations.latestByVersion(candidate.id, { status: 'completed' }))?.id).toBe(second.id);
    expect((await c.evaluations.latestByVersion(candidate.id, { status: 'completed', split: 'holdout' }))?.id).toBe(first.id);
    const { baseline } = await versions(c);
    expect(await c.evaluations.latestByVersion(baseline.id)).toBeUndefined();
  });
});
