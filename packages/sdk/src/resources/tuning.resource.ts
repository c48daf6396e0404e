// Tuning jobs: start a study (a TuningHandle to follow or wait on), list, get, trials, cancel, events.
// `await atl.tuning.run(spec).wait()` runs the search to its end and answers the final study view
// (bestTrial, bestObjective, and the model version the best trial was registered as).
import { jobEndedError } from '../atelier-error.js';
import { type Core, unwrap } from '../core.js';
import { followTuningEvents, type FollowOptions, type TuningJobEvent } from '../job-events.js';
import { pagedByLastItem, type Paged } from '../paging.js';
import type { TrialView, TuningJobRequest, TuningJobView } from '../schemas.js';
import type { CallOptions } from '../transport.js';
import type { ListOptions } from './projects.resource.js';

export interface TuningWaitOptions {
  signal?: AbortSignal;
  /** Called with every event (study state, trials, population, best so far, logs) as it arrives. */
  onEvent?: (event: TuningJobEvent) => void;
}

export class TuningHandle {
  constructor(
    private readonly core: Core,
    readonly id: string,
    /** The study as last seen. */
    public job: TuningJobView | undefined,
    private readonly project: string,
  ) {}

  events(opts: Omit<FollowOptions, 'project' | 'resource'> = {}): AsyncGenerator<TuningJobEvent> {
    return followTuningEvents(this.core, this.id, { ...opts, project: this.project });
  }

  async refresh(opts?: CallOptions): Promise<TuningJobView> {
    this.job = await unwrap(this.core.raw.GET('/v1/projects/{project}/tuning-jobs/{id}', { params: { path: { project: this.project, id: this.id } }, ...this.core.init(opts) }));
    return this.job;
  }

  async trials(opts?: CallOptions): Promise<TrialView[]> {
    return (await unwrap(this.core.raw.GET('/v1/projects/{project}/tuning-jobs/{id}/trials', { params: { path: { project: this.project, id: this.id } }, ...this.core.init(opts) }))).items;
  }

  /** Follows the study to its end; the final view when it succeeded, else ATL_JOB_FAILED / ATL_JOB_CANCELLED. */
  async wait(opts: TuningWaitOptions = {}): Promise<TuningJobView> {
    for await (const event of this.events({ signal: opts.signal })) opts.onEvent?.(event);
    const job = await this.refresh({ signal: opts.signal });
    if (job.status === 'succeeded') return job;
    throw jobEndedError('Tuning job', `tuning job ${job.id} (${job.modelName})`, job.status, job.error);
  }

  async cancel(opts?: CallOptions): Promise<TuningJobView> {
    this.job = await unwrap(this.core.raw.POST('/v1/projects/{project}/tuning-jobs/{id}/cancel', { params: { path: { project: this.project, id: this.id } }, ...this.core.init(opts) }));
    return this.job;
  }
}

export class TuningResource {
  constructor(private readonly core: Core) {}

  /** Queues a study; the handle follows it. */
  async create(spec: TuningJobRequest, opts?: CallOptions): Promise<TuningHandle> {
    const project = this.core.project(opts);
    const job = await unwrap(this.core.raw.POST('/v1/projects/{project}/tuning-jobs', { params: { path: { project } }, body: spec, ...this.core.init(opts) }));
    return new TuningHandle(this.core, job.id, job, project);
  }

  /** Same as create(), with `.wait()` callable on the promise itself: `await atl.tuning.run(spec).wait()`. */
  run(spec: TuningJobRequest, opts?: CallOptions): Promise<TuningHandle> & { wait: TuningHandle['wait'] } {
    const started = this.create(spec, opts);
    return Object.assign(started, { wait: async (waitOpts?: TuningWaitOptions) => (await started).wait(waitOpts) });
  }

  handle(id: string, opts?: CallOptions): TuningHandle {
    return new TuningHandle(this.core, id, undefined, this.core.project(opts));
  }

  async get(id: string, opts?: CallOptions): Promise<TuningJobView> {
    return unwrap(this.core.raw.GET('/v1/projects/{project}/tuning-jobs/{id}', { params: { path: { project: this.core.project(opts), id } }, ...this.core.init(opts) }));
  }

  async trials(id: string, opts?: CallOptions): Promise<TrialView[]> {
    return this.handle(id, opts).trials(opts);
  }

  /** Studies, newest first, optionally of one status. */
  list(query?: { status?: TuningJobView['status'] }, opts?: ListOptions): Paged<TuningJobView> {
    const project = () => this.core.project(opts);
    return pagedByLastItem<TuningJobView, string>(
      opts?.pageSize ?? 50,
      async (before, limit) =>
        (await unwrap(this.core.raw.GET('/v1/projects/{project}/tuning-jobs', { params: { path: { project: project() }, query: { status: query?.status, limit, before } }, ...this.core.init(opts) }))).items,
      (last) => last.id,
    );
  }

  async cancel(id: string, opts?: CallOptions): Promise<TuningJobView> {
    return this.handle(id, opts).cancel(opts);
  }

  events(id: string, opts?: Omit<FollowOptions, 'resource'>): AsyncGenerator<TuningJobEvent> {
    return followTuningEvents(this.core, id, opts);
  }
}
