import { mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilesystemArtifactStore } from '@atelier/artifacts';
import { BundleCache } from './bundle-cache.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('bundle cache', () => {
  let dir: string;
  let artifacts: FilesystemArtifactStore;
  const bundles = new Map<string, { bundleKey: string; bundleSha256: string }>();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'atelier-bundle-cache-'));
    artifacts = new FilesystemArtifactStore({ rootDir: join(dir, 'artifacts') });
    for (const name of ['a', 'b', 'c', 'd']) {
      const bytes = new Uint8Array(1000).fill(name.charCodeAt(0));
      const key = `models/${name}.bin`;
      await artifacts.put(key, bytes);
      bundles.set(name, { bundleKey: key, bundleSha256: sha(bytes) });
    }
  });
  afterEach(async () => {
    await artifacts.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cached = (cache: BundleCache, name: string) => existsSync(cache.path(bundles.get(name)!.bundleSha256));
  const age = (cache: BundleCache, name: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(cache.path(bundles.get(name)!.bundleSha256), t, t);
  };

  it('keeps the cache under maxBytes, least recently used first, never a bundle in use', async () => {
    const inUse = new Set<string>();
    const evicted: number[] = [];
    const cache = new BundleCache(join(dir, 'cache'), artifacts, { maxBytes: 2500, inUse: () => inUse, onEvict: (n) => evicted.push(n) });
    await cache.get(bundles.get('a')!, 'a');
    await cache.get(bundles.get('b')!, 'b');
    age(cache, 'a', 300);
    age(cache, 'b', 200);
    inUse.add(bundles.get('a')!.bundleSha256); // oldest, but a loaded version uses it
    await cache.get(bundles.get('c')!, 'c'); // 3000 bytes > 2500: one must go, and it is b
    expect([cached(cache, 'a'), cached(cache, 'b'), cached(cache, 'c')]).toEqual([true, false, true]);
    // A hit makes a bundle recent: a is read again, then d arrives and c (older) goes once a is free.
    inUse.clear();
    age(cache, 'c', 100);
    age(cache, 'a', 400);
    await cache.get(bundles.get('a')!, 'a');
    await cache.get(bundles.get('d')!, 'd');
    expect([cached(cache, 'a'), cached(cache, 'c'), cached(cache, 'd')]).toEqual([true, false, true]);
    expect(evicted).toEqual([1, 1]);
  });

  it('removes temp files a crash left behind, not a download in flight', async () => {
    const cache = new BundleCache(join(dir, 'cache'), artifacts, { maxBytes: 1e9 });
    const shard = join(dir, 'cache', 'zz');
    mkdirSync(shard, { recursive: true });
    writeFileSync(join(shard, 'old.1.1.tmp'), 'x');
    writeFileSync(join(shard, 'new.1.2.tmp'), 'x');
    const old = new Date(Date.now() - 2 * 3600 * 1000);
    utimesSync(join(shard, 'old.1.1.tmp'), old, old);
    await cache.get(bundles.get('a')!, 'a');
    expect(readdirSync(shard)).toEqual(['new.1.2.tmp']);
  });
});
