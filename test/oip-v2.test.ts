// Issue 13, item 3: the Open Inference Protocol v2 (KServe / Triton REST) next to Atelier's predict,
// driven with requests written from the protocol's own examples (kserve/open-inference-protocol,
// specification/protocol/inference_rest.md; Triton's docs/protocol/extension_binary_data.md) adapted to
// a real deployed ONNX model: its input `features` FP32 [-1, 4], its output `probability` FP32 [-1, 1].
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGatewayApp } from '../apps/gateway/src/index.js';
import { HttpPredictionBackend, predictionsExtension } from '../apps/gateway/src/routes/predictions.routes.js';
import { start as startServing, defaultServingConfig, type ServingHandle } from '../apps/serving/src/index.js';
import { rawMlpBundle } from '../apps/serving/src/testing/engine-fixture.js';
import { inProcessServing } from './in-process-serving.js';
import { createTestGateway, TEST_ADMIN_KEY, type TestGateway } from './gateway.js';

const ONNX = readFileSync(new URL('./fixtures/tiny-mlp.onnx', import.meta.url));
const SIGNATURE = {
  inputs: [{ name: 'features', dtype: 'float32', shape: [4] }],
  outputs: [{ name: 'probability', dtype: 'float32', shape: [1] }],
};
const X = [
  [1, 2, 3, 4],
  [0, 0, 0, 0],
  [-1, 0.5, 2, -3],
];
// NumPy on the fixture script's weights (as in serving.test.ts).
const EXPECTED = [0.21884045004844666, 0.5, 0.12866556644439697];

/** The per-project base URL a KServe or Triton client is given. */
const BASE = '/v1/projects/ml/oip';
const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

let gw: TestGateway;
let serving: ServingHandle | undefined;
let viewer: { authorization: string };
let otherAdmin: { authorization: string };
const cacheDir = mkdtempSync(join(tmpdir(), 'atelier-oip-serving-'));

type Res = { statusCode: number; headers: Record<string, unknown>; body: string; rawPayload: Buffer };
const json = (res: { body: string }) => JSON.parse(res.body) as Record<string, any>;
const get = (url: string, headers = viewer) => gw.app.inject({ method: 'GET', url, headers }) as Promise<Res>;
const post = (url: string, payload: unknown, headers: Record<string, string> = viewer) =>
  gw.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) }) as Promise<Res>;

const poll = async <T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** Every error is problem+json with an ATL_* code, and carries the protocol's `error` member. */
function expectOipError(res: Res, status: number, code: string): Record<string, any> {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = json(res);
  expect(body.code).toBe(code);
  expect(body.error).toBe(body.detail);
  expect(typeof body.error).toBe('string');
  return body;
}

async function setUp(admin: Record<string, string>) {
  const call = async (method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) => {
    const res = await gw.app.inject({ method: method as 'POST', url, headers: { ...admin, ...headers }, payload: payload as string });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return json(res);
  };
  for (const name of ['ml', 'other']) await call('POST', '/v1/projects', { name });
  viewer = { authorization: `Bearer ${(await call('POST', '/v1/projects/ml/api-keys', { name: 'v', role: 'viewer' })).secret}` };
  otherAdmin = { authorization: `Bearer ${(await call('POST', '/v1/projects/other/api-keys', { name: 'a', role: 'admin' })).secret}` };
  for (const project of ['ml', 'other']) {
    for (const model of ['mymodel', 'undeployed']) await call('POST', `/v1/projects/${project}/models`, { name: model, task: 'binary' });
  }
  const up = await call('POST', '/v1/projects/ml/models/mymodel/uploads', Readable.from([ONNX]), { 'content-type': 'application/octet-stream' });
  await call('POST', '/v1/projects/ml/models/mymodel/versions', { format: 'onnx', uploadId: up.uploadId, signature: SIGNATURE });
  // Routed through an alias, as the README's lifecycle deploys: v2 resolves it to the version.
  await call('PUT', '/v1/projects/ml/models/mymodel/aliases/production', { version: 1 });
  await call('PUT', '/v1/projects/ml/deployments/mymodel-live', { model: 'mymodel', routes: [{ alias: 'production', weight: 100 }] });
}

beforeAll(async () => {
  gw = await createTestGateway({
    extensions: [
      inProcessServing({ cacheDir, reconcileIntervalMs: 60_000 }, (node) => {
        serving = node;
      }),
    ],
  });
  await setUp(admin);
  // Readiness as a client waits for it: the protocol's model-ready route answers 200 once loaded.
  await poll('mymodel to be ready', () => get(`${BASE}/v2/models/mymodel/ready`), (r) => r.statusCode === 200);
}, 60_000);

afterAll(async () => {
  await serving?.stop();
  await gw?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('Open Inference Protocol v2: health and metadata', () => {
  it('server live and ready: public at the root, and under the project base URL with a key', async () => {
    for (const url of ['/v2/health/live', '/v2/health/ready']) {
      const res = await gw.app.inject({ method: 'GET', url });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(json(await gw.app.inject({ method: 'GET', url: '/v2/health/live' }))).toEqual({ live: true });
    expect(json(await gw.app.inject({ method: 'GET', url: '/v2/health/ready' }))).toEqual({ ready: true });
    expect(json(await get(`${BASE}/v2/health/live`))).toEqual({ live: true });
    expect(json(await get(`${BASE}/v2/health/ready`))).toEqual({ ready: true });
  });

  it('server metadata names the binary tensor data extension', async () => {
    const res = await get(`${BASE}/v2`);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ name: 'atelier', extensions: ['binary_tensor_data'] });
    expect(typeof json(res).version).toBe('string');
  });

  it("model metadata: the deployed versions, the platform, tensors from the version's signature (batch -1)", async () => {
    const expected = {
      name: 'mymodel',
      versions: ['1'],
      platform: 'onnx_onnxv1',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'probability', datatype: 'FP32', shape: [-1, 1] }],
    };
    expect(json(await get(`${BASE}/v2/models/mymodel`))).toEqual(expected);
    expect(json(await get(`${BASE}/v2/models/mymodel/versions/1`))).toEqual(expected);
  });

  it('model ready: 200 {name, ready} for the model and its deployed version', async () => {
    expect(json(await get(`${BASE}/v2/models/mymodel/ready`))).toEqual({ name: 'mymodel', ready: true });
    expect(json(await get(`${BASE}/v2/models/mymodel/versions/1/ready`))).toEqual({ name: 'mymodel', ready: true });
  });

  it('a model that is missing, not deployed, or a version that is not deployed: 404 problem+json with `error`', async () => {
    expectOipError(await get(`${BASE}/v2/models/nope`), 404, 'ATL_MODEL_NOT_FOUND');
    expectOipError(await get(`${BASE}/v2/models/undeployed`), 404, 'ATL_MODEL_NOT_DEPLOYED');
    expectOipError(await get(`${BASE}/v2/models/undeployed/ready`), 404, 'ATL_MODEL_NOT_DEPLOYED');
    expectOipError(await get(`${BASE}/v2/models/mymodel/versions/7`), 404, 'ATL_MODEL_NOT_DEPLOYED');
    expectOipError(await post(`${BASE}/v2/models/mymodel/versions/7/infer`, { inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: X[0] }] }), 404, 'ATL_MODEL_NOT_DEPLOYED');
  });
});

describe('Open Inference Protocol v2: an engine bundle (trained here, no outputs in its catalog signature)', () => {
  // The orchestrator registers an engine version with its inputs only; the output names live in the
  // bundle's manifest. A Triton client reads the outputs from model metadata, so they must be there.
  it('model metadata lists the outputs the bundle answers with; infer answers them and refuses one it lacks', async () => {
    const projectId = json(await get('/v1/projects/ml', admin)).id as string;
    await gw.app.inject({ method: 'POST', url: '/v1/projects/ml/models', headers: admin, payload: { name: 'enginemodel', task: 'regression' } });
    const model = await gw.catalog.models.getByName(projectId, 'enginemodel');
    const bundle = rawMlpBundle(4, [8], 3);
    const sha = createHash('sha256').update(bundle).digest('hex');
    const key = `models/${projectId}/${model.id}/sha256/${sha}.atlbndl`;
    await gw.artifacts.put(key, bundle);
    await gw.catalog.models.createVersion({
      modelId: model.id,
      format: 'atelier',
      bundleKey: key,
      bundleSha256: sha,
      bundleSize: bundle.length,
      signature: { inputs: [{ name: 'features', dtype: 'float32', shape: [4], nullable: false }], task: 'regression' },
    });
    const deployed = await gw.app.inject({ method: 'PUT', url: '/v1/projects/ml/deployments/enginemodel-live?wait=ready&timeoutMs=20000', headers: admin, payload: { model: 'enginemodel', routes: [{ version: 1, weight: 100 }] } });
    expect(deployed.statusCode, deployed.body).toBe(201);

    expect(json(await get(`${BASE}/v2/models/enginemodel`))).toEqual({
      name: 'enginemodel',
      versions: ['1'],
      platform: 'atelier_bundle',
      inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'prediction', datatype: 'FP32', shape: [-1, 1] }],
    });
    const res = await post(`${BASE}/v2/models/enginemodel/infer`, { inputs: [{ name: 'features', shape: [3, 4], datatype: 'FP32', data: X.flat() }], outputs: [{ name: 'prediction' }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).outputs).toEqual([expect.objectContaining({ name: 'prediction', datatype: 'FP32', shape: [3, 1] })]);
    const predicted = json(await post('/v1/projects/ml/models/enginemodel/predict', { instances: X.map((features) => ({ features })) }));
    expect(json(res).outputs[0].data).toEqual(predicted.predictions);
    const unknown = expectOipError(await post(`${BASE}/v2/models/enginemodel/infer`, { inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: X[0] }], outputs: [{ name: 'probability' }] }), 400, 'ATL_VALIDATION_FAILED');
    expect(unknown.errors).toEqual([{ field: '/body/outputs/0/name', message: "'probability' is not an output of 'enginemodel' (its outputs: prediction)" }]);
  });
});

describe('Open Inference Protocol v2: infer', () => {
  it("the spec's inference request example (id, typed input tensor, requested output) → its response shape", async () => {
    // inference_rest.md, "Inference Request Examples", with our model's input and output names.
    const request = {
      id: '42',
      inputs: [{ name: 'features', shape: [3, 4], datatype: 'FP32', data: X.flat() }],
      outputs: [{ name: 'probability' }],
    };
    const res = await post(`${BASE}/v2/models/mymodel/infer`, request);
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    const body = json(res);
    console.log(`OIP v2 infer round trip\nPOST ${BASE}/v2/models/mymodel/infer\n${JSON.stringify(request)}\n→ 200 ${res.body}`);
    expect(body).toMatchObject({ model_name: 'mymodel', model_version: '1', id: '42' });
    expect(body.outputs).toHaveLength(1);
    expect(body.outputs[0]).toMatchObject({ name: 'probability', datatype: 'FP32', shape: [3, 1] });
    body.outputs[0].data.forEach((v: number, i: number) => expect(v).toBeCloseTo(EXPECTED[i], 5));
    // The same answer as Atelier's own predict.
    const predicted = json(await post('/v1/projects/ml/models/mymodel/predict', { instances: X.map((features) => ({ features })) }));
    expect(body.outputs[0].data).toEqual(predicted.predictions);
  });

  it('nested data (the natural form), an integer datatype coerced, no outputs named, the version path', async () => {
    // The spec's input0 (UINT32, [2, 2] → one row of 4 here), data in its natural nested form.
    const res = await post(`${BASE}/v2/models/mymodel/versions/1/infer`, { inputs: [{ name: 'features', shape: [1, 4], datatype: 'UINT32', data: [[1, 2, 3, 4]] }] });
    expect(res.statusCode, res.body).toBe(200);
    const body = json(res);
    expect(body.id).toBeUndefined();
    expect(body.outputs[0]).toMatchObject({ name: 'probability', shape: [1, 1] });
    expect(body.outputs[0].data[0]).toBeCloseTo(EXPECTED[0], 5);
    const nested = json(await post(`${BASE}/v2/models/mymodel/infer`, { inputs: [{ name: 'features', shape: [3, 4], datatype: 'FP32', data: X }] }));
    nested.outputs[0].data.forEach((v: number, i: number) => expect(v).toBeCloseTo(EXPECTED[i], 5));
  });

  it("binary tensor data: the extension's example (binary inputs, binary output) round trips", async () => {
    const header = Buffer.from(
      JSON.stringify({
        model_name: 'mymodel',
        inputs: [{ name: 'features', shape: [3, 4], datatype: 'FP32', parameters: { binary_data_size: 48 } }],
        outputs: [{ name: 'probability', parameters: { binary_data: true } }],
      }),
    );
    const tensor = Buffer.alloc(48);
    X.flat().forEach((v, i) => tensor.writeFloatLE(v, i * 4));
    const res = (await gw.app.inject({
      method: 'POST',
      url: `${BASE}/v2/models/mymodel/infer`,
      headers: { ...viewer, 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) },
      payload: Buffer.concat([header, tensor]),
    })) as Res;
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^application\/octet-stream/);
    const jsonLength = Number(res.headers['inference-header-content-length']);
    const body = res.rawPayload;
    expect(body.length).toBe(jsonLength + 12);
    const head = JSON.parse(body.subarray(0, jsonLength).toString('utf8'));
    expect(head).toEqual({
      model_name: 'mymodel',
      model_version: '1',
      outputs: [{ name: 'probability', datatype: 'FP32', shape: [3, 1], parameters: { binary_data_size: 12 } }],
    });
    const out = body.subarray(jsonLength);
    EXPECTED.forEach((e, i) => expect(out.readFloatLE(i * 4)).toBeCloseTo(e, 5));

    // tritonclient sends no Content-Type at all: Inference-Header-Content-Length alone marks binary data.
    const bare = (await gw.app.inject({
      method: 'POST',
      url: `${BASE}/v2/models/mymodel/infer`,
      headers: { ...viewer, 'inference-header-content-length': String(header.length) },
      payload: Buffer.concat([header, tensor]),
    })) as Res;
    expect(bare.statusCode, bare.body).toBe(200);
    expect(bare.rawPayload.equals(body)).toBe(true);
  });

  it('binary inputs with JSON outputs; JSON inputs with binary_data_output', async () => {
    const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP64', parameters: { binary_data_size: 32 } }] }));
    const tensor = Buffer.alloc(32);
    X[2].forEach((v, i) => tensor.writeDoubleLE(v, i * 8));
    const res = (await gw.app.inject({
      method: 'POST',
      url: `${BASE}/v2/models/mymodel/infer`,
      headers: { ...viewer, 'content-type': 'application/octet-stream', 'inference-header-content-length': String(header.length) },
      payload: Buffer.concat([header, tensor]),
    })) as Res;
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res).outputs[0].data[0]).toBeCloseTo(EXPECTED[2], 5);

    const bin = await post(`${BASE}/v2/models/mymodel/infer`, { parameters: { binary_data_output: true }, inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: X[1] }] });
    expect(bin.statusCode, bin.body).toBe(200);
    const n = Number(bin.headers['inference-header-content-length']);
    expect(JSON.parse(bin.rawPayload.subarray(0, n).toString()).outputs[0].parameters).toEqual({ binary_data_size: 4 });
    expect(bin.rawPayload.readFloatLE(n)).toBeCloseTo(0.5, 5);
  });

  it('bad tensors: 400 problem+json with `error`, every offending field named', async () => {
    const infer = (body: unknown) => post(`${BASE}/v2/models/mymodel/infer`, body);
    let e = expectOipError(await infer({ inputs: [{ name: 'feature', shape: [1, 4], datatype: 'FP32', data: X[0] }] }), 400, 'ATL_VALIDATION_FAILED');
    expect(e.errors.map((x: { field: string }) => x.field)).toEqual(['/body/inputs/0/name', '/body/inputs']);
    e = expectOipError(await infer({ inputs: [{ name: 'features', shape: [2, 4], datatype: 'FP32', data: X[0] }] }), 400, 'ATL_VALIDATION_FAILED');
    expect(e.errors[0]).toEqual({ field: '/body/inputs/0/data', message: 'holds 4 elements; its shape says 8' });
    e = expectOipError(await infer({ inputs: [{ name: 'features', shape: [1, 4], datatype: 'BYTES', data: ['a', 'b', 'c', 'd'] }] }), 400, 'ATL_VALIDATION_FAILED');
    expect(e.errors[0].field).toBe('/body/inputs/0/datatype');
    e = expectOipError(await infer({ inputs: [{ name: 'features', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] }), 400, 'ATL_VALIDATION_FAILED');
    expect(e.errors[0].message).toContain('does not fit input');
    e = expectOipError(await infer({ inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: [1, 'x', 3, 4] }] }), 400, 'ATL_VALIDATION_FAILED');
    expect(e.errors[0].field).toBe('/body/inputs/0/data[1]');
    // An element that is a deeply nested object is described, never serialized back (the fuzz suite's deep JSON).
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const deepBody = `{"inputs":[{"name":"features","shape":[1,4],"datatype":"FP32","data":[${deep},2,3,4]}]}`;
    const deepRes = (await gw.app.inject({ method: 'POST', url: `${BASE}/v2/models/mymodel/infer`, headers: { ...viewer, 'content-type': 'application/json' }, payload: deepBody })) as Res;
    e = expectOipError(deepRes, 400, 'ATL_VALIDATION_FAILED');
    expect(e.errors[0]).toEqual({ field: '/body/inputs/0/data[0]', message: 'expected a finite number (FP32), got an object' });
    e = expectOipError(await infer({ inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: X[0] }], outputs: [{ name: 'logits' }] }), 400, 'ATL_VALIDATION_FAILED');
    expect(e.errors[0].field).toBe('/body/outputs/0/name');
    // Schema errors (the protocol's envelope) carry `error` too.
    e = expectOipError(await infer({ inputs: [{ name: 'features', shape: [1, 4], datatype: 'FLOAT', data: X[0] }] }), 400, 'ATL_VALIDATION_FAILED');
    expect(e.errors.some((x: { field: string }) => x.field.startsWith('/body/inputs/0/datatype'))).toBe(true);
    // The serving node's own value rules still apply (a float32 overflow), reported the same way.
    expectOipError(await infer({ inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP64', data: [1e39, 0, 0, 0] }] }), 400, 'ATL_VALIDATION_FAILED');
  });

  it('bad binary data: a size that does not add up, a header length that does not fit', async () => {
    const header = Buffer.from(JSON.stringify({ inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', parameters: { binary_data_size: 16 } }] }));
    const send = (payload: Buffer, length: string) =>
      gw.app.inject({
        method: 'POST',
        url: `${BASE}/v2/models/mymodel/infer`,
        headers: { ...viewer, 'content-type': 'application/octet-stream', 'inference-header-content-length': length },
        payload,
      }) as Promise<Res>;
    let e = expectOipError(await send(Buffer.concat([header, Buffer.alloc(12)]), String(header.length)), 400, 'ATL_VALIDATION_FAILED');
    expect(e.errors[0].field).toBe('/body/inputs/0/parameters/binary_data_size');
    e = expectOipError(await send(Buffer.concat([header, Buffer.alloc(20)]), String(header.length)), 400, 'ATL_VALIDATION_FAILED');
    expect(e.errors[0].field).toBe('/headers/inference-header-content-length');
    e = expectOipError(await send(Buffer.concat([header, Buffer.alloc(16)]), '99999'), 400, 'ATL_VALIDATION_FAILED');
    expect(e.errors[0].field).toBe('/headers/inference-header-content-length');
    expectOipError(await send(Buffer.concat([header, Buffer.alloc(16)]), String(header.length - 1)), 400, 'ATL_MALFORMED_JSON');
    const text = (await gw.app.inject({ method: 'POST', url: `${BASE}/v2/models/mymodel/infer`, headers: { ...viewer, 'content-type': 'text/plain' }, payload: 'features=1,2,3,4' })) as Res;
    expectOipError(text, 415, 'ATL_UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('Open Inference Protocol v2: auth and project isolation', () => {
  const urls = ['/v2', '/v2/health/live', '/v2/health/ready', '/v2/models/mymodel', '/v2/models/mymodel/versions/1', '/v2/models/mymodel/ready', '/v2/models/mymodel/versions/1/ready'];
  const body = { inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: X[0] }] };

  it('no key: 401 on every route under the base URL', async () => {
    for (const u of urls) expectOipError(await gw.app.inject({ method: 'GET', url: BASE + u }), 401, 'ATL_UNAUTHENTICATED');
    expectOipError(await post(`${BASE}/v2/models/mymodel/infer`, body, {}), 401, 'ATL_UNAUTHENTICATED');
  });

  it("another project's key gets nothing: 403 on every route of this project, 404 for the name in its own", async () => {
    for (const u of urls) expectOipError(await get(BASE + u, otherAdmin), 403, 'ATL_FORBIDDEN');
    for (const u of ['/v2/models/mymodel/infer', '/v2/models/mymodel/versions/1/infer']) expectOipError(await post(BASE + u, body, otherAdmin), 403, 'ATL_FORBIDDEN');
    // Its own base URL: a model of the same name exists there but has no deployment; ml's is invisible.
    expectOipError(await get('/v1/projects/other/oip/v2/models/mymodel', otherAdmin), 404, 'ATL_MODEL_NOT_DEPLOYED');
    expectOipError(await post('/v1/projects/other/oip/v2/models/mymodel/infer', body, otherAdmin), 404, 'ATL_MODEL_NOT_DEPLOYED');
  });
});

describe('Open Inference Protocol v2: a gateway proxying to a serving pool over HTTP', () => {
  it("ready reads the pool's /readyz; infer goes through the same proxy as predict", async () => {
    const token = 'pool-token-0123456789abcdef';
    const node = await startServing(defaultServingConfig({ cacheDir: mkdtempSync(join(tmpdir(), 'atelier-oip-pool-')), reconcileIntervalMs: 60_000, predictionLogSampleRate: 0, port: 0, host: '127.0.0.1', token }), {
      catalog: gw.catalog,
      artifacts: gw.artifacts,
      log: () => {},
    });
    const built = await buildGatewayApp(
      { jsonBodyLimitBytes: 1024 * 1024, authCacheTtlMs: 5000, logLevel: 'silent' },
      { catalog: gw.catalog, artifacts: gw.artifacts, logger: false, extensions: [predictionsExtension(new HttpPredictionBackend(node.url!, token))] },
    );
    try {
      const ready = await poll('mymodel ready via the pool', () => built.app.inject({ method: 'GET', url: `${BASE}/v2/models/mymodel/ready`, headers: viewer }), (r) => r.statusCode === 200);
      expect(json(ready)).toEqual({ name: 'mymodel', ready: true });
      const res = await built.app.inject({
        method: 'POST',
        url: `${BASE}/v2/models/mymodel/infer`,
        headers: { ...viewer, 'content-type': 'application/json' },
        payload: { id: 'via-pool', inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: X[2] }] },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(json(res)).toMatchObject({ model_name: 'mymodel', model_version: '1', id: 'via-pool' });
      expect(json(res).outputs[0].data[0]).toBeCloseTo(EXPECTED[2], 5);
    } finally {
      await built.app.close();
      await node.stop();
    }
  });
});

describe('Open Inference Protocol v2: readiness that clients wait on', () => {
  it('a deployment whose version cannot load: model ready and server ready answer 503 + Retry-After, never 200', async () => {
    // A bundle the serving node refuses (bytes that are no bundle), deployed: it stays not ready.
    const project = (await gw.catalog.projects.findByName('ml'))!;
    const create = await gw.app.inject({ method: 'POST', url: '/v1/projects/ml/models', headers: admin, payload: { name: 'broken', task: 'binary' } });
    expect(create.statusCode, create.body).toBe(201);
    const model = await gw.catalog.models.getByName(project.id, 'broken');
    const bytes = Buffer.from('not a bundle at all');
    const sha = createHash('sha256').update(bytes).digest('hex');
    const key = `models/${project.id}/${model.id}/sha256/${sha}.atlbndl`;
    await gw.artifacts.put(key, bytes);
    await gw.catalog.models.createVersion({ modelId: model.id, format: 'atelier', bundleKey: key, bundleSha256: sha, bundleSize: bytes.length, signature: SIGNATURE });
    const put = await gw.app.inject({ method: 'PUT', url: '/v1/projects/ml/deployments/broken-live', headers: admin, payload: { model: 'broken', routes: [{ version: 1, weight: 100 }] } });
    expect(put.statusCode, put.body).toBe(201);
    // The node tries, fails and records it; until then and after, ready is never 200.
    await poll('the load to fail', async () => serving!.status().failures.length, (n) => n > 0);
    const res = await get(`${BASE}/v2/models/broken/ready`);
    const body = expectOipError(res, 503, 'ATL_MODEL_NOT_READY');
    expect(body).toMatchObject({ name: 'broken', ready: false });
    expect(res.headers['retry-after']).toBe('1');
    expectOipError(await get(`${BASE}/v2/models/broken/versions/1/ready`), 503, 'ATL_MODEL_NOT_READY');
    expectOipError(await gw.app.inject({ method: 'GET', url: '/v2/health/ready' }), 503, 'ATL_NOT_READY');
    expectOipError(await get(`${BASE}/v2/health/ready`), 503, 'ATL_NOT_READY');
    // The model that loaded is still ready and still answers.
    expect((await get(`${BASE}/v2/models/mymodel/ready`)).statusCode).toBe(200);
  });
});
