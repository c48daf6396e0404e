// The feature store over HTTP (app.inject) on a real database, real files and a filesystem artifact
// store: entities → feature views (versioned, checked against dataset versions) → a point-in-time
// training set → materialization (full, then incremental after a new dataset version) → online reads
// (hit, miss, TTL expiry) → every bad input answered with problem+json naming the field.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlLiteral, withDuckDb } from '@atelier/feature-store';
import { createTestGateway, type TestGateway } from '../../../../test/gateway.js';

let gw: TestGateway;
let workDir: string;
let editor: { authorization: string };
let viewer: { authorization: string };
const P = '/v1/projects/feat';
const json = (res: { body: string }) => JSON.parse(res.body);

const STATS_V1 = [
  'user_id,ts,clicks,ctr',
  'u1,2024-01-01T00:00:00Z,1,0.1',
  'u1,2024-01-03T00:00:00Z,3,0.3',
  'u2,2024-01-02T00:00:00Z,2,0.2',
].join('\n');
const STATS_V2 = [STATS_V1, 'u1,2024-01-05T00:00:00Z,5,0.5', 'u3,2024-01-04T00:00:00Z,4,0.4'].join('\n');
const LABELS = ['user_id,event_time,label', 'u1,2024-01-03T00:00:00Z,1', 'u1,2024-01-02T00:00:00Z,0', 'u2,2024-01-20T00:00:00Z,1', 'u9,2024-01-03T00:00:00Z,0'].join(
  '\n',
);

async function upload(dataset: string, csv: string) {
  await gw.app.inject({ method: 'POST', url: `${P}/datasets`, headers: editor, payload: { name: dataset } });
  const res = await gw.app.inject({
    method: 'POST',
    url: `${P}/datasets/${dataset}/versions`,
    headers: { ...editor, 'content-type': 'text/csv' },
    payload: csv,
  });
  expect(res.statusCode, res.body).toBe(201);
  return json(res);
}

const post = (url: string, payload: unknown, auth = editor) => gw.app.inject({ method: 'POST', url: `${P}${url}`, headers: auth, payload: payload as object });

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = json(res);
  expect(body.code).toBe(code);
  return body as { detail: string; errors?: Array<{ field: string; message: string }> };
}

const clicksView = {
  name: 'clicks',
  entity: 'user',
  source: { dataset: 'stats' },
  eventTimestampColumn: 'ts',
  features: [
    { name: 'clicks', type: 'int' },
    { name: 'ctr', type: 'float' },
  ],
  ttlSeconds: 0,
};

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'atelier-features-test-'));
  process.env.ATELIER_DATASETS_DIR = workDir;
  gw = await createTestGateway();
  delete process.env.ATELIER_DATASETS_DIR;
  await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'feat' } });
  const key = async (role: string) => {
    const res = await gw.app.inject({ method: 'POST', url: `${P}/api-keys`, headers: gw.adminAuth, payload: { name: role, role } });
    return { authorization: `Bearer ${json(res).secret}` };
  };
  editor = await key('editor');
  viewer = await key('viewer');
  await upload('stats', STATS_V1);
  await upload('labels', LABELS);
});

afterAll(async () => {
  await gw?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('feature store API', () => {
  it('creates entities (idempotent, immutable) and lists them', async () => {
    const body = { name: 'user', joinKeys: [{ name: 'user_id', type: 'string' }], description: 'a shopper' };
    const created = await post('/entities', body);
    expect(created.statusCode, created.body).toBe(201);
    expect(json(created)).toMatchObject({ name: 'user', joinKeys: [{ name: 'user_id', type: 'string' }] });
    expect((await post('/entities', body)).statusCode).toBe(200);
    const conflict = expectProblem(await post('/entities', { ...body, joinKeys: [{ name: 'uid', type: 'int' }] }), 409, 'ATL_ENTITY_CONFLICT');
    expect(conflict.errors?.[0].field).toBe('/body/name');
    expectProblem(await post('/entities', { name: 'bad', joinKeys: [{ name: 'k', type: 'float' }] }), 400, 'ATL_ENTITY_INVALID');
    expectProblem(await post('/entities', body, viewer), 403, 'ATL_FORBIDDEN');
    const list = json(await gw.app.inject({ url: `${P}/entities`, headers: viewer }));
    expect(list.items.map((e: { name: string }) => e.name)).toEqual(['user']);
    expectProblem(await gw.app.inject({ url: `${P}/entities/ghost`, headers: viewer }), 404, 'ATL_ENTITY_NOT_FOUND');
  });

  it('applies feature views: checked against the dataset version, versioned on change', async () => {
    const unknown = expectProblem(await post('/feature-views', { ...clicksView, entity: 'ghost' }), 400, 'ATL_ENTITY_NOT_FOUND');
    expect(unknown.errors).toEqual([{ field: '/body/entity', message: "entity 'ghost' does not exist" }]);

    const missing = expectProblem(
      await post('/feature-views', { ...clicksView, features: [...clicksView.features, { name: 'dwell', type: 'float' }] }),
      400,
      'ATL_FEATURE_VIEW_INVALID',
    );
    expect(missing.errors).toEqual([{ field: '/body/features/2/name', message: "'dwell' is not a column of dataset 'stats' version 1" }]);

    const mismatch = expectProblem(await post('/feature-views', { ...clicksView, features: [{ name: 'ctr', type: 'int' }] }), 400, 'ATL_FEATURE_VIEW_INVALID');
    expect(mismatch.errors?.[0]).toMatchObject({ field: '/body/features/0/type' });
    expect(mismatch.errors?.[0].message).toMatch(/declared int but the dataset column is float/);

    const badTs = expectProblem(await post('/feature-views', { ...clicksView, eventTimestampColumn: 'when' }), 400, 'ATL_FEATURE_VIEW_INVALID');
    expect(badTs.errors).toEqual([{ field: '/body/eventTimestampColumn', message: "'when' is not a column of dataset 'stats' version 1" }]);

    const noDataset = expectProblem(await post('/feature-views', { ...clicksView, source: { dataset: 'stats', version: 9 } }), 400, 'ATL_DATASET_NOT_FOUND');
    expect(noDataset.errors?.[0].field).toBe('/body/source/version');

    const schema = expectProblem(await post('/feature-views', { ...clicksView, ttlSeconds: -1 }), 400, 'ATL_VALIDATION_FAILED');
    expect(schema.errors?.[0].field).toBe('/body/ttlSeconds');

    await upload('mixed', ['user_id,ts,clicks', 'u1,2024-01-01,1', 'u2,2024-01-01 10:00:00,2'].join('\n'));
    const mixed = expectProblem(
      await post('/feature-views', { ...clicksView, name: 'mixed', source: { dataset: 'mixed' }, features: [{ name: 'clicks', type: 'int' }] }),
      400,
      'ATL_MIXED_TIMESTAMP_FORMATS',
    );
    expect(mixed.detail).toMatch(/^Column 'ts' mixes timestamp formats/);
    expect(mixed.errors?.[0].field).toBe('/body/eventTimestampColumn');

    const v1 = await post('/feature-views', clicksView);
    expect(v1.statusCode, v1.body).toBe(201);
    expect(json(v1)).toMatchObject({ name: 'clicks', version: 1, entity: 'user', source: { dataset: 'stats', version: 1 }, ttlSeconds: 0 });
    expect((await post('/feature-views', clicksView)).statusCode).toBe(200); // unchanged: same version
    const v2 = await post('/feature-views', { ...clicksView, ttlSeconds: 3 * 86_400 });
    expect(json(v2)).toMatchObject({ version: 2, ttlSeconds: 259_200 });

    const latest = json(await gw.app.inject({ url: `${P}/feature-views/clicks`, headers: viewer }));
    expect(latest.version).toBe(2);
    const versions = json(await gw.app.inject({ url: `${P}/feature-views/clicks/versions`, headers: viewer }));
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const one = json(await gw.app.inject({ url: `${P}/feature-views/clicks/versions/1`, headers: viewer }));
    expect(one.statistics.features).toEqual([
      expect.objectContaining({ name: 'clicks', count: 3, nulls: 0, min: 1, max: 3, mean: 2 }),
      expect.objectContaining({ name: 'ctr', count: 3, nulls: 0, min: 0.1, max: 0.3 }),
    ]);
    expectProblem(await gw.app.inject({ url: `${P}/feature-views/clicks/versions/7`, headers: viewer }), 404, 'ATL_FEATURE_VIEW_VERSION_NOT_FOUND');
  });

  it('builds a point-in-time training set as a new dataset version', async () => {
    const res = await post('/training-sets', {
      labelDataset: { name: 'labels', version: 1 },
      eventTimestampColumn: 'event_time',
      entity: 'user',
      featureViews: [{ name: 'clicks', version: 2, features: ['clicks'] }],
      output: { dataset: 'clicks-train', format: 'csv' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = json(res);
    expect(body).toMatchObject({ dataset: 'clicks-train', version: 1, format: 'csv', rowCount: 4 });
    expect(body.lineage).toMatchObject({ labelDataset: { name: 'labels', version: 1 }, featureViews: [{ name: 'clicks', version: 2, features: ['clicks'] }] });

    // The new version is an ordinary dataset version: readable through the datasets API.
    const version = json(await gw.app.inject({ url: `${P}/datasets/clicks-train/versions/1`, headers: viewer }));
    expect(version.lineage.kind).toBe('training-set');
    const path = await gw.services.datasets.localCopy(body.versionId);
    const rows = await withDuckDb({}, (db) => db.allJson(`SELECT user_id, label, clicks FROM read_csv(${sqlLiteral(path)}, header = true)`));
    expect(rows).toEqual([
      { user_id: 'u1', label: '1', clicks: '3' }, // exactly at the feature's timestamp
      { user_id: 'u1', label: '0', clicks: '1' },
      { user_id: 'u2', label: '1', clicks: null }, // 18 days old with a 3-day TTL
      { user_id: 'u9', label: '0', clicks: null },
    ]);
  });

  it('refuses bad training-set requests, naming the field', async () => {
    await upload('labels-mixed', ['user_id,event_time,label', 'u1,2024-01-03T00:00:00Z,1', 'u2,1704240000000,0'].join('\n'));
    const mixed = expectProblem(
      await post('/training-sets', {
        labelDataset: { name: 'labels-mixed' },
        eventTimestampColumn: 'event_time',
        featureViews: [{ name: 'clicks' }],
        output: { dataset: 'nope' },
      }),
      400,
      'ATL_MIXED_TIMESTAMP_FORMATS',
    );
    expect(mixed.detail).toMatch(/Column 'event_time' mixes timestamp formats/);
    expect(mixed.errors?.[0].field).toBe('/body/eventTimestampColumn');

    const bad = expectProblem(
      await post('/training-sets', {
        labelDataset: { name: 'labels' },
        eventTimestampColumn: 'event_time',
        featureViews: [{ name: 'ghost' }, { name: 'clicks', version: 1, features: ['clicks', 'dwell'] }],
        output: { dataset: 'nope' },
      }),
      400,
      'ATL_TRAINING_SET_INVALID',
    );
    expect(bad.errors).toEqual([
      { field: '/body/featureViews/0/name', message: "feature view 'ghost' does not exist" },
      { field: '/body/featureViews/1/features/1', message: "'dwell' is not a feature of 'clicks' version 1" },
    ]);
    const noTs = expectProblem(
      await post('/training-sets', { labelDataset: { name: 'labels' }, eventTimestampColumn: 'at', featureViews: [{ name: 'clicks' }], output: { dataset: 'nope' } }),
      400,
      'ATL_TRAINING_SET_INVALID',
    );
    expect(noTs.errors).toEqual([{ field: '/body/eventTimestampColumn', message: "'at' is not a column of label dataset 'labels' version 1" }]);
    expect(await gw.catalog.datasets.findByName((await gw.catalog.projects.findByName('feat'))!.id, 'nope')).toBeUndefined();
  });

  it('materializes full, then incremental after a new dataset version, and serves online reads', async () => {
    const notYet = expectProblem(await post('/online-features', { featureViews: ['clicks@1'], entityKeys: [{ user_id: 'u1' }] }), 409, 'ATL_FEATURE_VIEW_NOT_MATERIALIZED');
    expect(notYet.detail).toMatch(/materialize/);

    const full = await post('/feature-views/clicks/materialize', { version: 1, mode: 'full' });
    expect(full.statusCode, full.body).toBe(200);
    expect(json(full)).toMatchObject({ featureView: 'clicks', featureViewVersion: 1, status: 'complete', mode: 'full', rowsWritten: 2, datasetVersion: 1 });
    expect(json(full).endWatermark).toBe('2024-01-03T00:00:00.000Z');

    const read = async (keys: object[], views = ['clicks@1', 'clicks@2']) => {
      const res = await post('/online-features', { featureViews: views, entityKeys: keys }, viewer);
      expect(res.statusCode, res.body).toBe(200);
      return json(res);
    };
    await post('/feature-views/clicks/materialize', { version: 2 });
    const v1 = await read([{ user_id: 'u1' }, { user_id: 'u3' }], ['clicks@1']);
    expect(v1.results).toEqual([
      {
        entityKey: { user_id: 'u1' },
        found: true,
        features: { clicks: { found: true, status: 'present', eventTimestamp: '2024-01-03T00:00:00.000Z', values: { clicks: 3, ctr: 0.3 } } },
      },
      {
        entityKey: { user_id: 'u3' },
        found: false,
        features: { clicks: { found: false, status: 'missing', eventTimestamp: null, values: { clicks: null, ctr: null } } },
      },
    ]);
    const compact = await post('/online-features', { featureViews: ['clicks@1'], entityKeys: [{ user_id: 'u1' }, { user_id: 'u3' }], format: 'compact' }, viewer);
    expect(compact.statusCode, compact.body).toBe(200);
    expect(json(compact)).toEqual({
      format: 'compact',
      featureViews: [{ name: 'clicks', version: 1, ttlSeconds: 0, features: ['clicks', 'ctr'] }],
      found: [true, false],
      views: [{ status: ['present', 'missing'], eventTimestamps: ['2024-01-03T00:00:00.000Z', null], values: [[3, 0.3], null] }],
    });
    const badFormat = expectProblem(await post('/online-features', { featureViews: ['clicks@1'], entityKeys: [{ user_id: 'u1' }], format: 'rows' }, viewer), 400, 'ATL_VALIDATION_FAILED');
    expect(badFormat.errors?.map((e: { field: string }) => e.field)).toContain('/body/format');
    // Version 2 has a 3-day TTL and the data is from 2024: expired at read time.
    const v2 = await read([{ user_id: 'u1' }], ['clicks@2']);
    expect(v2.results[0]).toMatchObject({ found: false, features: { clicks: { status: 'expired', values: { clicks: null } } } });

    await upload('stats', STATS_V2);
    const inc = await post('/feature-views/clicks/materialize', { version: 1, mode: 'incremental' });
    expect(json(inc)).toMatchObject({ status: 'complete', mode: 'incremental', datasetVersion: 2, rowsWritten: 2, startWatermark: '2024-01-03T00:00:00.000Z', endWatermark: '2024-01-05T00:00:00.000Z' });
    const after = await read([{ user_id: 'u1' }, { user_id: 'u2' }, { user_id: 'u3' }], ['clicks@1']);
    expect(after.results.map((r: { features: { clicks: { values: { clicks: number | null } } } }) => r.features.clicks.values.clicks)).toEqual([5, 2, 4]);

    const runs = json(await gw.app.inject({ url: `${P}/feature-views/clicks/versions/1/materializations`, headers: viewer }));
    expect(runs.items.map((r: { mode: string; status: string }) => `${r.mode}:${r.status}`)).toEqual(['incremental:complete', 'full:complete']);
    expectProblem(await post('/feature-views/ghost/materialize', {}), 404, 'ATL_FEATURE_VIEW_NOT_FOUND');
    expectProblem(await post('/feature-views/clicks/materialize', {}, viewer), 403, 'ATL_FORBIDDEN');
  });

  it('refuses duplicate keys, oversized batches and unknown views in online reads', async () => {
    const dup = expectProblem(
      await post('/online-features', { featureViews: ['clicks@1'], entityKeys: [{ user_id: 'a' }, { user_id: 'b' }, { user_id: 'a' }] }),
      400,
      'ATL_ONLINE_REQUEST_INVALID',
    );
    expect(dup.errors).toEqual([{ field: '/body/entityKeys/2', message: 'duplicates /body/entityKeys/0; send each key once' }]);

    const keys = Array.from({ length: 1001 }, (_, i) => ({ user_id: `u${i}` }));
    const big = expectProblem(await post('/online-features', { featureViews: ['clicks@1'], entityKeys: keys }), 413, 'ATL_TOO_MANY_ENTITY_KEYS');
    expect(big.errors).toEqual([{ field: '/body/entityKeys', message: 'must have at most 1000 items (got 1001)' }]);

    const twice = expectProblem(await post('/online-features', { featureViews: ['clicks@1', 'clicks@2'], entityKeys: [{ user_id: 'a' }] }), 400, 'ATL_ONLINE_REQUEST_INVALID');
    expect(twice.errors).toEqual([{ field: '/body/featureViews/1', message: "view 'clicks' is already listed at /body/featureViews/0" }]);

    const unknown = expectProblem(await post('/online-features', { featureViews: ['ghost', 'Bad Name'], entityKeys: [{ user_id: 'a' }] }), 400, 'ATL_ONLINE_REQUEST_INVALID');
    expect(unknown.errors).toEqual([
      { field: '/body/featureViews/0', message: "feature view 'ghost' does not exist" },
      { field: '/body/featureViews/1', message: "must be 'name' or 'name@version'" },
    ]);
    const badKey = expectProblem(await post('/online-features', { featureViews: ['clicks@1'], entityKeys: [{ user: 'a' }] }), 400, 'ATL_ONLINE_REQUEST_INVALID');
    expect(badKey.errors).toEqual([{ field: '/body/entityKeys/0/user_id', message: "is required (join key of entity 'user')" }]);
  });
});
