// A local, content-addressed cache of model bundles: `<dir>/<sha[0:2]>/<sha256>`. Every read is
// verified against the version's sha256 (from the cache or from artifacts); a mismatch or a missing
// artifact is refused with a coded error, and a bad cache file is deleted and fetched again.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore } from '@atelier/artifacts';
import { ServingError } from './errors.js';

export interface BundleRef {
  bundleKey: string;
  bundleSha256: string;
}

export class BundleCache {
  private seq = 0;

  constructor(
    private readonly dir: string,
    private readonly artifacts: ArtifactStore,
    private readonly onLookup: (result: 'hit' | 'miss') => void = () => {},
  ) {}

  path(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  async get(ref: BundleRef, what: string): Promise<Uint8Array> {
    const file = this.path(ref.bundleSha256);
    const cached = await readFile(file).catch(() => null);
    if (cached) {
      if (sha256(cached) === ref.bundleSha256) {
        this.onLookup('hit');
        return cached;
      }
      await rm(file, { force: true });
    }
    this.onLookup('miss');
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
    return bytes;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
