// The behaviour every ArtifactStore must show, as one Vitest suite. Each implementation's test file
// calls describeArtifactStoreConformance with a factory; every test works under its own key prefix.
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from './artifact-store.js';
import { compareArtifactKeys } from './artifact-key.js';
import { readAll } from './body.js';
import {
  ArtifactNotFoundError,
  ArtifactStoreClosedError,
  InvalidArtifactKeyError,
  InvalidArtifactRangeError,
} from './errors.js';

export interface ArtifactStoreConformanceOptions {
  /** Size of the big streamed object (forces multipart on S3 when above the part size). Default 20 MiB. */
  largeObjectBytes?: number;
  /** Bytes a failing body delivers before it errors (make it exceed the S3 part size). Default 12 MiB. */
  failAfterBytes?: number;
  /** Keys written by the listing test; make it exceed the store's list page size. Default 150. */
  paginationKeyCount?: number;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MiB = 1024 * 1024;

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Deterministic pseudo-random bytes in chunks, so big bodies are streamed, never built whole. */
export async function* pseudoRandomChunks(totalBytes: number, seed: number, chunkBytes = 256 * 1024): AsyncGenerator<Uint8Array> {
  let state = seed >>> 0 || 1;
  let left = totalBytes;
  while (left > 0) {
    const n = Math.min(chunkBytes, left);
    const chunk = new Uint8Array(n);
    const words = new Uint32Array(chunk.buffer, 0, n >>> 2);
    for (let i = 0; i < words.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      words[i] = state >>> 0;
    }
    for (let i = words.length * 4; i < n; i++) chunk[i] = i & 0xff;
    left -= n;
    yield chunk;
    await Promise.resolve();
  }
}

async function hashOf(chunks: AsyncIterable<Uint8Array>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const c of chunks) {
    hash.update(c);
    size += c.byteLength;
  }
  return { sha256: hash.digest('hex'), size };
}

async function listKeys(store: ArtifactStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const entry of store.list(prefix)) keys.push(entry.key);
  return keys;
}

async function inBatches<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(fn));
}

class BodyExploded extends Error {}

function readableFailingAfter(bytes: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= bytes) {
        this.destroy(new BodyExploded(`client went away after ${sent} bytes`));
        return;
      }
      const n = Math.min(1 * MiB, bytes - sent);
      sent += n;
      this.push(Buffer.alloc(n, 0x61));
    },
  });
}

async function* generatorFailingAfter(bytes: number): AsyncGenerator<Uint8Array> {
  for await (const chunk of pseudoRandomChunks(bytes, 99, MiB)) yield chunk;
  throw new BodyExploded('upstream failed midway');
}

export const BAD_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['empty', ''],
  ['leading slash', '/models/a'],
  ['trailing slash', 'models/a/'],
  ['empty segment', 'models//a'],
  ['dot segment', 'models/./a'],
  ['leading dot segment', './a'],
  ['dot-dot segment', 'models/../a'],
  ['only dot-dot', '..'],
  ['backslash', 'models\\a'],
  ['NUL', 'models/a\u0000b'],
  ['newline', 'models/a\nb'],
  ['DEL', 'models/a\u007fb'],
  ['lone surrogate', 'models/\ud800'],
  ['over 1024 bytes', `k/${'x'.repeat(200)}/${'y'.repeat(200)}/${'z'.repeat(200)}/${'w'.repeat(200)}/${'v'.repeat(220)}`],
  ['over 1024 bytes in multi-byte chars', `k/${'é'.repeat(120)}/${'é'.repeat(120)}/${'é'.repeat(120)}/${'é'.repeat(120)}/${'é'.repeat(40)}`],
  ['segment over 255 bytes', `k/${'s'.repeat(256)}`],
];

export function describeArtifactStoreConformance(
  name: string,
  makeStore: () => ArtifactStore | Promise<ArtifactStore>,
  options: ArtifactStoreConformanceOptions = {},
): void {
  const largeBytes = options.largeObjectBytes ?? 20 * MiB;
  const failAfter = options.failAfterBytes ?? 12 * MiB;
  const keyCount = options.paginationKeyCount ?? 150;

  describe(`ArtifactStore conformance: ${name}`, () => {
    let store: ArtifactStore;
    const run = `conformance-${randomUUID().slice(0, 8)}`;
    let n = 0;
    /** A fresh prefix per test, so tests never see each other's keys. */
    const area = () => `${run}/t${++n}`;

    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      if (!store) return;
      await store.deletePrefix(`${run}/`);
      await store.close();
    });

    it('round-trips an empty object', async () => {
      const key = `${area()}/empty.bin`;
      const res = await store.put(key, new Uint8Array(0));
      expect(res).toEqual({ key, sha256: EMPTY_SHA256, size: 0 });
      expect((await store.getBytes(key)).byteLength).toBe(0);
      expect((await readAll(await store.get(key))).byteLength).toBe(0);
      const st = await store.stat(key);
      expect(st).toMatchObject({ key, size: 0, sha256: EMPTY_SHA256 });
      expect(st?.lastModified).toBeInstanceOf(Date);
    });

    it('round-trips small bodies given as bytes, a Readable and an async iterable', async () => {
      const a = area();
      const text = 'hello, atelier — ünïcödé\n';
      const bytes = new TextEncoder().encode(text);
      const fromBytes = await store.put(`${a}/bytes.txt`, bytes, { contentType: 'text/plain' });
      const fromReadable = await store.put(`${a}/readable.txt`, Readable.from([Buffer.from('hello, '), Buffer.from('atelier — ünïcödé\n')]));
      const fromIterable = await store.put(
        `${a}/iterable.txt`,
        (async function* () {
          yield bytes.subarray(0, 3);
          yield bytes.subarray(3);
        })(),
      );
      for (const res of [fromBytes, fromReadable, fromIterable]) {
        expect(res.sha256).toBe(sha256Hex(bytes));
        expect(res.size).toBe(bytes.byteLength);
        expect(Buffer.from(await store.getBytes(res.key)).toString('utf8')).toBe(text);
      }
      const st = await store.stat(`${a}/bytes.txt`);
      expect(st).toMatchObject({ size: bytes.byteLength, sha256: sha256Hex(bytes), contentType: 'text/plain' });
    });

    it(`streams a ${Math.round(largeBytes / MiB)} MiB body in chunks and reads it back intact (multipart on S3), then copies it`, async () => {
      const a = area();
      const expected = await hashOf(pseudoRandomChunks(largeBytes, 7));
      const res = await store.put(`${a}/large.bin`, pseudoRandomChunks(largeBytes, 7), { contentType: 'application/x-test' });
      expect(res).toEqual({ key: `${a}/large.bin`, ...expected });
      expect(await hashOf(await store.get(`${a}/large.bin`))).toEqual(expected);
      expect(await store.stat(`${a}/large.bin`)).toMatchObject({ size: largeBytes, sha256: expected.sha256, contentType: 'application/x-test' });

      await store.copy(`${a}/large.bin`, `${a}/copy/large.bin`);
      expect(await hashOf(await store.get(`${a}/copy/large.bin`))).toEqual(expected);
      expect(await store.stat(`${a}/copy/large.bin`)).toMatchObject({ size: largeBytes, sha256: expected.sha256 });
    });

    it('overwrites an existing key with the new bytes and hash', async () => {
      const key = `${area()}/model.json`;
      await store.put(key, Buffer.from('{"v":1}'));
      const res = await store.put(key, Buffer.from('{"v":2,"longer":true}'));
      expect(Buffer.from(await store.getBytes(key)).toString()).toBe('{"v":2,"longer":true}');
      expect(await store.stat(key)).toMatchObject({ size: 21, sha256: res.sha256 });
      expect(res.sha256).toBe(sha256Hex('{"v":2,"longer":true}'));
    });

    it('reads inclusive byte ranges and rejects ranges outside the object', async () => {
      const key = `${area()}/digits.txt`;
      await store.put(key, Buffer.from('0123456789'));
      const range = async (start: number, end?: number) =>
        Buffer.from(await readAll(await store.get(key, end === undefined ? { start } : { start, end }))).toString();
      expect(await range(0, 0)).toBe('0');
      expect(await range(2, 5)).toBe('2345');
      expect(await range(7)).toBe('789');
      expect(await range(8, 100)).toBe('89');
      await expect(store.get(key, { start: 10 })).rejects.toBeInstanceOf(InvalidArtifactRangeError);
      await expect(store.get(key, { start: 5, end: 4 })).rejects.toMatchObject({ code: 'ATL_INVALID_ARTIFACT_RANGE' });
      await expect(store.get(key, { start: -1 })).rejects.toMatchObject({ code: 'ATL_INVALID_ARTIFACT_RANGE' });
    });

    it('reports missing objects: get/getBytes/copy throw ATL_ARTIFACT_NOT_FOUND, stat returns null', async () => {
      const key = `${area()}/nope.bin`;
      await expect(store.get(key)).rejects.toBeInstanceOf(ArtifactNotFoundError);
      await expect(store.get(key)).rejects.toMatchObject({ code: 'ATL_ARTIFACT_NOT_FOUND', statusCode: 404, key });
      await expect(store.getBytes(key)).rejects.toMatchObject({ code: 'ATL_ARTIFACT_NOT_FOUND' });
      await expect(store.copy(key, `${key}.copy`)).rejects.toMatchObject({ code: 'ATL_ARTIFACT_NOT_FOUND', key });
      expect(await store.stat(key)).toBeNull();
      expect(await store.stat(`${key}.copy`)).toBeNull();
    });

    it('lists by prefix in byte-wise key order with sizes and times', async () => {
      const a = area();
      const keys = ['p/b', 'p/ü', 'p/a/y/z', 'q/a', 'p/Z', 'p/a-1', 'pp/a', 'p/a/x'];
      await inBatches(keys, 8, (k) => store.put(`${a}/${k}`, Buffer.from(k)));
      const strip = (ks: string[]) => ks.map((k) => k.slice(a.length + 1));
      expect(strip(await listKeys(store, `${a}/p/`))).toEqual(['p/Z', 'p/a-1', 'p/a/x', 'p/a/y/z', 'p/b', 'p/ü']);
      expect(strip(await listKeys(store, `${a}/p/a`))).toEqual(['p/a-1', 'p/a/x', 'p/a/y/z']);
      expect(strip(await listKeys(store, `${a}/p`))).toEqual(['p/Z', 'p/a-1', 'p/a/x', 'p/a/y/z', 'p/b', 'p/ü', 'pp/a']);
      expect(await listKeys(store, `${a}/nothing-here/`)).toEqual([]);
      const entries = [];
      for await (const e of store.list(`${a}/q/`)) entries.push(e);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ key: `${a}/q/a`, size: 3 });
      expect(entries[0].lastModified).toBeInstanceOf(Date);
      expect(Math.abs(entries[0].lastModified.getTime() - Date.now())).toBeLessThan(10 * 60_000);
    });

    it(`lists ${keyCount} keys across pages without gaps or duplicates`, async () => {
      const a = area();
      const keys = Array.from({ length: keyCount }, (_, i) => `${a}/many/${String(i).padStart(4, '0')}.json`);
      await inBatches(keys, 16, (k) => store.put(k, Buffer.from('{}')));
      const listed = await listKeys(store, `${a}/many/`);
      expect(listed).toEqual([...keys].sort(compareArtifactKeys));
      expect(new Set(listed).size).toBe(keyCount);
    });

    it('keeps unusual but valid keys exact (spaces, +, %, ?, #, unicode, dot-prefixed names)', async () => {
      const a = area();
      const odd = [`${a}/we ird/sp ace+plus%25?q=1#h&x.bin`, `${a}/.hidden/...`, `${a}/ünï/日本語/😀.txt`, `${a}/a'b(c)!*~.bin`];
      for (const key of odd) {
        const res = await store.put(key, Buffer.from(key));
        expect(res.key).toBe(key);
        expect(Buffer.from(await store.getBytes(key)).toString()).toBe(key);
        expect(await store.stat(key)).toMatchObject({ key, size: Buffer.byteLength(key) });
      }
      expect(await listKeys(store, `${a}/`)).toEqual([...odd].sort(compareArtifactKeys));
      await store.copy(odd[0], `${odd[0]}.copy`);
      expect(Buffer.from(await store.getBytes(`${odd[0]}.copy`)).toString()).toBe(odd[0]);
      await store.delete(odd[0]);
      expect(await store.stat(odd[0])).toBeNull();
    });

    it('deletes idempotently', async () => {
      const key = `${area()}/gone.bin`;
      await store.put(key, Buffer.from('x'));
      await store.delete(key);
      expect(await store.stat(key)).toBeNull();
      await expect(store.get(key)).rejects.toMatchObject({ code: 'ATL_ARTIFACT_NOT_FOUND' });
      await store.delete(key);
      await store.delete(`${key}/never-existed`);
    });

    it('deletePrefix removes exactly the keys under the prefix', async () => {
      const a = area();
      const doomed = ['run/1/a', 'run/1/b/c', 'run/10', 'run/1x'];
      const kept = ['run2/a', 'other/run/1', 'ru'];
      await inBatches([...doomed, ...kept], 8, (k) => store.put(`${a}/${k}`, Buffer.from(k)));
      expect(await store.deletePrefix(`${a}/run/`)).toBe(doomed.length);
      expect((await listKeys(store, `${a}/`)).map((k) => k.slice(a.length + 1))).toEqual(['other/run/1', 'ru', 'run2/a']);
      expect(await store.deletePrefix(`${a}/run/`)).toBe(0);
      expect(await store.deletePrefix(`${a}/`)).toBe(3);
      expect(await listKeys(store, `${a}/`)).toEqual([]);
    });

    it('copies bytes, hash and content type, leaving the source in place', async () => {
      const a = area();
      await store.put(`${a}/src.json`, Buffer.from('{"weights":[1,2,3]}'), { contentType: 'application/json' });
      await store.copy(`${a}/src.json`, `${a}/dst/dst.json`);
      expect(Buffer.from(await store.getBytes(`${a}/dst/dst.json`)).toString()).toBe('{"weights":[1,2,3]}');
      expect(Buffer.from(await store.getBytes(`${a}/src.json`)).toString()).toBe('{"weights":[1,2,3]}');
      expect(await store.stat(`${a}/dst/dst.json`)).toMatchObject({
        size: 19,
        sha256: sha256Hex('{"weights":[1,2,3]}'),
        contentType: 'application/json',
      });
      // Copy over an existing object replaces it.
      await store.put(`${a}/other.json`, Buffer.from('[]'));
      await store.copy(`${a}/other.json`, `${a}/dst/dst.json`);
      expect(Buffer.from(await store.getBytes(`${a}/dst/dst.json`)).toString()).toBe('[]');
    });

    describe('rejects invalid keys with ATL_INVALID_ARTIFACT_KEY', () => {
      it.each(BAD_KEYS)('%s', async (_label, bad) => {
        const ops: Array<() => Promise<unknown>> = [
          () => store.put(bad, Buffer.from('x')),
          () => store.get(bad),
          () => store.getBytes(bad),
          () => store.stat(bad),
          () => store.delete(bad),
          () => store.copy(bad, 'valid/key'),
          () => store.copy('valid/key', bad),
        ];
        for (const op of ops) {
          const err = await op().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(InvalidArtifactKeyError);
          expect(err).toMatchObject({ code: 'ATL_INVALID_ARTIFACT_KEY', statusCode: 400, key: bad });
          expect((err as Error).message).toContain(JSON.stringify(bad));
          expect((err as InvalidArtifactKeyError).reason.length).toBeGreaterThan(0);
        }
      });

      it('also for list and deletePrefix prefixes', async () => {
        for (const bad of ['/a', 'a//b', 'a/../b', 'a\\b', 'a/\u0001']) {
          await expect(listKeys(store, bad)).rejects.toMatchObject({ code: 'ATL_INVALID_ARTIFACT_KEY' });
          await expect(store.deletePrefix(bad)).rejects.toMatchObject({ code: 'ATL_INVALID_ARTIFACT_KEY' });
        }
      });
    });

    it('leaves no object behind when a Readable body errors midway', async () => {
      const a = area();
      const err = await store.put(`${a}/partial.bin`, readableFailingAfter(failAfter)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(BodyExploded);
      expect(await store.stat(`${a}/partial.bin`)).toBeNull();
      await expect(store.get(`${a}/partial.bin`)).rejects.toMatchObject({ code: 'ATL_ARTIFACT_NOT_FOUND' });
      expect(await listKeys(store, `${a}/`)).toEqual([]);
    });

    it('keeps the previous object intact when a replacing body fails midway', async () => {
      const key = `${area()}/model.bin`;
      const original = await store.put(key, Buffer.from('version one'));
      await expect(store.put(key, generatorFailingAfter(failAfter))).rejects.toBeInstanceOf(BodyExploded);
      expect(Buffer.from(await store.getBytes(key)).toString()).toBe('version one');
      expect(await store.stat(key)).toMatchObject({ size: 11, sha256: original.sha256 });
    });

    it('never exposes a mix of concurrent puts to the same key', async () => {
      const key = `${area()}/contended.bin`;
      const bodies = [1, 2, 3, 4].map((i) => Buffer.alloc(64 * 1024 * i, 0x30 + i));
      const results = await Promise.all(bodies.map((b) => store.put(key, b)));
      const final = Buffer.from(await store.getBytes(key));
      const winner = bodies.findIndex((b) => b.equals(final));
      expect(winner).toBeGreaterThanOrEqual(0);
      const st = await store.stat(key);
      expect(st?.size).toBe(bodies[winner].byteLength);
      if (st?.sha256 !== undefined) expect(st.sha256).toBe(results[winner].sha256);
    });

    it('refuses every call after close()', async () => {
      const closed = await makeStore();
      await closed.close();
      await expect(closed.put('a/b', Buffer.from('x'))).rejects.toBeInstanceOf(ArtifactStoreClosedError);
      await expect(closed.get('a/b')).rejects.toMatchObject({ code: 'ATL_ARTIFACT_STORE_CLOSED' });
      await expect(closed.stat('a/b')).rejects.toMatchObject({ code: 'ATL_ARTIFACT_STORE_CLOSED' });
      await expect(listKeys(closed, 'a/')).rejects.toMatchObject({ code: 'ATL_ARTIFACT_STORE_CLOSED' });
    });
  });
}
