// A started batch prediction: its id, the last view seen, its events, and wait(), which follows the
// events to the end and answers the final view (with the dataset version it wrote), or throws
// ATL_JOB_FAILED / ATL_JOB_CANCELLED with the job's error.
import { jobEndedError } from './atelier-error.js';
import { type Core, unwrap } from './core.js';
import { followJobEvents, type FollowOptions, type TrainingJobEvent } from './job-events.js';
import type { WaitOptions } from './job-handle.js';
import type { BatchPredictionView } from './schemas.js';
import type { CallOptions } from './transport.js';

export class BatchPredictionHandle {
  constructor(
    private readonly core: Core,
    /** The model scoring. */
    readonly model: string,
    readonly id: string,
    /** The job as last seen (refreshed by refresh() and wait()). */
    public job: BatchPredictionView | undefined,
    private readonly project: string,
  ) {}

  events(opts: Omit<FollowOptions, 'project' | 'batchPredictionOf'> = {}): AsyncGenerator<TrainingJobEvent> {
    return followJobEvents(this.core, this.id, { ...opts, project: this.project, batchPredictionOf: this.model });
  }

  async refresh(opts?: CallOptions): Promise<BatchPredictionView> {
    this.job = await unwrap(
      this.core.raw.GET('/v1/projects/{project}/models/{name}/batch-predictions/{id}', {
        params: { path: { project: this.project, name: this.model, id: this.id } },
        ...this.core.init(opts),
      }),
    );
    return this.job;
  }

  /** Follows the job to its end; the final view (output.version: the dataset version written) when it succeeded. */
  async wait(opts: WaitOptions = {}): Promise<BatchPredictionView> {
    for await (const event of this.events({ signal: opts.signal })) opts.onEvent?.(event);
    const job = await this.refresh({ signal: opts.signal });
    if (job.status === 'succeeded') return job;
    throw jobEndedError('Job', `batch prediction ${job.id} (${job.model} v${job.modelVersion})`, job.status, job.error);
  }

  async cancel(opts?: CallOptions): Promise<BatchPredictionView> {
    this.job = await unwrap(
      this.core.raw.POST('/v1/projects/{project}/models/{name}/batch-predictions/{id}/cancel', {
        params: { path: { project: this.project, name: this.model, id: this.id } },
        ...this.core.init(opts),
      }),
    );
    return this.job;
  }
}
