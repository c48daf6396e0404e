import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeArtifactStoreConformance, pseudoRandomChunks, sha256Hex } from './artifact-store.conformance.js';
import { ArtifactKeyConflictError } from './errors.js';
import { FilesystemArtifactStore } from './filesystem-artifact-store.js';

const roots: string[] = [];
async function freshRoot(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'atelier-artifacts-'));
  roots.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

let conformanceRoot: string | undefined;
describeArtifactStoreConformance('filesystem', async () => {
  conformanceRoot ??= await freshRoot();
  return new FilesystemArtifactStore({ rootDir: conformanceRoot });
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('FilesystemArtifactStore specifics', () => {
  it('stores objects as plain files under objects/ and keeps temp files out of sight until done', async () => {
    const root = await freshRoot();
    const store = new FilesystemArtifactStore({ rootDir: root });
    const gate = deferred();
    const firstChunkWritten = deferred();
    const pending = store.put(
      'models/m1/weights.bin',
      (async function* () {
        yield Buffer.from('half ');
        firstChunkWritten.resolve();
        await gate.promise;
        yield Buffer.from('and the rest');
      })(),
    );
    await firstChunkWritten.promise;
    // Mid-write: a temp file exists, but no object, no listing entry.
    await expect.poll(async () => (await readdir(path.join(root, '.tmp'))).length, { timeout: 5000 }).toBe(1);
    expect(await store.stat('models/m1/weights.bin')).toBeNull();
    const listed = [];
    for await (const e of store.list('')) listed.push(e.key);
    expect(listed).toEqual([]);
    gate.resolve();
    const res = await pending;
    expect(res.sha256).toBe(sha256Hex('half and the rest'));
    expect(await readFile(path.join(root, 'objects', 'models', 'm1', 'weights.bin'), 'utf8')).toBe('half and the rest');
    expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
    await store.close();
  });

  it('removes its temp file when the body fails midway', async () => {
    const root = await freshRoot();
    const store = new FilesystemArtifactStore({ rootDir: root });
    const failing = (async function* () {
      yield* pseudoRandomChunks(3 * 1024 * 1024, 5);
      throw new Error('socket hang up');
    })();
    await expect(store.put('a/b.bin', failing)).rejects.toThrow('socket hang up');
    expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
    expect(await readdir(path.join(root, 'objects'))).toEqual([]);
  });

  it('reports a key conflict when a folder of the key is an object, or the key is a folder', async () => {
    const store = new FilesystemArtifactStore({ rootDir: await freshRoot() });
    await store.put('a/b', Buffer.from('file'));
    await expect(store.put('a/b/c', Buffer.from('x'))).rejects.toBeInstanceOf(ArtifactKeyConflictError);
    await store.put('x/y/z', Buffer.from('deep'));
    await expect(store.put('x/y', Buffer.from('x'))).rejects.toMatchObject({ code: 'ATL_ARTIFACT_KEY_CONFLICT', statusCode: 409 });
    // The folder is not an object of its own.
    expect(await store.stat('x/y')).toBeNull();
    await expect(store.get('x/y')).rejects.toMatchObject({ code: 'ATL_ARTIFACT_NOT_FOUND' });
    await store.delete('x/y'); // a folder, not an object: nothing to delete, no error
    expect(Buffer.from(await store.getBytes('x/y/z')).toString()).toBe('deep');
  });

  it('only trusts the sha256 sidecar for the exact file it hashed', async () => {
    const root = await freshRoot();
    const store = new FilesystemArtifactStore({ rootDir: root });
    const res = await store.put('m/model.json', Buffer.from('{"a":1}'), { contentType: 'application/json' });
    expect((await store.stat('m/model.json'))?.sha256).toBe(res.sha256);
    const sidecar = JSON.parse(await readFile(path.join(root, 'meta', 'm', 'model.json'), 'utf8'));
    expect(sidecar).toMatchObject({ sha256: res.sha256, size: 7, contentType: 'application/json' });
    // Someone edits the object behind the store's back: stat no longer vouches for it.
    await writeFile(path.join(root, 'objects', 'm', 'model.json'), '{"a":2}');
    const st = await store.stat('m/model.json');
    expect(st).toMatchObject({ size: 7 });
    expect(st?.sha256).toBeUndefined();
  });

  it('prunes empty folders on delete', async () => {
    const store = new FilesystemArtifactStore({ rootDir: await freshRoot() });
    await store.put('deep/er/still/key.bin', Buffer.from('x'));
    await store.put('deep/sibling.bin', Buffer.from('y'));
    await store.delete('deep/er/still/key.bin');
    expect(await readdir(path.join(store.rootDir, 'objects', 'deep'))).toEqual(['sibling.bin']);
    expect(await readdir(path.join(store.rootDir, 'meta', 'deep'))).toEqual(['sibling.bin']);
  });

  it('sweeps temp files a killed writer left, by age, and never a live write or an object', async () => {
    const root = await freshRoot();
    await mkdir(path.join(root, '.tmp'), { recursive: true });
    const crashed = path.join(root, '.tmp', 'crashed.data');
    await writeFile(crashed, 'left by a crash');
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(crashed, old, old);
    const store = new FilesystemArtifactStore({ rootDir: root });
    await store.put('kept.bin', Buffer.from('an object'));
    // A write in progress: its temp file is young.
    const gate = deferred();
    const pending = store.put('live.bin', (async function* () {
      yield Buffer.from('first half ');
      await gate.promise;
      yield Buffer.from('second half');
    })());
    await expect.poll(async () => (await readdir(path.join(root, '.tmp'))).length, { timeout: 5000 }).toBe(2);
    // A store does not sweep on its own (no 24 h rule on first write any more): the collector calls this.
    expect(await stat(crashed)).toBeTruthy();
    expect(await store.sweepTemporaries(5 * 60_000)).toEqual({ count: 1, bytes: 'left by a crash'.length });
    await expect(stat(crashed)).rejects.toMatchObject({ code: 'ENOENT' });
    gate.resolve();
    expect((await pending).size).toBe('first half second half'.length);
    expect(Buffer.from(await store.getBytes('kept.bin')).toString()).toBe('an object');
    expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
  });

  it('serves a reader that opened an object before it was replaced the old bytes in full', async () => {
    const store = new FilesystemArtifactStore({ rootDir: await freshRoot() });
    await store.put('k', Buffer.alloc(1024 * 1024, 0x41));
    const reader = await store.get('k');
    await store.put('k', Buffer.alloc(10, 0x42));
    const chunks: Buffer[] = [];
    for await (const c of reader) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(Buffer.alloc(1024 * 1024, 0x41))).toBe(true);
  });
});
