// ArtifactStore on a local directory: the embedded default (`./.atelier/artifacts`).
//
// Layout under rootDir:
//   objects/<key>   the object's bytes, a plain file (readable with any tool)
//   meta/<key>      JSON sidecar { sha256, size, contentType, ino, mtimeMs } written at put time
//   .tmp/           in-flight writes (same filesystem, so the final rename is atomic)
//
// put streams into .tmp/<uuid>, hashing as it goes, fsyncs, then renames into objects/<key> and fsyncs
// the folder: readers see the old object or the whole new one, never a partial file; a body that fails
// midway leaves neither an object nor a temp file. The sidecar records the inode/size/mtime of the file
// it describes and stat only trusts it when they still match, so a sidecar can never vouch for bytes it
// did not hash (e.g. two concurrent puts of one key racing: the loser's sidecar is ignored).
import { createHash, randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, rename, rmdir, stat as fsStat, unlink, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { assertValidArtifactKey, assertValidArtifactPrefix, compareArtifactKeys } from './artifact-key.js';
import type {
  ArtifactBody,
  ArtifactByteRange,
  ArtifactListEntry,
  ArtifactStat,
  ArtifactStore,
  PutArtifactOptions,
  PutArtifactResult,
  SweepResult,
} from './artifact-store.js';
import { bodyChunks, readAll } from './body.js';
import {
  ArtifactError,
  ArtifactKeyConflictError,
  ArtifactNotFoundError,
  ArtifactStoreClosedError,
  ArtifactStoreError,
} from './errors.js';
import { resolveRange } from './range.js';

export interface FilesystemArtifactStoreOptions {
  rootDir: string;
}

interface Sidecar {
  sha256: string;
  size: number;
  contentType: string;
  ino: number;
  mtimeMs: number;
}

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

function errno(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as NodeJS.ErrnoException).code : undefined;
}

/** Marks errors thrown by the caller's body so they are passed through untouched. */
class BodyFailure {
  constructor(readonly error: unknown) {}
}

export class FilesystemArtifactStore implements ArtifactStore {
  readonly kind = 'filesystem';
  readonly rootDir: string;
  private readonly objectsDir: string;
  private readonly metaDir: string;
  private readonly tmpDir: string;
  private prepared: Promise<void> | undefined;
  private closed = false;

  constructor(options: FilesystemArtifactStoreOptions) {
    this.rootDir = path.resolve(options.rootDir);
    this.objectsDir = path.join(this.rootDir, 'objects');
    this.metaDir = path.join(this.rootDir, 'meta');
    this.tmpDir = path.join(this.rootDir, '.tmp');
  }

  async put(key: string, body: ArtifactBody, opts: PutArtifactOptions = {}): Promise<PutArtifactResult> {
    this.assertOpen();
    assertValidArtifactKey(key);
    await this.prepare();
    const tmpData = path.join(this.tmpDir, `${randomUUID()}.data`);
    const tmpMeta = path.join(this.tmpDir, `${randomUUID()}.meta`);
    let fh: FileHandle | undefined;
    const chunks = bodyChunks(body);
    try {
      fh = await open(tmpData, 'wx', 0o644);
      const hash = createHash('sha256');
      let size = 0;
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await chunks.next();
        } catch (err) {
          throw new BodyFailure(err);
        }
        if (next.done) break;
        hash.update(next.value);
        size += next.value.byteLength;
        await writeFully(fh, next.value);
      }
      await fh.sync();
      const st = await fh.stat();
      await fh.close();
      fh = undefined;
      const sha256 = hash.digest('hex');
      const sidecar: Sidecar = {
        sha256,
        size,
        contentType: opts.contentType ?? DEFAULT_CONTENT_TYPE,
        ino: st.ino,
        mtimeMs: st.mtimeMs,
      };
      await writeFile(tmpMeta, JSON.stringify(sidecar), { flag: 'wx' });
      // Sidecar first, then the bytes: once the object is visible its sha256 is known (barring a racing put).
      await this.renameInto(tmpMeta, this.metaPath(key), key);
      await this.renameInto(tmpData, this.objectPath(key), key);
      return { key, sha256, size };
    } catch (err) {
      // Stop reading the caller's body (a Readable is destroyed by the iterator's return()).
      await chunks.return(undefined).catch(() => undefined);
      if (fh) await fh.close().catch(() => undefined);
      await unlinkQuietly(tmpData).catch(() => undefined);
      await unlinkQuietly(tmpMeta).catch(() => undefined);
      if (err instanceof BodyFailure) throw err.error;
      if (err instanceof ArtifactError) throw err;
      throw new ArtifactStoreError('put', key, err);
    }
  }

  async get(key: string, range?: ArtifactByteRange): Promise<Readable> {
    this.assertOpen();
    assertValidArtifactKey(key);
    const fh = await this.openObject(key);
    try {
      if (!range) return fh.createReadStream({ autoClose: true });
      const { size } = await fh.stat();
      const { start, end } = resolveRange(key, range, size);
      return fh.createReadStream({ start, end, autoClose: true });
    } catch (err) {
      await fh.close().catch(() => undefined);
      throw err instanceof ArtifactError ? err : new ArtifactStoreError('get', key, err);
    }
  }

  async getBytes(key: string): Promise<Uint8Array> {
    return readAll(await this.get(key));
  }

  async stat(key: string): Promise<ArtifactStat | null> {
    this.assertOpen();
    assertValidArtifactKey(key);
    let st;
    try {
      st = await fsStat(this.objectPath(key));
    } catch (err) {
      if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return null;
      throw new ArtifactStoreError('stat', key, err);
    }
    if (!st.isFile()) return null;
    const result: ArtifactStat = { key, size: st.size, lastModified: st.mtime };
    const sidecar = await this.readSidecar(key);
    if (sidecar && sidecar.ino === st.ino && sidecar.size === st.size && sidecar.mtimeMs === st.mtimeMs) {
      result.sha256 = sidecar.sha256;
      result.contentType = sidecar.contentType;
    }
    return result;
  }

  async *list(prefix: string): AsyncIterable<ArtifactListEntry> {
    this.assertOpen();
    assertValidArtifactPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash < 0 ? '' : prefix.slice(0, slash);
    const namePrefix = prefix.slice(slash + 1);
    yield* this.walk(dirKey, namePrefix);
  }

  async delete(key: string): Promise<void> {
    this.assertOpen();
    assertValidArtifactKey(key);
    try {
      await unlinkQuietly(this.objectPath(key));
      await unlinkQuietly(this.metaPath(key));
      await this.pruneEmptyFolders(key);
    } catch (err) {
      throw new ArtifactStoreError('delete', key, err);
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    this.assertOpen();
    assertValidArtifactPrefix(prefix);
    // Collect first: deleting prunes folders, which must not happen under a walk still reading them.
    const keys: string[] = [];
    for await (const entry of this.list(prefix)) keys.push(entry.key);
    for (const key of keys) await this.delete(key);
    return keys.length;
  }

  async copy(srcKey: string, dstKey: string): Promise<void> {
    this.assertOpen();
    assertValidArtifactKey(srcKey);
    assertValidArtifactKey(dstKey);
    const meta = await this.stat(srcKey);
    // Reading through an open handle copies one consistent version even if srcKey is replaced meanwhile.
    const source = await this.get(srcKey);
    await this.put(dstKey, source, meta?.contentType ? { contentType: meta.contentType } : {});
  }

  async sweepTemporaries(olderThanMs: number): Promise<SweepResult> {
    this.assertOpen();
    const cutoff = Date.now() - olderThanMs;
    const result: SweepResult = { count: 0, bytes: 0 };
    let names: string[];
    try {
      names = await readdir(this.tmpDir);
    } catch (err) {
      if (errno(err) === 'ENOENT') return result;
      throw new ArtifactStoreError('sweep', undefined, err);
    }
    for (const name of names) {
      const file = path.join(this.tmpDir, name);
      // A live put writes (and so touches) its temp file with every chunk.
      const st = await lstat(file).catch(() => undefined);
      if (!st || st.mtimeMs >= cutoff) continue;
      await unlinkQuietly(file);
      result.count++;
      result.bytes += st.size;
    }
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  // ---- internals ----

  private assertOpen(): void {
    if (this.closed) throw new ArtifactStoreClosedError();
  }

  private objectPath(key: string): string {
    return path.join(this.objectsDir, ...key.split('/'));
  }

  private metaPath(key: string): string {
    return path.join(this.metaDir, ...key.split('/'));
  }

  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await mkdir(this.tmpDir, { recursive: true });
      await mkdir(this.objectsDir, { recursive: true });
      await mkdir(this.metaDir, { recursive: true });
    })().catch((err) => {
      this.prepared = undefined;
      throw new ArtifactStoreError('prepare', undefined, err);
    });
    return this.prepared;
  }

  private async openObject(key: string): Promise<FileHandle> {
    let fh: FileHandle;
    try {
      fh = await open(this.objectPath(key), 'r');
    } catch (err) {
      const code = errno(err);
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw new ArtifactNotFoundError(key);
      throw new ArtifactStoreError('get', key, err);
    }
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close();
      throw new ArtifactNotFoundError(key); // a folder of other keys, not an object
    }
    return fh;
  }

  private async readSidecar(key: string): Promise<Sidecar | null> {
    try {
      const parsed = JSON.parse(await readFile(this.metaPath(key), 'utf8')) as Partial<Sidecar>;
      if (typeof parsed.sha256 !== 'string' || typeof parsed.ino !== 'number') return null;
      return parsed as Sidecar;
    } catch {
      return null; // missing or unreadable: stat just omits sha256
    }
  }

  /** Atomically moves a finished temp file to `target`, creating folders; a concurrent prune is retried. */
  private async renameInto(tmp: string, target: string, key: string): Promise<void> {
    const dir = path.dirname(target);
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(dir, { recursive: true });
        await rename(tmp, target);
        await fsyncDir(dir);
        return;
      } catch (err) {
        const code = errno(err);
        // mkdir answers EEXIST/ENOTDIR when a folder on the way is a file, i.e. an existing object.
        if (code === 'ENOTDIR' || code === 'EEXIST') {
          throw new ArtifactKeyConflictError(key, 'one of its folders is already an object');
        }
        if (code === 'EISDIR' || code === 'ENOTEMPTY') {
          throw new ArtifactKeyConflictError(key, 'it is already a folder of other objects');
        }
        // ENOENT: a concurrent delete pruned the (empty) folder between mkdir and rename; try again.
        if (code === 'ENOENT' && attempt < 10) continue;
        throw err;
      }
    }
  }

  private async pruneEmptyFolders(key: string): Promise<void> {
    const segments = key.split('/');
    for (const root of [this.objectsDir, this.metaDir]) {
      for (let n = segments.length - 1; n > 0; n--) {
        try {
          await rmdir(path.join(root, ...segments.slice(0, n)));
        } catch {
          break; // not empty (or gone, or in use): stop climbing
        }
      }
    }
  }

  /** Depth-first walk in byte-wise key order: a folder sorts as its name + '/' among its siblings. */
  private async *walk(dirKey: string, namePrefix: string): AsyncGenerator<ArtifactListEntry> {
    const dir = dirKey === '' ? this.objectsDir : this.objectPath(dirKey);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      const code = errno(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw new ArtifactStoreError('list', dirKey || undefined, err);
    }
    const items = entries
      .filter((e) => e.name.startsWith(namePrefix) && (e.isFile() || e.isDirectory()))
      .map((e) => ({ name: e.name, dir: e.isDirectory(), sortKey: e.isDirectory() ? `${e.name}/` : e.name }))
      .sort((a, b) => compareArtifactKeys(a.sortKey, b.sortKey));
    for (const item of items) {
      const key = dirKey === '' ? item.name : `${dirKey}/${item.name}`;
      if (item.dir) {
        yield* this.walk(key, '');
        continue;
      }
      const st = await lstat(path.join(dir, item.name)).catch(() => undefined);
      if (st?.isFile()) yield { key, size: st.size, lastModified: st.mtime };
    }
  }
}

async function writeFully(fh: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await fh.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

async function unlinkQuietly(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    const code = errno(err);
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR' && code !== 'EPERM') throw err;
  }
}

/** Makes a rename durable. Some platforms cannot open folders for fsync; the rename is still atomic there. */
async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (err) {
    const code = errno(err);
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw err;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
