// ArtifactStore on S3 (AWS, MinIO, Ceph radosgw, OpenStack Swift + s3api) through the `minio` client.
//
// put does its own multipart upload instead of minio's putObject(stream), because that one buffers a
// whole (up to ~500 MiB) part when the size is unknown, resumes *any* earlier incomplete upload of the
// same key (two concurrent writers would share one), and never aborts a failed upload. Here:
//   - the body is read once; sha256 and size are computed from the same chunks that are uploaded;
//   - bodies that fit one part go up as a single PUT carrying x-amz-meta-sha256;
//   - larger bodies go up part by part (at most two parts in memory: one uploading, one filling), and
//     a failure aborts the multipart upload so no object and no billed parts are left behind;
//   - S3 fixes metadata when a multipart upload starts, before the hash is known. So a multipart body
//     is uploaded to a private staging key (.atelier/staging/<uuid>), then copied server-side onto the
//     final key with x-amz-metadata-directive: REPLACE and x-amz-meta-sha256 (a multipart copy with
//     x-amz-copy-source-range above 5 GiB, S3's single-copy limit), and the staging object is deleted.
//     The final object appears in one step, bytes and hash together; concurrent writers of one key each
//     have their own staging object, so the survivor always carries its own hash.
//     (Copying the object onto itself instead would orphan its segments on Swift, and Swift 2.30 checks
//     x-amz-copy-source-if-match against its SLO ETag, not the S3 one.)
//   - staging leftovers of a crashed process (objects and incomplete uploads older than a day) are
//     removed when a store first touches the bucket.
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import * as Minio from 'minio';
import { assertValidArtifactKey, assertValidArtifactPrefix, RESERVED_ARTIFACT_KEY_SEGMENT } from './artifact-key.js';
import type {
  ArtifactBody,
  ArtifactByteRange,
  ArtifactListEntry,
  ArtifactStat,
  ArtifactStore,
  PutArtifactOptions,
  PutArtifactResult,
} from './artifact-store.js';
import { bodyChunks, readAll } from './body.js';
import {
  ArtifactError,
  ArtifactNotFoundError,
  ArtifactStoreClosedError,
  ArtifactStoreConfigError,
  ArtifactStoreError,
  InvalidArtifactRangeError,
} from './errors.js';
import { checkRangeShape } from './range.js';

export interface S3ArtifactStoreOptions {
  /** e.g. http://127.0.0.1:9000 or https://s3.eu-west-1.amazonaws.com */
  endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  region?: string;
  /** Path-style URLs (http://host/bucket/key); the default, and what MinIO and Swift expect. */
  pathStyle?: boolean;
  /** Multipart part size; S3's minimum is 5 MiB. Default 16 MiB. Bodies up to this size use one PUT. */
  partSizeBytes?: number;
  /** Keys per list request (S3 caps it at 1000). */
  listPageSize?: number;
  /** Create the bucket on first use when it does not exist (default true). */
  createBucket?: boolean;
  /** Above this size the staging object is copied with a multipart copy (S3 allows 5 GiB per single copy). */
  singleCopyLimitBytes?: number;
  /** Staging objects and uploads older than this are removed on first use of the bucket. Default 24 h. */
  staleStagingAgeMs?: number;
}

export const SHA256_METADATA_KEY = 'sha256';
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
const DEFAULT_PART_SIZE = 16 * 1024 * 1024;
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const MAX_SINGLE_COPY = 5 * 1024 * 1024 * 1024;
const STAGING_PREFIX = `${RESERVED_ARTIFACT_KEY_SEGMENT}/staging/`;
const NOT_FOUND_CODES = new Set(['NoSuchKey', 'NotFound', 'NoSuchObject']);

class BodyFailure {
  constructor(readonly error: unknown) {}
}

function s3Code(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as { code?: string }).code : undefined;
}

function encodeKeyPath(bucket: string, key: string): string {
  return `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export class S3ArtifactStore implements ArtifactStore {
  readonly kind = 's3';
  readonly bucket: string;
  readonly client: Minio.Client;
  private readonly region: string;
  private readonly partSize: number;
  private readonly listPageSize: number;
  private readonly createBucket: boolean;
  private readonly singleCopyLimit: number;
  private readonly staleStagingAgeMs: number;
  private readonly agent: http.Agent;
  private bucketReady: Promise<void> | undefined;
  private closed = false;

  constructor(options: S3ArtifactStoreOptions) {
    let url: URL;
    try {
      url = new URL(options.endpoint);
    } catch {
      throw new ArtifactStoreConfigError(`S3 endpoint ${JSON.stringify(options.endpoint)} is not a URL; use e.g. http://127.0.0.1:9000`, 'S3_ENDPOINT');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ArtifactStoreConfigError(`S3 endpoint ${options.endpoint} must start with http:// or https://`, 'S3_ENDPOINT');
    }
    this.partSize = options.partSizeBytes ?? DEFAULT_PART_SIZE;
    if (!Number.isSafeInteger(this.partSize) || this.partSize < MIN_PART_SIZE) {
      throw new ArtifactStoreConfigError(`S3 part size must be an integer of at least ${MIN_PART_SIZE} bytes (5 MiB), got ${this.partSize}`);
    }
    this.listPageSize = Math.min(Math.max(1, Math.floor(options.listPageSize ?? 1000)), 1000);
    this.bucket = options.bucket;
    this.region = options.region ?? 'us-east-1';
    this.createBucket = options.createBucket ?? true;
    this.singleCopyLimit = Math.min(options.singleCopyLimitBytes ?? MAX_SINGLE_COPY, MAX_SINGLE_COPY);
    this.staleStagingAgeMs = options.staleStagingAgeMs ?? 24 * 60 * 60 * 1000;
    const useSSL = url.protocol === 'https:';
    this.agent = useSSL ? new https.Agent({ keepAlive: true, maxSockets: 32 }) : new http.Agent({ keepAlive: true, maxSockets: 32 });
    try {
      this.client = new Minio.Client({
        endPoint: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port ? Number(url.port) : useSSL ? 443 : 80,
        useSSL,
        accessKey: options.accessKey,
        secretKey: options.secretKey,
        region: this.region,
        pathStyle: options.pathStyle ?? true,
        partSize: this.partSize,
        transportAgent: this.agent,
      });
    } catch (err) {
      throw new ArtifactStoreConfigError(`cannot configure the S3 client: ${(err as Error).message}`);
    }
  }

  async put(key: string, body: ArtifactBody, opts: PutArtifactOptions = {}): Promise<PutArtifactResult> {
    this.assertOpen();
    assertValidArtifactKey(key);
    await this.ready();
    const contentType = opts.contentType ?? DEFAULT_CONTENT_TYPE;
    const hash = createHash('sha256');
    let size = 0;
    let filling: Buffer = Buffer.allocUnsafe(this.partSize);
    let spare: Buffer | undefined;
    let filled = 0;
    let uploadId: string | undefined;
    let staged = false; // the staging object exists and must be deleted
    const stagingKey = `${STAGING_PREFIX}${randomUUID()}`;
    const parts: { part: number; etag: string }[] = [];
    let inFlight: Promise<Buffer> | undefined; // resolves to its buffer, free for reuse
    const chunks = bodyChunks(body);

    const startPart = async (): Promise<void> => {
      uploadId ??= await this.client.initiateNewMultipartUpload(this.bucket, stagingKey, { 'Content-Type': contentType });
      if (inFlight) spare = await inFlight; // keep at most one part uploading while the next one fills
      const partNumber = parts.length + 1;
      if (partNumber > MAX_PARTS) {
        throw new ArtifactStoreError('put', key, new Error(`object exceeds ${MAX_PARTS} parts of ${this.partSize} bytes; raise partSizeBytes`));
      }
      const buf = filling;
      const payload = buf.subarray(0, filled);
      const id = uploadId;
      parts.push({ part: partNumber, etag: '' });
      inFlight = (async () => {
        const res = await this.client.uploadPart(
          {
            bucketName: this.bucket,
            objectName: stagingKey,
            uploadID: id,
            partNumber,
            headers: { 'Content-MD5': createHash('md5').update(payload).digest('base64') },
          },
          payload,
        );
        parts[partNumber - 1] = { part: partNumber, etag: res.etag };
        return buf;
      })();
      inFlight.catch(() => undefined); // observed when awaited next; never an unhandled rejection
      filling = spare ?? Buffer.allocUnsafe(this.partSize);
      spare = undefined;
      filled = 0;
    };

    try {
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await chunks.next();
        } catch (err) {
          throw new BodyFailure(err);
        }
        if (next.done) break;
        const chunk = next.value;
        hash.update(chunk);
        size += chunk.byteLength;
        let offset = 0;
        while (offset < chunk.byteLength) {
          const n = Math.min(this.partSize - filled, chunk.byteLength - offset);
          chunk.copy(filling, filled, offset, offset + n);
          filled += n;
          offset += n;
          if (filled === this.partSize) await startPart();
        }
      }
      const sha256 = hash.digest('hex');

      if (uploadId === undefined) {
        // Fits one part: a single PUT, hash included from the start.
        await this.client.putObject(this.bucket, key, filling.subarray(0, filled), filled, {
          'Content-Type': contentType,
          [SHA256_METADATA_KEY]: sha256,
        });
        return { key, sha256, size };
      }

      if (filled > 0) await startPart();
      if (inFlight) await inFlight;
      await this.client.completeMultipartUpload(this.bucket, stagingKey, uploadId, parts);
      uploadId = undefined;
      staged = true;
      const headers = { 'Content-Type': contentType, [`x-amz-meta-${SHA256_METADATA_KEY}`]: sha256 };
      if (size <= this.singleCopyLimit) {
        await this.copyObject(stagingKey, key, { 'x-amz-metadata-directive': 'REPLACE', ...headers });
      } else {
        await this.multipartCopy(stagingKey, key, size, headers);
      }
      staged = false;
      // Best effort: a leftover staging object is removed by the next store's start-up sweep.
      await this.client.removeObject(this.bucket, stagingKey).catch(() => undefined);
      return { key, sha256, size };
    } catch (err) {
      await chunks.return(undefined).catch(() => undefined);
      if (inFlight) await inFlight.catch(() => undefined);
      if (uploadId !== undefined) {
        await this.client.abortMultipartUpload(this.bucket, stagingKey, uploadId).catch(() => undefined);
      }
      if (staged) await this.client.removeObject(this.bucket, stagingKey).catch(() => undefined);
      if (err instanceof BodyFailure) throw err.error;
      if (err instanceof ArtifactError) throw err;
      throw new ArtifactStoreError('put', key, err);
    }
  }

  async get(key: string, range?: ArtifactByteRange): Promise<Readable> {
    this.assertOpen();
    assertValidArtifactKey(key);
    if (range) checkRangeShape(key, range);
    await this.ready();
    try {
      if (!range) return await this.client.getObject(this.bucket, key);
      const length = range.end === undefined ? 0 : range.end - range.start + 1;
      return await this.client.getPartialObject(this.bucket, key, range.start, length);
    } catch (err) {
      const code = s3Code(err);
      if (code && NOT_FOUND_CODES.has(code)) throw new ArtifactNotFoundError(key);
      if (range && code === 'InvalidRange') {
        throw new InvalidArtifactRangeError(key, range, 'start is not before the object size');
      }
      throw new ArtifactStoreError('get', key, err);
    }
  }

  async getBytes(key: string): Promise<Uint8Array> {
    return readAll(await this.get(key));
  }

  async stat(key: string): Promise<ArtifactStat | null> {
    this.assertOpen();
    assertValidArtifactKey(key);
    await this.ready();
    let st: Minio.BucketItemStat;
    try {
      st = await this.client.statObject(this.bucket, key);
    } catch (err) {
      const code = s3Code(err);
      if (code && NOT_FOUND_CODES.has(code)) return null;
      throw new ArtifactStoreError('stat', key, err);
    }
    const meta = st.metaData as Record<string, unknown>;
    const result: ArtifactStat = { key, size: st.size, lastModified: st.lastModified };
    const sha256 = meta[SHA256_METADATA_KEY];
    if (typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256)) result.sha256 = sha256;
    const contentType = meta['content-type'];
    if (typeof contentType === 'string') result.contentType = contentType;
    return result;
  }

  async *list(prefix: string): AsyncIterable<ArtifactListEntry> {
    this.assertOpen();
    assertValidArtifactPrefix(prefix);
    await this.ready();
    let token = '';
    for (;;) {
      let page: Awaited<ReturnType<Minio.Client['listObjectsV2Query']>>;
      try {
        page = await this.client.listObjectsV2Query(this.bucket, prefix, token, '', this.listPageSize, '');
      } catch (err) {
        throw new ArtifactStoreError('list', prefix, err);
      }
      for (const item of page.objects) {
        if (!item.name) continue; // a common prefix; none without a delimiter
        if (String(item.name).startsWith(`${RESERVED_ARTIFACT_KEY_SEGMENT}/`)) continue; // staging
        yield { key: String(item.name), size: Number(item.size), lastModified: new Date(item.lastModified as Date) };
      }
      const truncated = String(page.isTruncated) === 'true';
      if (!truncated) return;
      if (!page.nextContinuationToken) {
        throw new ArtifactStoreError('list', prefix, new Error('the server truncated a listing without a continuation token'));
      }
      token = String(page.nextContinuationToken);
    }
  }

  async delete(key: string): Promise<void> {
    this.assertOpen();
    assertValidArtifactKey(key);
    await this.ready();
    try {
      await this.client.removeObject(this.bucket, key);
    } catch (err) {
      const code = s3Code(err);
      if (code && NOT_FOUND_CODES.has(code)) return;
      throw new ArtifactStoreError('delete', key, err);
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    this.assertOpen();
    assertValidArtifactPrefix(prefix);
    // Collect the keys first, then delete in batches of 1000 (S3's multi-object delete limit):
    // deleting under a live continuation token is not portable across S3 implementations.
    const keys: string[] = [];
    for await (const entry of this.list(prefix)) keys.push(entry.key);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      let results: Awaited<ReturnType<Minio.Client['removeObjects']>>;
      try {
        results = await this.client.removeObjects(this.bucket, batch);
      } catch (err) {
        throw new ArtifactStoreError('deletePrefix', prefix, err);
      }
      const failed = results.filter(
        (r) => typeof r === 'object' && r !== null && 'Code' in r && !NOT_FOUND_CODES.has(String((r as { Code?: string }).Code)),
      );
      if (failed.length > 0) {
        const first = failed[0] as { Key?: string; Code?: string; Message?: string };
        throw new ArtifactStoreError(
          'deletePrefix',
          prefix,
          new Error(`${failed.length} objects could not be deleted, e.g. '${first.Key}': ${first.Code} ${first.Message ?? ''}`),
        );
      }
    }
    return keys.length;
  }

  async copy(srcKey: string, dstKey: string): Promise<void> {
    this.assertOpen();
    assertValidArtifactKey(srcKey);
    assertValidArtifactKey(dstKey);
    await this.ready();
    try {
      const src = await this.client.statObject(this.bucket, srcKey);
      if (src.size <= this.singleCopyLimit) {
        await this.copyObject(srcKey, dstKey, { 'x-amz-metadata-directive': 'COPY' });
      } else {
        const meta = src.metaData as Record<string, unknown>;
        const headers: Record<string, string> = { 'Content-Type': String(meta['content-type'] ?? DEFAULT_CONTENT_TYPE) };
        if (typeof meta[SHA256_METADATA_KEY] === 'string') headers[`x-amz-meta-${SHA256_METADATA_KEY}`] = meta[SHA256_METADATA_KEY] as string;
        await this.multipartCopy(srcKey, dstKey, src.size, headers);
      }
    } catch (err) {
      const code = s3Code(err);
      if (code && NOT_FOUND_CODES.has(code)) throw new ArtifactNotFoundError(srcKey);
      throw new ArtifactStoreError('copy', srcKey, err);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
  }

  /** Removes every object and then the bucket itself (tests, tear-down). */
  async destroyBucket(): Promise<void> {
    this.assertOpen();
    if (!(await this.client.bucketExists(this.bucket))) return;
    await this.deletePrefix('');
    await this.sweepStaleStaging(-60_000); // everything, however young
    const stale = await this.listIncompleteUploads();
    for (const u of stale) await this.client.abortMultipartUpload(this.bucket, u.key, u.uploadId).catch(() => undefined);
    await this.client.removeBucket(this.bucket);
    this.bucketReady = undefined;
  }

  /** Multipart uploads that were started and neither completed nor aborted. */
  async listIncompleteUploads(prefix = ''): Promise<{ key: string; uploadId: string }[]> {
    this.assertOpen();
    return new Promise((resolve, reject) => {
      const out: { key: string; uploadId: string }[] = [];
      this.client
        .listIncompleteUploads(this.bucket, prefix, true)
        .on('data', (u: { key: string; uploadId: string }) => out.push({ key: u.key, uploadId: u.uploadId }))
        .on('error', reject)
        .on('end', () => resolve(out));
    });
  }

  // ---- internals ----

  private assertOpen(): void {
    if (this.closed) throw new ArtifactStoreClosedError();
  }

  private ready(): Promise<void> {
    this.bucketReady ??= (async () => {
      if (await this.client.bucketExists(this.bucket)) {
        // Housekeeping must never stop the store from working.
        await this.sweepStaleStaging().catch(() => undefined);
        return;
      }
      if (!this.createBucket) {
        throw new ArtifactStoreConfigError(`S3 bucket '${this.bucket}' does not exist; create it or set S3_BUCKET to one that does`, 'S3_BUCKET');
      }
      try {
        await this.client.makeBucket(this.bucket, this.region);
      } catch (err) {
        const code = s3Code(err);
        if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw err;
      }
    })().catch((err) => {
      this.bucketReady = undefined;
      if (err instanceof ArtifactError) throw err;
      throw new ArtifactStoreError('open bucket', this.bucket, err);
    });
    return this.bucketReady;
  }

  /**
   * Server-side copy with our own headers (minio's copyObject cannot set Content-Type on a REPLACE and
   * encodes the source with encodeURI, which leaves '?' and '#' raw).
   */
  private async copyObject(srcKey: string, dstKey: string, headers: Record<string, string>): Promise<void> {
    const res = await this.client.makeRequestAsync(
      {
        method: 'PUT',
        bucketName: this.bucket,
        objectName: dstKey,
        headers: { 'x-amz-copy-source': encodeKeyPath(this.bucket, srcKey), ...headers },
      },
      '',
      [200],
    );
    // S3 may answer a copy with 200 and an <Error> document when it fails late.
    const body = Buffer.from(await readAll(res)).toString('utf8');
    const error = /<Error>[\s\S]*?<Code>([^<]*)<\/Code>(?:[\s\S]*?<Message>([^<]*)<\/Message>)?/.exec(body);
    if (error) {
      throw Object.assign(new Error(`copy failed: ${error[1]} ${error[2] ?? ''}`.trim()), { code: error[1] });
    }
  }

  /** Copies `srcKey` (larger than one copy allows) part by part with x-amz-copy-source-range. */
  private async multipartCopy(srcKey: string, dstKey: string, size: number, headers: Record<string, string>): Promise<void> {
    const partSize = Math.min(Math.max(this.partSize, Math.ceil(size / MAX_PARTS)), MAX_SINGLE_COPY);
    const uploadId = await this.client.initiateNewMultipartUpload(this.bucket, dstKey, headers);
    try {
      const parts: { part: number; etag: string }[] = [];
      for (let start = 0, part = 1; start < size; start += partSize, part++) {
        const end = Math.min(start + partSize, size) - 1;
        const res = await this.client.uploadPart({
          bucketName: this.bucket,
          objectName: dstKey,
          uploadID: uploadId,
          partNumber: part,
          headers: { 'x-amz-copy-source': encodeKeyPath(this.bucket, srcKey), 'x-amz-copy-source-range': `bytes=${start}-${end}` },
        });
        if (!res.etag) throw new Error(`the server returned no ETag for copied part ${part}`);
        parts.push({ part, etag: res.etag });
      }
      await this.client.completeMultipartUpload(this.bucket, dstKey, uploadId, parts);
    } catch (err) {
      await this.client.abortMultipartUpload(this.bucket, dstKey, uploadId).catch(() => undefined);
      throw err;
    }
  }

  /** Removes staging objects and incomplete uploads that a crashed process left behind. */
  private async sweepStaleStaging(maxAgeMs = this.staleStagingAgeMs): Promise<void> {
    const cutoff = Date.now() - maxAgeMs;
    const stale: string[] = [];
    let token = '';
    do {
      const page = await this.client.listObjectsV2Query(this.bucket, STAGING_PREFIX, token, '', 1000, '');
      for (const item of page.objects) {
        if (item.name && new Date(item.lastModified as Date).getTime() < cutoff) stale.push(String(item.name));
      }
      token = String(page.isTruncated) === 'true' ? String(page.nextContinuationToken ?? '') : '';
    } while (token);
    for (const key of stale) await this.client.removeObject(this.bucket, key).catch(() => undefined);
    const uploads = await new Promise<{ key: string; uploadId: string; initiated: Date }[]>((resolve, reject) => {
      const out: { key: string; uploadId: string; initiated: Date }[] = [];
      this.client
        .listIncompleteUploads(this.bucket, STAGING_PREFIX, true)
        .on('data', (u: { key: string; uploadId: string; initiated: Date }) => out.push(u))
        .on('error', reject)
        .on('end', () => resolve(out));
    });
    for (const u of uploads) {
      if (new Date(u.initiated).getTime() < cutoff) {
        await this.client.abortMultipartUpload(this.bucket, u.key, u.uploadId).catch(() => undefined);
      }
    }
  }
}

/** A bucket name for throw-away use (tests): lower-case, unique, within S3's 3–63 characters. */
export function uniqueBucketName(base = 'atelier-test'): string {
  return `${base}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`.toLowerCase().slice(0, 63);
}
