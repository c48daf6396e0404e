// DatasetsService on a real database (Postgres when DATABASE_URL is set, else PGlite) and a real
// filesystem artifact store: local copies, the upload limit, interrupted bodies, full-file type
// inference, and registering an artifact that breaks a declared schema.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '@atelier/artifacts';
import type { Catalog } from '@atelier/catalog';
import { createTestDatabase, type TestDatabase } from '../../../../test/database.js';
import { DatasetError } from './datasets.errors.js';
import { DatasetsService, contentKey, type DatasetsConfig } from './datasets.service.js';
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
    expect(version.artifactKey).toBe(contentKey(version.datasetId, version.sha256, 'csv'));
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

  it('registers an artifact only when it meets the declared schema', async () => {
    const svc = service();
    await svc.createDataset(projectId, { name: 'declared' });
    await artifacts.put('incoming/people.csv', Buffer.from('name,age\nann,31\nbob,-4\ncid,\n'));
    const err = await svc
      .registerFromArtifact(projectId, 'declared', {
        artifactKey: 'incoming/people.csv',
        format: 'csv',
        declaredSchema: { columns: [{ name: 'age', type: 'integer', min: 0, notNull: true }] },
      })
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'ATL_DATASET_CONSTRAINT_VIOLATION', statusCode: 422 });
    expect(err.errors).toEqual(
      expect.arrayContaining([
        { field: "line 3, column 'age'", message: '-4 is below the declared minimum 0' },
        { field: "line 4, column 'age'", message: 'is null but the column is declared notNull' },
      ]),
    );
    const ds = await svc.getDataset(projectId, 'declared');
    expect(ds.latestVersion).toBeNull();
    expect(await keys(`datasets/${ds.id}/`)).toEqual([]);
    expect(await keys('incoming/')).toEqual(['incoming/people.csv']); // the source is the caller's

    await artifacts.put('incoming/people-ok.csv', Buffer.from('name,age\nann,31\nbob,4\n'));
    const ok = await svc.registerFromArtifact(projectId, 'declared', {
      artifactKey: 'incoming/people-ok.csv',
      format: 'csv',
      declaredSchema: { columns: [{ name: 'age', type: 'integer', min: 0, notNull: true }] },
    });
    expect(ok.version.schema.declared?.columns[0].name).toBe('age');
    expect(ok.version.schema.columns.find((c) => c.name === 'age')).toMatchObject({ type: 'integer', nullable: false });
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
