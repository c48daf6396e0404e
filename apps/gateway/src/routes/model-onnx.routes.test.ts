// GET …/versions/{v}/onnx over HTTP (app.inject) on a real database and filesystem artifacts: an
// engine-trained bundle downloads as ONNX that ONNX Runtime runs to the engine's predictions; a hashed
// feature is refused naming it; an uploaded ONNX version is a 409, stored bytes that are no bundle a
// coded 500; another project's key finds nothing.
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INPUT_MAPPING_METADATA_KEY, batchFromTransform, buildModelSpec, createModel, createPredictor, fit, fitPreprocessor, packBundle, saveBundle,
  toModelInputs, type FeatureSpec,
} from '@atelier/engine';
import { createTestGateway, type TestGateway } from '../../../../test/gateway.js';

let gw: TestGateway;
let projectId: string;
let otherProject: { authorization: string };
let viewer: { authorization: string };
const P = '/v1/projects/onnxp';
const json = (res: { body: string }) => JSON.parse(res.body);

const N = 60;
const COLUMNS = {
  age: Float32Array.from({ length: N }, (_, i) => (i % 11 === 0 ? NaN : 20 + ((i * 7) % 45))),
  city: Array.from({ length: N }, (_, i) => (i % 13 === 0 ? null : ['paris', 'lyon', 'nice', 'brest'][(i * 5) % 4])),
};
const LABELS = Float32Array.from({ length: N }, (_, i) => ((i * 7) % 45 > 20 ? 1 : 0));

/** A trained logistic bundle over these columns, and the engine's predictions for them. */
async function trained(specs: FeatureSpec[]): Promise<{ bundle: Uint8Array; predictions: Float32Array | null }> {
  const pre = fitPreprocessor(specs, COLUMNS);
  const { spec, mapping } = buildModelSpec('logistic', {}, pre, 'binary', 0, 3);
  const model = createModel(spec);
  const out = pre.transform(COLUMNS, N);
  await fit(model, { epochs: 3, data: () => [{ ...batchFromTransform(out), inputs: toModelInputs(mapping, out), labels: LABELS }], optimizer: { kind: 'adam', lr: 0.1 } });
  const bundle = packBundle(saveBundle(model, { preprocessing: pre.toJSON(), metadata: { [INPUT_MAPPING_METADATA_KEY]: JSON.stringify(mapping) } }));
  const predictions = createPredictor(model).predict({ numRows: N, inputs: toModelInputs(mapping, out) });
  model.dispose();
  return { bundle, predictions };
}

async function storeVersion(modelName: string, bytes: Uint8Array, format: 'atelier' | 'onnx'): Promise<void> {
  const created = await gw.app.inject({ method: 'POST', url: `${P}/models`, headers: gw.adminAuth, payload: { name: modelName, task: 'binary' } });
  expect(created.statusCode, created.body).toBe(201);
  const model = await gw.catalog.models.getByName(projectId, modelName);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const key = `models/${projectId}/${model.id}/sha256/${sha}.${format === 'onnx' ? 'onnx' : 'atlbndl'}`;
  await gw.artifacts.put(key, Buffer.from(bytes));
  await gw.catalog.models.createVersion({ modelId: model.id, format, bundleKey: key, bundleSha256: sha, bundleSize: bytes.length, signature: {} });
}

beforeAll(async () => {
  gw = await createTestGateway();
  projectId = json(await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'onnxp' } })).id;
  await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'elsewhere' } });
  const key = async (project: string, role: string) => {
    const res = await gw.app.inject({ method: 'POST', url: `/v1/projects/${project}/api-keys`, headers: gw.adminAuth, payload: { name: role, role } });
    return { authorization: `Bearer ${json(res).secret}` };
  };
  viewer = await key('onnxp', 'viewer');
  otherProject = await key('elsewhere', 'admin');
});

afterAll(async () => {
  await gw?.close();
});

describe('GET …/versions/{version}/onnx', () => {
  it('downloads an engine version as ONNX that ONNX Runtime runs to the engine predictions (missing values included)', async () => {
    const { bundle, predictions } = await trained([
      { name: 'age', type: 'numeric', transform: 'standardize' },
      { name: 'city', type: 'categorical', transform: 'vocabulary' },
    ]);
    await storeVersion('churn', bundle, 'atelier');
    const res = await gw.app.inject({ method: 'GET', url: `${P}/models/churn/versions/1/onnx`, headers: viewer });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/onnx');
    expect(res.headers['content-disposition']).toBe('attachment; filename="churn-v1.onnx"');
    const session = await ort.InferenceSession.create(new Uint8Array(res.rawPayload));
    try {
      expect([...session.inputNames]).toEqual(['age', 'city']);
      const out = await session.run({
        age: new ort.Tensor('float32', COLUMNS.age, [N, 1]),
        city: new ort.Tensor('string', COLUMNS.city.map((c) => c ?? ''), [N, 1]),
      });
      const got = out.probability.data as Float32Array;
      for (let i = 0; i < N; i++) expect(Math.abs(got[i] - predictions![i])).toBeLessThanOrEqual(1e-5);
    } finally {
      await session.release();
    }
    // Revalidation by ETag: nothing is exported again.
    const again = await gw.app.inject({ method: 'GET', url: `${P}/models/churn/versions/1/onnx`, headers: { ...viewer, 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('refuses a bundle with a hashed feature (422 naming it) and an uploaded ONNX version (409)', async () => {
    const { bundle } = await trained([
      { name: 'age', type: 'numeric', transform: 'standardize' },
      { name: 'city', type: 'categorical', transform: 'hash', options: { hashBuckets: 8 } },
    ]);
    await storeVersion('hashed', bundle, 'atelier');
    const res = await gw.app.inject({ method: 'GET', url: `${P}/models/hashed/versions/1/onnx`, headers: viewer });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(res)).toMatchObject({ code: 'ATL_ONNX_EXPORT_UNSUPPORTED', errors: [{ field: '/bundle/preprocessing/city' }] });
    expect(json(res).errors[0].message).toMatch(/'hash' transform/);

    await storeVersion('uploaded', new TextEncoder().encode('an onnx file'), 'onnx');
    const conflict = await gw.app.inject({ method: 'GET', url: `${P}/models/uploaded/versions/1/onnx`, headers: viewer });
    expect(conflict.statusCode, conflict.body).toBe(409);
    expect(json(conflict)).toMatchObject({ code: 'ATL_ONNX_EXPORT_NOT_APPLICABLE' });
    expect(json(conflict).detail).toContain(`${P}/models/uploaded/versions/1/bundle`);

    // Stored bytes that are no bundle: the operator's problem (500, coded), not a crash.
    await storeVersion('garbled', new TextEncoder().encode('ATLBNDL\0 but nothing after'), 'atelier');
    const corrupt = await gw.app.inject({ method: 'GET', url: `${P}/models/garbled/versions/1/onnx`, headers: viewer });
    expect(corrupt.statusCode, corrupt.body).toBe(500);
    expect(json(corrupt)).toMatchObject({ code: 'ATL_BUNDLE_CORRUPT' });
  });

  it("another project's key gets nothing: 404 in its own project, 403 (the platform's answer) naming this one", async () => {
    const own = await gw.app.inject({ method: 'GET', url: '/v1/projects/elsewhere/models/churn/versions/1/onnx', headers: otherProject });
    expect(own.statusCode, own.body).toBe(404);
    expect(json(own).code).toBe('ATL_MODEL_NOT_FOUND');
    const named = await gw.app.inject({ method: 'GET', url: `${P}/models/churn/versions/1/onnx`, headers: otherProject });
    expect(named.statusCode, named.body).toBe(403);
    expect(named.headers['content-type']).toMatch(/^application\/problem\+json/);
    const missing = await gw.app.inject({ method: 'GET', url: `${P}/models/churn/versions/9/onnx`, headers: viewer });
    expect(json(missing).code).toBe('ATL_MODEL_VERSION_NOT_FOUND');
  });
});
