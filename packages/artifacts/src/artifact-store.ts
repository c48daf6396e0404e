// The contract every artifact store meets (filesystem for the embedded default, S3 in production).
// One conformance suite (artifact-store.conformance.ts) runs against each implementation.
import type { Readable } from 'node:stream';

export type ArtifactBody = Readable | AsyncIterable<Uint8Array> | Uint8Array;

export interface PutArtifactOptions {
  /** Stored with the object and returned by stat; defaults to application/octet-stream. */
  contentType?: string;
}

export interface PutArtifactResult {
  key: string;
  /** Lower-case hex SHA-256 of the bytes written, computed while streaming. */
  sha256: string;
  /** Bytes written. */
  size: number;
}

/** An inclusive byte range, like HTTP's `Range: bytes=start-end`. `end` defaults to the last byte. */
export interface ArtifactByteRange {
  start: number;
  end?: number;
}

export interface ArtifactStat {
  key: string;
  size: number;
  lastModified: Date;
  /** Present when the store recorded it at put time (always for objects written through this package). */
  sha256?: string;
  contentType?: string;
}

export interface ArtifactListEntry {
  key: string;
  size: number;
  lastModified: Date;
}

/** What a sweep of crashed writers' leftovers removed. */
export interface SweepResult {
  count: number;
  bytes: number;
}

export interface ArtifactStore {
  /** Which implementation this is ('filesystem' | 's3'), for logs and health output. */
  readonly kind: string;

  /**
   * Streams `body` into `key` (replacing any object there). The object appears all at once when the
   * returned promise resolves; a body that fails midway leaves nothing behind and the promise rejects.
   * Memory stays bounded (the S3 store holds at most one part in memory).
   */
  put(key: string, body: ArtifactBody, opts?: PutArtifactOptions): Promise<PutArtifactResult>;

  /** The object's bytes as a stream; ArtifactNotFoundError (ATL_ARTIFACT_NOT_FOUND) when missing. */
  get(key: string, range?: ArtifactByteRange): Promise<Readable>;

  /** The whole object in memory: for small objects (manifests, JSON) only. */
  getBytes(key: string): Promise<Uint8Array>;

  /** Size, time and (when known) sha256 of an object, or null when there is none. */
  stat(key: string): Promise<ArtifactStat | null>;

  /** Every object whose key starts with `prefix` ('' for all), in byte-wise key order, page by page. */
  list(prefix: string): AsyncIterable<ArtifactListEntry>;

  /** Removes an object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;

  /** Removes every object whose key starts with `prefix`; returns how many were removed. */
  deletePrefix(prefix: string): Promise<number>;

  /** Copies an object (bytes and recorded sha256/content type) to another key. */
  copy(srcKey: string, dstKey: string): Promise<void>;

  /**
   * Removes what crashed writers left in the store's own bookkeeping, never a visible object: the
   * filesystem's `.tmp/` files, S3's staging objects and incomplete multipart uploads, when nothing
   * wrote to them for `olderThanMs` (a live writer keeps touching its own). The caller (the gateway's
   * artifact collector) decides when and how old; a store never sweeps on its own.
   */
  sweepTemporaries(olderThanMs: number): Promise<SweepResult>;

  /** Releases resources; later calls fail with ArtifactStoreClosedError. */
  close(): Promise<void>;
}
