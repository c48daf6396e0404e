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
//   - staging leftovers of a crashed process (objects and incomplete uploads nothing wrote to for a
//     while) are removed by sweepTemporaries, which the gateway's artifact collector calls.
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
  SweepResult,
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
      // Best effort: a leftover staging object is removed by a later sweepTemporaries.
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
    await this.sweepTemporaries(-60_000); // everything, however young (Swift rounds times up)
    const stale = await this.listIncompleteUploads();
    for (const u of stale) await this.client.abortMultipartUpload(this.bucket, u.key, u.uploadId).catch(() => undefined);
    await this.client.removeBucket(this.bucket);
    this.bucketReady = undefined;
  }

  /**
   * Multipart uploads that were started and neither completed nor aborted. Our own ListMultipartUploads
   * request: minio's always sends `delimiter=`, and Swift's s3api then answers with a common prefix
   * instead of the uploads.
   */
  async listIncompleteUploads(prefix = ''): Promise<{ key: string; uploadId: string; initiated: Date }[]> {
    this.assertOpen();
    const out: { key: string; uploadId: string; initiated: Date }[] = [];
    let markers = '';
    for (;;) {
      const res = await this.client.makeRequestAsync(
        { method: 'GET', bucketName: this.bucket, query: `uploads&prefix=${encodeURIComponent(prefix)}${markers}` },
        '',
        [200],
      );
      const xml = Buffer.from(await readAll(res)).toString('utf8');
      const field = (text: string, name: string) => xmlText(new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1] ?? '');
      for (const [, upload] of xml.matchAll(/<Upload>([\s\S]*?)<\/Upload>/g)) {
        out.push({ key: field(upload, 'Key'), uploadId: field(upload, 'UploadId'), initiated: new Date(field(upload, 'Initiated')) });
      }
      if (!/<IsTruncated>true<\/IsTruncated>/.test(xml)) return out;
      const nextKey = field(xml, 'NextKeyMarker');
      if (!nextKey) throw new Error('the server truncated a multipart upload listing without a next marker');
      markers = `&key-marker=${encodeURIComponent(nextKey)}&upload-id-marker=${encodeURIComponent(field(xml, 'NextUploadIdMarker'))}`;
    }
  }

  // ---- internals ----

  private assertOpen(): void {
    if (this.closed) throw new ArtifactStoreClosedError();
  }

  private ready(): Promise<void> {
    this.bucketReady ??= (async () => {
      if (await this.client.bucketExists(this.bucket)) return;
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

  /**
   * Removes staging objects and incomplete multipart uploads that a crashed process left behind. An
   * upload's age is that of its newest part (a live writer of a large body keeps adding parts), or of
   * its start when it has none.
   */
  async sweepTemporaries(olderThanMs: number): Promise<SweepResult> {
    this.assertOpen();
    await this.ready();
    const cutoff = Date.now() - olderThanMs;
    const result: SweepResult = { count: 0, bytes: 0 };
    try {
      const stale: Array<{ key: string; size: number }> = [];
      let token = '';
      do {
        const page = await this.client.listObjectsV2Query(this.bucket, STAGING_PREFIX, token, '', 1000, '');
        for (const item of page.objects) {
          if (item.name && new Date(item.lastModified as Date).getTime() < cutoff) stale.push({ key: String(item.name), size: Number(item.size) });
        }
        token = String(page.isTruncated) === 'true' ? String(page.nextContinuationToken ?? '') : '';
      } while (token);
      for (const { key, size } of stale) {
        await this.client.removeObject(this.bucket, key);
        result.count++;
        result.bytes += size;
      }
      for (const u of await this.listIncompleteUploads(STAGING_PREFIX)) {
        if (new Date(u.initiated).getTime() >= cutoff) continue;
        // listParts is public in minio's JS, only typed protected.
        const parts = await (this.client as unknown as { listParts(b: string, k: string, id: string): Promise<Array<{ lastModified?: Date; size: number }>> })
          .listParts(this.bucket, u.key, u.uploadId)
          .catch(() => []);
        if (parts.some((p) => p.lastModified && new Date(p.lastModified).getTime() >= cutoff)) continue;
        await this.client.abortMultipartUpload(this.bucket, u.key, u.uploadId);
        result.count++;
        result.bytes += parts.reduce((n, p) => n + (Number(p.size) || 0), 0);
      }
    } catch (err) {
      if (err instanceof ArtifactError) throw err;
      throw new ArtifactStoreError('sweep', STAGING_PREFIX, err);
    }
    return result;
  }
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function xmlText(raw: string): string {
  return raw.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => XML_ENTITIES[name]);
}

/** A bucket name for throw-away use (tests): lower-case, unique, within S3's 3–63 characters. */
export function uniqueBucketName(base = 'atelier-test'): string {
  return `${base}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`.toLowerCase().slice(0, 63);
}
