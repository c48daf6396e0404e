// DatasetsService on a real database (Postgres when DATABASE_URL is set, else PGlite) and a real
// filesystem artifact store: local copies, the upload limit, interrupted bodies, full-file type
// inference, and registering an artifact that breaks a declared schema.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '@atelier/artifacts';
import type { Catalog } from '@atelier/catalog';
import { createTestDatabase, type TestDatabase } from '../../../../test/database.js';
import { DuckDbSession, sqlLiteral } from '../duckdb/duckdb-session.js';
import { DatasetError } from './datasets.errors.js';
import { artifactKeys } from '@atelier/contracts';
import { DatasetsService, datasetsConfigFromEnv, type DatasetsConfig } from './datasets.service.js';
import { findInvalidUtf8, readCsvHeader } from './text-checks.js';

let database: TestDatabase;
let catalog: Catalog;
let artifacts: FilesystemArtifactStore;
let dir: string;
let projectId: string;

function service(overrides: Partial<DatasetsConfig> = {}): DatasetsService {
  return new DatasetsService(catalog, artifacts, {
    workDir: join(dir, 'work'),
    uploadLimitBytes: 1024 * 1024,
    duckdbMemoryLimitMb: 128,
    duckdbThreads: 1,
    ...overrides,
  });
}

async function* chunks(...parts: Array<string | Error>): AsyncGenerator<Uint8Array> {
  for (const p of parts) {
    if (p instanceof Error) throw p;
    yield Buffer.from(p);
  }
}

async function keys(prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of artifacts.list(prefix)) out.push(e.key);
  return out;
}

beforeAll(async () => {
  database = await createTestDatabase();
  catalog = await database.openCatalog();
  dir = mkdtempSync(join(tmpdir(), 'atelier-ds-svc-'));
  artifacts = new FilesystemArtifactStore({ rootDir: join(dir, 'artifacts') });
  projectId = (await catalog.projects.create({ name: 'svc' })).id;
});

afterAll(async () => {
  await artifacts?.close();
  await catalog?.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('DatasetsService', () => {
  it('keeps a local copy by content hash and downloads it again when the cache is gone', async () => {
    const svc = service();
    await svc.createDataset(projectId, { name: 'local' });
    const csv = 'k,v\n1,a\n2,b\n3,c\n';
    const { version, created } = await svc.uploadVersion(projectId, 'local', chunks('k,v\n1,', 'a\n2,b\n3,c\n'), { format: 'csv' });
    expect(created).toBe(true);
    expect(await keys(`datasets/${version.datasetId}/`)).toEqual([artifactKeys.dataset(version.datasetId, version.sha256, 'csv')]);
    const path = await svc.localCopy(version.id);
    expect(path).toBe(join(dir, 'work', 'cache', 'sha256', `${version.sha256}.csv`));
    expect(readFileSync(path, 'utf8')).toBe(csv);

    rmSync(join(dir, 'work', 'cache'), { recursive: true });
    const [a, b] = await Promise.all([svc.localCopy(version.id), svc.localCopy(version.id)]);
    expect(a).toBe(path);
    expect(b).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe(csv);

    const preview = await svc.preview(projectId, 'local', 1, 2);
    expect(preview.rows).toEqual([
      { k: 1, v: 'a' },
      { k: 2, v: 'b' },
    ]);
    const content = await svc.openContent(projectId, 'local', 1);
    const got: Buffer[] = [];
    for await (const c of content.stream) got.push(c as Buffer);
    expect(Buffer.concat(got).toString()).toBe(csv);
    expect(content).toMatchObject({ sizeBytes: csv.length, contentType: 'text/csv', fileName: 'local-v1.csv' });
  });

  it('refuses an upload over the limit and an interrupted one, leaving nothing behind', async () => {
    const svc = service({ uploadLimitBytes: 64 });
    await svc.createDataset(projectId, { name: 'limited' });
    const big = 'a,b\n' + '1,2\n'.repeat(100);
    const tooLarge = await svc.uploadVersion(projectId, 'limited', chunks(big.slice(0, 200), big.slice(200)), { format: 'csv' }).catch((e) => e);
    expect(tooLarge).toBeInstanceOf(DatasetError);
    expect(tooLarge).toMatchObject({ code: 'ATL_BODY_TOO_LARGE', statusCode: 413 });

    const broken = await svc.uploadVersion(projectId, 'limited', chunks('a,b\n', new Error('socket hang up')), { format: 'csv' }).catch((e) => e);
    expect(broken).toMatchObject({ statusCode: 400 });
    expect(broken.message).toContain('socket hang up');

    expect(await svc.listVersions(projectId, 'limited')).toEqual([]);
    const ds = await svc.getDataset(projectId, 'limited');
    expect(await keys(`datasets/${ds.id}/`)).toEqual([]);
    expect(readdirSync(join(dir, 'work', 'incoming'))).toEqual([]);
  });

  it('infers types from every row when the sniffer sample guessed wrong', async () => {
    const svc = service();
    await svc.createDataset(projectId, { name: 'late' });
    const rows = Array.from({ length: 30_000 }, (_, i) => `${i},${i % 7}`);
    const csv = ['n,m', ...rows, '30000,2.5', '30001,x', ''].join('\n');
    const { version } = await svc.uploadVersion(projectId, 'late', chunks(csv), { format: 'csv' });
    expect(version.rowCount).toBe(30_002);
    // 'm' is an integer in the sample, a float and then text at the very end.
    expect(version.schema.columns.map((c) => `${c.name}:${c.duckdbType}`)).toEqual(['n:BIGINT', 'm:VARCHAR']);
    const profile = await svc.profile(projectId, 'late', 1);
    expect(profile.columns[0]).toMatchObject({ min: 0, max: 30_001, count: 30_002 });
    expect(profile.columns[0].histogram?.kind).toBe('numeric');
  });

  it('makes a version from a version of the same project only when it meets the declared schema', async () => {
    const svc = service();
    await svc.createDataset(projectId, { name: 'people-raw' });
    await svc.createDataset(projectId, { name: 'declared' });
    const raw = await svc.uploadVersion(projectId, 'people-raw', chunks('name,age\nann,31\nbob,-4\ncid,\n'), { format: 'csv' });
    const declaredSchema = { columns: [{ name: 'age', type: 'integer' as const, min: 0, notNull: true }] };
    const err = await svc.registerFromVersion(projectId, 'declared', { sourceVersionId: raw.version.id, declaredSchema }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ATL_DATASET_CONSTRAINT_VIOLATION', statusCode: 422 });
    expect((err as DatasetError).errors).toEqual(
      expect.arrayContaining([
        { field: "line 3, column 'age'", message: '-4 is below the declared minimum 0' },
        { field: "line 4, column 'age'", message: 'is null but the column is declared notNull' },
      ]),
    );
    const ds = await svc.getDataset(projectId, 'declared');
    expect(ds.latestVersion).toBeNull();
    expect(await keys(`datasets/${ds.id}/`)).toEqual([]);

    const fixed = await svc.uploadVersion(projectId, 'people-raw', chunks('name,age\nann,31\nbob,4\n'), { format: 'csv' });
    const ok = await svc.registerFromVersion(projectId, 'declared', {
      artifactKey: artifactKeys.dataset(fixed.version.datasetId, fixed.version.sha256, 'csv'),
      declaredSchema,
    });
    expect(ok.version.schema.declared?.columns[0].name).toBe('age');
    expect(ok.version.schema.columns.find((c) => c.name === 'age')).toMatchObject({ type: 'integer', nullable: false });
    expect(ok.version.lineage).toEqual({ source: 'dataset-version', dataset: 'people-raw', version: 2, versionId: fixed.version.id });
  });

  it("never reads another project's bytes, nor any key outside this project's versions", async () => {
    const svc = service();
    const otherProject = (await catalog.projects.create({ name: 'svc-other' })).id;
    await svc.createDataset(otherProject, { name: 'secret' });
    const secret = await svc.uploadVersion(otherProject, 'secret', chunks('k\n42\n'), { format: 'csv' });
    await svc.createDataset(projectId, { name: 'thief' });
    await artifacts.put('models/bundle.bin', Buffer.from('k\n1\n'));
    const attempts = [
      { sourceVersionId: secret.version.id },
      { artifactKey: artifactKeys.dataset(secret.version.datasetId, secret.version.sha256, 'csv') },
      { artifactKey: 'models/bundle.bin' },
      { sourceVersionId: 'not-a-uuid' },
      { artifactKey: `datasets/not-a-uuid/sha256/${secret.version.sha256}.csv` },
    ];
    for (const source of attempts) {
      const err = await svc.registerFromVersion(projectId, 'thief', source).catch((e: unknown) => e);
      expect(err, JSON.stringify(source)).toMatchObject({ code: 'ATL_DATASET_SOURCE_NOT_FOUND', statusCode: 404 });
    }
    expect(await svc.listVersions(projectId, 'thief')).toEqual([]);
    expect(readdirSync(join(dir, 'work', 'incoming'))).toEqual([]);
  });
});

describe('checks while the upload streams', () => {
  /** Yields `head`, then filler lines, counting how many chunks were pulled. */
  function counted(head: string) {
    const state = { pulled: 0 };
    async function* body(): AsyncGenerator<Uint8Array> {
      state.pulled++;
      yield Buffer.from(head);
      for (let i = 0; i < 1000; i++) {
        state.pulled++;
        yield Buffer.from('1,2\n');
      }
    }
    return { body: body(), state };
  }

  it('refuses a header wider than maxColumns and JSON deeper than maxJsonDepth at the first chunk', async () => {
    const svc = service({ maxColumns: 10, maxJsonDepth: 4 });
    await svc.createDataset(projectId, { name: 'shapes' });
    const cases = [
      { format: 'csv' as const, head: Array.from({ length: 11 }, (_, i) => `c${i}`).join(',') + '\n', setting: 'ATELIER_DATASET_MAX_COLUMNS' },
      { format: 'csv' as const, head: 'a,b\n' + '1,'.repeat(11) + '\n', setting: 'ATELIER_DATASET_MAX_COLUMNS' },
      { format: 'jsonl' as const, head: '{"a":[[[[1]]]]}\n', setting: 'ATELIER_DATASET_MAX_JSON_DEPTH' },
      { format: 'jsonl' as const, head: `{${Array.from({ length: 11 }, (_, i) => `"k${i}":1`).join(',')}}\n`, setting: 'ATELIER_DATASET_MAX_COLUMNS' },
      // Eleven distinct keys over several records: eleven columns.
      { format: 'jsonl' as const, head: Array.from({ length: 11 }, (_, i) => `{"k${i}":1}`).join('\n') + '\n', setting: 'ATELIER_DATASET_MAX_COLUMNS' },
    ];
    for (const c of cases) {
      const { body, state } = counted(c.head);
      const err = await svc.uploadVersion(projectId, 'shapes', body, { format: c.format }).catch((e: unknown) => e);
      expect(err, c.head).toMatchObject({ code: 'ATL_DATASET_LIMIT_EXCEEDED', statusCode: 422 });
      expect((err as Error).message).toContain(c.setting);
      expect(state.pulled, c.head).toBe(1); // nothing after the first chunk was read
    }
    // At the limits: accepted.
    const ok = await svc.uploadVersion(projectId, 'shapes', chunks('{"a":[[[1]]],"b":"[[[[[{{{"}\n'), { format: 'jsonl' });
    expect(ok.created).toBe(true);
    expect(await svc.listVersions(projectId, 'shapes')).toHaveLength(1);
    expect(readdirSync(join(dir, 'work', 'incoming'))).toEqual([]);
  });

  it('refuses a Parquet file wider than maxColumns from its footer', async () => {
    const svc = service({ maxColumns: 3 });
    await svc.createDataset(projectId, { name: 'wide-pq' });
    const file = join(dir, 'wide.parquet');
    const db = await DuckDbSession.open({ memoryLimitMb: 64, threads: 1 });
    await db.exec(`COPY (SELECT 1 AS a, 2 AS b, 3 AS c, 4 AS d) TO ${sqlLiteral(file)} (FORMAT PARQUET)`);
    db.close();
    const err = await svc.uploadVersion(projectId, 'wide-pq', readFileSync(file), { format: 'parquet' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ATL_DATASET_LIMIT_EXCEEDED', statusCode: 422 });
    expect((err as Error).message).toContain('4 columns');
    expect(readdirSync(join(dir, 'work', 'incoming'))).toEqual([]);
  });

  it('reads the bounds from the environment and fails fast on bad values, naming the variable', () => {
    expect(datasetsConfigFromEnv({})).toMatchObject({ maxColumns: 1000, maxJsonDepth: 64, duckdbMemoryLimitMb: 512, duckdbThreads: 2 });
    expect(datasetsConfigFromEnv({ ATELIER_DATASET_MAX_COLUMNS: '50', ATELIER_DATASET_MAX_JSON_DEPTH: '8' })).toMatchObject({
      maxColumns: 50,
      maxJsonDepth: 8,
    });
    expect(() => datasetsConfigFromEnv({ ATELIER_DATASET_MAX_COLUMNS: '0' })).toThrow(/ATELIER_DATASET_MAX_COLUMNS/);
    expect(() => datasetsConfigFromEnv({ ATELIER_DATASET_MAX_JSON_DEPTH: 'deep' })).toThrow(/ATELIER_DATASET_MAX_JSON_DEPTH/);
  });

  it('removes the spool file of an upload whose connection closes without ending', async () => {
    const svc = service();
    await svc.createDataset(projectId, { name: 'closed' });
    const source = new Readable({ read() {} });
    source.push('a,b\n1,2\n');
    const pending = svc.uploadVersion(projectId, 'closed', source, { format: 'csv' }).catch((e: unknown) => e);
    const deadline = Date.now() + 10_000;
    while (!existsSync(join(dir, 'work', 'incoming')) || readdirSync(join(dir, 'work', 'incoming')).length === 0) {
      if (Date.now() > deadline) throw new Error('the upload never started spooling');
      await new Promise((r) => setImmediate(r));
    }
    source.destroy(); // 'close' without 'end', like a socket that goes away
    expect(await pending).toMatchObject({ statusCode: 400 });
    expect(readdirSync(join(dir, 'work', 'incoming'))).toEqual([]);
  });
});

describe('text checks', () => {
  it('finds invalid UTF-8 by line, also across read chunks, and accepts characters split between chunks', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'atelier-utf8-'));
    try {
      const file = join(tmp, 'f.jsonl');
      // A 3-byte character straddling the 1 MiB read boundary is valid.
      const filler = Buffer.alloc((1 << 20) - 1, 0x61);
      writeFileSync(file, Buffer.concat([filler, Buffer.from('€\n')]));
      expect(await findInvalidUtf8(file)).toBeNull();
      // A lone continuation byte after two lines; a sequence cut off at the end of the file.
      writeFileSync(file, Buffer.concat([Buffer.from('a\nb\nc'), Buffer.from([0x80]), Buffer.from('\n')]));
      expect(await findInvalidUtf8(file)).toEqual({ line: 3, byteOffset: 5 });
      writeFileSync(file, Buffer.concat([filler, Buffer.from('\nx'), Buffer.from([0xe2, 0x82])]));
      expect((await findInvalidUtf8(file))?.line).toBe(2);
      // Overlong encodings and surrogates are invalid.
      writeFileSync(file, Buffer.from([0x41, 0xc0, 0xaf]));
      expect(await findInvalidUtf8(file)).toEqual({ line: 1, byteOffset: 1 });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('parses the CSV header: quotes, escaped quotes, commas, BOM, CRLF', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'atelier-hdr-'));
    try {
      const file = join(tmp, 'h.csv');
      writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,"a, b","say ""hi""",é\r\n1,2,3,4\r\n')]));
      expect(await readCsvHeader(file)).toEqual({ ok: true, names: ['id', 'a, b', 'say "hi"', 'é'], restBytes: 9 });
      writeFileSync(file, 'a,"b\n1,2\n');
      expect(await readCsvHeader(file)).toMatchObject({ ok: false });
      writeFileSync(file, 'a,b');
      expect(await readCsvHeader(file)).toEqual({ ok: true, names: ['a', 'b'], restBytes: 0 });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('concurrent uploads', () => {
  it('make one version from the same new bytes, and the others are told it is a duplicate', async () => {
    const svc = service();
    await svc.createDataset(projectId, { name: 'race' });
    const csv = 'x,y\n1,2\n3,4\n';
    const results = await Promise.all([1, 2, 3].map(() => svc.uploadVersion(projectId, 'race', chunks(csv), { format: 'csv' })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.filter((r) => !r.created).map((r) => r.duplicateOf)).toEqual([1, 1]);
    expect(results.every((r) => r.version.version === 1)).toBe(true);
    expect((await svc.listVersions(projectId, 'race')).map((v) => v.version)).toEqual([1]);
  });
});
