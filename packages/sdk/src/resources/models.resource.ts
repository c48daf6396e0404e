// Models, versions, evaluations and aliases (promotion through the blessing gate).
import { type Core, unwrap } from '../core.js';
import { BatchPredictionHandle } from '../batch-prediction-handle.js';
import { JobHandle } from '../job-handle.js';
import { paged, pagedByLastItem, type Paged } from '../paging.js';
import type { AliasView, BatchPredictionRequest, BatchPredictionView, EvaluationRequestBody, EvaluationView, ModelBody, ModelView, RecentPredictionView, VersionView } from '../schemas.js';
import type { CallOptions } from '../transport.js';
import type { ListOptions } from './projects.resource.js';

export interface PromoteOptions extends CallOptions {
  /** Also refuse a version with no completed evaluation (a rejected one is always refused). */
  requireBlessing?: boolean;
}

export class ModelsResource {
  constructor(private readonly core: Core) {}

  async create(body: ModelBody, opts?: CallOptions): Promise<ModelView> {
    return unwrap(this.core.raw.POST('/v1/projects/{project}/models', { params: { path: { project: this.core.project(opts) } }, body, ...this.core.init(opts) }));
  }

  list(opts?: ListOptions): Paged<ModelView> {
    const project = () => this.core.project(opts);
    return paged<ModelView, string>(async (after) => {
      const page = await unwrap(this.core.raw.GET('/v1/projects/{project}/models', { params: { path: { project: project() }, query: { limit: opts?.pageSize, after } }, ...this.core.init(opts) }));
      return { items: page.items, next: page.next };
    });
  }

  async get(name: string, opts?: CallOptions): Promise<ModelView> {
    return unwrap(this.core.raw.GET('/v1/projects/{project}/models/{name}', { params: { path: { project: this.core.project(opts), name } }, ...this.core.init(opts) }));
  }

  /** Versions, newest first. */
  versions(name: string, opts?: ListOptions): Paged<VersionView> {
    const project = () => this.core.project(opts);
    return paged<VersionView, number>(async (before) => {
      const page = await unwrap(
        this.core.raw.GET('/v1/projects/{project}/models/{name}/versions', { params: { path: { project: project(), name }, query: { limit: opts?.pageSize, before } }, ...this.core.init(opts) }),
      );
      return { items: page.items, next: page.next };
    });
  }

  async version(name: string, version: number, opts?: CallOptions): Promise<VersionView> {
    return unwrap(
      this.core.raw.GET('/v1/projects/{project}/models/{name}/versions/{version}', { params: { path: { project: this.core.project(opts), name, version } }, ...this.core.init(opts) }),
    );
  }

  /** The version's evaluations, newest first. */
  async evaluations(name: string, version: number, opts?: CallOptions): Promise<EvaluationView[]> {
    const list = await unwrap(
      this.core.raw.GET('/v1/projects/{project}/models/{name}/versions/{version}/evaluations', {
        params: { path: { project: this.core.project(opts), name, version } },
        ...this.core.init(opts),
      }),
    );
    return list.items;
  }

  /** Queues an evaluation job; `.wait()` on the handle, then evaluations() or evaluation(id) has the result. */
  async evaluate(name: string, version: number, spec: EvaluationRequestBody, opts?: CallOptions): Promise<JobHandle> {
    const project = this.core.project(opts);
    const queued = await unwrap(
      this.core.raw.POST('/v1/projects/{project}/models/{name}/versions/{version}/evaluations', { params: { path: { project, name, version } }, body: spec, ...this.core.init(opts) }),
    );
    return new JobHandle(this.core, queued.jobId, undefined, project);
  }

  async evaluation(id: string, opts?: CallOptions): Promise<EvaluationView> {
    return unwrap(
      this.core.raw.GET('/v1/projects/{project}/evaluations/{evaluationId}', { params: { path: { project: this.core.project(opts), evaluationId: id } }, ...this.core.init(opts) }),
    );
  }

  /**
   * Scores a dataset version offline with a version (or alias) of the model; the predictions become the
   * next version of `spec.output.dataset`. `await atl.models.batchPredict('churn', spec).wait()` runs it
   * to the end and answers the final view (`output.version`).
   */
  batchPredict(name: string, spec: BatchPredictionRequest, opts?: CallOptions): Promise<BatchPredictionHandle> & { wait: BatchPredictionHandle['wait'] } {
    const project = this.core.project(opts);
    const started = (async () => {
      const job = await unwrap(
        this.core.raw.POST('/v1/projects/{project}/models/{name}/batch-predictions', { params: { path: { project, name } }, body: spec, ...this.core.init(opts) }),
      );
      return new BatchPredictionHandle(this.core, name, job.id, job, project);
    })();
    return Object.assign(started, { wait: async (waitOpts?: Parameters<BatchPredictionHandle['wait']>[0]) => (await started).wait(waitOpts) });
  }

  /** A handle on an existing batch prediction (no request until you use it). */
  batchPredictionHandle(name: string, id: string, opts?: CallOptions): BatchPredictionHandle {
    return new BatchPredictionHandle(this.core, name, id, undefined, this.core.project(opts));
  }

  async batchPrediction(name: string, id: string, opts?: CallOptions): Promise<BatchPredictionView> {
    return this.batchPredictionHandle(name, id, opts).refresh(opts);
  }

  /** The model's batch predictions, newest first, optionally of one status. */
  batchPredictions(name: string, query?: { status?: BatchPredictionView['status'] }, opts?: ListOptions): Paged<BatchPredictionView> {
    const project = () => this.core.project(opts);
    return pagedByLastItem<BatchPredictionView, string>(
      opts?.pageSize ?? 50,
      async (before, limit) =>
        (
          await unwrap(
            this.core.raw.GET('/v1/projects/{project}/models/{name}/batch-predictions', {
              params: { path: { project: project(), name }, query: { status: query?.status, limit, before } },
              ...this.core.init(opts),
            }),
          )
        ).items,
      (last) => last.id,
    );
  }

  /**
   * The model's newest sampled predict requests from the prediction log, newest first (`limit` ≤ 200,
   * default 50): inputs, outputs, version, deployment, latency. Only what the serving nodes sampled and flushed.
   */
  async recentPredictions(name: string, query?: { limit?: number }, opts?: CallOptions): Promise<RecentPredictionView[]> {
    const page = await unwrap(
      this.core.raw.GET('/v1/projects/{project}/models/{name}/predictions', { params: { path: { project: this.core.project(opts), name }, query: { limit: query?.limit } }, ...this.core.init(opts) }),
    );
    return page.items;
  }

  async aliases(name: string, opts?: CallOptions): Promise<AliasView[]> {
    const list = await unwrap(this.core.raw.GET('/v1/projects/{project}/models/{name}/aliases', { params: { path: { project: this.core.project(opts), name } }, ...this.core.init(opts) }));
    return list.items;
  }

  async alias(name: string, alias: string, opts?: CallOptions): Promise<AliasView> {
    return unwrap(this.core.raw.GET('/v1/projects/{project}/models/{name}/aliases/{alias}', { params: { path: { project: this.core.project(opts), name, alias } }, ...this.core.init(opts) }));
  }

  /**
   * Points `alias` at `version` (PUT, so it retries safely). The blessing gate may refuse: that throws an
   * AtelierError with code ATL_GATE_REJECTED whose `detail` carries the verdict.
   */
  async promote(name: string, version: number, alias: string, opts?: PromoteOptions): Promise<AliasView> {
    return unwrap(
      this.core.raw.PUT('/v1/projects/{project}/models/{name}/aliases/{alias}', {
        params: { path: { project: this.core.project(opts), name, alias } },
        body: { version, ...(opts?.requireBlessing === undefined ? {} : { requireBlessing: opts.requireBlessing }) },
        ...this.core.init(opts),
      }),
    );
  }

  async deleteAlias(name: string, alias: string, opts?: CallOptions): Promise<void> {
    await unwrap(this.core.raw.DELETE('/v1/projects/{project}/models/{name}/aliases/{alias}', { params: { path: { project: this.core.project(opts), name, alias } }, ...this.core.init(opts) }));
  }

  /** The version's bundle (ONNX or Atelier bundle bytes) as a stream. */
  async downloadBundle(name: string, version: number, opts?: CallOptions): Promise<ReadableStream<Uint8Array>> {
    const data = await unwrap(
      this.core.raw.GET('/v1/projects/{project}/models/{name}/versions/{version}/bundle', {
        params: { path: { project: this.core.project(opts), name, version } },
        parseAs: 'stream',
        ...this.core.init({ ...opts, streamResponse: true }),
      }),
    );
    return data as unknown as ReadableStream<Uint8Array>;
  }
}
