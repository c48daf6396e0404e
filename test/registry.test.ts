// The model registry over HTTP (app.inject) on a real database and filesystem artifacts: ONNX upload →
// version → download byte-identical, aliases with audit and the blessing gate, deletes that refuse while
// in use and leave no orphaned bytes, evaluation requests queued as jobs, and roles.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBlessingGate, evaluateModel } from '../packages/engine/src/evaluation/index.js';
import { createTestGateway, type TestGateway } from './gateway.js';
import { externalDataModel, reluModel, unknownOperatorModel } from './onnx-bytes.js';

const ONNX = readFileSync(new URL('./fixtures/tiny-mlp.onnx', import.meta.url));
/** The same model with another producer name: other bytes, still valid ONNX. */
const ONNX_OTHER = Buffer.from(ONNX.toString('latin1').replace('atelier-test', 'atelier-tesu'), 'latin1');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const P = '/v1/projects/ml';
const M = `${P}/models/churn`;
const SIGNATURE = {
  inputs: [{ name: 'features', dtype: 'float32', shape: [4] }],
  outputs: [{ name: 'probability', dtype: 'float32', shape: [1] }],
};
/** tiny-mlp.onnx's graph as ONNX Runtime reports it. */
const GRAPH = {
  inputs: [{ name: 'features', type: 'float32', shape: ['batch', 4] }],
  outputs: [{ name: 'probability', type: 'float32', shape: ['batch', 1] }],
};

let gw: TestGateway;
let editor: { authorization: string };
let viewer: { authorization: string };
let projectId: string;
/** The version the evaluations block registers (numbers restart once every version was deleted). */
let V: string;

const json = (res: { body: string }) => JSON.parse(res.body);

function streamOf(bytes: Buffer, chunkSize = 37): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

async function upload(bytes: Buffer, model = 'churn', auth = editor, contentType = 'application/octet-stream') {
  return gw.app.inject({
    method: 'POST',
    url: `${P}/models/${model}/uploads`,
    headers: { ...auth, 'content-type': contentType },
    payload: streamOf(bytes),
  });
}

async function register(bytes: Buffer, extra: Record<string, unknown> = {}) {
  const up = await upload(bytes);
  expect(up.statusCode, up.body).toBe(201);
  const res = await gw.app.inject({
    method: 'POST',
    url: `${M}/versions`,
    headers: editor,
    payload: { format: 'onnx', uploadId: json(up).uploadId, signature: SIGNATURE, ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const e of gw.artifacts.list(prefix)) keys.push(e.key);
  return keys;
}

async function modelId(name = 'churn'): Promise<string> {
  return (await gw.catalog.models.getByName(projectId, name)).id;
}

async function versionId(version: number): Promise<string> {
  return (await gw.catalog.models.getVersion(await modelId(), version)).id;
}

beforeAll(async () => {
  gw = await createTestGateway();
  const project = await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'ml' } });
  projectId = json(project).id;
  await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'other' } });
  const key = async (role: string) => {
    const res = await gw.app.inject({ method: 'POST', url: `${P}/api-keys`, headers: gw.adminAuth, payload: { name: role, role } });
    return { authorization: `Bearer ${json(res).secret}` };
  };
  editor = await key('editor');
  viewer = await key('viewer');
});

afterAll(async () => {
  await gw?.close();
});

describe('OpenAPI', () => {
  it('documents the registry routes', async () => {
    const doc = json(await gw.app.inject({ url: '/openapi.json' }));
    for (const path of [
      '/v1/projects/{project}/models',
      '/v1/projects/{project}/models/{name}/uploads',
      '/v1/projects/{project}/models/{name}/versions/{version}/bundle',
      '/v1/projects/{project}/models/{name}/aliases/{alias}',
      '/v1/projects/{project}/models/{name}/versions/{version}/evaluations',
      '/v1/projects/{project}/evaluations/{evaluationId}',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(Object.keys(doc.paths['/v1/projects/{project}/models/{name}/versions/{version}']).sort()).toEqual(['delete', 'get']);
  });
});

describe('models', () => {
  it('creates, lists and gets models; a second create of a name is a conflict', async () => {
    const created = await gw.app.inject({
      method: 'POST',
      url: `${P}/models`,
      headers: editor,
      payload: { name: 'churn', description: 'who leaves', task: 'binary' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(json(created)).toMatchObject({ name: 'churn', description: 'who leaves', task: 'binary', latestVersion: null, aliases: [] });

    const again = await gw.app.inject({ method: 'POST', url: `${P}/models`, headers: editor, payload: { name: 'churn' } });
    expect(again.statusCode).toBe(409);
    expect(json(again).code).toBe('ATL_MODEL_EXISTS');

    await gw.app.inject({ method: 'POST', url: `${P}/models`, headers: editor, payload: { name: 'aardvark', task: 'regression' } });
    const list = await gw.app.inject({ url: `${P}/models?limit=1`, headers: viewer });
    expect(list.statusCode).toBe(200);
    expect(json(list).items.map((m: { name: string }) => m.name)).toEqual(['aardvark']);
    expect(json(list).next).toBe('aardvark');
    const page2 = await gw.app.inject({ url: `${P}/models?after=aardvark`, headers: viewer });
    expect(json(page2).items.map((m: { name: string }) => m.name)).toEqual(['churn']);

    const got = await gw.app.inject({ url: M, headers: viewer });
    expect(json(got)).toMatchObject({ name: 'churn', task: 'binary' });
    const missing = await gw.app.inject({ url: `${P}/models/nope`, headers: viewer });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).code).toBe('ATL_MODEL_NOT_FOUND');
  });

  it('names every invalid field', async () => {
    const res = await gw.app.inject({
      method: 'POST',
      url: `${P}/models`,
      headers: editor,
      payload: { name: 'Bad Name', task: 'clustering', colour: 'red' },
    });
    expect(res.statusCode).toBe(400);
    const fields = json(res).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['/body/name', '/body/task', '/body/colour']));
  });
});

describe('registering an ONNX model', () => {
  it('uploads (loaded by ONNX Runtime), registers, lists, gets and downloads it byte-identical', async () => {
    const up = await upload(ONNX);
    expect(up.statusCode, up.body).toBe(201);
    const uploaded = json(up);
    expect(uploaded).toEqual({ uploadId: expect.any(String), sha256: sha(ONNX), size: ONNX.length, ...GRAPH });

    const reg = await gw.app.inject({
      method: 'POST',
      url: `${M}/versions`,
      headers: editor,
      payload: { format: 'onnx', uploadId: uploaded.uploadId, signature: SIGNATURE, metrics: { auc: 0.91 }, lineage: { framework: 'pytorch' } },
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const v1 = json(reg);
    expect(v1).toMatchObject({
      model: 'churn',
      version: 1,
      format: 'onnx',
      bundle: { sha256: sha(ONNX), size: ONNX.length, url: `${M}/versions/1/bundle` },
      signature: SIGNATURE,
      metrics: { auc: 0.91 },
      lineage: { framework: 'pytorch', source: 'upload', uploadId: uploaded.uploadId },
    });
    expect(reg.headers.location).toBe(`${M}/versions/1`);
    // The staging upload is gone; the bundle sits under its content hash.
    expect(await keysUnder('uploads/')).toEqual([]);
    expect(await keysUnder(`models/${projectId}/`)).toEqual([`models/${projectId}/${await modelId()}/sha256/${sha(ONNX)}.onnx`]);
    // An upload registers once.
    const twice = await gw.app.inject({
      method: 'POST',
      url: `${M}/versions`,
      headers: editor,
      payload: { format: 'onnx', uploadId: uploaded.uploadId, signature: SIGNATURE },
    });
    expect(twice.statusCode).toBe(404);
    expect(json(twice).code).toBe('ATL_UPLOAD_NOT_FOUND');

    const got = await gw.app.inject({ url: `${M}/versions/1`, headers: viewer });
    expect(got.statusCode).toBe(200);
    expect(json(got)).toMatchObject({ version: 1, aliases: [], latestEvaluation: null, bundle: { sha256: sha(ONNX) } });

    const download = await gw.app.inject({ url: `${M}/versions/1/bundle`, headers: viewer });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(ONNX)).toBe(true);
    expect(download.headers['content-type']).toBe('application/onnx');
    expect(download.headers['content-length']).toBe(String(ONNX.length));
    expect(download.headers.etag).toBe(`"${sha(ONNX)}"`);
    const cached = await gw.app.inject({ url: `${M}/versions/1/bundle`, headers: { ...viewer, 'if-none-match': `"${sha(ONNX)}"` } });
    expect(cached.statusCode).toBe(304);
    expect(cached.rawPayload.length).toBe(0);

    const model = await gw.app.inject({ url: M, headers: viewer });
    expect(json(model).latestVersion).toBe(1);
    const audit = await gw.catalog.audit.list({ projectId, resourceType: 'model-version' });
    expect(audit[0]).toMatchObject({ action: 'model-version.register', resourceId: v1.id, details: { model: 'churn', version: 1, sha256: sha(ONNX) } });
  });

  it('refuses what ONNX Runtime will not load (422 naming why), leaving no bytes behind', async () => {
    expect((await upload(reluModel())).statusCode).toBe(201); // the hand-written models are well formed
    await gw.artifacts.deletePrefix('uploads/');
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.from('{"not": "a model"}'), /protobuf parsing failed/],
      [Buffer.alloc(0), /empty/],
      [ONNX.subarray(0, ONNX.length - 10), /protobuf parsing failed/],
      [Buffer.from('ATLBNDL\0rest of an atelier bundle'), /protobuf parsing failed/],
      [unknownOperatorModel('NoSuchOp'), /No Op registered for NoSuchOp/],
      [externalDataModel('../../etc/passwd'), /External data path escapes model directory/],
      [externalDataModel('/etc/passwd'), /Absolute path not allowed for external data/],
      [externalDataModel('weights.bin'), /External data path does not exist/],
    ];
    for (const [bytes, message] of cases) {
      const res = await upload(bytes);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(res).code).toBe('ATL_INVALID_ONNX');
      expect(json(res).detail).toMatch(message);
      expect(json(res).detail).not.toMatch(/atelier-onnx-check-/); // the check's own folder is not shown
    }
    const asJson = await gw.app.inject({ method: 'POST', url: `${M}/uploads`, headers: editor, payload: { onnx: true } });
    expect(asJson.statusCode).toBe(415);
    expect(await keysUnder('uploads/')).toEqual([]);
  });

  it('validates the version body, naming each field', async () => {
    const up = json(await upload(ONNX));
    const res = await gw.app.inject({
      method: 'POST',
      url: `${M}/versions`,
      headers: editor,
      payload: { format: 'pickle', uploadId: up.uploadId, signature: { inputs: [] } },
    });
    expect(res.statusCode).toBe(400);
    const fields = json(res).errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['/body/format', '/body/signature/inputs', '/body/signature/outputs']));

    // A signature serving could not feed this graph with, each field named; the upload stays for a retry.
    const misfit = await gw.app.inject({
      method: 'POST',
      url: `${M}/versions`,
      headers: editor,
      payload: {
        format: 'onnx',
        uploadId: up.uploadId,
        signature: { inputs: [{ name: 'features', dtype: 'int64', shape: [4] }], outputs: [{ name: 'score', dtype: 'float32', shape: [1] }] },
      },
    });
    expect(misfit.statusCode, misfit.body).toBe(400);
    expect(json(misfit).errors).toEqual([
      { field: '/body/signature/inputs/0/dtype', message: "int64 is fed as int64, but the graph input 'features' is float32" },
      { field: '/body/signature/outputs/0/name', message: "'score' is not an output of the graph (its outputs: 'probability')" },
    ]);
    const shapes = await gw.app.inject({
      method: 'POST',
      url: `${M}/versions`,
      headers: editor,
      payload: { format: 'onnx', uploadId: up.uploadId, signature: { inputs: [{ name: 'features', dtype: 'float32', shape: [5] }], outputs: SIGNATURE.outputs } },
    });
    expect(json(shapes).errors.map((e: { field: string }) => e.field)).toEqual(['/body/signature/inputs/0/shape']);
    const packed = await gw.app.inject({
      method: 'POST',
      url: `${M}/versions`,
      headers: editor,
      payload: {
        format: 'onnx',
        uploadId: up.uploadId,
        signature: { inputs: [{ name: 'age', dtype: 'float32', shape: [] }, { name: 'tenure', dtype: 'string', shape: [2] }], outputs: SIGNATURE.outputs },
      },
    });
    expect(json(packed).errors).toEqual([
      { field: '/body/signature/inputs/1/dtype', message: "string cannot be packed into the graph's one float32 input 'features'" },
      { field: '/body/signature/inputs', message: "the fields pack into 3 values per row, which does not fit the graph input 'features' of shape [batch, 4] (batch first)" },
    ]);
    expect(await keysUnder(`uploads/models/${projectId}/${await modelId()}/${up.uploadId}`)).toHaveLength(1);

    const dup = await gw.app.inject({
      method: 'POST',
      url: `${M}/versions`,
      headers: editor,
      payload: { format: 'onnx', uploadId: up.uploadId, signature: { inputs: [SIGNATURE.inputs[0], SIGNATURE.inputs[0]], outputs: SIGNATURE.outputs } },
    });
    expect(dup.statusCode).toBe(400);
    expect(json(dup).errors).toEqual([{ field: '/body/signature/inputs/1/name', message: "repeats the name 'features'" }]);
    // Nothing was registered by the failed attempts.
    expect(json(await gw.app.inject({ url: `${M}/versions`, headers: viewer })).items).toHaveLength(1);
    await gw.artifacts.deletePrefix('uploads/');
  });

  it('pages versions newest first', async () => {
    await register(ONNX); // v2: the same bytes as v1
    await register(ONNX_OTHER); // v3
    const first = json(await gw.app.inject({ url: `${M}/versions?limit=2`, headers: viewer }));
    expect(first.items.map((v: { version: number }) => v.version)).toEqual([3, 2]);
    expect(first.next).toBe(2);
    const second = json(await gw.app.inject({ url: `${M}/versions?limit=2&before=2`, headers: viewer }));
    expect(second.items.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(second.next).toBeNull();
    // v1 and v2 share one stored copy of their bytes.
    expect(await keysUnder(`models/${projectId}/`)).toHaveLength(2);
  });
});

describe('aliases and the blessing gate', () => {
  it('moves an alias atomically with an audit entry naming the previous and new version', async () => {
    const set = await gw.app.inject({ method: 'PUT', url: `${M}/aliases/staging`, headers: editor, payload: { version: 1 } });
    expect(set.statusCode, set.body).toBe(200);
    expect(json(set)).toMatchObject({ alias: 'staging', version: 1, previousVersion: null });
    const moved = await gw.app.inject({ method: 'PUT', url: `${M}/aliases/staging`, headers: editor, payload: { version: 2 } });
    expect(json(moved)).toMatchObject({ alias: 'staging', version: 2, previousVersion: 1 });

    const list = json(await gw.app.inject({ url: `${M}/aliases`, headers: viewer }));
    expect(list.items.map((a: { alias: string; version: number }) => [a.alias, a.version])).toEqual([['staging', 2]]);
    expect(json(await gw.app.inject({ url: `${M}/aliases/staging`, headers: viewer }))).toMatchObject({ alias: 'staging', version: 2 });
    expect((await gw.app.inject({ url: `${M}/aliases/production`, headers: viewer })).statusCode).toBe(404);
    const v2 = json(await gw.app.inject({ url: `${M}/versions/2`, headers: viewer }));
    expect(v2.aliases).toEqual(['staging']);

    const audit = await gw.catalog.audit.list({ projectId, resourceType: 'model-alias' });
    expect(audit.map((a) => [a.action, a.details.previousVersion, a.details.version])).toEqual([
      ['model-alias.set', 1, 2],
      ['model-alias.set', null, 1],
    ]);
  });

  it('refuses bad alias names and unknown versions', async () => {
    const bad = await gw.app.inject({ method: 'PUT', url: `${M}/aliases/Prod!`, headers: editor, payload: { version: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors[0].field).toBe('/params/alias');
    const unknown = await gw.app.inject({ method: 'PUT', url: `${M}/aliases/canary`, headers: editor, payload: { version: 99 } });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown).code).toBe('ATL_MODEL_VERSION_NOT_FOUND');
  });

  it("refuses a version whose latest evaluation was rejected, naming the failing checks", async () => {
    const id = await versionId(3);
    await gw.catalog.evaluations.create({
      modelVersionId: id,
      split: 'holdout',
      status: 'completed',
      metrics: { auc: 0.7 },
      verdict: 'rejected',
      baselineVersionId: await versionId(1),
      gate: {
        thresholds: [{ metric: 'auc', direction: 'higher_is_better', maxRegression: 0.01 }],
        checks: [
          { metric: 'auc', kind: 'max_regression', limit: 0.01, candidate: 0.7, baseline: 0.9, passed: false, reason: 'auc 0.7 is 0.2 worse than the baseline 0.9 (allowed: 0.01)' },
        ],
      },
    });
    const refused = await gw.app.inject({ method: 'PUT', url: `${M}/aliases/production`, headers: editor, payload: { version: 3 } });
    expect(refused.statusCode).toBe(409);
    const problem = json(refused);
    expect(problem.code).toBe('ATL_GATE_REJECTED');
    expect(problem.detail).toMatch(/auc 0\.7 is 0\.2 worse than the baseline/);
    expect(problem.errors).toEqual([{ field: 'gate/auc/max_regression', message: 'auc 0.7 is 0.2 worse than the baseline 0.9 (allowed: 0.01)' }]);
    expect(json(await gw.app.inject({ url: `${M}/aliases`, headers: viewer })).items.map((a: { alias: string }) => a.alias)).toEqual(['staging']);

    // The version shows its verdict; a newer blessed evaluation lifts the refusal.
    expect(json(await gw.app.inject({ url: `${M}/versions/3`, headers: viewer })).latestEvaluation).toMatchObject({ verdict: 'rejected' });
    await new Promise((r) => setTimeout(r, 5)); // created_at orders evaluations
    await gw.catalog.evaluations.create({ modelVersionId: id, split: 'holdout', status: 'completed', metrics: { auc: 0.95 }, verdict: 'blessed' });
    const ok = await gw.app.inject({ method: 'PUT', url: `${M}/aliases/production`, headers: editor, payload: { version: 3 } });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('with requireBlessing, also refuses a version with no completed evaluation', async () => {
    const refused = await gw.app.inject({ method: 'PUT', url: `${M}/aliases/production`, headers: editor, payload: { version: 1, requireBlessing: true } });
    expect(refused.statusCode).toBe(409);
    expect(json(refused).code).toBe('ATL_GATE_REJECTED');
    expect(json(refused).detail).toMatch(/no completed evaluation/);
    const ok = await gw.app.inject({ method: 'PUT', url: `${M}/aliases/production`, headers: editor, payload: { version: 1 } });
    expect(json(ok)).toMatchObject({ alias: 'production', version: 1, previousVersion: 3 });
  });
});

describe('deleting versions', () => {
  it('refuses while an alias uses the version, naming it', async () => {
    const res = await gw.app.inject({ method: 'DELETE', url: `${M}/versions/1`, headers: editor });
    expect(res.statusCode).toBe(409);
    expect(json(res).code).toBe('ATL_MODEL_VERSION_IN_USE');
    expect(json(res).detail).toMatch(/'production'/);
  });

  it('deletes the row and keeps bytes another version shares; removes bytes no version uses', async () => {
    const sharedKey = `models/${projectId}/${await modelId()}/sha256/${sha(ONNX)}.onnx`;
    const otherKey = `models/${projectId}/${await modelId()}/sha256/${sha(ONNX_OTHER)}.onnx`;

    const removed = await gw.app.inject({ method: 'DELETE', url: `${M}/aliases/production`, headers: editor });
    expect(removed.statusCode).toBe(204);
    const gone = await gw.app.inject({ method: 'DELETE', url: `${M}/aliases/production`, headers: editor });
    expect(gone.statusCode).toBe(404);

    // v1 shares its bytes with v2: the row goes, the bytes stay (and v2 still downloads).
    const del1 = await gw.app.inject({ method: 'DELETE', url: `${M}/versions/1`, headers: editor });
    expect(del1.statusCode, del1.body).toBe(204);
    expect((await gw.app.inject({ url: `${M}/versions/1`, headers: viewer })).statusCode).toBe(404);
    expect(await gw.artifacts.stat(sharedKey)).not.toBeNull();
    expect((await gw.app.inject({ url: `${M}/versions/2/bundle`, headers: viewer })).rawPayload.equals(ONNX)).toBe(true);

    // v3 has its own bytes (and evaluations, which go with it).
    const v3 = await versionId(3);
    const del3 = await gw.app.inject({ method: 'DELETE', url: `${M}/versions/3`, headers: editor });
    expect(del3.statusCode, del3.body).toBe(204);
    expect(await gw.artifacts.stat(otherKey)).toBeNull();
    expect(await gw.catalog.evaluations.listByVersion(v3)).toEqual([]);

    // v2, the last user of the shared bytes, once its alias is gone.
    expect((await gw.app.inject({ method: 'DELETE', url: `${M}/versions/2`, headers: editor })).statusCode).toBe(409);
    await gw.app.inject({ method: 'DELETE', url: `${M}/aliases/staging`, headers: editor });
    expect((await gw.app.inject({ method: 'DELETE', url: `${M}/versions/2`, headers: editor })).statusCode).toBe(204);
    expect(await gw.artifacts.stat(sharedKey)).toBeNull();
    expect(await keysUnder(`models/${projectId}/`)).toEqual([]);

    const audit = await gw.catalog.audit.list({ projectId, resourceType: 'model-version' });
    expect(audit.filter((a) => a.action === 'model-version.delete').map((a) => [a.details.version, a.details.bundleKept])).toEqual([
      [2, false],
      [3, false],
      [1, true],
    ]);
    const aliasAudit = await gw.catalog.audit.list({ projectId, resourceType: 'model-alias' });
    expect(aliasAudit[0]).toMatchObject({ action: 'model-alias.delete', details: { alias: 'staging', previousVersion: 2 } });
  });
});

describe('evaluations', () => {
  let datasetVersionId: string;

  beforeAll(async () => {
    const dataset = await gw.catalog.datasets.create({ projectId, name: 'churn-eval' });
    const version = await gw.catalog.datasets.createVersion({
      datasetId: dataset.id,
      format: 'csv',
      artifactKey: 'datasets/sha256/0000',
      sha256: '0000',
      sizeBytes: 10,
      rowCount: 100,
      schema: { columns: [{ name: 'features', type: 'float' }, { name: 'segment', type: 'string' }, { name: 'churned', type: 'integer' }] },
    });
    datasetVersionId = version.id;
    V = String((await register(ONNX)).version);
  });

  it('queues an evaluation job with the spec the orchestrator runs', async () => {
    const gate = [{ metric: 'auc', direction: 'higher_is_better', minAbsolute: 0.7, maxRegression: 0.01 }];
    const res = await gw.app.inject({
      method: 'POST',
      url: `${M}/versions/${V}/evaluations`,
      headers: editor,
      payload: { dataset: { name: 'churn-eval', version: 1 }, sliceColumn: 'segment', labelColumn: 'churned', gate },
    });
    expect(res.statusCode, res.body).toBe(202);
    const { jobId, status, url } = json(res);
    expect(status).toBe('queued');
    expect(url).toBe(`${P}/training-jobs/${jobId}`);
    const job = await gw.catalog.trainingJobs.get(jobId);
    expect(job).toMatchObject({ status: 'queued', projectId, modelName: 'churn' });
    expect(job.spec).toEqual({
      type: 'evaluate',
      modelVersionId: await versionId(Number(V)),
      datasetVersionId,
      sliceColumn: 'segment',
      labelColumn: 'churned',
      gate,
    });
  });

  it('names what is wrong with a request', async () => {
    const res = await gw.app.inject({
      method: 'POST',
      url: `${M}/versions/${V}/evaluations`,
      headers: editor,
      payload: {
        dataset: { name: 'churn-eval', version: 1 },
        sliceColumn: 'country',
        gate: [
          { metric: 'rmse', direction: 'lower_is_better', maxRegression: 0.1 },
          { metric: 'auc', direction: 'lower_is_better', minAbsolute: 0.5 },
          { metric: 'auc', direction: 'higher_is_better' },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['/body/sliceColumn', '/body/labelColumn', '/body/gate/0/metric', '/body/gate/1/direction', '/body/gate/2'].sort(),
    );
    const schema = await gw.app.inject({
      method: 'POST',
      url: `${M}/versions/${V}/evaluations`,
      headers: editor,
      payload: { dataset: { name: 'churn-eval' }, gate: [{ metric: 'auc', direction: 'up', maxRegression: -1 }] },
    });
    expect(schema.statusCode).toBe(400);
    expect(json(schema).errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['/body/dataset/version', '/body/gate/0/maxRegression']),
    );
    const noDataset = await gw.app.inject({
      method: 'POST',
      url: `${M}/versions/${V}/evaluations`,
      headers: editor,
      payload: { dataset: { name: 'nope', version: 1 }, labelColumn: 'churned' },
    });
    expect(noDataset.statusCode).toBe(404);
    expect(json(noDataset).code).toBe('ATL_DATASET_NOT_FOUND');
  });

  it('stores and serves what evaluateModel and applyBlessingGate produce, unchanged through JSON', async () => {
    const n = 400;
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 2);
    const labels = Int32Array.from(x, (v, i) => (v + Math.cos(i * 78.233) > 0 ? 1 : 0));
    const segment = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 'web' : 'app'));
    const result = evaluateModel({
      predict: (cols, rows) => Float32Array.from((cols.x as Float32Array).subarray(0, rows), (v) => 1 / (1 + Math.exp(-2 * v))),
      columns: { x, segment },
      numRows: n,
      labels,
      task: 'binary',
      sliceColumn: 'segment',
      featureColumns: ['x'],
      seed: 1,
    });
    const thresholds = [{ metric: 'auc', direction: 'higher_is_better' as const, minAbsolute: 0.99 }];
    const gate = applyBlessingGate(result.metrics, null, thresholds);
    expect(gate.verdict).toBe('rejected');
    const stored = await gw.catalog.evaluations.create({
      modelVersionId: await versionId(Number(V)),
      datasetVersionId,
      split: 'all',
      status: 'completed',
      metrics: result.metrics,
      slices: result.slices,
      curves: result.curves,
      featureImportance: result.featureImportance,
      gate: { thresholds, checks: gate.checks },
      verdict: gate.verdict,
    });
    const got = json(await gw.app.inject({ url: `${P}/evaluations/${stored.id}`, headers: viewer }));
    expect(got.metrics).toEqual(result.metrics);
    expect(got.slices).toEqual(result.slices);
    expect(got.curves).toEqual(result.curves);
    expect(got.featureImportance).toEqual(result.featureImportance);
    expect(got.gate).toEqual({ thresholds, checks: gate.checks });
    // …and the alias API now refuses this version, quoting the engine's reason.
    const refused = await gw.app.inject({ method: 'PUT', url: `${M}/aliases/canary`, headers: editor, payload: { version: Number(V) } });
    expect(refused.statusCode).toBe(409);
    expect(json(refused).errors).toEqual([{ field: 'gate/auc/min_absolute', message: gate.checks[0].reason }]);
  });

  it('lists a version’s evaluations newest first and gets one by id, only within its project', async () => {
    const v4 = await versionId(Number(V));
    const older = await gw.catalog.evaluations.create({ modelVersionId: v4, split: 'holdout', status: 'completed', metrics: { auc: 0.8 }, verdict: 'no_baseline' });
    await new Promise((r) => setTimeout(r, 5));
    const newer = await gw.catalog.evaluations.create({
      modelVersionId: v4,
      datasetVersionId,
      split: 'all',
      status: 'completed',
      metrics: { auc: 0.85, log_loss: 0.4 },
      slices: { column: 'segment', values: [{ value: 'web', count: 40, metrics: { auc: 0.8 } }] },
      curves: { roc: { fpr: [0, 1], tpr: [0, 1], thresholds: [null, 0] } },
      featureImportance: [{ feature: 'features', importance: 0.3, std: 0.01 }],
      baselineVersionId: v4,
      comparison: { auc: { candidate: 0.85, baseline: 0.8, delta: 0.05 } },
      gate: { thresholds: [], checks: [] },
      verdict: 'blessed',
    });
    const list = await gw.app.inject({ url: `${M}/versions/${V}/evaluations`, headers: viewer });
    expect(list.statusCode).toBe(200);
    const items = json(list).items;
    expect(items).toHaveLength(3); // and the one stored from the engine's output, oldest
    expect(items.map((e: { id: string }) => e.id).slice(0, 2)).toEqual([newer.id, older.id]);
    expect(items[0]).toMatchObject({
      model: 'churn',
      version: Number(V),
      verdict: 'blessed',
      baselineVersion: Number(V),
      metrics: { auc: 0.85, log_loss: 0.4 },
      slices: { column: 'segment' },
      featureImportance: [{ feature: 'features', importance: 0.3, std: 0.01 }],
      curves: { roc: { thresholds: [null, 0] } },
      comparison: { auc: { delta: 0.05 } },
    });

    const one = await gw.app.inject({ url: `${P}/evaluations/${newer.id}`, headers: viewer });
    expect(one.statusCode).toBe(200);
    expect(json(one)).toMatchObject({ id: newer.id, datasetVersionId, split: 'all' });
    const elsewhere = await gw.app.inject({ url: `/v1/projects/other/evaluations/${newer.id}`, headers: gw.adminAuth });
    expect(elsewhere.statusCode).toBe(404);
    expect(json(elsewhere).code).toBe('ATL_EVALUATION_NOT_FOUND');
    expect(json(await gw.app.inject({ url: `${M}/versions/${V}`, headers: viewer })).latestEvaluation).toMatchObject({ id: newer.id, verdict: 'blessed' });
  });
});

describe('roles', () => {
  it('viewers read but may not write', async () => {
    const writes = [
      gw.app.inject({ method: 'POST', url: `${P}/models`, headers: viewer, payload: { name: 'x' } }),
      upload(ONNX, 'churn', viewer),
      gw.app.inject({ method: 'POST', url: `${M}/versions`, headers: viewer, payload: { format: 'onnx', uploadId: '00000000-0000-4000-8000-000000000000', signature: SIGNATURE } }),
      gw.app.inject({ method: 'PUT', url: `${M}/aliases/staging`, headers: viewer, payload: { version: Number(V) } }),
      gw.app.inject({ method: 'DELETE', url: `${M}/aliases/staging`, headers: viewer }),
      gw.app.inject({ method: 'DELETE', url: `${M}/versions/${V}`, headers: viewer }),
      gw.app.inject({ method: 'POST', url: `${M}/versions/${V}/evaluations`, headers: viewer, payload: { dataset: { name: 'churn-eval', version: 1 }, labelColumn: 'churned' } }),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.statusCode, res.body).toBe(403);
      expect(json(res).code).toBe('ATL_FORBIDDEN');
    }
    expect(await keysUnder('uploads/')).toEqual([]);
    for (const url of [`${P}/models`, M, `${M}/versions`, `${M}/versions/${V}`, `${M}/aliases`, `${M}/versions/${V}/evaluations`]) {
      expect((await gw.app.inject({ url, headers: viewer })).statusCode, url).toBe(200);
    }
    expect((await gw.app.inject({ url: `${M}/versions/${V}/bundle`, headers: viewer })).rawPayload.equals(ONNX)).toBe(true);
    expect((await gw.app.inject({ url: M })).statusCode).toBe(401);
  });
});

describe('uploads over a real socket and at the limits', () => {
  it('answers a refused upload with its problem, even while the client is still sending', async () => {
    const address = await gw.app.listen({ port: 0, host: '127.0.0.1' });
    try {
      // 4 MiB of bytes that are not ONNX: stored, loaded, refused, removed.
      const junk = Buffer.alloc(4 * 1024 * 1024, 0x7b);
      const res = await fetch(`${address}${M}/uploads`, {
        method: 'POST',
        headers: { ...editor, 'content-type': 'application/octet-stream' },
        body: junk,
      });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { code: string }).code).toBe('ATL_INVALID_ONNX');
      expect(await keysUnder('uploads/')).toEqual([]);

      // A body that declares more than the limit (2 GiB) is answered 413 while it is still being sent.
      const { port } = new URL(address);
      let sent = 0;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({
          host: '127.0.0.1',
          port: Number(port),
          method: 'POST',
          path: `${M}/uploads`,
          headers: { ...editor, 'content-type': 'application/octet-stream', 'content-length': String(3 * 1024 ** 3) },
        });
        let answered = false;
        req.on('response', (r) => {
          answered = true;
          let body = '';
          r.setEncoding('utf8');
          r.on('data', (c: string) => (body += c));
          r.on('end', () => {
            req.destroy();
            resolve({ status: r.statusCode ?? 0, body });
          });
        });
        req.on('error', (err) => (answered ? undefined : reject(err)));
        const chunk = Buffer.alloc(64 * 1024, 0x7b);
        const pump = () => {
          while (!answered && sent < 64 * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          if (!answered) reject(new Error(`no answer after ${sent} bytes`));
        };
        pump();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).code).toBe('ATL_BUNDLE_TOO_LARGE');
      expect(sent).toBeLessThan(64 * 1024 * 1024);
      expect(await keysUnder('uploads/')).toEqual([]);
      const ok = await fetch(`${address}${M}/uploads`, {
        method: 'POST',
        headers: { ...editor, 'content-type': 'application/octet-stream' },
        body: ONNX,
      });
      expect(ok.status).toBe(201);
      expect(((await ok.json()) as { sha256: string }).sha256).toBe(sha(ONNX));
    } finally {
      await gw.artifacts.deletePrefix('uploads/');
    }
  });

  it('refuses files over the size limit (413) and checks files arriving a byte at a time', async () => {
    const { ModelRegistryService } = await import('../apps/gateway/src/services/model-registry.service.js');
    const small = new ModelRegistryService(gw.catalog, gw.artifacts, gw.services.projects, { maxUploadBytes: ONNX.length - 1 });
    const principal = await gw.services.authenticator.authenticate(editor.authorization);
    await expect(small.upload(principal, 'ml', 'churn', streamOf(ONNX))).rejects.toMatchObject({ statusCode: 413, code: 'ATL_BUNDLE_TOO_LARGE' });
    expect(await keysUnder('uploads/')).toEqual([]);

    const exact = new ModelRegistryService(gw.catalog, gw.artifacts, gw.services.projects, { maxUploadBytes: ONNX.length });
    const uploaded = await exact.upload(principal, 'ml', 'churn', streamOf(ONNX, 1));
    expect(uploaded).toMatchObject({ sha256: sha(ONNX), size: ONNX.length, ...GRAPH });

    // A declared length over the limit is refused before a byte is read.
    const unread = new Readable({
      read() {
        this.destroy(new Error('the body was read'));
      },
    });
    await expect(small.upload(principal, 'ml', 'churn', unread, ONNX.length)).rejects.toMatchObject({ statusCode: 413, code: 'ATL_BUNDLE_TOO_LARGE' });
    expect(unread.readableDidRead).toBe(false);
    await gw.artifacts.deletePrefix('uploads/');
  });

  it('removes uploads never registered once they are older than the TTL', async () => {
    const { ModelRegistryService } = await import('../apps/gateway/src/services/model-registry.service.js');
    const principal = await gw.services.authenticator.authenticate(editor.authorization);
    const longLived = new ModelRegistryService(gw.catalog, gw.artifacts, gw.services.projects);
    const first = await longLived.upload(principal, 'ml', 'churn', streamOf(ONNX));
    const second = await longLived.upload(principal, 'ml', 'churn', streamOf(ONNX));
    const prefix = `uploads/models/${projectId}/${await modelId()}/`;
    expect((await keysUnder(prefix)).sort()).toEqual([prefix + first.uploadId, prefix + second.uploadId].sort());
    // With a 1 ms TTL, the next upload clears the older ones and keeps itself.
    await new Promise((r) => setTimeout(r, 5));
    const shortLived = new ModelRegistryService(gw.catalog, gw.artifacts, gw.services.projects, { uploadTtlMs: 1 });
    const third = await shortLived.upload(principal, 'ml', 'churn', streamOf(ONNX));
    expect(await keysUnder(prefix)).toEqual([prefix + third.uploadId]);
    await gw.artifacts.deletePrefix('uploads/');
  });
});

describe('storage keys stay inside their project', () => {
  let otherEditor: { authorization: string };
  let otherProjectId: string;

  beforeAll(async () => {
    otherProjectId = json(await gw.app.inject({ url: '/v1/projects/other', headers: gw.adminAuth })).id;
    const key = await gw.app.inject({ method: 'POST', url: '/v1/projects/other/api-keys', headers: gw.adminAuth, payload: { name: 'editor', role: 'editor' } });
    otherEditor = { authorization: `Bearer ${json(key).secret}` };
    const created = await gw.app.inject({ method: 'POST', url: '/v1/projects/other/models', headers: otherEditor, payload: { name: 'churn' } });
    expect(created.statusCode, created.body).toBe(201);
  });

  it("an upload of project A registers nothing from project B or from another model (404); A's bytes are not read or copied", async () => {
    const { uploadId } = json(await upload(ONNX));
    const uploadKey = `uploads/models/${projectId}/${await modelId()}/${uploadId}`;
    const body = { format: 'onnx', uploadId, signature: SIGNATURE };
    for (const [url, auth] of [
      ['/v1/projects/other/models/churn/versions', otherEditor],
      [`${P}/models/aardvark/versions`, editor],
    ] as const) {
      const res = await gw.app.inject({ method: 'POST', url, headers: auth, payload: body });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(404);
      expect(json(res).code).toBe('ATL_UPLOAD_NOT_FOUND');
    }
    // Through A's own path, B's key is refused outright.
    const direct = await gw.app.inject({ method: 'POST', url: `${M}/versions`, headers: otherEditor, payload: body });
    expect(direct.statusCode).toBe(403);
    // A storage key (or a path) where an id belongs is not an id.
    for (const bad of [uploadKey, `../../${projectId}/${await modelId()}/${uploadId}`]) {
      const res = await gw.app.inject({ method: 'POST', url: '/v1/projects/other/models/churn/versions', headers: otherEditor, payload: { ...body, uploadId: bad } });
      expect(res.statusCode).toBe(400);
      expect(json(res).errors.map((e: { field: string }) => e.field)).toEqual(['/body/uploadId']);
    }
    // Nothing of A's landed in B (no row, no bytes), A's upload is where it was, and A's bundles are A's to read.
    expect(json(await gw.app.inject({ url: '/v1/projects/other/models/churn/versions', headers: otherEditor })).items).toEqual([]);
    expect(await keysUnder(`models/${otherProjectId}/`)).toEqual([]);
    expect(await keysUnder(`uploads/models/${otherProjectId}/`)).toEqual([]);
    expect(json(await gw.app.inject({ url: `${P}/models/aardvark/versions`, headers: viewer })).items).toEqual([]);
    expect(await gw.artifacts.stat(uploadKey)).not.toBeNull();
    expect((await gw.app.inject({ url: `${M}/versions/${V}/bundle`, headers: otherEditor })).statusCode).toBe(403);
    expect((await gw.app.inject({ url: `/v1/projects/other/models/churn/versions/${V}/bundle`, headers: otherEditor })).statusCode).toBe(404);
    await gw.artifacts.deletePrefix('uploads/');
  });

  it('answers name uploads and bundles by id and download route, never by storage key', async () => {
    const up = await upload(ONNX, 'aardvark');
    const reg = await gw.app.inject({ method: 'POST', url: `${P}/models/aardvark/versions`, headers: editor, payload: { format: 'onnx', uploadId: json(up).uploadId, signature: SIGNATURE } });
    expect(reg.statusCode, reg.body).toBe(201);
    const bodies = [
      up.body,
      reg.body,
      (await gw.app.inject({ url: `${P}/models/aardvark/versions/1`, headers: viewer })).body,
      (await gw.app.inject({ url: `${P}/models/aardvark/versions`, headers: viewer })).body,
      (await gw.app.inject({ url: `${P}/models/aardvark`, headers: viewer })).body,
      (await gw.app.inject({ method: 'PUT', url: `${P}/models/aardvark/aliases/staging`, headers: editor, payload: { version: 1 } })).body,
    ];
    for (const body of bodies) {
      expect(body).not.toMatch(/uploads\/|models\/[0-9a-f-]{36}\/|sha256\/|bundleKey|[kK]ey"/);
    }
    expect(json(reg).bundle).toEqual({ sha256: sha(ONNX), size: ONNX.length, url: `${P}/models/aardvark/versions/1/bundle` });
  });
});

describe('ONNX Runtime check at registration', () => {
  it('refuses an upload it cannot load that was staged before uploads were checked: 422, no row, no bytes left', async () => {
    const aardvark = await modelId('aardvark');
    const versionsBefore = json(await gw.app.inject({ url: `${P}/models/aardvark/versions`, headers: viewer })).items.length;
    const bundlesBefore = await keysUnder(`models/${projectId}/${aardvark}/`);
    for (const [bytes, reason] of [
      [unknownOperatorModel('NoSuchOp'), /No Op registered for NoSuchOp/],
      [externalDataModel('../../etc/passwd'), /External data path escapes model directory/],
    ] as const) {
      const uploadId = randomUUID();
      const key = `uploads/models/${projectId}/${aardvark}/${uploadId}`;
      await gw.artifacts.put(key, bytes);
      const res = await gw.app.inject({
        method: 'POST',
        url: `${P}/models/aardvark/versions`,
        headers: editor,
        payload: {
          format: 'onnx',
          uploadId,
          signature: { inputs: [{ name: 'x', dtype: 'float32', shape: [4] }], outputs: [{ name: 'y', dtype: 'float32', shape: [4] }] },
        },
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(json(res).code).toBe('ATL_INVALID_ONNX');
      expect(json(res).detail).toMatch(reason);
      expect(await gw.artifacts.stat(key)).toBeNull();
    }
    expect(json(await gw.app.inject({ url: `${P}/models/aardvark/versions`, headers: viewer })).items).toHaveLength(versionsBefore);
    expect(await keysUnder(`models/${projectId}/${aardvark}/`)).toEqual(bundlesBefore);
  });

  it('registers a model whose signature fields are packed into its one input', async () => {
    const up = json(await upload(reluModel(), 'aardvark'));
    expect(up).toMatchObject({ inputs: [{ name: 'x', type: 'float32', shape: ['batch', 4] }], outputs: [{ name: 'y', type: 'float32', shape: ['batch', 4] }] });
    const signature = {
      inputs: [
        { name: 'age', dtype: 'float64', shape: [] },
        { name: 'history', dtype: 'int32', shape: [3] },
      ],
      outputs: [{ name: 'y', dtype: 'float32', shape: [4] }],
    };
    const reg = await gw.app.inject({ method: 'POST', url: `${P}/models/aardvark/versions`, headers: editor, payload: { format: 'onnx', uploadId: up.uploadId, signature } });
    expect(reg.statusCode, reg.body).toBe(201);
    expect(json(reg).signature).toEqual(signature);
  });
});
