// Datasets and their versions: create, list, upload (streamed, with progress), profile, preview, download.
import { AtelierError, isAtelierError } from '../atelier-error.js';
import { type Core, unwrap } from '../core.js';
import { pagedByLastItem, type Paged } from '../paging.js';
import type { CreateDatasetBody, DatasetProfileView, DatasetVersionView, DatasetView, DeclaredSchemaBody, PreviewView, UploadResultView } from '../schemas.js';
import type { CallOptions } from '../transport.js';
import { CONTENT_TYPES, type DatasetFormat, prepareUploadBody, type UploadProgress, type UploadSource } from '../upload-body.js';
import type { ListOptions } from './projects.resource.js';

export interface UploadOptions extends CallOptions {
  /** csv | jsonl | parquet; a file source brings its own (from the extension); otherwise csv. */
  format?: DatasetFormat;
  /** Create the dataset first when it does not exist (default true). */
  createIfMissing?: boolean;
  /** Declared column types and constraints, checked on upload. */
  schema?: DeclaredSchemaBody;
  onProgress?: (progress: UploadProgress) => void;
}

export class DatasetsResource {
  constructor(private readonly core: Core) {}

  async create(name: string | CreateDatasetBody, opts?: CallOptions): Promise<DatasetView> {
    const body = typeof name === 'string' ? { name } : name;
    return unwrap(this.core.raw.POST('/v1/projects/{project}/datasets', { params: { path: { project: this.core.project(opts) } }, body, ...this.core.init(opts) }));
  }

  list(opts?: ListOptions): Paged<DatasetView> {
    const project = () => this.core.project(opts);
    return pagedByLastItem<DatasetView, string>(
      opts?.pageSize ?? 100,
      async (after, limit) =>
        (await unwrap(this.core.raw.GET('/v1/projects/{project}/datasets', { params: { path: { project: project() }, query: { limit, after } }, ...this.core.init(opts) }))).items,
      (last) => last.name,
    );
  }

  async get(name: string, opts?: CallOptions): Promise<DatasetView> {
    return unwrap(this.core.raw.GET('/v1/projects/{project}/datasets/{name}', { params: { path: { project: this.core.project(opts), name } }, ...this.core.init(opts) }));
  }

  /** Versions, newest first. */
  versions(name: string, opts?: ListOptions): Paged<DatasetVersionView> {
    const project = () => this.core.project(opts);
    return pagedByLastItem<DatasetVersionView, number>(
      opts?.pageSize ?? 100,
      async (beforeVersion, limit) =>
        (
          await unwrap(
            this.core.raw.GET('/v1/projects/{project}/datasets/{name}/versions', { params: { path: { project: project(), name }, query: { limit, beforeVersion } }, ...this.core.init(opts) }),
          )
        ).items,
      (last) => last.version,
    );
  }

  async version(name: string, version: number, opts?: CallOptions): Promise<DatasetVersionView> {
    return unwrap(
      this.core.raw.GET('/v1/projects/{project}/datasets/{name}/versions/{version}', { params: { path: { project: this.core.project(opts), name, version } }, ...this.core.init(opts) }),
    );
  }

  async profile(name: string, version: number, opts?: CallOptions): Promise<DatasetProfileView> {
    return unwrap(
      this.core.raw.GET('/v1/projects/{project}/datasets/{name}/versions/{version}/profile', {
        params: { path: { project: this.core.project(opts), name, version } },
        ...this.core.init(opts),
      }),
    );
  }

  async preview(name: string, version: number, query?: { limit?: number }, opts?: CallOptions): Promise<PreviewView> {
    return unwrap(
      this.core.raw.GET('/v1/projects/{project}/datasets/{name}/versions/{version}/preview', {
        params: { path: { project: this.core.project(opts), name, version }, query: { limit: query?.limit } },
        ...this.core.init(opts),
      }),
    );
  }

  /** The version's bytes as stored (CSV, JSONL or Parquet), as a stream. */
  async download(name: string, version: number, opts?: CallOptions): Promise<ReadableStream<Uint8Array>> {
    const data = await unwrap(
      this.core.raw.GET('/v1/projects/{project}/datasets/{name}/versions/{version}/content', {
        params: { path: { project: this.core.project(opts), name, version } },
        parseAs: 'stream',
        ...this.core.init({ ...opts, streamResponse: true }),
      }),
    );
    return data as unknown as ReadableStream<Uint8Array>;
  }

  /**
   * Uploads a new version: the body is streamed (Node) with progress callbacks; answers the version with
   * its schema, row count and evolution. An identical upload answers the existing version (`duplicateOf`).
   * No deadline unless `timeoutMs` is passed (not the client's default).
   */
  async upload(name: string, source: UploadSource, opts: UploadOptions = {}): Promise<UploadResultView> {
    const project = this.core.project(opts);
    if (opts.createIfMissing !== false) await this.#ensure(name, opts);
    const prepared = await prepareUploadBody(source, opts.onProgress);
    const format = opts.format ?? prepared.format ?? 'csv';
    if (!(format in CONTENT_TYPES)) {
      throw new AtelierError({ status: 0, code: 'ATL_VALIDATION_FAILED', title: 'Bad upload', detail: `format must be csv, jsonl or parquet, not ${format}`, errors: [{ field: 'format', message: 'csv | jsonl | parquet' }] });
    }
    const result = await unwrap(
      this.core.raw.POST('/v1/projects/{project}/datasets/{name}/versions', {
        params: { path: { project, name }, query: { schema: opts.schema === undefined ? undefined : JSON.stringify(opts.schema) } },
        body: prepared.body as never,
        bodySerializer: (body: unknown) => body as never,
        headers: { 'content-type': CONTENT_TYPES[format] },
        ...(prepared.streamed ? { duplex: 'half' } : {}),
        // A big file takes as long as it takes: no default deadline unless the call sets one.
        ...this.core.init({ ...opts, timeoutMs: opts.timeoutMs ?? 0, streamedBody: prepared.streamed }),
      }),
    );
    prepared.finish();
    return result;
  }

  async #ensure(name: string, opts: CallOptions): Promise<void> {
    try {
      await this.get(name, opts);
    } catch (err) {
      if (!isAtelierError(err, 'ATL_DATASET_NOT_FOUND')) throw err;
      try {
        await this.create(name, opts);
      } catch (createErr) {
        // Someone else created it in between: fine.
        if (!(isAtelierError(createErr) && createErr.status === 409)) throw createErr;
      }
    }
  }
}
