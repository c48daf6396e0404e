// Training-job specs refused at submit (400 naming the field) instead of failing on a worker: a model
// over ATELIER_MAX_MODEL_PARAMETERS (with its estimate), hidden layers past the schema's caps,
// wide_deep without a wide feature, and what the dataset profile already says the run would fail on.
// Real database, real CSV uploads through the datasets API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../../test/gateway.js';
import { gatewayConfigFromEnv } from '../gateway.config.js';

let gw: TestGateway;
const P = '/v1/projects/sizing';
const json = (res: { body: string }) => JSON.parse(res.body);
const CAP = 100_000;

const rows = Array.from({ length: 60 }, (_, i) => `${20 + (i % 40)},${1000 * i},${['paris', 'lyon', 'nice'][i % 3]},${i % 2},z${i},,a`);
const CSV = ['age,income,city,churned,zip,blank,species', ...rows].join('\n');

const spec = (over: Record<string, unknown> = {}) => ({
  modelName: 'churn',
  data: { dataset: 'customers', version: 1 },
  label: 'churned',
  features: [
    { name: 'age', type: 'numeric', transform: 'standardize' },
    { name: 'income', type: 'numeric', transform: 'minmax' },
    { name: 'city', type: 'categorical', transform: 'vocabulary' },
  ],
  model: { kind: 'mlp', hyperparameters: { hiddenUnits: [16] } },
  device: 'cpu',
  ...over,
});
const submit = (body: unknown) => gw.app.inject({ method: 'POST', url: `${P}/training-jobs`, headers: gw.adminAuth, payload: body as object });

async function expectRefused(body: unknown, field: string): Promise<string> {
  const res = await submit(body);
  expect(res.statusCode, res.body).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = json(res);
  expect(problem.code).toBe('ATL_VALIDATION_FAILED');
  const error = problem.errors.find((e: { field: string }) => e.field === field);
  expect(error, JSON.stringify(problem.errors)).toBeDefined();
  return error.message as string;
}

beforeAll(async () => {
  gw = await createTestGateway({ maxModelParameters: CAP });
  await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'sizing' } });
  await gw.app.inject({ method: 'POST', url: `${P}/datasets`, headers: gw.adminAuth, payload: { name: 'customers' } });
  const up = await gw.app.inject({ method: 'POST', url: `${P}/datasets/customers/versions`, headers: { ...gw.adminAuth, 'content-type': 'text/csv' }, payload: CSV });
  expect(up.statusCode, up.body).toBe(201);
  // The same rows with `blank` declared a float column: numeric, and every value missing.
  const declared = encodeURIComponent(JSON.stringify({ columns: [{ name: 'blank', type: 'float' }] }));
  const up2 = await gw.app.inject({ method: 'POST', url: `${P}/datasets/customers/versions?schema=${declared}`, headers: { ...gw.adminAuth, 'content-type': 'text/csv' }, payload: `${CSV}\n` });
  expect(up2.statusCode, up2.body).toBe(201);
});

afterAll(async () => {
  await gw?.close();
});

describe('model size at submit', () => {
  it('accepts a model under the cap', async () => {
    const res = await submit(spec({ model: { kind: 'mlp', hyperparameters: { hiddenUnits: [64, 64] } } }));
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses hidden layers over the cap, naming hiddenUnits with the estimate and the setting', async () => {
    // 2 dense + an 8-wide city embedding → 400 → 400 → 1: 10·400+400 + 400·400+400 + 400+1 = 165,201 in layers.
    const message = await expectRefused(spec({ model: { kind: 'mlp', hyperparameters: { hiddenUnits: [400, 400] } } }), '/body/model/hyperparameters/hiddenUnits');
    expect(message).toContain('about 165,233 parameters (165,201 in layers, 32 in embedding tables)');
    expect(message).toContain('the limit is 100,000 (ATELIER_MAX_MODEL_PARAMETERS)');
  });

  it('names the feature whose embedding table is too big', async () => {
    const features = [...spec().features, { name: 'zip', type: 'categorical', transform: 'hash', options: { hashBuckets: 1_000_000 } }];
    const message = await expectRefused(spec({ features }), '/body/features/3/options/hashBuckets');
    expect(message).toContain("'zip' alone needs 8,000,000");
  });

  it('caps hidden layers in the schema: the issue’s 65,536 × 16', async () => {
    const res = await submit(spec({ model: { kind: 'mlp', hyperparameters: { hiddenUnits: Array(16).fill(65536) } } }));
    expect(res.statusCode).toBe(400);
    const fields = json(res).errors.map((e: { field: string }) => e.field);
    expect(fields).toContain('/body/model/hyperparameters/hiddenUnits');
    expect(fields).toContain('/body/model/hyperparameters/hiddenUnits/0');
  });

  it('reads ATELIER_MAX_MODEL_PARAMETERS once, with a default, and fails fast on a bad value', () => {
    expect(gatewayConfigFromEnv({}).maxModelParameters).toBe(50_000_000);
    expect(gatewayConfigFromEnv({ ATELIER_MAX_MODEL_PARAMETERS: '1000' }).maxModelParameters).toBe(1000);
    expect(() => gatewayConfigFromEnv({ ATELIER_MAX_MODEL_PARAMETERS: 'lots' })).toThrow(/ATELIER_MAX_MODEL_PARAMETERS/);
    expect(() => gatewayConfigFromEnv({ ATELIER_MAX_MODEL_PARAMETERS: '0' })).toThrow(/ATELIER_MAX_MODEL_PARAMETERS/);
  });
});

describe('spec errors known at submit', () => {
  it('refuses wide_deep without a wide feature, and accepts it with one', async () => {
    const numericOnly = [spec().features[0], spec().features[1]];
    const message = await expectRefused(spec({ features: numericOnly, model: { kind: 'wide_deep' } }), '/body/model/hyperparameters/wideFeatures');
    expect(message).toContain('wide_deep needs at least one wide feature');
    expect((await submit(spec({ features: numericOnly, model: { kind: 'wide_deep', hyperparameters: { wideFeatures: ['age'] } } }))).statusCode).toBe(201);
    expect((await submit(spec({ model: { kind: 'wide_deep' } }))).statusCode).toBe(201);
  });

  it('refuses a numeric feature whose column has no values when its transform learns from them', async () => {
    const blank = (f: Record<string, unknown>) => spec({ data: { dataset: 'customers', version: 2 }, features: [spec().features[0], { name: 'blank', type: 'numeric', ...f }] });
    const message = await expectRefused(blank({ transform: 'standardize' }), '/body/features/1/name');
    expect(message).toContain("column 'blank' has no values in customers v2");
    // Nothing to learn: a constant fill with no scaling trains.
    expect((await submit(blank({ transform: 'none', missing: 'zero' }))).statusCode).toBe(201);
  });

  it('refuses a multiclass label with a single value', async () => {
    const message = await expectRefused(spec({ label: 'species', model: { kind: 'softmax' } }), '/body/label');
    expect(message).toContain('a multiclass model needs at least 2');
  });
});
