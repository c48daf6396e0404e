// Every integer a request carries (path, query, body) is bounded at the schema by the column it lands
// in: a number past int4 (2147483648, or 99999999999999999999, which JSON reads as 1e20) is a 400
// naming the field, never a 500 from Postgres. The OpenAPI document drives the walk, so a route added
// later with an unbounded integer fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../../test/gateway.js';
import { HttpPredictionBackend, predictionsExtension } from './predictions.routes.js';

let gw: TestGateway;
const P = '/v1/projects/bounds';
const HUGE = '99999999999999999999';
const json = (res: { body: string }) => JSON.parse(res.body);

type Schema = Record<string, unknown> & { $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; items?: Schema };
interface Operation {
  parameters?: Array<{ in: string; name: string; schema: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
let doc: { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

/** Every integer inside a schema, with its JSON pointer. */
function integers(schema: Schema | undefined, path: string, out: Array<{ path: string; schema: Schema }> = [], refs: string[] = []) {
  if (!schema || typeof schema !== 'object') return out;
  if (schema.$ref) {
    // Named schemas may be recursive (JsonValue): follow each reference once per branch.
    if (refs.includes(schema.$ref)) return out;
    return integers(doc.components?.schemas?.[schema.$ref.split('/').pop()!], path, out, [...refs, schema.$ref]);
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('integer')) out.push({ path, schema });
  for (const k of ['anyOf', 'oneOf', 'allOf']) for (const s of (schema[k] as Schema[] | undefined) ?? []) integers(s, path, out, refs);
  for (const [k, s] of Object.entries(schema.properties ?? {})) integers(s, `${path}/${k}`, out, refs);
  if (schema.items) integers(schema.items, `${path}/*`, out, refs);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') integers(schema.additionalProperties as Schema, `${path}/*`, out, refs);
  return out;
}

function expectFieldProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, field: string) {
  expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = json(res);
  expect(body.code).toBe('ATL_VALIDATION_FAILED');
  expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
}

const VALID_BODIES: Record<string, unknown> = {
  'PUT /v1/projects/{project}/deployments/{name}': { model: 'm', routes: [{ version: 1, weight: 100 }] },
};

beforeAll(async () => {
  // The backend is never reached: every request here fails validation first.
  gw = await createTestGateway({ extensions: [predictionsExtension(new HttpPredictionBackend('http://127.0.0.1:9', 'unused'))] });
  await gw.app.ready();
  doc = gw.app.swagger() as typeof doc;
  expect((await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'bounds' } })).statusCode).toBe(201);
  await gw.app.inject({ method: 'POST', url: `${P}/datasets`, headers: gw.adminAuth, payload: { name: 'd' } });
  const up = await gw.app.inject({ method: 'POST', url: `${P}/datasets/d/versions`, headers: { ...gw.adminAuth, 'content-type': 'text/csv' }, payload: 'x,y\n1,0\n2,1\n' });
  expect(up.statusCode, up.body).toBe(201);
});

afterAll(async () => {
  await gw?.close();
});

describe('integer bounds', () => {
  it('bounds every integer of every request schema (path, query, body) within what a JSON number holds exactly', () => {
    const unbounded: string[] = [];
    for (const [url, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const found = [
          ...(op.parameters ?? []).flatMap((p) => integers(p.schema, `${p.in}:${p.name}`)),
          ...integers(op.requestBody?.content?.['application/json']?.schema, 'body'),
        ];
        for (const { path, schema } of found) {
          const max = schema.maximum as number | undefined;
          const min = schema.minimum as number | undefined;
          if (max === undefined || min === undefined || max > Number.MAX_SAFE_INTEGER || min < Number.MIN_SAFE_INTEGER) unbounded.push(`${method.toUpperCase()} ${url} ${path}`);
        }
      }
    }
    expect(unbounded).toEqual([]);
  });

  it('answers 400 naming the field for every integer path or query parameter past its bound', async () => {
    const placeholders: Record<string, string> = { project: 'bounds', name: 'd', alias: 'production', id: '00000000-0000-4000-8000-000000000000' };
    let checked = 0;
    for (const [url, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const params = op.parameters ?? [];
        for (const p of params.filter((x) => x.in === 'path' || x.in === 'query')) {
          if (integers(p.schema, p.name).length === 0) continue;
          const max = p.schema.maximum as number;
          for (const value of [String(max + 1), HUGE, ...(max < 2 ** 31 ? ['2147483648'] : [])]) {
            let target = url.replace(/\{(\w+)\}/g, (_, k: string) => (p.in === 'path' && k === p.name ? value : (placeholders[k] ?? '1')));
            if (p.in === 'query') target += `?${p.name}=${value}`;
            // Fastify checks the body before the query string: routes with both get a body that passes its schema.
            const payload = VALID_BODIES[`${method.toUpperCase()} ${url}`] ?? {};
            const res = await gw.app.inject({ method: method.toUpperCase() as 'GET', url: target, headers: gw.adminAuth, ...(method !== 'get' && method !== 'delete' && { payload }) });
            expectFieldProblem(res, `/${p.in === 'path' ? 'params' : 'querystring'}/${p.name}`);
            checked++;
          }
        }
      }
    }
    // Dataset, model and feature-view versions, evaluations, beforeVersion, before, limits, lastEventId, predict versions.
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  // Body integers that reach an int4 column; the JSON text keeps the literal as a client sends it.
  const bodies: Array<[string, 'POST' | 'PUT', string, (v: string) => string, string]> = [
    ['alias version', 'PUT', '/models/m/aliases/production', (v) => `{"version":${v}}`, '/body/version'],
    ['training data.version', 'POST', '/training-jobs', (v) => `{"modelName":"m","data":{"dataset":"d","version":${v}},"label":"y","features":[{"name":"x","type":"numeric","transform":"none"}],"model":{"kind":"logistic"}}`, '/body/data/version'],
    ['evaluation dataset version', 'POST', '/models/m/versions/1/evaluations', (v) => `{"dataset":{"name":"d","version":${v}}}`, '/body/dataset/version'],
    ['feature view source version', 'POST', '/feature-views', (v) => `{"name":"fv","entity":"e","source":{"dataset":"d","version":${v}},"eventTimestampColumn":"x","features":[{"name":"y","type":"int"}],"ttlSeconds":0}`, '/body/source/version'],
    ['feature view ttlSeconds', 'POST', '/feature-views', (v) => `{"name":"fv","entity":"e","source":{"dataset":"d"},"eventTimestampColumn":"x","features":[{"name":"y","type":"int"}],"ttlSeconds":${v}}`, '/body/ttlSeconds'],
    ['materialize version', 'POST', '/feature-views/fv/materialize', (v) => `{"version":${v}}`, '/body/version'],
    ['materialize datasetVersion', 'POST', '/feature-views/fv/materialize', (v) => `{"datasetVersion":${v}}`, '/body/datasetVersion'],
    ['training set label version', 'POST', '/training-sets', (v) => `{"labelDataset":{"name":"d","version":${v}},"eventTimestampColumn":"x","featureViews":[{"name":"fv"}],"output":{"dataset":"out"}}`, '/body/labelDataset/version'],
    ['training set view version', 'POST', '/training-sets', (v) => `{"labelDataset":{"name":"d"},"eventTimestampColumn":"x","featureViews":[{"name":"fv","version":${v}}],"output":{"dataset":"out"}}`, '/body/featureViews/0/version'],
    ['deployment route version', 'PUT', '/deployments/dep', (v) => `{"model":"m","routes":[{"version":${v},"weight":100}]}`, '/body/routes/0/version'],
    ['deployment shadow version', 'PUT', '/deployments/dep', (v) => `{"model":"m","routes":[{"version":1,"weight":100}],"shadows":[{"version":${v}}]}`, '/body/shadows/0/version'],
    ['rollback revision', 'POST', '/deployments/dep/rollback', (v) => `{"revision":${v}}`, '/body/revision'],
    ['hash buckets', 'POST', '/training-jobs', (v) => `{"modelName":"m","data":{"dataset":"d","version":1},"label":"y","features":[{"name":"x","type":"categorical","transform":"hash","options":{"hashBuckets":${v}}}],"model":{"kind":"logistic"}}`, '/body/features/0/options/hashBuckets'],
    ['predict timeoutMs', 'POST', '/models/m/predict', (v) => `{"instances":[{}],"timeoutMs":${v}}`, '/body/timeoutMs'],
  ];
  it.each(bodies)('answers 400 for a body integer past int4: %s', async (_what, method, url, body, field) => {
    for (const value of ['2147483648', HUGE]) {
      const res = await gw.app.inject({ method, url: `${P}${url}`, headers: { ...gw.adminAuth, 'content-type': 'application/json' }, payload: body(value) });
      expectFieldProblem(res, field);
    }
  });

  it('refuses a predict feature value past double range before it reaches a serving pool over HTTP (where Infinity would become null)', async () => {
    for (const [url, payload, field] of [
      ['/models/m/predict', '{"instances":[{"age":1e400}]}', '/body/instances/0/age'],
      ['/models/m/versions/1/predict', '{"instances":[{"age":2,"v":[1,-1e400]}]}', '/body/instances/0/v/1'],
      ['/models/m/rank', '{"context":{"u":1e999},"candidates":[{"age":1}]}', '/body/context/u'],
    ]) {
      const res = await gw.app.inject({ method: 'POST', url: `${P}${url}`, headers: { ...gw.adminAuth, 'content-type': 'application/json' }, payload });
      expectFieldProblem(res, field);
    }
  });

  it('refuses a float past double range (JSON reads it as Infinity) with a 400, and keeps a huge finite threshold', async () => {
    const gate = (v: string) => `{"dataset":{"name":"d","version":1},"gate":[{"metric":"auc","direction":"higher_is_better","minAbsolute":${v}}]}`;
    const res = await gw.app.inject({ method: 'POST', url: `${P}/models/m/versions/1/evaluations`, headers: { ...gw.adminAuth, 'content-type': 'application/json' }, payload: gate('1e400') });
    expectFieldProblem(res, '/body/gate/0/minAbsolute');
    // 1e308 is a valid double: the request passes validation and is answered by the service (no such model).
    const ok = await gw.app.inject({ method: 'POST', url: `${P}/models/m/versions/1/evaluations`, headers: { ...gw.adminAuth, 'content-type': 'application/json' }, payload: gate('1e308') });
    expect(ok.statusCode, ok.body).toBe(404);
  });
});
