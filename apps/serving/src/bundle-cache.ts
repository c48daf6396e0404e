// A local, content-addressed cache of model bundles: `<dir>/<sha[0:2]>/<sha256>`. Every read is
// verified against the version's sha256 (from the cache or from artifacts); a mismatch or a missing
// artifact is refused with a coded error, and a bad cache file is deleted and fetched again.
// Bounded: after each download, least recently used bundles (a hit touches its file) are deleted until
// the cache fits `maxBytes` — never one the node has loaded or is loading — and temp files a crash left
// behind go too.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore } from '@atelier/artifacts';
import { ServingError } from './errors.js';

export interface BundleRef {
  bundleKey: string;
  bundleSha256: string;
}

export interface BundleCacheOptions {
  /** Most bytes kept (default: unbounded). */
  maxBytes?: number;
  /** sha256 of bundles that must stay (the versions the node has loaded or is loading). */
  inUse?: () => Iterable<string>;
  onLookup?: (result: 'hit' | 'miss') => void;
  /** Files evicted, for the metrics. */
  onEvict?: (files: number, bytes: number) => void;
}

/** A temp file older than this is a crash's leftover (a download in flight is minutes old at most). */
const STALE_TMP_MS = 60 * 60 * 1000;

export class BundleCache {
  private seq = 0;
  private evicting: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly artifacts: ArtifactStore,
    private readonly opts: BundleCacheOptions = {},
  ) {}

  path(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  async get(ref: BundleRef, what: string): Promise<Uint8Array> {
    const file = this.path(ref.bundleSha256);
    const cached = await readFile(file).catch(() => null);
    if (cached) {
      if (sha256(cached) === ref.bundleSha256) {
        this.opts.onLookup?.('hit');
        const now = new Date();
        await utimes(file, now, now).catch(() => {}); // recency for eviction
        return cached;
      }
      await rm(file, { force: true });
    }
    this.opts.onLookup?.('miss');
    let bytes: Uint8Array;
    try {
      const chunks: Buffer[] = [];
      for await (const c of await this.artifacts.get(ref.bundleKey)) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
      bytes = Buffer.concat(chunks);
    } catch (err) {
      throw new ServingError('ATL_BUNDLE_MISSING', 500, `The bundle of ${what} could not be read from artifacts (${ref.bundleKey}): ${(err as Error).message}`);
    }
    const actual = sha256(bytes);
    if (actual !== ref.bundleSha256) {
      throw new ServingError(
        'ATL_BUNDLE_CORRUPT',
        500,
        `The bundle of ${what} is corrupt: its sha256 is ${actual}, the version records ${ref.bundleSha256}. It was not loaded.`,
      );
    }
    await mkdir(join(this.dir, ref.bundleSha256.slice(0, 2)), { recursive: true });
    const tmp = `${file}.${process.pid}.${++this.seq}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    await this.evict(ref.bundleSha256);
    return bytes;
  }

  /** Deletes least recently used bundles (never `keep` or one in use) until the cache fits maxBytes. */
  evict(keep?: string): Promise<void> {
    // One pass at a time: two concurrent downloads must not both count the same files.
    const run = this.evicting.then(() => this.evictNow(keep));
    this.evicting = run.catch(() => {});
    return run;
  }

  private async evictNow(keep?: string): Promise<void> {
    const files: Array<{ path: string; sha: string; size: number; usedAt: number }> = [];
    const now = Date.now();
    for (const shard of await readdir(this.dir).catch(() => [] as string[])) {
      for (const name of await readdir(join(this.dir, shard)).catch(() => [] as string[])) {
        const path = join(this.dir, shard, name);
        const st = await stat(path).catch(() => null);
        if (!st?.isFile()) continue;
        if (name.endsWith('.tmp')) {
          if (now - st.mtimeMs > STALE_TMP_MS) await rm(path, { force: true });
          continue;
        }
        files.push({ path, sha: name, size: st.size, usedAt: st.mtimeMs });
      }
    }
    const max = this.opts.maxBytes ?? Infinity;
    let total = files.reduce((a, f) => a + f.size, 0);
    if (total <= max) return;
    const pinned = new Set(this.opts.inUse?.() ?? []);
    if (keep) pinned.add(keep);
    let evicted = 0;
    let freed = 0;
    for (const f of files.filter((x) => !pinned.has(x.sha)).sort((a, b) => a.usedAt - b.usedAt)) {
      if (total <= max) break;
      await rm(f.path, { force: true });
      total -= f.size;
      evicted++;
      freed += f.size;
    }
    if (evicted) this.opts.onEvict?.(evicted, freed);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
