// Datasets over real HTTP shape (app.inject) on a real database and a filesystem artifact store:
// create → stream CSV / JSONL / Parquet → profile → preview → download → duplicate → schema evolution,
// and every malformed file rejected with its line and column, leaving no row and no bytes behind.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbSession, sqlLiteral } from '@atelier/feature-store';
import { createTestGateway, type TestGateway } from '../../../../test/gateway.js';

let gw: TestGateway;
let workDir: string;
let editor: { authorization: string };
let viewer: { authorization: string };
const P = '/v1/projects/shop';

const json = (res: { body: string }) => JSON.parse(res.body);

/** Sends bytes as a stream, in small chunks, the way a large upload arrives. */
function streamOf(bytes: Buffer | string, chunkSize = 7): Readable {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunkSize) chunks.push(buf.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

async function upload(dataset: string, body: Buffer | string, contentType = 'text/csv', query = '') {
  return gw.app.inject({
    method: 'POST',
    url: `${P}/datasets/${dataset}/versions${query}`,
    headers: { ...editor, 'content-type': contentType },
    payload: streamOf(body),
  });
}

async function createDataset(name: string, auth = editor) {
  return gw.app.inject({ method: 'POST', url: `${P}/datasets`, headers: auth, payload: { name, description: `the ${name} data` } });
}

async function artifactKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const e of gw.artifacts.list('datasets/')) keys.push(e.key);
  return keys;
}

async function versionCount(dataset: string): Promise<number> {
  return json(await gw.app.inject({ url: `${P}/datasets/${dataset}/versions`, headers: editor })).items.length;
}

const SALES_V1 = ['id,city,price,qty', '1,paris,10.5,3', '2,lyon,,5', '3,paris,7.25,', '4,nice,12.0,1', '5,paris,3.0,2', ''].join('\n');

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'atelier-datasets-test-'));
  process.env.ATELIER_DATASETS_DIR = workDir;
  gw = await createTestGateway();
  delete process.env.ATELIER_DATASETS_DIR;
  await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'shop' } });
  const key = async (role: string) => {
    const res = await gw.app.inject({ method: 'POST', url: `${P}/api-keys`, headers: gw.adminAuth, payload: { name: role, role } });
    return { authorization: `Bearer ${json(res).secret}` };
  };
  editor = await key('editor');
  viewer = await key('viewer');
});

afterAll(async () => {
  await gw?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('datasets over HTTP', () => {
  it('creates, lists and gets datasets; a viewer cannot create one; names are unique', async () => {
    const created = await createDataset('sales');
    expect(created.statusCode).toBe(201);
    expect(json(created)).toMatchObject({ name: 'sales', description: 'the sales data', latestVersion: null });
    expect((await createDataset('sales')).statusCode).toBe(409);
    const denied = await createDataset('nope', viewer);
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['content-type']).toContain('application/problem+json');
    const list = json(await gw.app.inject({ url: `${P}/datasets`, headers: viewer }));
    expect(list.items.map((d: { name: string }) => d.name)).toEqual(['sales']);
    expect(json(await gw.app.inject({ url: `${P}/datasets/sales`, headers: viewer })).name).toBe('sales');
    expect((await gw.app.inject({ url: `${P}/datasets/missing`, headers: viewer })).statusCode).toBe(404);
  });

  it('streams a CSV into version 1 with a real profile, preview and byte-identical download', async () => {
    const res = await upload('sales', SALES_V1);
    expect(res.statusCode).toBe(201);
    const v1 = json(res);
    expect(res.headers.location).toBe(`${P}/datasets/sales/versions/1`);
    expect(v1).toMatchObject({ version: 1, format: 'csv', rowCount: 5, sizeBytes: Buffer.byteLength(SALES_V1), duplicateOf: null });
    expect(v1.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v1).not.toHaveProperty('artifactKey'); // ids serve; storage keys stay inside
    const key = `datasets/${v1.datasetId}/sha256/${v1.sha256}.csv`;
    expect(v1.schema.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual([
      'id:integer',
      'city:string',
      'price:float',
      'qty:integer',
    ]);
    expect(v1.evolution).toMatchObject({ previousVersion: null, unchanged: true });
    // The bytes are in the store under their hash.
    expect(await artifactKeys()).toEqual([key]);
    expect((await gw.artifacts.stat(key))?.sha256).toBe(v1.sha256);
    expect(readdirSync(join(workDir, 'incoming'))).toEqual([]); // the spool file became the local copy

    const profile = json(await gw.app.inject({ url: `${P}/datasets/sales/versions/1/profile`, headers: viewer }));
    expect(profile.rowCount).toBe(5);
    const col = (name: string) => profile.columns.find((c: { name: string }) => c.name === name);
    expect(col('price')).toMatchObject({ count: 4, nullCount: 1, min: 3, max: 12, approxDistinct: 4 });
    expect(col('price').mean).toBeCloseTo((10.5 + 7.25 + 12 + 3) / 4, 10);
    const prices = [10.5, 7.25, 12, 3];
    const m = prices.reduce((a, b) => a + b) / 4;
    expect(col('price').stddev).toBeCloseTo(Math.sqrt(prices.reduce((s, x) => s + (x - m) ** 2, 0) / 3), 10);
    expect(col('qty')).toMatchObject({ count: 4, nullCount: 1, min: 1, max: 5, mean: 2.75 });
    expect(col('id')).toMatchObject({ count: 5, nullCount: 0, min: 1, max: 5, approxDistinct: 5 });
    expect(col('city')).toMatchObject({ count: 5, nullCount: 0, min: 'lyon', max: 'paris', approxDistinct: 3 });
    expect(col('city').topValues[0]).toEqual({ value: 'paris', count: 3 });
    for (const c of profile.columns) {
      const h = c.histogram;
      const total = h.kind === 'numeric' ? h.bins.reduce((s: number, b: { count: number }) => s + b.count, 0) + h.nonFiniteCount
        : h.buckets.reduce((s: number, b: { count: number }) => s + b.count, 0) + h.otherCount;
      expect(total, `histogram of ${c.name}`).toBe(c.count);
    }
    expect(col('price').histogram.kind).toBe('numeric');
    expect(col('price').histogram.bins).toHaveLength(20);
    expect(col('price').histogram.bins[0]).toMatchObject({ lower: 3, count: 1 });
    expect(col('qty').histogram.bins.map((b: { count: number }) => b.count)).toEqual([1, 1, 1, 0, 1]); // 1,2,3,(4),5
    expect(col('city').histogram).toEqual({
      kind: 'categorical',
      buckets: [
        { value: 'paris', count: 3 },
        { value: 'lyon', count: 1 },
        { value: 'nice', count: 1 },
      ],
      otherCount: 0,
    });

    const preview = json(await gw.app.inject({ url: `${P}/datasets/sales/versions/1/preview?limit=2`, headers: viewer }));
    expect(preview.rows).toEqual([
      { id: 1, city: 'paris', price: 10.5, qty: 3 },
      { id: 2, city: 'lyon', price: null, qty: 5 },
    ]);

    const download = await gw.app.inject({ url: `${P}/datasets/sales/versions/1/content`, headers: viewer });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toContain('text/csv');
    expect(Number(download.headers['content-length'])).toBe(Buffer.byteLength(SALES_V1));
    expect(download.rawPayload.equals(Buffer.from(SALES_V1))).toBe(true);

    const meta = json(await gw.app.inject({ url: `${P}/datasets/sales/versions/1`, headers: viewer }));
    expect(meta).toMatchObject({ version: 1, sha256: v1.sha256, rowCount: 5 });
  });

  it('detects a re-upload of identical bytes and returns the existing version', async () => {
    const res = await upload('sales', SALES_V1);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ version: 1, duplicateOf: 1 });
    expect(await versionCount('sales')).toBe(1);
    expect(await artifactKeys()).toHaveLength(1);
    expect(readdirSync(join(workDir, 'incoming'))).toEqual([]);
  });

  it('reports schema evolution against the version before', async () => {
    const v2 = ['id,city,price,rating', 'a1,paris,10.5,4.5', 'a2,lyon,8,3.0', ''].join('\n');
    const res = await upload('sales', v2);
    expect(res.statusCode).toBe(201);
    const body = json(res);
    expect(body.version).toBe(2);
    expect(body.evolution.previousVersion).toBe(1);
    expect(body.evolution.added.map((c: { name: string }) => c.name)).toEqual(['rating']);
    expect(body.evolution.removed.map((c: { name: string }) => c.name)).toEqual(['qty']);
    expect(body.evolution.retyped).toEqual([{ name: 'id', from: 'integer', to: 'string', fromDuckdbType: 'BIGINT', toDuckdbType: 'VARCHAR' }]);
    expect(body.evolution.unchanged).toBe(false);
    const versions = json(await gw.app.inject({ url: `${P}/datasets/sales/versions`, headers: viewer })).items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[0].evolution.retyped).toHaveLength(1);
    expect(json(await gw.app.inject({ url: `${P}/datasets/sales`, headers: viewer })).latestVersion).toBe(2);
  });

  it('takes JSON Lines and Parquet (by media type, or octet-stream with ?format=parquet)', async () => {
    expect((await createDataset('events')).statusCode).toBe(201);
    const jsonl = ['{"user":"u1","amount":3,"ok":true}', '{"user":"u2","amount":4.5,"ok":false}', '{"user":"u1","amount":null,"ok":true}', ''].join('\n');
    const res = await upload('events', jsonl, 'application/x-ndjson');
    expect(res.statusCode).toBe(201);
    const v = json(res);
    expect(v).toMatchObject({ format: 'jsonl', rowCount: 3, contentType: 'application/x-ndjson' });
    expect(v.schema.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual(['user:string', 'amount:float', 'ok:boolean']);
    const profile = json(await gw.app.inject({ url: `${P}/datasets/events/versions/1/profile`, headers: viewer }));
    expect(profile.columns[1]).toMatchObject({ name: 'amount', count: 2, nullCount: 1, min: 3, max: 4.5, mean: 3.75 });
    expect((await upload('events', jsonl, 'application/jsonl')).statusCode).toBe(200); // same bytes: duplicate

    // A Parquet fixture written by DuckDB itself.
    const dir = mkdtempSync(join(tmpdir(), 'atelier-parquet-'));
    const file = join(dir, 'f.parquet');
    const db = await DuckDbSession.open({ memoryLimitMb: 64, threads: 1 });
    await db.exec(
      `COPY (SELECT range AS k, range * 0.5 AS x, CASE WHEN range % 3 = 0 THEN NULL ELSE 'c' || (range % 2) END AS cat FROM range(100)) ` +
        `TO ${sqlLiteral(file)} (FORMAT PARQUET)`,
    );
    db.close();
    const bytes = readFileSync(file);
    rmSync(dir, { recursive: true, force: true });
    expect((await createDataset('pq')).statusCode).toBe(201);
    const pq = await upload('pq', bytes, 'application/vnd.apache.parquet');
    expect(pq.statusCode).toBe(201);
    expect(json(pq)).toMatchObject({ format: 'parquet', rowCount: 100 });
    const pqProfile = json(await gw.app.inject({ url: `${P}/datasets/pq/versions/1/profile`, headers: viewer }));
    expect(pqProfile.columns[0]).toMatchObject({ name: 'k', min: 0, max: 99, mean: 49.5, count: 100 });
    expect(pqProfile.columns[2]).toMatchObject({ name: 'cat', nullCount: 34, count: 66, approxDistinct: 2 });
    expect(pqProfile.columns[0].histogram.bins.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(100);

    expect((await createDataset('pq2')).statusCode).toBe(201);
    const octet = await upload('pq2', bytes, 'application/octet-stream', '?format=parquet');
    expect(octet.statusCode).toBe(201);
    const missingFormat = await upload('pq2', bytes, 'application/octet-stream');
    expect(missingFormat.statusCode).toBe(400);
    expect(json(missingFormat).errors[0].field).toBe('/query/format');
    const download = await gw.app.inject({ url: `${P}/datasets/pq2/versions/1/content`, headers: viewer });
    expect(download.headers['content-type']).toContain('application/vnd.apache.parquet');
    expect(download.rawPayload.equals(bytes)).toBe(true);
  });

  it('makes a version from the bytes of a version of this project, by id or by its content key', async () => {
    expect((await createDataset('imported')).statusCode).toBe(201);
    const source = json(await gw.app.inject({ url: `${P}/datasets/sales/versions/1`, headers: viewer }));
    const register = (payload: Record<string, unknown>) =>
      gw.app.inject({ method: 'POST', url: `${P}/datasets/imported/versions`, headers: editor, payload });

    const res = await register({ sourceVersionId: source.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res)).toMatchObject({
      version: 1,
      format: 'csv',
      rowCount: 5,
      sha256: source.sha256,
      lineage: { source: 'dataset-version', dataset: 'sales', version: 1, versionId: source.id },
    });
    const download = await gw.app.inject({ url: `${P}/datasets/imported/versions/1/content`, headers: viewer });
    expect(download.rawPayload.toString()).toBe(SALES_V1);

    // The content key of one of this project's versions names it too (same bytes: the same version).
    const byKey = await register({ artifactKey: `datasets/${source.datasetId}/sha256/${source.sha256}.csv` });
    expect(byKey.statusCode, byKey.body).toBe(200);
    expect(json(byKey)).toMatchObject({ version: 1, duplicateOf: 1 });

    const neither = await register({ format: 'csv' });
    expect(neither.statusCode).toBe(400);
    expect(json(neither).errors.map((e: { field: string }) => e.field)).toEqual(['/body/sourceVersionId', '/body/artifactKey']);
    expect((await register({ sourceVersionId: source.id, artifactKey: 'x' })).statusCode).toBe(400);

    // The same bytes cannot be another format.
    const otherFormat = await register({ sourceVersionId: source.id, format: 'jsonl' });
    expect(otherFormat.statusCode).toBe(409);
    expect(json(otherFormat).code).toBe('ATL_DATASET_FORMAT_CONFLICT');

    // Anything else in the store, even of this project, is not a source: an upload of a model, an import.
    await gw.artifacts.put('imports/two-rows.csv', Buffer.from('a,b\n1,x\n2,y\n'));
    for (const artifactKey of ['imports/two-rows.csv', `uploads/models/${source.datasetId}/m/u`, `datasets/${source.datasetId}/sha256/${'0'.repeat(64)}.csv`]) {
      const refused = await register({ artifactKey });
      expect(refused.statusCode, artifactKey).toBe(404);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(json(refused).code).toBe('ATL_DATASET_SOURCE_NOT_FOUND');
    }
    expect(await versionCount('imported')).toBe(1);
    expect(readdirSync(join(workDir, 'incoming'))).toEqual([]);
  });

  it("refuses an editor of another project a version made from this project's bytes, by key or by id (issue 12)", async () => {
    await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'rival' } });
    const rivalKey = await gw.app.inject({ method: 'POST', url: '/v1/projects/rival/api-keys', headers: gw.adminAuth, payload: { name: 'e', role: 'editor' } });
    const rival = { authorization: `Bearer ${json(rivalKey).secret}` };
    const R = '/v1/projects/rival';
    expect((await gw.app.inject({ method: 'POST', url: `${R}/datasets`, headers: rival, payload: { name: 'x' } })).statusCode).toBe(201);
    const victim = json(await gw.app.inject({ url: `${P}/datasets/sales/versions/1`, headers: viewer }));
    const keysBefore = await artifactKeys();

    for (const payload of [
      { artifactKey: `datasets/${victim.datasetId}/sha256/${victim.sha256}.csv` },
      { artifactKey: `datasets/${victim.datasetId}/sha256/${victim.sha256}.csv`, format: 'csv' },
      { sourceVersionId: victim.id },
    ]) {
      const res = await gw.app.inject({ method: 'POST', url: `${R}/datasets/x/versions`, headers: rival, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(json(res).code).toBe('ATL_DATASET_SOURCE_NOT_FOUND');
      expect(res.body).not.toContain('sales');
    }
    const download = await gw.app.inject({ url: `${R}/datasets/x/versions/1/content`, headers: rival });
    expect(download.statusCode).toBe(404);
    expect(download.body).not.toContain('paris');
    expect(json(await gw.app.inject({ url: `${R}/datasets/x/versions`, headers: rival })).items).toEqual([]);
    expect(await artifactKeys()).toEqual(keysBefore);
    expect(readdirSync(join(workDir, 'incoming'))).toEqual([]);
  });

  it('answers 415 naming the accepted types for any other Content-Type, before reading the body', async () => {
    for (const type of ['text/plain', 'image/png', 'multipart/form-data; boundary=x']) {
      const res = await gw.app.inject({
        method: 'POST',
        url: `${P}/datasets/sales/versions`,
        headers: { ...editor, 'content-type': type },
        payload: 'a,b\n1,2\n',
      });
      expect(res.statusCode, type).toBe(415);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(json(res).code).toBe('ATL_UNSUPPORTED_MEDIA_TYPE');
      expect(json(res).detail).toContain('text/csv');
      expect(json(res).detail).toContain('application/vnd.apache.parquet');
    }
    expect(await versionCount('sales')).toBe(2);
  });

  it('lets a viewer read but not upload', async () => {
    const res = await gw.app.inject({
      method: 'POST',
      url: `${P}/datasets/sales/versions`,
      headers: { ...viewer, 'content-type': 'text/csv' },
      payload: streamOf('x,y\n1,2\n'),
    });
    expect(res.statusCode).toBe(403);
    expect(json(res).code).toBe('ATL_FORBIDDEN');
    expect(await versionCount('sales')).toBe(2);
  });

  describe('rejects a malformed file with line and column, registering nothing', () => {
    const cases: Array<{ name: string; body: Buffer | string; type?: string; query?: string; status: number; code: string; field: RegExp }> = [
      { name: 'a ragged row (missing column)', body: 'a,b,c\n1,x,2.5\n2,y,3.5\n3,z\n', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^line 4, column 'c'$/ },
      { name: 'a ragged row (extra column)', body: 'a,b,c\n1,x,2.5\n2,y,3.5,9\n', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^line 3, column 4$/ },
      { name: 'an unterminated quote', body: 'a,b\n1,"x\n2,y\n3,z\n', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^line 2, column 'b'$/ },
      { name: 'a stray quote', body: 'a,b\n1,ok\n2,"x"y"\n', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^line 3, column 'b'$/ },
      { name: 'a quote inside an unquoted value', body: 'a,b\n0,ok\n1"x,2\n', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^line 3, column 'a'$/ },
      { name: 'a NUL byte in a CSV cell', body: 'a,b\n1,x\u0000y\n', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^line 2, column 'b'$/ },
      { name: 'a NUL byte in the CSV header', body: 'a,b\u0000\n1,2\n', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^line 1, column 2$/ },
      {
        name: 'a NUL character (\\u0000) in a JSON Lines value',
        type: 'application/x-ndjson',
        body: '{"a":"ok"}\n{"a":"x\\u0000y"}\n',
        status: 422,
        code: 'ATL_DATASET_MALFORMED',
        field: /^line 2, column 'a'$/,
      },
      { name: 'a NUL byte in a JSON Lines key', type: 'application/x-ndjson', body: '{"a":1}\n{"b\u0000":2}\n', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^line 2/ },
      {
        name: 'invalid UTF-8',
        body: Buffer.concat([Buffer.from('a,b\n1,x\n2,'), Buffer.from([0xff, 0xfe]), Buffer.from('\n3,z\n')]),
        status: 422,
        code: 'ATL_DATASET_MALFORMED',
        field: /^line 3, column 'b'$/,
      },
      { name: 'an empty file', body: '', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^line 1$/ },
      { name: 'a header only', body: 'a,b,c\n', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^line 2$/ },
      { name: 'a duplicate header name', body: 'a,b,a\n1,2,3\n', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^line 1, column 3$/ },
      {
        name: 'a value that breaks the declared type',
        body: 'a,b\n1,x\n2,y\nfoo,z\n',
        query: `?schema=${encodeURIComponent(JSON.stringify({ columns: [{ name: 'a', type: 'integer' }] }))}`,
        status: 422,
        code: 'ATL_DATASET_CONSTRAINT_VIOLATION',
        field: /^line 4, column 'a'$/,
      },
      {
        name: 'a null in a notNull column',
        body: 'a,b\n1,x\n,y\n',
        query: `?schema=${encodeURIComponent(JSON.stringify({ columns: [{ name: 'a', notNull: true }] }))}`,
        status: 422,
        code: 'ATL_DATASET_CONSTRAINT_VIOLATION',
        field: /^line 3, column 'a'$/,
      },
      {
        name: 'a value out of range',
        body: 'a,b\n1,x\n200,y\n',
        query: `?schema=${encodeURIComponent(JSON.stringify({ columns: [{ name: 'a', type: 'integer', min: 0, max: 100 }] }))}`,
        status: 422,
        code: 'ATL_DATASET_CONSTRAINT_VIOLATION',
        field: /^line 3, column 'a'$/,
      },
      {
        name: 'a value not allowed',
        body: 'a,b\n1,x\n2,q\n',
        query: `?schema=${encodeURIComponent(JSON.stringify({ columns: [{ name: 'b', allowedValues: ['x', 'y'] }] }))}`,
        status: 422,
        code: 'ATL_DATASET_CONSTRAINT_VIOLATION',
        field: /^line 3, column 'b'$/,
      },
      {
        name: 'a declared column the file lacks',
        body: 'a,b\n1,x\n',
        query: `?schema=${encodeURIComponent(JSON.stringify({ columns: [{ name: 'c', type: 'float' }] }))}`,
        status: 422,
        code: 'ATL_DATASET_CONSTRAINT_VIOLATION',
        field: /^column 'c'$/,
      },
      {
        name: 'an invalid declared schema',
        body: 'a,b\n1,x\n',
        query: `?schema=${encodeURIComponent(JSON.stringify({ columns: [{ name: 'a', type: 'int' }] }))}`,
        status: 400,
        code: 'ATL_DATASET_SCHEMA_INVALID',
        field: /^\/query\/schema\/columns\/0\/type$/,
      },
      { name: 'bad JSON on a JSON Lines line', type: 'application/x-ndjson', body: '{"a":1}\n{"a":2}\n{"a":\n', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^line 3$/ },
      {
        name: 'invalid UTF-8 in JSON Lines',
        type: 'application/x-ndjson',
        body: Buffer.concat([Buffer.from('{"a":"x"}\n{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
        status: 422,
        code: 'ATL_DATASET_MALFORMED',
        field: /^line 2$/,
      },
      {
        name: 'a JSON Lines value that breaks the declared type',
        type: 'application/x-ndjson',
        body: '{"a":1}\n{"a":"two"}\n',
        query: `?schema=${encodeURIComponent(JSON.stringify({ columns: [{ name: 'a', type: 'integer' }] }))}`,
        status: 422,
        code: 'ATL_DATASET_CONSTRAINT_VIOLATION',
        field: /^line 2, column 'a'$/,
      },
      { name: 'a file that is not Parquet', type: 'application/vnd.apache.parquet', body: 'a,b\n1,2\n', status: 422, code: 'ATL_DATASET_MALFORMED', field: /^file$/ },
    ];

    beforeAll(async () => {
      expect((await createDataset('bad')).statusCode).toBe(201);
    });

    for (const c of cases) {
      it(c.name, async () => {
        const keysBefore = await artifactKeys();
        const res = await upload('bad', c.body, c.type ?? 'text/csv', c.query ?? '');
        expect(res.statusCode, res.body).toBe(c.status);
        expect(res.headers['content-type']).toContain('application/problem+json');
        const problem = json(res);
        expect(problem.code).toBe(c.code);
        expect(problem.errors.length).toBeGreaterThan(0);
        expect(problem.errors.map((e: { field: string }) => e.field)).toContainEqual(expect.stringMatching(c.field));
        expect(problem.detail).not.toContain(workDir); // no server paths leak
        expect(await versionCount('bad')).toBe(0);
        expect(await artifactKeys()).toEqual(keysBefore);
        expect(readdirSync(join(workDir, 'incoming'))).toEqual([]);
      });
    }
  });
});

describe('files DuckDB cannot read are 422s, not 500s', () => {
  let parquet: Buffer;
  let nulParquet: Buffer;

  beforeAll(async () => {
    expect((await createDataset('unreadable')).statusCode).toBe(201);
    const dir = mkdtempSync(join(tmpdir(), 'atelier-parquet-'));
    const db = await DuckDbSession.open({ memoryLimitMb: 64, threads: 1 });
    await db.exec(`COPY (SELECT range AS k, 'v' || range AS s FROM range(1000)) TO ${sqlLiteral(join(dir, 'a.parquet'))} (FORMAT PARQUET)`);
    await db.exec(`COPY (SELECT 'x' || chr(0) || 'y' AS s) TO ${sqlLiteral(join(dir, 'b.parquet'))} (FORMAT PARQUET)`);
    db.close();
    parquet = readFileSync(join(dir, 'a.parquet'));
    nulParquet = readFileSync(join(dir, 'b.parquet'));
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: Array<{ name: string; bytes: () => Buffer; type: string; field: RegExp }> = [
    { name: 'a Parquet file with its first 4 bytes cut', bytes: () => parquet.subarray(4), type: 'application/vnd.apache.parquet', field: /^file$/ },
    { name: 'a Parquet file with a damaged footer', bytes: () => parquet.subarray(0, parquet.length - 4), type: 'application/vnd.apache.parquet', field: /^file$/ },
    {
      name: 'a Parquet file with damaged pages (TProtocolException)',
      bytes: () => Buffer.from(parquet).fill(0x41, 8, 200),
      type: 'application/vnd.apache.parquet',
      field: /^file$/,
    },
    { name: 'a Parquet text value with a NUL character', bytes: () => nulParquet, type: 'application/vnd.apache.parquet', field: /^column 's'$/ },
    { name: 'binary bytes declared as CSV', bytes: () => Buffer.concat([Buffer.from('a,b\n'), parquet]), type: 'text/csv', field: /^line 2/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const res = await upload('unreadable', c.bytes(), c.type);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(json(res).code).toBe('ATL_DATASET_MALFORMED');
      expect(json(res).errors.map((e: { field: string }) => e.field)).toContainEqual(expect.stringMatching(c.field));
      expect(json(res).detail).not.toContain(workDir);
      expect(await versionCount('unreadable')).toBe(0);
      expect(readdirSync(join(workDir, 'incoming'))).toEqual([]);
    });
  }

  it('refuses the same bytes declared as another format instead of answering with the other version', async () => {
    const bytes = 'n\n1\n2\n'; // a one-column CSV, and three JSON values
    expect((await upload('unreadable', bytes, 'text/csv')).statusCode).toBe(201);
    const res = await upload('unreadable', bytes, 'application/x-ndjson');
    expect(res.statusCode, res.body).toBe(409);
    expect(json(res)).toMatchObject({ code: 'ATL_DATASET_FORMAT_CONFLICT' });
    expect(json(res).detail).toContain('version 1');
    expect(await versionCount('unreadable')).toBe(1);
    expect((await upload('unreadable', bytes, 'text/csv')).statusCode).toBe(200); // as csv: the duplicate
    expect(readdirSync(join(workDir, 'incoming'))).toEqual([]);
  });
});

/**
 * A body that sends `head` and then stalls until `finish()`: an answer that arrives before finish()
 * was given before the body ended, i.e. from the first bytes.
 */
function stallingBody(head: string): { stream: Readable; finish: () => void } {
  let sent = false;
  const stream = new Readable({
    read() {
      if (!sent) this.push(head);
      sent = true;
    },
  });
  return { stream, finish: () => stream.push(null) };
}

describe('bounds on the shape of a file, checked while it streams', () => {
  beforeAll(async () => {
    expect((await createDataset('shapes')).statusCode).toBe(201);
  });

  const cases = [
    {
      name: 'a CSV header with 50,000 columns',
      type: 'text/csv',
      head: Array.from({ length: 50_000 }, (_, i) => `c${i}`).join(',') + '\n',
      field: /^line 1$/,
      reason: /more than 1000 columns/,
    },
    {
      name: 'a JSON Lines record nested 10,000 deep',
      type: 'application/x-ndjson',
      head: '{"a":1}\n' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n',
      field: /^line 2$/,
      reason: /nested deeper than 64 levels/,
    },
    {
      name: 'a JSON Lines record with 50,000 keys',
      type: 'application/x-ndjson',
      head: `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`).join(',')}}\n`,
      field: /^line 1$/,
      reason: /more than 1000 keys/,
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} with 422 from its first bytes, registering nothing`, async () => {
      const body = stallingBody(c.head);
      try {
        const res = await gw.app.inject({
          method: 'POST',
          url: `${P}/datasets/shapes/versions`,
          headers: { ...editor, 'content-type': c.type },
          payload: body.stream,
        });
        expect(res.statusCode, res.body).toBe(422);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(json(res).code).toBe('ATL_DATASET_LIMIT_EXCEEDED');
        expect(json(res).detail).toMatch(c.reason);
        expect(json(res).errors[0].field).toMatch(c.field);
      } finally {
        body.finish();
      }
      expect(await versionCount('shapes')).toBe(0);
      expect(readdirSync(join(workDir, 'incoming'))).toEqual([]);
    });
  }
});

describe('upload limit', () => {
  it('answers 413 when the body (streamed or declared) exceeds ATELIER_DATASET_UPLOAD_LIMIT_BYTES, registering nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atelier-datasets-limit-'));
    process.env.ATELIER_DATASETS_DIR = dir;
    process.env.ATELIER_DATASET_UPLOAD_LIMIT_BYTES = '64';
    const small = await createTestGateway();
    delete process.env.ATELIER_DATASETS_DIR;
    delete process.env.ATELIER_DATASET_UPLOAD_LIMIT_BYTES;
    try {
      await small.app.inject({ method: 'POST', url: '/v1/projects', headers: small.adminAuth, payload: { name: 'tiny' } });
      await small.app.inject({ method: 'POST', url: '/v1/projects/tiny/datasets', headers: small.adminAuth, payload: { name: 'd' } });
      const body = 'a,b\n' + '1,2\n'.repeat(50);
      const streamed = await small.app.inject({
        method: 'POST',
        url: '/v1/projects/tiny/datasets/d/versions',
        headers: { ...small.adminAuth, 'content-type': 'text/csv' },
        payload: streamOf(body, 16),
      });
      expect(streamed.statusCode).toBe(413);
      expect(json(streamed).code).toBe('ATL_BODY_TOO_LARGE');
      const declared = await small.app.inject({
        method: 'POST',
        url: '/v1/projects/tiny/datasets/d/versions',
        headers: { ...small.adminAuth, 'content-type': 'text/csv' },
        payload: body, // a string payload carries Content-Length
      });
      expect(declared.statusCode).toBe(413);
      const ok = await small.app.inject({
        method: 'POST',
        url: '/v1/projects/tiny/datasets/d/versions',
        headers: { ...small.adminAuth, 'content-type': 'text/csv' },
        payload: 'a,b\n1,2\n',
      });
      expect(ok.statusCode).toBe(201);
      const versions = json(await small.app.inject({ url: '/v1/projects/tiny/datasets/d/versions', headers: small.adminAuth }));
      expect(versions.items).toHaveLength(1);
      expect(readdirSync(join(dir, 'incoming'))).toEqual([]);
    } finally {
      await small.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
