// The artifacts package's coded errors. `code` is stable (clients and the gateway's problem+json
// mapping switch on it), `statusCode` is the HTTP status a gateway should answer with, and the
// message says what to do next.

export class ArtifactError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ArtifactError';
  }
}

/** get / getBytes / copy on a key that holds no object. */
export class ArtifactNotFoundError extends ArtifactError {
  constructor(readonly key: string) {
    super(
      'ATL_ARTIFACT_NOT_FOUND',
      404,
      `artifact '${key}' was not found: check the key (list the prefix to see what exists) or write it first`,
      { key },
    );
    this.name = 'ArtifactNotFoundError';
  }
}

/** A key that breaks the rules in artifact-key.ts. */
export class InvalidArtifactKeyError extends ArtifactError {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super(
      'ATL_INVALID_ARTIFACT_KEY',
      400,
      `invalid artifact key ${JSON.stringify(key)}: ${reason}. Keys are relative '/'-separated paths ` +
        `(no leading '/', no empty, '.' or '..' segments, no backslashes or control characters, at most 1024 UTF-8 bytes)`,
      { key, reason },
    );
    this.name = 'InvalidArtifactKeyError';
  }
}

/** A byte range that does not fit the object (start past the end, end before start, negative…). */
export class InvalidArtifactRangeError extends ArtifactError {
  constructor(
    readonly key: string,
    readonly range: { start?: number; end?: number },
    reason: string,
  ) {
    super(
      'ATL_INVALID_ARTIFACT_RANGE',
      416,
      `invalid byte range ${JSON.stringify(range)} for artifact '${key}': ${reason}. ` +
        `Ranges are inclusive byte offsets within the object; stat it for its size`,
      { key, range, reason },
    );
    this.name = 'InvalidArtifactRangeError';
  }
}

/**
 * The filesystem store cannot hold both `a/b` and `a/b/c` (a file cannot also be a directory).
 * S3 can; keep keys that are prefixes of other keys' folders out of your layout.
 */
export class ArtifactKeyConflictError extends ArtifactError {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(
      'ATL_ARTIFACT_KEY_CONFLICT',
      409,
      `artifact '${key}' cannot be stored here: ${reason}. Choose a key whose folders are not existing objects ` +
        `(and that is not itself a folder of other objects)`,
      { key, reason },
    );
    this.name = 'ArtifactKeyConflictError';
  }
}

/** Bad or missing store configuration; `variable` names the env var to fix when there is one. */
export class ArtifactStoreConfigError extends ArtifactError {
  constructor(
    message: string,
    readonly variable?: string,
  ) {
    super('ATL_ARTIFACT_STORE_CONFIG', 500, message, variable ? { variable } : undefined);
    this.name = 'ArtifactStoreConfigError';
  }
}

/** The backing store failed (S3 answered with an error, the disk is full…); the cause is attached. */
export class ArtifactStoreError extends ArtifactError {
  constructor(operation: string, key: string | undefined, cause: unknown) {
    const what = cause instanceof Error ? cause.message : String(cause);
    super(
      'ATL_ARTIFACT_STORE_FAILED',
      503,
      `artifact store ${operation}${key === undefined ? '' : ` of '${key}'`} failed: ${what}. ` +
        `Check that the object store is reachable and has space, then retry`,
      { operation, ...(key === undefined ? {} : { key }) },
      { cause },
    );
    this.name = 'ArtifactStoreError';
  }
}

/** Any call after close(). */
export class ArtifactStoreClosedError extends ArtifactError {
  constructor() {
    super('ATL_ARTIFACT_STORE_CLOSED', 503, 'the artifact store was closed; create a new one with createArtifactStore()');
    this.name = 'ArtifactStoreClosedError';
  }
}
