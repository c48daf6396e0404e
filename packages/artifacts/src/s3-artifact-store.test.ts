// The conformance suite against a real S3-speaking server over HTTP: the S3 the global setup found
// (inject('s3')), S3_ENDPOINT, or local OpenStack Swift + s3api started by test/services/s3.ts.
// Each run uses its own bucket and removes it afterwards. With CI set, no S3 is a failure, not a skip.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureS3, type S3Availability } from '../../../test/services/s3.js';
import { describeArtifactStoreConformance, pseudoRandomChunks, sha256Hex } from './artifact-store.conformance.js';
import { S3ArtifactStore, uniqueBucketName } from './s3-artifact-store.js';

const MiB = 1024 * 1024;

async function findS3(): Promise<S3Availability> {
  const provided = inject('s3');
  if (provided) return provided;
  const reason = inject('s3UnavailableReason');
  if (typeof reason === 'string') return { unavailable: reason };
  return ensureS3();
}

const s3 = await findS3();

if ('unavailable' in s3) {
  if (process.env.CI) {
    describe('S3ArtifactStore', () => {
      it('needs a real S3 server in CI', () => {
        throw new Error(`S3 is unavailable in CI: ${s3.unavailable}`);
      });
    });
  } else {
    console.warn(`[artifacts] skipping the S3 suite: ${s3.unavailable}`);
    describe.skip(`S3ArtifactStore (skipped: ${s3.unavailable})`, () => {
      it('runs against a real S3 server', () => undefined);
    });
  }
} else {
  const bucket = uniqueBucketName('atelier-artifacts-test');
  const stores: S3ArtifactStore[] = [];
  const make = (overrides: Partial<ConstructorParameters<typeof S3ArtifactStore>[0]> = {}) => {
    const store = new S3ArtifactStore({
      endpoint: s3.endpoint,
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
      region: s3.region,
      bucket,
      partSizeBytes: 5 * MiB,
      listPageSize: 50,
      ...overrides,
    });
    stores.push(store);
    return store;
  };

  afterAll(async () => {
    const janitor = make();
    await janitor.destroyBucket();
    await Promise.all(stores.map((s) => s.close()));
  });

  describeArtifactStoreConformance(`s3 (${s3.endpoint})`, () => make(), {
    largeObjectBytes: 20 * MiB,
    failAfterBytes: 12 * MiB,
    paginationKeyCount: 120,
  });

  describe('S3ArtifactStore specifics', () => {
    it('creates a missing bucket on first use', async () => {
      const fresh = make({ bucket: uniqueBucketName('atelier-artifacts-new') });
      expect(await fresh.client.bucketExists(fresh.bucket)).toBe(false);
      await fresh.put('a.txt', Buffer.from('a'));
      expect(await fresh.client.bucketExists(fresh.bucket)).toBe(true);
      await fresh.destroyBucket();
      expect(await fresh.client.bucketExists(fresh.bucket)).toBe(false);
    });

    it('stores the sha256 as x-amz-meta-sha256 on single-part and multipart objects', async () => {
      const store = make();
      const small = await store.put('meta/small.bin', Buffer.from('tiny'));
      const big = await store.put('meta/big.bin', pseudoRandomChunks(11 * MiB, 3));
      for (const res of [small, big]) {
        const raw = await store.client.statObject(bucket, res.key);
        expect(raw.metaData.sha256).toBe(res.sha256);
      }
      expect(small.sha256).toBe(sha256Hex('tiny'));
    });

    it('leaves no staging objects behind and never lists them', async () => {
      const store = make();
      await store.put('staged/obj.bin', pseudoRandomChunks(11 * MiB, 5));
      const raw = await store.client.listObjectsV2Query(bucket, '.atelier/', '', '', 1000, '');
      expect(raw.objects).toEqual([]);
      expect(await store.listIncompleteUploads('.atelier/')).toEqual([]);
    });

    it('copies objects above the single-copy limit part by part (staging and copy())', async () => {
      const store = make({ singleCopyLimitBytes: 6 * MiB });
      const res = await store.put('bigcopy/obj.bin', pseudoRandomChunks(13 * MiB, 6), { contentType: 'application/x-big' });
      const st = await store.stat('bigcopy/obj.bin');
      expect(st).toMatchObject({ size: 13 * MiB, sha256: res.sha256, contentType: 'application/x-big' });
      expect(sha256Hex(await store.getBytes('bigcopy/obj.bin'))).toBe(res.sha256);
      await store.copy('bigcopy/obj.bin', 'bigcopy/copy.bin');
      expect(await store.stat('bigcopy/copy.bin')).toMatchObject({ size: 13 * MiB, sha256: res.sha256, contentType: 'application/x-big' });
      expect(sha256Hex(await store.getBytes('bigcopy/copy.bin'))).toBe(res.sha256);
      expect(await store.listIncompleteUploads('')).toEqual([]);
    });

    it('sweeps staging objects and incomplete uploads of a crashed writer, and only stale ones', async () => {
      const writer = make();
      await writer.put('sweep/seed.txt', Buffer.from('ensures the bucket exists'));
      await writer.client.putObject(bucket, '.atelier/staging/crashed-writer', Buffer.from('orphan'));
      // A writer killed mid-body: its multipart upload was started and got one part, never completed.
      const uploadId = await writer.client.initiateNewMultipartUpload(bucket, '.atelier/staging/killed-mid-body', {});
      await writer.client.uploadPart({ bucketName: bucket, objectName: '.atelier/staging/killed-mid-body', uploadID: uploadId, partNumber: 1, headers: {} }, Buffer.alloc(5 * MiB, 1));
      const leftovers = async () => (await writer.client.listObjectsV2Query(bucket, '.atelier/staging/', '', '', 1000, '')).objects;
      expect(await leftovers()).toHaveLength(1);
      expect(await writer.listIncompleteUploads('.atelier/')).toHaveLength(1);
      const keys = [];
      for await (const e of writer.list('')) keys.push(e.key);
      expect(keys.some((k) => k.startsWith('.atelier/'))).toBe(false);
      // Young leftovers (maybe a live writer's) survive a sweep; stale ones go, with their bytes counted.
      expect(await make().sweepTemporaries(60 * 60_000)).toEqual({ count: 0, bytes: 0 });
      expect(await leftovers()).toHaveLength(1);
      // Swift rounds listing times up to the next second, so "stale" here means "even a minute in the future".
      const swept = await make().sweepTemporaries(-60_000);
      expect(swept.count).toBe(2);
      expect(swept.bytes).toBeGreaterThanOrEqual('orphan'.length);
      expect(await leftovers()).toEqual([]);
      expect(await writer.listIncompleteUploads('.atelier/')).toEqual([]);
      expect(await writer.stat('sweep/seed.txt')).not.toBeNull();
    });

    it('aborts the multipart upload when the body fails, leaving no parts behind', async () => {
      const store = make();
      const failing = (async function* () {
        yield* pseudoRandomChunks(11 * MiB, 4);
        throw new Error('producer crashed');
      })();
      await expect(store.put('aborted/obj.bin', failing)).rejects.toThrow('producer crashed');
      expect(await store.listIncompleteUploads('')).toEqual([]);
      expect(await store.stat('aborted/obj.bin')).toBeNull();
    });

    it('gives concurrent multipart writers of one key separate uploads; the survivor carries its own hash', async () => {
      const store = make();
      const sizes = [11 * MiB, 12 * MiB];
      const results = await Promise.all(sizes.map((size, i) => store.put('race/obj.bin', pseudoRandomChunks(size, 10 + i))));
      const st = await store.stat('race/obj.bin');
      const winner = results.findIndex((r) => r.size === st?.size);
      expect(winner).toBeGreaterThanOrEqual(0);
      const bytes = await store.getBytes('race/obj.bin');
      expect(sha256Hex(bytes)).toBe(results[winner].sha256);
      expect(st?.sha256).toBe(results[winner].sha256);
      expect(await store.listIncompleteUploads('')).toEqual([]);
    });

    it('reports bad credentials as ATL_ARTIFACT_STORE_FAILED with the server error', async () => {
      const store = make({ secretKey: 'definitely-wrong', bucket: uniqueBucketName('atelier-artifacts-denied') });
      await expect(store.put('x', Buffer.from('x'))).rejects.toMatchObject({ code: 'ATL_ARTIFACT_STORE_FAILED', statusCode: 503 });
    });
  });
}
