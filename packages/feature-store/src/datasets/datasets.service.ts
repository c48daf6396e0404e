// Datasets and their immutable, numbered versions: upload (streamed, hashed, validated, profiled),
// new versions from the bytes of a version of the same project, reads (metadata, profile, preview, content)
// and local copies for DuckDB work (the feature store joins over them).
//
// Upload path, with memory bounded whatever the size:
//   body ──► hash + size limit ──► spool file under workDir/incoming (local disk)
//   (while streaming: column count, JSON nesting, NUL characters and stray CSV quotes are checked, so a
//    pathological file is refused at its first bytes, before DuckDB sees it)
//   spool ──► DuckDB: strict read, declared-schema checks, profile   (a bad file stops here: nothing
//             reached the artifact store, no row was written, the spool file is removed)
//   spool ──► ArtifactStore `datasets/<datasetId>/sha256/<hash>.<ext>` (skipped when already there)
//   ──► version row (after the bytes are durable) ──► spool renamed into the local cache by hash.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Catalog, Dataset, DatasetVersion } from '@atelier/catalog';
import type { ArtifactBody, ArtifactStore } from '@atelier/artifacts';
import { artifactKeys, parseArtifactKey } from '@atelier/contracts';
import { DuckDbSession } from '../duckdb/duckdb-session.js';
import { analyzeDatasetFile, datasetReaderSql, type DatasetProfile } from './dataset-analyzer.js';
import { CONTENT_TYPE_OF, EXTENSION_OF, type DatasetFileFormat } from './dataset-format.js';
import { schemaEvolution, type DeclaredSchema, type SchemaEvolution, type VersionSchema } from './dataset-schema.js';
import { DatasetError, DatasetErrors } from './datasets.errors.js';
import { createUploadGuard, type UploadGuard, type UploadLimits } from './upload-guard.js';

export interface DatasetsConfig {
  /** ATELIER_DATASETS_DIR: spool files, the local cache of versions and DuckDB's spill directory. */
  workDir: string;
  /** ATELIER_DATASET_UPLOAD_LIMIT_BYTES, default 20 GiB: the largest upload accepted. */
  uploadLimitBytes: number;
  /** ATELIER_DUCKDB_MEMORY_LIMIT_MB, default 512: DuckDB's memory_limit per profiling session. */
  duckdbMemoryLimitMb: number;
  /** ATELIER_DUCKDB_THREADS, default 2. */
  duckdbThreads: number;
  /** ATELIER_DATASET_MAX_COLUMNS, default 1000: the most columns a version may have (CSV header, JSON keys, Parquet). */
  maxColumns?: number;
  /** ATELIER_DATASET_MAX_JSON_DEPTH, default 64: the deepest nesting of arrays / objects in a JSON Lines record. */
  maxJsonDepth?: number;
}

export const DEFAULT_UPLOAD_LIMIT_BYTES = 20 * 1024 ** 3;
export const DEFAULT_MAX_COLUMNS = 1000;
export const DEFAULT_MAX_JSON_DEPTH = 64;

/** The integer in `name`, or `fallback` when unset; a bad value is added to `problems` (and `fallback` returned). */
function intFromEnv(env: NodeJS.ProcessEnv, problems: string[], name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (Number.isSafeInteger(value) && value >= min) return value;
  problems.push(`${name} must be an integer ≥ ${min} (got '${raw}')`);
  return fallback;
}

/**
 * Reads the datasets settings once; without ATELIER_DATASETS_DIR / ATELIER_DATA_DIR the work dir is a temp dir (it only holds
 * caches). Bad values fail, every one named in one message.
 */
export function datasetsConfigFromEnv(env: NodeJS.ProcessEnv): DatasetsConfig {
  const workDir =
    env.ATELIER_DATASETS_DIR ||
    (env.ATELIER_DATA_DIR ? join(env.ATELIER_DATA_DIR, 'datasets') : join(tmpdir(), `atelier-datasets-${process.getuid?.() ?? 'user'}`));
  const problems: string[] = [];
  const config: DatasetsConfig = {
    workDir,
    uploadLimitBytes: intFromEnv(env, problems, 'ATELIER_DATASET_UPLOAD_LIMIT_BYTES', DEFAULT_UPLOAD_LIMIT_BYTES, 1),
    duckdbMemoryLimitMb: intFromEnv(env, problems, 'ATELIER_DUCKDB_MEMORY_LIMIT_MB', 512, 16),
    duckdbThreads: intFromEnv(env, problems, 'ATELIER_DUCKDB_THREADS', 2, 1),
    maxColumns: intFromEnv(env, problems, 'ATELIER_DATASET_MAX_COLUMNS', DEFAULT_MAX_COLUMNS, 1),
    maxJsonDepth: intFromEnv(env, problems, 'ATELIER_DATASET_MAX_JSON_DEPTH', DEFAULT_MAX_JSON_DEPTH, 1),
  };
  if (problems.length) throw new Error(problems.join('\n'));
  return config;
}

export interface DatasetView {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  createdBy: string | null;
  /** The newest version number, or null before the first upload. */
  latestVersion: number | null;
}

export interface DatasetVersionView {
  id: string;
  datasetId: string;
  dataset: string;
  version: number;
  format: DatasetFileFormat;
  contentType: string;
  sha256: string;
  sizeBytes: number;
  rowCount: number;
  schema: VersionSchema;
  /** Columns added / removed / retyped compared with the version before. */
  evolution: SchemaEvolution;
  lineage: Record<string, unknown>;
  createdAt: Date;
  createdBy: string | null;
}

export interface UploadResult {
  version: DatasetVersionView;
  /** False when these exact bytes were already a version of this dataset (then `duplicateOf` names it). */
  created: boolean;
  duplicateOf: number | null;
}

/** Names an existing version of the same project: by id, or by its content key. Exactly one. */
export interface VersionSource {
  sourceVersionId?: string;
  artifactKey?: string;
}

export interface UploadOptions {
  format: DatasetFileFormat;
  declaredSchema?: DeclaredSchema;
  createdBy?: string | null;
}

export interface DatasetPreview {
  columns: Array<{ name: string; type: string; duckdbType: string }>;
  rows: Array<Record<string, unknown>>;
}

export interface DatasetContent {
  stream: Readable;
  sizeBytes: number;
  contentType: string;
  sha256: string;
  fileName: string;
}

interface Spooled {
  path: string;
  sha256: string;
  size: number;
}

export const MAX_PREVIEW_ROWS = 1000;

export class DatasetsService {
  private readonly incomingDir: string;
  private readonly cacheDir: string;
  private readonly duckdbTempDir: string;
  private readonly inflightCopies = new Map<string, Promise<string>>();
  private readonly limits: UploadLimits;

  constructor(
    private readonly catalog: Catalog,
    private readonly artifacts: ArtifactStore,
    readonly config: DatasetsConfig,
  ) {
    this.incomingDir = join(config.workDir, 'incoming');
    this.cacheDir = join(config.workDir, 'cache', 'sha256');
    this.duckdbTempDir = join(config.workDir, 'duckdb-tmp');
    this.limits = { maxColumns: config.maxColumns ?? DEFAULT_MAX_COLUMNS, maxJsonDepth: config.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH };
  }

  // ---- datasets ----

  async createDataset(projectId: string, input: { name: string; description?: string; createdBy?: string | null }): Promise<DatasetView> {
    const dataset = await this.catalog.datasets.create({ projectId, ...input });
    return { ...toDatasetView(dataset), latestVersion: null };
  }

  async listDatasets(projectId: string, opts: { limit?: number; after?: string } = {}): Promise<DatasetView[]> {
    const datasets = await this.catalog.datasets.list(projectId, opts);
    return Promise.all(
      datasets.map(async (d) => ({ ...toDatasetView(d), latestVersion: (await this.catalog.datasets.latestVersion(d.id))?.version ?? null })),
    );
  }

  async getDataset(projectId: string, name: string): Promise<DatasetView> {
    const dataset = await this.requireDataset(projectId, name);
    const latest = await this.catalog.datasets.latestVersion(dataset.id);
    return { ...toDatasetView(dataset), latestVersion: latest?.version ?? null };
  }

  // ---- versions: write ----

  /** Streams `body` to local disk (hashing and checking it), validates and profiles it, stores it by content hash, then records the version. */
  async uploadVersion(projectId: string, name: string, body: ArtifactBody, opts: UploadOptions): Promise<UploadResult> {
    const dataset = await this.requireDataset(projectId, name);
    const spooled = await this.spool(body, opts.format, { guard: this.guard(opts.format) });
    try {
      return await this.registerSpooled(dataset, spooled, opts, { source: 'upload' });
    } finally {
      await rm(spooled.path, { force: true });
    }
  }

  /**
   * Makes a new version from the bytes of an existing version of this project, after the same checks
   * (e.g. again with a declared schema, or into another dataset). The source is resolved inside the
   * project only: by version id, or by the content key of one of its versions; anything else (another
   * project's key, a model bundle, any other object in the store) is not found and nothing is read.
   */
  async registerFromVersion(projectId: string, name: string, input: VersionSource & Partial<UploadOptions>): Promise<UploadResult> {
    const dataset = await this.requireDataset(projectId, name);
    const source = await this.resolveSource(projectId, input);
    const format = input.format ?? source.row.format;
    if (format !== source.row.format) throw DatasetErrors.formatConflict(source.dataset.name, source.row.version, source.row.format, format);
    const opts: UploadOptions = { format, declaredSchema: input.declaredSchema, createdBy: input.createdBy };
    const spooled = await this.spool(await this.artifacts.get(source.row.artifactKey), format, {
      limit: Number.MAX_SAFE_INTEGER,
      guard: this.guard(format),
    });
    try {
      if (spooled.sha256 !== source.row.sha256) {
        throw new Error(`artifact ${source.row.artifactKey} has sha256 ${spooled.sha256}, but version ${source.row.id} records ${source.row.sha256}`);
      }
      const lineage = { source: 'dataset-version', dataset: source.dataset.name, version: source.row.version, versionId: source.row.id };
      return await this.registerSpooled(dataset, spooled, opts, lineage, source.row.artifactKey);
    } finally {
      await rm(spooled.path, { force: true });
    }
  }

  /** The version a registration names, if it belongs to this project. */
  private async resolveSource(projectId: string, input: VersionSource): Promise<{ dataset: Dataset; row: DatasetVersion }> {
    const field = input.sourceVersionId !== undefined ? '/body/sourceVersionId' : '/body/artifactKey';
    const value = input.sourceVersionId ?? input.artifactKey ?? '';
    let row: DatasetVersion | undefined;
    if (input.sourceVersionId !== undefined) {
      if (UUID.test(input.sourceVersionId)) row = await this.catalog.datasets.findVersionById(input.sourceVersionId);
    } else {
      const key = parseArtifactKey.dataset(value);
      if (key) {
        const candidate = await this.catalog.datasets.findVersionBySha(key.datasetId, key.sha256);
        if (candidate?.artifactKey === value) row = candidate;
      }
    }
    const dataset = row && (await this.catalog.datasets.findById(row.datasetId));
    if (!row || !dataset || dataset.projectId !== projectId) throw DatasetErrors.sourceNotFound(field, value);
    return { dataset, row };
  }

  private guard(format: DatasetFileFormat): UploadGuard | null {
    return createUploadGuard(format, this.limits);
  }

  private async registerSpooled(
    dataset: Dataset,
    spooled: Spooled,
    opts: UploadOptions,
    lineage: Record<string, unknown>,
    sourceKey?: string,
  ): Promise<UploadResult> {
    // Identity is the bytes: the same bytes declared as another format are refused, not answered with
    // the version of the other format (nor stored twice under two readings).
    const duplicate = await this.catalog.datasets.findVersionBySha(dataset.id, spooled.sha256);
    if (duplicate && duplicate.format !== opts.format) throw DatasetErrors.formatConflict(dataset.name, duplicate.version, duplicate.format, opts.format);
    if (duplicate) return { version: await this.view(dataset, duplicate), created: false, duplicateOf: duplicate.version };

    const analysis = await analyzeDatasetFile(spooled.path, {
      format: opts.format,
      declared: opts.declaredSchema,
      maxColumns: this.limits.maxColumns,
      duckdb: { memoryLimitMb: this.config.duckdbMemoryLimitMb, threads: this.config.duckdbThreads, tempDirectory: this.duckdbTempDir },
    });

    const key = artifactKeys.dataset(dataset.id, spooled.sha256, opts.format);
    await this.storeBytes(key, spooled, opts.format, sourceKey);
    let version: DatasetVersion;
    let created: boolean;
    try {
      ({ version, created } = await this.catalog.datasets.createVersionUnlessDuplicate({
        datasetId: dataset.id,
        format: opts.format,
        artifactKey: key,
        sha256: spooled.sha256,
        sizeBytes: spooled.size,
        rowCount: analysis.rowCount,
        schema: analysis.schema,
        profile: analysis.profile,
        lineage,
        createdBy: opts.createdBy ?? null,
      }));
    } catch (err) {
      // No row points at the bytes unless a concurrent upload of the same content registered them.
      if (!(await this.catalog.datasets.findVersionBySha(dataset.id, spooled.sha256))) await this.artifacts.delete(key).catch(() => {});
      throw err;
    }
    if (!created && version.format !== opts.format) {
      // A concurrent upload of the same bytes as another format won: ours are stored under another key.
      await this.artifacts.delete(key).catch(() => {});
      throw DatasetErrors.formatConflict(dataset.name, version.version, version.format, opts.format);
    }
    // A concurrent upload of the same bytes got there first: same content key, nothing to undo.
    if (!created) return { version: await this.view(dataset, version), created: false, duplicateOf: version.version };
    // storeBytes may have reused orphaned bytes that the artifact collector removed before our insert.
    if (!(await this.artifacts.stat(key))) await this.artifacts.put(key, createReadStream(spooled.path), { contentType: CONTENT_TYPE_OF[opts.format] });
    // The spool file becomes the local copy: no download needed for the first preview or join.
    await mkdir(this.cacheDir, { recursive: true });
    await rename(spooled.path, this.cachePath(spooled.sha256, opts.format)).catch(() => {});
    return { version: await this.view(dataset, version), created: true, duplicateOf: null };
  }

  /** Puts the bytes under their content key unless an object with the same hash is there already. */
  private async storeBytes(key: string, spooled: Spooled, format: DatasetFileFormat, sourceKey?: string): Promise<void> {
    const existing = await this.artifacts.stat(key);
    if (existing && existing.size === spooled.size && (existing.sha256 === undefined || existing.sha256 === spooled.sha256)) return;
    if (sourceKey && sourceKey !== key) {
      await this.artifacts.copy(sourceKey, key);
      const copied = await this.artifacts.stat(key);
      if (copied && copied.size === spooled.size && copied.sha256 === spooled.sha256) return;
      // The source changed since we read it (or the store records no hash): store what we validated.
    }
    const put = await this.artifacts.put(key, createReadStream(spooled.path), { contentType: CONTENT_TYPE_OF[format] });
    if (put.sha256 !== spooled.sha256 || put.size !== spooled.size) {
      await this.artifacts.delete(key).catch(() => {});
      throw new Error(`artifact store wrote ${put.size} bytes with sha256 ${put.sha256}, expected ${spooled.size} / ${spooled.sha256}`);
    }
  }

  /**
   * Streams a body to a local file while hashing it; enforces the size limit and the guard's checks as
   * the bytes arrive (a refusal stops reading); removes the file on failure.
   */
  private async spool(
    body: ArtifactBody,
    format: DatasetFileFormat,
    { limit = this.config.uploadLimitBytes, guard = null }: { limit?: number; guard?: UploadGuard | null } = {},
  ): Promise<Spooled> {
    await mkdir(this.incomingDir, { recursive: true });
    const path = join(this.incomingDir, `${randomUUID()}.${EXTENSION_OF[format]}`);
    const hash = createHash('sha256');
    let size = 0;
    const out = createWriteStream(path, { highWaterMark: 1 << 20 });
    const outFailed = new Promise<never>((_, reject) => out.once('error', reject));
    outFailed.catch(() => {});
    /** Hash, check and write one chunk: the error that refuses it, or 'full' when the file wants a drain first. */
    const accept = (chunk: Uint8Array): Accepted => {
      size += chunk.length;
      if (size > limit) return DatasetErrors.tooLarge(limit);
      const refused = guard?.push(chunk);
      if (refused) return refused;
      hash.update(chunk);
      return out.write(chunk) ? 'ok' : 'full';
    };
    try {
      if (body instanceof Uint8Array) {
        const r = accept(body);
        if (r instanceof Error) throw r;
      } else if (isReadable(body)) {
        await copyReadable(body, accept, out);
      } else {
        for await (const chunk of body) {
          const r = accept(chunk);
          if (r instanceof Error) throw r;
          if (r === 'full') await Promise.race([once(out, 'drain'), outFailed]);
        }
      }
      out.end();
      await Promise.race([finished(out), outFailed]);
    } catch (err) {
      out.destroy();
      // The file is opened asynchronously: wait for the stream to close, or an open that completes
      // after the rm would leave the spool file behind.
      if (!out.closed) await once(out, 'close').catch(() => {});
      await rm(path, { force: true });
      if (err instanceof DatasetError) throw err;
      throw DatasetErrors.badRequest(`The upload was interrupted before it ended (${(err as Error).message}); nothing was registered.`);
    }
    return { path, sha256: hash.digest('hex'), size };
  }

  // ---- versions: read ----

  async getVersion(projectId: string, name: string, version: number): Promise<DatasetVersionView> {
    const dataset = await this.requireDataset(projectId, name);
    return this.view(dataset, await this.requireVersion(dataset, version));
  }

  /** Newest first; `beforeVersion` pages backwards. */
  async listVersions(projectId: string, name: string, opts: { limit?: number; beforeVersion?: number } = {}): Promise<DatasetVersionView[]> {
    const dataset = await this.requireDataset(projectId, name);
    const rows = await this.catalog.datasets.listVersions(dataset.id, opts);
    const byNumber = new Map(rows.map((r) => [r.version, r]));
    return Promise.all(rows.map((r) => this.view(dataset, r, byNumber.get(r.version - 1))));
  }

  async profile(projectId: string, name: string, version: number): Promise<DatasetProfile> {
    const dataset = await this.requireDataset(projectId, name);
    return (await this.requireVersion(dataset, version)).profile as DatasetProfile;
  }

  /** The first `limit` rows (at most MAX_PREVIEW_ROWS) as JSON objects, read with the version's schema. */
  async preview(projectId: string, name: string, version: number, limit = 20): Promise<DatasetPreview> {
    const dataset = await this.requireDataset(projectId, name);
    const row = await this.requireVersion(dataset, version);
    const n = Math.max(0, Math.min(MAX_PREVIEW_ROWS, Math.floor(limit)));
    const path = await this.localCopy(row.id);
    const schema = row.schema as VersionSchema;
    const db = await DuckDbSession.open({ memoryLimitMb: 128, threads: 1, tempDirectory: this.duckdbTempDir });
    try {
      const rows = await db.firstJson(`SELECT * FROM ${datasetReaderSql(path, row.format, schema)} LIMIT ${n}`, n);
      // JSON-safe values keep BIGINT and DECIMAL as text; give numbers back where no precision is lost.
      const integers = schema.columns.filter((c) => c.type === 'integer').map((c) => c.name);
      const decimals = schema.columns.filter((c) => c.type === 'float').map((c) => c.name);
      for (const r of rows) {
        for (const c of integers) {
          const v = r[c];
          if (typeof v === 'string' && Number.isSafeInteger(Number(v))) r[c] = Number(v);
        }
        for (const c of decimals) {
          const v = r[c];
          if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) r[c] = Number(v);
        }
      }
      return { columns: schema.columns.map((c) => ({ name: c.name, type: c.type, duckdbType: c.duckdbType })), rows };
    } finally {
      db.close();
    }
  }

  /** The version's bytes, streamed from the artifact store. */
  async openContent(projectId: string, name: string, version: number): Promise<DatasetContent> {
    const dataset = await this.requireDataset(projectId, name);
    const row = await this.requireVersion(dataset, version);
    return {
      stream: await this.artifacts.get(row.artifactKey),
      sizeBytes: Number(row.sizeBytes),
      contentType: CONTENT_TYPE_OF[row.format],
      sha256: row.sha256,
      fileName: `${dataset.name}-v${row.version}.${EXTENSION_OF[row.format]}`,
    };
  }

  /**
   * A local file with the version's bytes, for DuckDB: cached by content hash under workDir/cache,
   * downloaded (and hash-checked) on first use. Do not modify or delete the file.
   */
  async localCopy(versionId: string): Promise<string> {
    const row = await this.catalog.datasets.findVersionById(versionId);
    if (!row) throw new DatasetError('ATL_DATASET_VERSION_NOT_FOUND', 404, `Dataset version '${versionId}' does not exist.`);
    const target = this.cachePath(row.sha256, row.format);
    const cached = await stat(target).catch(() => null);
    if (cached && cached.size === Number(row.sizeBytes)) return target;
    const inflight = this.inflightCopies.get(target);
    if (inflight) return inflight;
    const download = (async () => {
      await mkdir(this.cacheDir, { recursive: true });
      const spooled = await this.spool(await this.artifacts.get(row.artifactKey), row.format, { limit: Number.MAX_SAFE_INTEGER });
      if (spooled.sha256 !== row.sha256) {
        await rm(spooled.path, { force: true });
        throw new Error(`artifact ${row.artifactKey} has sha256 ${spooled.sha256}, but version ${row.id} records ${row.sha256}`);
      }
      await rename(spooled.path, target);
      return target;
    })().finally(() => this.inflightCopies.delete(target));
    this.inflightCopies.set(target, download);
    return download;
  }

  // ---- helpers ----

  private cachePath(sha256: string, format: DatasetFileFormat): string {
    return join(this.cacheDir, `${sha256}.${EXTENSION_OF[format]}`);
  }

  private async requireDataset(projectId: string, name: string): Promise<Dataset> {
    const dataset = await this.catalog.datasets.findByName(projectId, name);
    if (!dataset) throw DatasetErrors.datasetNotFound(name);
    return dataset;
  }

  private async requireVersion(dataset: Dataset, version: number): Promise<DatasetVersion> {
    const row = await this.catalog.datasets.findVersion(dataset.id, version);
    if (!row) throw DatasetErrors.versionNotFound(dataset.name, version);
    return row;
  }

  private async view(dataset: Dataset, row: DatasetVersion, previous?: DatasetVersion): Promise<DatasetVersionView> {
    const prev = previous ?? (row.version > 1 ? await this.catalog.datasets.findVersion(dataset.id, row.version - 1) : undefined);
    const schema = row.schema as VersionSchema;
    return {
      id: row.id,
      datasetId: dataset.id,
      dataset: dataset.name,
      version: row.version,
      format: row.format,
      contentType: CONTENT_TYPE_OF[row.format],
      sha256: row.sha256,
      sizeBytes: Number(row.sizeBytes),
      rowCount: Number(row.rowCount),
      schema,
      evolution: schemaEvolution(prev && { version: prev.version, schema: prev.schema as VersionSchema }, schema),
      lineage: row.lineage,
      createdAt: row.createdAt,
      createdBy: row.createdBy,
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toDatasetView(d: Dataset): Omit<DatasetView, 'latestVersion'> {
  return { id: d.id, name: d.name, description: d.description, createdAt: d.createdAt, createdBy: d.createdBy };
}

function isReadable(body: unknown): body is Readable {
  return typeof (body as Readable)?.on === 'function' && typeof (body as Readable)?.pause === 'function';
}

type Accepted = 'ok' | 'full' | DatasetError;

/**
 * Copies a readable (an HTTP request body) with backpressure. The source is never destroyed: when we stop
 * early (over the limit, a write error) it is left to drain into nothing, so a request stream never emits
 * an 'error' nobody handles, and the HTTP layer can still answer.
 */
function copyReadable(source: Readable, accept: (chunk: Uint8Array) => Accepted, out: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const stop = (err?: unknown) => {
      if (done) return;
      done = true;
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', stop);
      source.off('aborted', onAborted);
      source.off('close', onClose);
      out.off('drain', onDrain);
      out.off('error', stop);
      if (err) {
        source.on('error', () => {}); // a client that goes away later is no longer our concern
        source.resume(); // discard the rest
        reject(err);
      } else resolve();
    };
    const onData = (chunk: Uint8Array) => {
      const r = accept(chunk);
      if (r instanceof Error) stop(r);
      else if (r === 'full') source.pause();
    };
    const onDrain = () => source.resume();
    const onEnd = () => stop();
    const onAborted = () => stop(new Error('the client aborted the upload'));
    // A connection that closes without 'end' or 'aborted' must not leave the upload (and its spool file) waiting forever.
    const onClose = () => stop(new Error('the connection closed before the upload ended'));
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('error', stop);
    source.once('aborted', onAborted);
    source.once('close', onClose);
    out.on('drain', onDrain);
    out.once('error', stop);
    source.resume();
  });
}
