// Batch predictions over HTTP, end to end: a model trained through the API scores a dataset version
// uploaded through the API, on an orchestrator worker in this process; the predictions come back as
// an ordinary dataset version (schema, profile, lineage, content) whose values are the serving
// runtime's for the same rows. Also: alias resolution, SSE, cancel (nothing written), every bad input
// named (400/404/409), and project isolation. Real database, real filesystem artifacts.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from './gateway.js';
import { poll as pollUntil } from './worker-process.js';
import { start as startOrchestrator, defaultOrchestratorConfig, type OrchestratorHandle } from '../apps/training-orchestrator/src/index.js';
import { syntheticCsv } from '../apps/training-orchestrator/src/testing/fixtures.js';
import { EngineModelRuntime } from '../apps/serving/src/runtimes/engine-runtime.js';
import { withDuckDb } from '../packages/feature-store/src/index.js';
import { Atelier, isAtelierError } from '../packages/sdk/src/index.js';

let gw: TestGateway;
let editor: { authorization: string };
let otherEditor: { authorization: string };
const workers: OrchestratorHandle[] = [];
const P = '/v1/projects/growth';
const OTHER = '/v1/projects/elsewhere';
const BP = `${P}/models/churn/batch-predictions`;
const json = (res: { body: string }) => JSON.parse(res.body);
const finished = (j: { status: string }) => ['succeeded', 'failed', 'cancelled'].includes(j.status);

/** poll (worker-process.ts) with this file's pace: 90 s, every 50 ms. */
const poll = <T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000, everyMs = 50): Promise<T> => pollUntil(what, fn, timeoutMs, everyMs);

async function upload(prefix: string, auth: { authorization: string }, name: string, csv: string): Promise<void> {
  const created = await gw.app.inject({ method: 'POST', url: `${prefix}/datasets`, headers: auth, payload: { name } });
  expect([201, 409]).toContain(created.statusCode);
  const res = await gw.app.inject({
    method: 'POST',
    url: `${prefix}/datasets/${name}/versions`,
    headers: { ...auth, 'content-type': 'text/csv' },
    payload: Readable.from([Buffer.from(csv)]),
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function waitBatch(id: string, done: (j: any) => boolean = finished): Promise<any> {
  return poll(`batch prediction ${id}`, async () => {
    const j = json(await gw.app.inject({ url: `${BP}/${id}`, headers: editor }));
    return done(j) ? j : undefined;
  });
}

/** The rows of a dataset version's Parquet/CSV content, in file order, read by DuckDB. */
async function contentRows(prefix: string, dataset: string, version: number): Promise<Array<Record<string, unknown>>> {
  const res = await gw.app.inject({ url: `${prefix}/datasets/${dataset}/versions/${version}/content`, headers: editor });
  expect(res.statusCode, res.body).toBe(200);
  const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'atelier-bp-test-'));
  try {
    const file = join(dir, 'content.parquet');
    await writeFile(file, res.rawPayload);
    return await withDuckDb({ threads: 1 }, (db) => db.allJson(`SELECT * FROM read_parquet('${file}')`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  gw = await createTestGateway();
  for (const [name, prefix] of [['growth', P], ['elsewhere', OTHER]] as const) {
    await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name } });
    const key = json(await gw.app.inject({ method: 'POST', url: `${prefix}/api-keys`, headers: gw.adminAuth, payload: { name: 'ci', role: 'editor' } }));
    if (name === 'growth') editor = { authorization: `Bearer ${key.secret}` };
    else otherEditor = { authorization: `Bearer ${key.secret}` };
  }
  await upload(P, editor, 'customers', syntheticCsv(400));
  // Only the first columns: lacks what the model reads.
  await upload(P, editor, 'thin', 'id,age\n1,30\n2,40\n');
  await upload(P, editor, 'with-probability', 'id,age,income,city,probability\n1,30,50,paris,0.5\n');
  await upload(OTHER, otherEditor, 'secret', syntheticCsv(50, 3));
  workers.push(
    await startOrchestrator(defaultOrchestratorConfig({ workerId: 'bp-w1', cores: 2, leaseTtlMs: 3000, pollIntervalMs: 100, cancelPollMs: 100 }), {
      catalog: gw.catalog,
      artifacts: gw.artifacts,
    }),
  );
  const train = await gw.app.inject({
    method: 'POST',
    url: `${P}/training-jobs`,
    headers: editor,
    payload: {
      modelName: 'churn',
      data: { dataset: 'customers', version: 1 },
      label: 'churned',
      features: [
        { name: 'age', type: 'numeric', transform: 'standardize' },
        { name: 'income', type: 'numeric', transform: 'minmax' },
        { name: 'city', type: 'categorical', transform: 'vocabulary' },
      ],
      model: { kind: 'logistic' },
      maxEpochs: 4,
      batchSize: 32,
      optimizer: { kind: 'adam', lr: 0.05 },
      seed: 5,
      device: 'cpu',
    },
  });
  expect(train.statusCode, train.body).toBe(201);
  const job = await poll('the training job', async () => {
    const j = json(await gw.app.inject({ url: `${P}/training-jobs/${json(train).id}`, headers: editor }));
    return finished(j) ? j : undefined;
  });
  expect(job.status, job.error).toBe('succeeded');
}, 180_000);

afterAll(async () => {
  for (const w of workers) await w.stop();
  await gw?.close();
});

describe('batch predictions over HTTP', () => {
  it('scores a dataset version and publishes the predictions as a new dataset version with lineage', async () => {
    const res = await gw.app.inject({
      method: 'POST',
      url: BP,
      headers: editor,
      payload: { version: 1, input: { dataset: 'customers', version: 1 }, output: { dataset: 'churn-scores' }, passthroughColumns: ['id'], chunkRows: 64 },
    });
    expect(res.statusCode, res.body).toBe(202);
    const created = json(res);
    expect(res.headers.location).toBe(`${BP}/${created.id}`);
    expect(created).toMatchObject({
      status: 'queued',
      model: 'churn',
      modelVersion: 1,
      input: { dataset: 'customers', version: 1 },
      output: { dataset: 'churn-scores', version: null, versionId: null },
      passthroughColumns: ['id'],
      outputs: ['probabilities', 'class'],
      chunkRows: 64,
      totalRows: 400,
    });
    const done = await waitBatch(created.id);
    expect(done.error).toBeNull();
    expect(done).toMatchObject({ status: 'succeeded', rowsScored: 400, totalRows: 400, output: { dataset: 'churn-scores', version: 1 } });

    // An ordinary dataset version: schema, row count, profile, lineage to the model and input versions.
    const v = json(await gw.app.inject({ url: `${P}/datasets/churn-scores/versions/1`, headers: editor }));
    expect(v).toMatchObject({ id: done.output.versionId, format: 'parquet', rowCount: 400 });
    expect(v.schema.columns.map((c: any) => [c.name, c.type])).toEqual([
      ['id', 'integer'],
      ['probability', 'float'],
      ['predicted_class', 'string'],
    ]);
    expect(v.lineage).toMatchObject({
      kind: 'batch-prediction',
      batchPredictionJobId: created.id,
      model: { name: 'churn', version: 1, versionId: done.modelVersionId },
      input: { dataset: 'customers', version: 1 },
    });
    const profile = json(await gw.app.inject({ url: `${P}/datasets/churn-scores/versions/1/profile`, headers: editor }));
    const prob = profile.columns.find((c: any) => c.name === 'probability');
    expect(prob.nullCount).toBe(0);
    expect(prob.min).toBeGreaterThanOrEqual(0);
    expect(prob.max).toBeLessThanOrEqual(1);

    // Rows in input order, and each probability is what the serving runtime answers for that row.
    const out = await contentRows(P, 'churn-scores', 1);
    expect(out.map((r) => Number(r.id))).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    const input = json(await gw.app.inject({ url: `${P}/datasets/customers/versions/1/preview?limit=400`, headers: editor })).rows as Array<Record<string, unknown>>;
    const bundle = await gw.app.inject({ url: `${P}/models/churn/versions/1/bundle`, headers: editor });
    expect(bundle.statusCode).toBe(200);
    const runtime = await EngineModelRuntime.load(new Uint8Array(bundle.rawPayload), { workerThreads: 0 });
    try {
      const instances = input.map((r) => ({ age: r.age === null ? null : Number(r.age), income: Number(r.income), city: String(r.city) }));
      const online = await runtime.run(instances);
      let correct = 0;
      for (let i = 0; i < 400; i++) {
        expect(Number(out[i].probability)).toBeCloseTo(online[i], 5);
        expect(out[i].predicted_class).toBe(online[i] >= 0.5 ? '1' : '0');
        if (out[i].predicted_class === String(input[i].churned)) correct++;
      }
      expect(correct / 400).toBeGreaterThan(0.8);
    } finally {
      await runtime.release();
    }

    // Listed under the model; the SSE stream replays the job to its end.
    const list = json(await gw.app.inject({ url: BP, headers: editor }));
    expect(list.items.map((j: any) => j.id)).toContain(created.id);
    const sse = await gw.app.inject({ url: `${BP}/${created.id}/events`, headers: editor });
    expect(sse.headers['content-type']).toContain('text/event-stream');
    const states = sse.body.split('\n').filter((l) => l.startsWith('data: ') && l.includes('"status"')).map((l) => JSON.parse(l.slice(6)));
    expect(states.map((s) => s.status)).toEqual(['queued', 'running', 'succeeded']);
    expect(states.at(-1)).toMatchObject({ outputDataset: 'churn-scores', outputVersion: 1, rowsScored: 400 });
    // Batch predictions are jobs of the shared table: the training-jobs list shows their type.
    const viaJobs = json(await gw.app.inject({ url: `${P}/training-jobs/${created.id}`, headers: editor }));
    expect(viaJobs.type).toBe('batch_predict');
  });

  it('resolves an alias at submit and writes only the outputs asked for', async () => {
    const alias = await gw.app.inject({ method: 'PUT', url: `${P}/models/churn/aliases/production`, headers: editor, payload: { version: 1 } });
    expect(alias.statusCode, alias.body).toBeLessThan(300);
    const res = await gw.app.inject({
      method: 'POST',
      url: BP,
      headers: editor,
      payload: { alias: 'production', input: { dataset: 'customers', version: 1 }, output: { dataset: 'churn-classes' }, passthroughColumns: ['id', 'city'], outputs: ['class'] },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(json(res)).toMatchObject({ alias: 'production', modelVersion: 1, outputs: ['class'] });
    const done = await waitBatch(json(res).id);
    expect(done.status, done.error).toBe('succeeded');
    const v = json(await gw.app.inject({ url: `${P}/datasets/churn-classes/versions/1`, headers: editor }));
    expect(v.schema.columns.map((c: any) => c.name)).toEqual(['id', 'city', 'predicted_class']);
    expect(v.lineage.model).toMatchObject({ alias: 'production', version: 1 });
  });

  it('through the SDK over real HTTP: batchPredict(...).wait() answers the version written; events and list', async () => {
    const url = await gw.app.listen({ port: 0, host: '127.0.0.1' });
    const atl = new Atelier({ baseUrl: url, apiKey: editor.authorization.slice('Bearer '.length), project: 'growth' });
    const seen: string[] = [];
    const done = await atl.models
      .batchPredict('churn', { version: 1, input: { dataset: 'customers', version: 1 }, output: { dataset: 'sdk-scores' }, passthroughColumns: ['id'] })
      .wait({ onEvent: (e) => seen.push(e.type === 'state' ? `state:${e.data.status}` : e.type) });
    expect(done).toMatchObject({ status: 'succeeded', model: 'churn', output: { dataset: 'sdk-scores', version: 1 }, rowsScored: 400 });
    expect(seen[0]).toBe('state:queued');
    expect(seen.at(-1)).toBe('state:succeeded');
    const listed: string[] = [];
    for await (const j of atl.models.batchPredictions('churn', { status: 'succeeded' })) listed.push(j.id);
    expect(listed).toContain(done.id);
    expect((await atl.models.batchPrediction('churn', done.id)).output.versionId).toBe(done.output.versionId);
    // A bad request is an AtelierError naming the field.
    const err = await atl.models.batchPredict('churn', { version: 1, input: { dataset: 'customers', version: 1 }, output: { dataset: 'x' }, passthroughColumns: ['nope'] }).catch((e: unknown) => e);
    expect(isAtelierError(err) && err.status).toBe(400);
    expect(isAtelierError(err) && err.errors.map((f) => f.field)).toEqual(['/body/passthroughColumns/0']);
  });

  it('names every bad field: 400 for the body, 404 for what does not exist, 409 for output = input', async () => {
    const post = (payload: Record<string, unknown>, url = BP) => gw.app.inject({ method: 'POST', url, headers: editor, payload });
    const fields = (res: { body: string }) => (json(res).errors ?? []).map((e: any) => e.field);
    const base = { input: { dataset: 'customers', version: 1 }, output: { dataset: 'scores' } };

    const both = await post({ ...base, version: 1, alias: 'production' });
    expect(both.statusCode).toBe(400);
    expect(both.headers['content-type']).toContain('application/problem+json');
    expect(fields(both)).toEqual(['/body/version', '/body/alias']);
    const neither = await post(base);
    expect(neither.statusCode).toBe(400);
    expect(fields(neither)).toEqual(['/body/version']);

    // Columns the model reads that the input lacks: one 400 naming them all.
    const thin = await post({ ...base, version: 1, input: { dataset: 'thin', version: 1 } });
    expect(thin.statusCode, thin.body).toBe(400);
    expect(fields(thin)).toEqual(['/body/input']);
    expect(json(thin).errors[0].message).toContain("'income', 'city'");

    const bad = await post({ ...base, version: 1, passthroughColumns: ['id', 'nope'], outputs: ['prediction'] });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(fields(bad)).toEqual(['/body/passthroughColumns/1', '/body/outputs/0']);
    // A passthrough column named like an output column would be overwritten: refused, named.
    const clash = await post({ ...base, version: 1, input: { dataset: 'with-probability', version: 1 }, passthroughColumns: ['probability'] });
    expect(clash.statusCode, clash.body).toBe(400);
    expect(fields(clash)).toEqual(['/body/passthroughColumns/0']);
    expect(json(clash).errors[0].message).toContain('also an output column');
    const schemaErr = await post({ ...base, version: 0, chunkRows: 1, extra: true });
    expect(schemaErr.statusCode).toBe(400);

    const codes = async (res: Promise<{ statusCode: number; body: string }>) => {
      const r = await res;
      return [r.statusCode, json(r).code];
    };
    expect(await codes(post({ ...base, version: 9 }))).toEqual([404, 'ATL_MODEL_VERSION_NOT_FOUND']);
    expect(await codes(post({ ...base, alias: 'nope' }))).toEqual([404, 'ATL_MODEL_ALIAS_NOT_FOUND']);
    expect(await codes(post({ ...base, version: 1, input: { dataset: 'missing', version: 1 } }))).toEqual([404, 'ATL_DATASET_NOT_FOUND']);
    expect(await codes(post({ ...base, version: 1, input: { dataset: 'customers', version: 7 } }))).toEqual([404, 'ATL_DATASET_VERSION_NOT_FOUND']);
    expect(await codes(post({ ...base, version: 1 }, `${P}/models/nobody/batch-predictions`))).toEqual([404, 'ATL_MODEL_NOT_FOUND']);
    expect(await codes(post({ ...base, version: 1, output: { dataset: 'customers' } }))).toEqual([409, 'ATL_BATCH_PREDICTION_CONFLICT']);
    expect(await codes(gw.app.inject({ url: `${BP}/00000000-0000-4000-8000-000000000000`, headers: editor }))).toEqual([404, 'ATL_BATCH_PREDICTION_NOT_FOUND']);
  });

  it("resolves models, datasets and jobs in the caller's project only", async () => {
    const base = { version: 1, output: { dataset: 'stolen' } };
    // Another project's dataset, named from this project: not found (it exists in 'elsewhere').
    const foreignData = await gw.app.inject({ method: 'POST', url: BP, headers: editor, payload: { ...base, input: { dataset: 'secret', version: 1 } } });
    expect(foreignData.statusCode).toBe(404);
    expect(json(foreignData).code).toBe('ATL_DATASET_NOT_FOUND');
    // This project's model, named from the other project: not found there.
    const foreignModel = await gw.app.inject({
      method: 'POST',
      url: `${OTHER}/models/churn/batch-predictions`,
      headers: otherEditor,
      payload: { ...base, input: { dataset: 'secret', version: 1 } },
    });
    expect(foreignModel.statusCode).toBe(404);
    expect(json(foreignModel).code).toBe('ATL_MODEL_NOT_FOUND');
    // A job of this project, read through the other project's key and path.
    const jobs = json(await gw.app.inject({ url: BP, headers: editor })).items;
    const id = jobs[0].id;
    const viaOther = await gw.app.inject({ url: `${OTHER}/models/churn/batch-predictions/${id}`, headers: otherEditor });
    expect(viaOther.statusCode).toBe(404);
    const crossKey = await gw.app.inject({ url: `${BP}/${id}`, headers: otherEditor });
    expect([403, 404]).toContain(crossKey.statusCode);
    expect(await gw.catalog.datasets.findByName((await gw.catalog.projects.getByName('elsewhere')).id, 'stolen')).toBeUndefined();
  });

  it('cancels a running job between chunks and writes no dataset version', async () => {
    await upload(P, editor, 'customers', syntheticCsv(60_000, 11));
    const res = await gw.app.inject({
      method: 'POST',
      url: BP,
      headers: editor,
      payload: { version: 1, input: { dataset: 'customers', version: 2 }, output: { dataset: 'never-written' }, chunkRows: 64 },
    });
    expect(res.statusCode, res.body).toBe(202);
    const id = json(res).id;
    await waitBatch(id, (j) => j.status === 'running' || finished(j));
    const cancel = await gw.app.inject({ method: 'POST', url: `${BP}/${id}/cancel`, headers: editor });
    expect(cancel.statusCode).toBe(200);
    const done = await waitBatch(id);
    expect(done.status).toBe('cancelled');
    expect(done.rowsScored).toBeLessThan(60_000);
    const growth = await gw.catalog.projects.getByName('growth');
    const ds = await gw.catalog.datasets.findByName(growth.id, 'never-written');
    if (ds) expect(await gw.catalog.datasets.latestVersion(ds.id)).toBeUndefined();
  });
});
