// Training jobs: start one (a JobHandle to follow or wait on), list, get, cancel, follow events.
import { type Core, unwrap } from '../core.js';
import { followJobEvents, type FollowOptions, type TrainingJobEvent } from '../job-events.js';
import { JobHandle } from '../job-handle.js';
import { pagedByLastItem, type Paged } from '../paging.js';
import type { TrainingJobRequest, TrainingJobStatus, TrainingJobView } from '../schemas.js';
import type { CallOptions } from '../transport.js';
import type { ListOptions } from './projects.resource.js';

export class JobsResource {
  constructor(private readonly core: Core) {}

  /** Queues a training job; `await atl.jobs.create(spec).then((job) => job.wait())` trains to the end. */
  async create(spec: TrainingJobRequest, opts?: CallOptions): Promise<JobHandle> {
    const project = this.core.project(opts);
    const job = await unwrap(this.core.raw.POST('/v1/projects/{project}/training-jobs', { params: { path: { project } }, body: spec, ...this.core.init(opts) }));
    return new JobHandle(this.core, job.id, job, project);
  }

  /**
   * Same as create(), with `.wait()` callable on the promise itself: `await atl.jobs.train(spec).wait()`.
   */
  train(spec: TrainingJobRequest, opts?: CallOptions): Promise<JobHandle> & { wait: JobHandle['wait'] } {
    const started = this.create(spec, opts);
    return Object.assign(started, { wait: async (waitOpts?: Parameters<JobHandle['wait']>[0]) => (await started).wait(waitOpts) });
  }

  /** A handle on an existing job (no request until you use it). */
  handle(id: string, opts?: CallOptions): JobHandle {
    return new JobHandle(this.core, id, undefined, this.core.project(opts));
  }

  async get(id: string, opts?: CallOptions): Promise<TrainingJobView> {
    return unwrap(this.core.raw.GET('/v1/projects/{project}/training-jobs/{id}', { params: { path: { project: this.core.project(opts), id } }, ...this.core.init(opts) }));
  }

  /** Jobs, newest first, optionally of one status. */
  list(query?: { status?: TrainingJobStatus }, opts?: ListOptions): Paged<TrainingJobView> {
    const project = () => this.core.project(opts);
    return pagedByLastItem<TrainingJobView, string>(
      opts?.pageSize ?? 50,
      async (before, limit) =>
        (
          await unwrap(
            this.core.raw.GET('/v1/projects/{project}/training-jobs', { params: { path: { project: project() }, query: { status: query?.status, limit, before } }, ...this.core.init(opts) }),
          )
        ).items,
      (last) => last.id,
    );
  }

  async cancel(id: string, opts?: CallOptions): Promise<TrainingJobView> {
    return unwrap(this.core.raw.POST('/v1/projects/{project}/training-jobs/{id}/cancel', { params: { path: { project: this.core.project(opts), id } }, ...this.core.init(opts) }));
  }

  /** State changes, per-epoch metrics and log lines until the job ends; resumes after dropped connections. */
  events(id: string, opts?: FollowOptions): AsyncGenerator<TrainingJobEvent> {
    return followJobEvents(this.core, id, opts);
  }
}
