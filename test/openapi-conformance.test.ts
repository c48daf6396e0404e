// Issue 13, item 2: what the server answers is what its document declares. Drives the lifecycle a
// client follows (project → key → dataset upload → profile → training job and its events → model
// version → alias → deployment → predict), plus a few errors, through the real app wired as the
// launcher wires it (predict routes over an in-process serving node, a training worker), and checks
// each answer against the live /openapi.json: the status is declared for that operation, the
// Content-Type is one of the declared media types (none for 204/304), and a JSON body validates
// against the declared schema.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServingHandle } from '../apps/serving/src/index.js';
import { start as startOrchestrator, defaultOrchestratorConfig, type OrchestratorHandle } from '../apps/training-orchestrator/src/index.js';
import { syntheticCsv } from '../apps/training-orchestrator/src/testing/fixtures.js';
import { inProcessServing } from './in-process-serving.js';
import { createTestGateway, type TestGateway } from './gateway.js';

type Json = Record<string, any>;

const P = '/v1/projects/conform';
/** What this test uses of Ajv v8 (the root's `ajv` types are eslint's v6). */
interface Ajv {
  addSchema(schema: object, key: string): Ajv;
  getSchema(ref: string): ((data: unknown) => boolean) & { errors?: unknown } | undefined;
  errorsText(errors?: unknown): string;
}
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
// The gateway's Ajv (v8), resolved as the gateway resolves it.
const AjvClass = createRequire(new URL('../apps/gateway/package.json', import.meta.url))('ajv').Ajv as new (options: object) => Ajv;

let gw: TestGateway;
let serving: ServingHandle | undefined;
let worker: OrchestratorHandle | undefined;
let doc: Json;
let ajv: Ajv;
const cacheDir = mkdtempSync(join(tmpdir(), 'atelier-conformance-serving-'));

interface Answer {
  status: number;
  contentType: string;
  body: string;
  json: () => any;
}

/** The operation a concrete request is answered by: its document path template and method. */
function operationOf(method: string, url: string): { pointer: string; op: Json } {
  const path = url.split('?')[0];
  for (const [template, item] of Object.entries(doc.paths as Record<string, Json>)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const op = item[method.toLowerCase()];
    if (pattern.test(path) && op) return { pointer: `#/paths/${template.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}`, op };
  }
  throw new Error(`${method} ${path}: no operation in the document`);
}

/** Why the answer disagrees with the document, or undefined when it agrees. */
function disagreement(method: string, url: string, res: Answer): string | undefined {
  const { pointer, op } = operationOf(method, url);
  const response = op.responses?.[String(res.status)];
  if (!response) return `${op.operationId} answered ${res.status}, which it does not declare (declared: ${Object.keys(op.responses).join(', ')})`;
  const mediaType = res.contentType.split(';')[0].trim();
  if (!response.content) {
    return res.body.length === 0 ? undefined : `${op.operationId} ${res.status} declares no content but sent ${res.body.length} bytes of ${mediaType}`;
  }
  if (!(mediaType in response.content)) {
    return `${op.operationId} ${res.status} sent '${mediaType}', declared: ${Object.keys(response.content).join(', ')}`;
  }
  if (!/json$/.test(mediaType)) return undefined;
  const schemaPointer = `${pointer}/responses/${res.status}/content/${mediaType.replace(/\//g, '~1')}/schema`;
  const validate = ajv.getSchema(`openapi.json${schemaPointer}`);
  if (!validate) return `no schema at ${schemaPointer}`;
  if (!validate(res.json())) return `${op.operationId} ${res.status} body does not match its schema: ${ajv.errorsText(validate.errors)}`;
  return undefined;
}

const answers: Array<{ what: string; status: number; problem?: string }> = [];

async function call(method: string, url: string, opts: { headers?: Record<string, string>; json?: unknown; raw?: Buffer | string } = {}): Promise<Answer> {
  const headers = { ...opts.headers };
  let payload: string | Buffer | Readable | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    payload = JSON.stringify(opts.json);
  } else if (opts.raw !== undefined) {
    payload = Readable.from([Buffer.from(opts.raw)]);
  }
  const res = await gw.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined && { payload }) });
  const answer: Answer = { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body, json: () => JSON.parse(res.body) };
  answers.push({ what: `${method} ${url}`, status: res.statusCode, problem: disagreement(method, url, answer) });
  return answer;
}

async function pollUntil<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  gw = await createTestGateway({
    extensions: [
      inProcessServing({ cacheDir, reconcileIntervalMs: 200 }, (node) => {
        serving = node;
      }),
    ],
  });
  worker = await startOrchestrator(defaultOrchestratorConfig({ workerId: 'conformance', cores: 1, leaseTtlMs: 3000, pollIntervalMs: 100 }), {
    catalog: gw.catalog,
    artifacts: gw.artifacts,
  });
  const res = await gw.app.inject({ method: 'GET', url: '/openapi.json' });
  doc = JSON.parse(res.body);
  ajv = addFormats(new AjvClass({ strict: false, allErrors: true }));
  ajv.addSchema(doc, 'openapi.json');
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await serving?.stop();
  await gw?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('the OpenAPI document declares what the server answers', () => {
  it('for the lifecycle and its common errors: every status and media type, every JSON body', async () => {
    const admin = gw.adminAuth;
    await call('GET', '/healthz');
    await call('GET', '/readyz');
    await call('GET', '/metrics');
    expect((await call('POST', '/v1/projects', { headers: admin, json: { name: 'conform', displayName: 'Conformance' } })).status).toBe(201);
    await call('POST', '/v1/projects', { headers: admin, json: { name: 'conform' } }); // 409
    await call('POST', '/v1/projects', { headers: admin, json: { name: 'Not A Name' } }); // 400
    await call('GET', '/v1/projects', { headers: { authorization: 'Bearer nope' } }); // 401
    await call('GET', `${P}`, { headers: admin });
    const key = await call('POST', `${P}/api-keys`, { headers: admin, json: { name: 'ci', role: 'editor' } });
    expect(key.status).toBe(201);
    const editor = { authorization: `Bearer ${key.json().secret}` };
    await call('GET', `${P}/api-keys`, { headers: editor }); // 403: editors do not manage keys

    expect((await call('POST', `${P}/datasets`, { headers: editor, json: { name: 'customers' } })).status).toBe(201);
    const csv = syntheticCsv(240);
    expect((await call('POST', `${P}/datasets/customers/versions`, { headers: { ...editor, 'content-type': 'text/csv' }, raw: csv })).status).toBe(201);
    expect((await call('POST', `${P}/datasets/customers/versions`, { headers: { ...editor, 'content-type': 'text/csv' }, raw: csv })).status).toBe(200);
    await call('POST', `${P}/datasets/customers/versions`, { headers: { ...editor, 'content-type': 'text/plain' }, raw: csv }); // 415
    await call('POST', `${P}/datasets/customers/versions`, { headers: { ...editor, 'content-type': 'text/csv' }, raw: 'a,b\n1,2,3\n' }); // 422
    await call('GET', `${P}/datasets/customers/versions/1`, { headers: editor });
    expect((await call('GET', `${P}/datasets/customers/versions/1/profile`, { headers: editor })).status).toBe(200);
    await call('GET', `${P}/datasets/customers/versions/1/preview?limit=3`, { headers: editor });
    expect((await call('GET', `${P}/datasets/customers/versions/1/content`, { headers: editor })).contentType).toMatch(/^text\/csv/);
    await call('GET', `${P}/datasets/customers/versions/9`, { headers: editor }); // 404

    const spec = {
      modelName: 'churn',
      data: { dataset: 'customers', version: 1 },
      label: 'churned',
      features: [
        { name: 'age', type: 'numeric', transform: 'standardize' },
        { name: 'income', type: 'numeric', transform: 'minmax' },
        { name: 'city', type: 'categorical', transform: 'vocabulary' },
      ],
      model: { kind: 'logistic' },
      maxEpochs: 2,
      seed: 3,
    };
    await call('POST', `${P}/training-jobs`, { headers: editor, json: { ...spec, label: 'no_such_column' } }); // 400
    const job = await call('POST', `${P}/training-jobs`, { headers: editor, json: spec });
    expect(job.status, job.body).toBe(201);
    const jobId = job.json().id as string;
    const done = await pollUntil('training job finished', async () => {
      const res = await call('GET', `${P}/training-jobs/${jobId}`, { headers: editor });
      return ['succeeded', 'failed', 'cancelled'].includes(res.json().status) ? res.json() : undefined;
    });
    expect(done.status, done.error).toBe('succeeded');
    const events = await call('GET', `${P}/training-jobs/${jobId}/events`, { headers: editor });
    expect(events.contentType).toMatch(/^text\/event-stream/);
    await call('GET', `${P}/training-jobs`, { headers: editor });

    expect((await call('GET', `${P}/models/churn/versions/1`, { headers: editor })).status).toBe(200);
    const bundle = await call('GET', `${P}/models/churn/versions/1/bundle`, { headers: editor });
    expect(bundle.status).toBe(200);
    const etag = (await gw.app.inject({ url: `${P}/models/churn/versions/1/bundle`, headers: editor })).headers.etag as string;
    expect((await call('GET', `${P}/models/churn/versions/1/bundle`, { headers: { ...editor, 'if-none-match': etag } })).status).toBe(304);
    expect((await call('PUT', `${P}/models/churn/aliases/production`, { headers: editor, json: { version: 1 } })).status).toBe(200);
    await call('PUT', `${P}/models/churn/aliases/production`, { headers: editor, json: { version: 7 } }); // 404
    await call('GET', `${P}/models/churn/aliases`, { headers: editor });

    const deployment = await call('PUT', `${P}/deployments/churn-live`, { headers: editor, json: { model: 'churn', routes: [{ alias: 'production', weight: 100 }] } });
    expect(deployment.status, deployment.body).toBe(201);
    await call('GET', `${P}/deployments/churn-live`, { headers: editor });
    const instances = [{ age: 40, income: 70, city: 'paris' }];
    // Until the serving node has loaded the version, predict answers a declared error; then 200.
    const predicted = await pollUntil('predict answered 200', async () => {
      const res = await call('POST', `${P}/models/churn/predict`, { headers: editor, json: { instances } });
      return res.status === 200 ? res : undefined;
    });
    expect(predicted.json().predictions).toHaveLength(1);
    await call('POST', `${P}/models/churn/aliases/production/predict`, { headers: editor, json: { instances } });
    await call('POST', `${P}/models/churn/predict`, { headers: editor, json: { instances: [{ age: 'old' }] } }); // 400
    await call('POST', `${P}/models/nothing/predict`, { headers: editor, json: { instances } }); // 404

    expect((await call('DELETE', `${P}/deployments/churn-live`, { headers: editor })).status).toBe(204);

    const wrong = answers.filter((a) => a.problem !== undefined);
    expect(wrong.map((a) => `${a.what} → ${a.status}: ${a.problem}`)).toEqual([]);
    const statuses = new Set(answers.map((a) => a.status));
    for (const s of [200, 201, 204, 304, 400, 401, 403, 404, 409, 415, 422]) expect(statuses, `no answer with ${s} was checked`).toContain(s);
  }, 180_000);
});
