// The resources the auth matrix and the fuzz suite aim at, created through the API itself (no writes
// behind its back): two projects, keys of every kind, a dataset with a version, an entity and a feature
// view, ONNX models with versions and aliases, deployments, training jobs. `validRequest` gives, per
// operation, a request that passes validation and names resources that exist, so what a test sees is
// the operation's own answer (auth, permission, the handler), not a 400 or 404 in front of it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseJson, type Send, type WireRequest, type WireResponse } from './client.js';
import { fillPath, type Operation } from './openapi-operations.js';

const ONNX = readFileSync(new URL('../fixtures/tiny-mlp.onnx', import.meta.url));
/** The same graph with other bytes (another producer name): a distinct version. */
export const onnxVariant = (tag: string) => Buffer.from(ONNX.toString('latin1').replace('atelier-test', tag), 'latin1');
export const ONNX_BYTES = ONNX;

export const EVENTS_CSV = [
  'user_id,ts,x1,x2,x3,x4,label',
  ...Array.from({ length: 24 }, (_, i) => {
    const day = String(1 + (i % 28)).padStart(2, '0');
    return `${1 + (i % 6)},2024-01-${day}T00:00:00Z,${(i * 0.37) % 3},${(i * 0.11) % 1},${i % 5},${-i / 10},${i % 2}`;
  }),
].join('\n');

const SIGNATURE = {
  inputs: [{ name: 'features', dtype: 'float32', shape: [4] }],
  outputs: [{ name: 'probability', dtype: 'float32', shape: [1] }],
};

export const TRAINING_JOB = {
  modelName: 'trained',
  data: { dataset: 'events', version: 1 },
  label: 'label',
  features: [{ name: 'x1', type: 'numeric', transform: 'standardize' }],
  model: { kind: 'logistic' },
  maxEpochs: 1,
};

export const TUNING_JOB = {
  base: TRAINING_JOB,
  searchSpace: [{ path: '/batchSize', type: 'int', min: 4, max: 16 }],
  maxTrials: 1,
};

export interface Credentials {
  /** Platform admin. */
  platformAdmin: string;
  viewer: string;
  editor: string;
  projectAdmin: string;
  /** Keys of another project. */
  otherAdmin: string;
  otherEditor: string;
  revoked: string;
  /** Expires a few seconds after it was made; `waitUntilExpired` polls until the API refuses it. */
  expiring: string;
}

export interface World {
  project: string;
  otherProject: string;
  keys: Credentials;
  /** Path values per parameter name for the operations' targets. */
  ids: { victimKeyId: string; finishedJobId: string; cancelJobId: string; finishedTuningJobId: string; cancelTuningJobId: string; pendingUploadId: string; evaluationId: string };
  waitUntilExpired(): Promise<void>;
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

async function call(send: Send, secret: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<WireResponse> {
  const raw = body instanceof Buffer || typeof body === 'string';
  return send({
    method,
    url,
    headers: { ...bearer(secret), ...(body !== undefined && !raw && { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : raw ? (body as string | Buffer) : JSON.stringify(body),
  });
}

async function expectOk(what: string, res: WireResponse): Promise<Record<string, unknown>> {
  if (res.status < 200 || res.status >= 300) throw new Error(`fixture setup: ${what} answered ${res.status}: ${res.body.slice(0, 500)}`);
  return (parseJson(res) ?? {}) as Record<string, unknown>;
}

async function poll<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Build the world with a platform admin key. `project` names must be fresh on this database. */
export async function buildWorld(send: Send, adminKey: string, project = 'fz', otherProject = 'fz-other'): Promise<World> {
  const admin = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => call(send, adminKey, method, url, body, headers);
  const P = `/v1/projects/${project}`;
  for (const name of [project, otherProject]) await expectOk(`create project ${name}`, await admin('POST', '/v1/projects', { name }));
  const key = async (proj: string, role: string, extra: Record<string, unknown> = {}) => {
    const created = await expectOk(`create ${role} key`, await admin('POST', `/v1/projects/${proj}/api-keys`, { name: `${role}-key`, role, ...extra }));
    return { secret: String(created.secret), id: String((created.key as { id: string }).id) };
  };
  const viewer = await key(project, 'viewer');
  const editor = await key(project, 'editor');
  const projectAdmin = await key(project, 'admin');
  const victim = await key(project, 'viewer');
  const otherAdmin = await key(otherProject, 'admin');
  const otherEditor = await key(otherProject, 'editor');
  const revoked = await key(project, 'admin');
  await expectOk('revoke key', await admin('POST', `${P}/api-keys/${revoked.id}/revoke`));
  // Expiry in the API's terms: a key made to expire soon, shown to work now, refused once its time passed.
  const expiresAtMs = Date.now() + 2500;
  const expiring = await key(project, 'admin', { expiresAt: new Date(expiresAtMs).toISOString() });
  await expectOk('the expiring key before it expires', await call(send, expiring.secret, 'GET', P));

  await expectOk('create dataset', await admin('POST', `${P}/datasets`, { name: 'events' }));
  await expectOk('upload dataset version', await admin('POST', `${P}/datasets/events/versions`, EVENTS_CSV, { 'content-type': 'text/csv' }));
  await expectOk('create entity', await admin('POST', `${P}/entities`, { name: 'user', joinKeys: [{ name: 'user_id', type: 'int' }] }));
  await expectOk(
    'create feature view',
    await admin('POST', `${P}/feature-views`, {
      name: 'fv',
      entity: 'user',
      source: { dataset: 'events' },
      eventTimestampColumn: 'ts',
      features: [{ name: 'x1', type: 'float' }],
      ttlSeconds: 0,
    }),
  );

  const registerOnnx = async (model: string, bytes: Buffer) => {
    const up = await expectOk('upload onnx', await admin('POST', `${P}/models/${model}/uploads`, bytes, { 'content-type': 'application/octet-stream' }));
    await expectOk('register version', await admin('POST', `${P}/models/${model}/versions`, { format: 'onnx', uploadId: up.uploadId, signature: SIGNATURE }));
  };
  for (const model of ['m', 'scratch']) await expectOk(`create model ${model}`, await admin('POST', `${P}/models`, { name: model, task: 'binary' }));
  await registerOnnx('m', ONNX_BYTES);
  await registerOnnx('scratch', onnxVariant('atelier-scr1'));
  await registerOnnx('scratch', onnxVariant('atelier-scr2'));
  const pending = await expectOk('upload pending onnx', await admin('POST', `${P}/models/m/uploads`, onnxVariant('atelier-pend'), { 'content-type': 'application/octet-stream' }));
  for (const alias of ['staging', 'old']) await expectOk(`alias ${alias}`, await admin('PUT', `${P}/models/m/aliases/${alias}`, { version: 1 }));
  await expectOk('deploy m', await admin('PUT', `${P}/deployments/dep`, { model: 'm', routes: [{ version: 1, weight: 100 }] }));
  await expectOk('deploy scratch', await admin('PUT', `${P}/deployments/dep-scratch`, { model: 'scratch', routes: [{ version: 1, weight: 100 }] }));

  const finished = await expectOk('training job', await admin('POST', `${P}/training-jobs`, TRAINING_JOB));
  const cancelTarget = await expectOk('training job', await admin('POST', `${P}/training-jobs`, TRAINING_JOB));
  await admin('POST', `${P}/training-jobs/${finished.id}/cancel`);
  // The events stream ends only for a finished job; with a worker running, the job may finish on its own.
  await poll(
    'the first training job to finish',
    async () => (parseJson(await admin('GET', `${P}/training-jobs/${finished.id}`)) as { status?: string } | undefined)?.status,
    (s) => s === 'cancelled' || s === 'succeeded' || s === 'failed',
    30_000,
  );

  const finishedTuning = await expectOk('tuning job', await admin('POST', `${P}/tuning-jobs`, TUNING_JOB));
  const cancelTuning = await expectOk('tuning job', await admin('POST', `${P}/tuning-jobs`, TUNING_JOB));
  await admin('POST', `${P}/tuning-jobs/${finishedTuning.id}/cancel`);
  await poll(
    'the first tuning job to finish',
    async () => (parseJson(await admin('GET', `${P}/tuning-jobs/${finishedTuning.id}`)) as { status?: string } | undefined)?.status,
    (s) => s === 'cancelled' || s === 'succeeded' || s === 'failed',
    30_000,
  );

  return {
    project,
    otherProject,
    keys: {
      platformAdmin: adminKey,
      viewer: viewer.secret,
      editor: editor.secret,
      projectAdmin: projectAdmin.secret,
      otherAdmin: otherAdmin.secret,
      otherEditor: otherEditor.secret,
      revoked: revoked.secret,
      expiring: expiring.secret,
    },
    ids: {
      victimKeyId: victim.id,
      finishedJobId: String(finished.id),
      cancelJobId: String(cancelTarget.id),
      finishedTuningJobId: String(finishedTuning.id),
      cancelTuningJobId: String(cancelTuning.id),
      pendingUploadId: String(pending.uploadId),
      // No evaluation exists without a worker run; the permission check comes before the lookup.
      evaluationId: randomUUID(),
    },
    async waitUntilExpired() {
      await poll(
        'the expiring key to be refused',
        async () => {
          const res = await call(send, expiring.secret, 'GET', P);
          return res.status === 401 ? (parseJson(res) as { code?: string }).code : undefined;
        },
        (code) => code === 'ATL_API_KEY_EXPIRED',
        Math.max(0, expiresAtMs - Date.now()) + 15_000,
      );
    },
  };
}

/** A request for an operation, before credentials: what `validRequest` returns and mutations change. */
export interface BaseRequest {
  op: Operation;
  pathValues: Record<string, string | number>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** A JSON value (sent as JSON), or raw bytes with `contentType`. */
  json?: unknown;
  raw?: Buffer | string;
  contentType?: string;
}

/** The resource a `{name}` path parameter names, by the collection it follows. */
const NAME_BY_COLLECTION: Record<string, string> = {
  models: 'm',
  datasets: 'events',
  entities: 'user',
  'feature-views': 'fv',
  deployments: 'dep',
};

/** Destructive operations aim at resources kept for them, so the rest of the world stays usable. */
const DESTRUCTIVE_TARGETS: Record<string, Record<string, string | number>> = {
  'DELETE /v1/projects/{project}/models/{name}/versions/{version}': { name: 'scratch', version: 2 },
  'DELETE /v1/projects/{project}/models/{name}/aliases/{alias}': { alias: 'old' },
  'DELETE /v1/projects/{project}/deployments/{name}': { name: 'dep-scratch' },
};

const PREDICT = { instances: [{ features: [1, 2, 3, 4] }] };
/** The Open Inference Protocol's request example, for model m (input `features` FP32 [-1, 4]). */
const OIP_INFER = { id: '42', inputs: [{ name: 'features', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }], outputs: [{ name: 'probability' }] };

/** Valid JSON bodies naming the world's resources, per operation. */
function fixtureBody(world: World, key: string): unknown {
  const P = '/v1/projects/{project}';
  const bodies: Record<string, unknown> = {
    'POST /v1/projects': { name: 'fz-made', displayName: 'Made by a test' },
    [`PATCH ${P}`]: { description: 'changed by a test' },
    [`POST ${P}/api-keys`]: { name: 'made', role: 'viewer' },
    [`POST ${P}/models`]: { name: 'made', task: 'regression' },
    [`POST ${P}/models/{name}/versions`]: { format: 'onnx', uploadId: world.ids.pendingUploadId, signature: SIGNATURE },
    [`PUT ${P}/models/{name}/aliases/{alias}`]: { version: 1 },
    [`POST ${P}/models/{name}/versions/{version}/evaluations`]: { dataset: { name: 'events', version: 1 }, labelColumn: 'label' },
    // Model m is an ONNX upload: the request passes auth and validation, then is refused (409).
    [`POST ${P}/models/{name}/batch-predictions`]: { version: 1, input: { dataset: 'events', version: 1 }, output: { dataset: 'scored' }, passthroughColumns: ['user_id'] },
    [`POST ${P}/datasets`]: { name: 'made' },
    [`POST ${P}/entities`]: { name: 'user', joinKeys: [{ name: 'user_id', type: 'int' }] },
    [`POST ${P}/feature-views`]: {
      name: 'fv',
      entity: 'user',
      source: { dataset: 'events' },
      eventTimestampColumn: 'ts',
      features: [{ name: 'x1', type: 'float' }],
      ttlSeconds: 0,
    },
    [`POST ${P}/feature-views/{name}/materialize`]: { mode: 'full' },
    [`POST ${P}/training-sets`]: {
      labelDataset: { name: 'events' },
      eventTimestampColumn: 'ts',
      entity: 'user',
      featureViews: [{ name: 'fv' }],
      output: { dataset: 'joined', format: 'csv' },
      fullFeatureNames: true,
    },
    [`POST ${P}/online-features`]: { featureViews: ['fv'], entityKeys: [{ user_id: 1 }] },
    [`POST ${P}/training-jobs`]: TRAINING_JOB,
    [`POST ${P}/tuning-jobs`]: TUNING_JOB,
    [`PUT ${P}/deployments/{name}`]: { model: 'm', routes: [{ version: 1, weight: 100 }] },
    [`POST ${P}/deployments/{name}/rollback`]: { revision: 1 },
    [`PUT ${P}/deployments/{name}/monitoring/thresholds`]: { psi: 0.25 },
    [`POST ${P}/deployments/{name}/labels`]: { labels: [{ requestId: 'fuzz-request', label: 1 }] },
    [`POST ${P}/models/{name}/predict`]: PREDICT,
    [`POST ${P}/models/{name}/versions/{version}/predict`]: PREDICT,
    [`POST ${P}/models/{name}/aliases/{alias}/predict`]: PREDICT,
    [`POST ${P}/oip/v2/models/{name}/infer`]: OIP_INFER,
    [`POST ${P}/oip/v2/models/{name}/versions/{version}/infer`]: OIP_INFER,
    [`POST ${P}/models/{name}/rank`]: { candidates: [{ features: [1, 2, 3, 4] }, { features: [0, 0, 0, 0] }], topK: 1 },
  };
  return bodies[key];
}

/** Raw-body operations: their bodies are files, not JSON. */
export const RAW_BODY_OPERATIONS: Record<string, { contentType: string; body: () => Buffer | string }> = {
  'POST /v1/projects/{project}/datasets/{name}/versions': { contentType: 'text/csv', body: () => EVENTS_CSV },
  'POST /v1/projects/{project}/models/{name}/uploads': { contentType: 'application/octet-stream', body: () => ONNX_BYTES },
};

export function validRequest(world: World, op: Operation): BaseRequest {
  const pathValues: Record<string, string | number> = { project: world.project, version: 1, alias: 'staging', keyId: world.ids.victimKeyId };
  const nameMatch = /\/([a-z-]+)\/\{name\}/.exec(op.path);
  if (nameMatch) pathValues.name = NAME_BY_COLLECTION[nameMatch[1]] ?? 'unknown';
  if (op.path.includes('/training-jobs/{id}')) pathValues.id = op.path.endsWith('/cancel') ? world.ids.cancelJobId : world.ids.finishedJobId;
  // A training job's id under a model's batch predictions: the permission check comes before the lookup (then 404).
  if (op.path.includes('/batch-predictions/{id}')) pathValues.id = world.ids.finishedJobId;
  if (op.path.includes('/tuning-jobs/{id}')) pathValues.id = op.path.endsWith('/cancel') ? world.ids.cancelTuningJobId : world.ids.finishedTuningJobId;
  pathValues.evaluationId = world.ids.evaluationId;
  Object.assign(pathValues, DESTRUCTIVE_TARGETS[op.key]);
  const query: Record<string, string> = {};
  if (op.key.endsWith('/preview')) query.limit = '5';
  const raw = RAW_BODY_OPERATIONS[op.key];
  if (raw) return { op, pathValues, query, headers: {}, raw: raw.body(), contentType: raw.contentType };
  const json = fixtureBody(world, op.key);
  if (json === undefined && Object.keys(op.bodies).length > 0) throw new Error(`no valid body known for ${op.key}: add one to fixtureBody`);
  return { op, pathValues, query, headers: {}, json, contentType: json === undefined ? undefined : 'application/json' };
}

/** The wire form of a request, with the given Authorization header (or none). */
export function toWire(req: BaseRequest, authorization?: string): WireRequest {
  const qs = new URLSearchParams(req.query).toString();
  const headers: Record<string, string> = { ...req.headers };
  if (authorization !== undefined) headers.authorization = authorization;
  let body: string | Buffer | undefined;
  if (req.raw !== undefined) body = req.raw;
  else if (req.json !== undefined) body = JSON.stringify(req.json);
  if (req.contentType !== undefined && !('content-type' in headers)) headers['content-type'] = req.contentType;
  return { method: req.op.method, url: fillPath(req.op.path, req.pathValues) + (qs ? `?${qs}` : ''), headers, body };
}
