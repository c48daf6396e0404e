// A started job: its id, the last view seen, its events, and wait(), which follows the events to the
// end and answers the final job view, or throws ATL_JOB_FAILED / ATL_JOB_CANCELLED with the job's error.
import { jobEndedError } from './atelier-error.js';
import type { Core } from './core.js';
import { followJobEvents, type FollowOptions, type TrainingJobEvent } from './job-events.js';
import type { TrainingJobView } from './schemas.js';
import type { CallOptions } from './transport.js';
import { unwrap } from './core.js';

export interface WaitOptions {
  signal?: AbortSignal;
  /** Called with every event (state changes, per-epoch metrics, logs) as it arrives. */
  onEvent?: (event: TrainingJobEvent) => void;
}

/** The final job view plus what the job's terminal event announced. */
export type FinishedJob = TrainingJobView & {
  /** Train jobs: the model version it registered. */
  modelVersion?: number;
  /** Evaluation jobs: the evaluation row and the blessing gate's verdict. */
  evaluationId?: string;
  verdict?: string;
};

export class JobHandle {
  constructor(
    private readonly core: Core,
    readonly id: string,
    /** The job as last seen (refreshed by refresh() and wait()). */
    public job: TrainingJobView | undefined,
    private readonly project: string,
  ) {}

  events(opts: Omit<FollowOptions, 'project'> = {}): AsyncGenerator<TrainingJobEvent> {
    return followJobEvents(this.core, this.id, { ...opts, project: this.project });
  }

  async refresh(opts?: CallOptions): Promise<TrainingJobView> {
    this.job = await unwrap(this.core.raw.GET('/v1/projects/{project}/training-jobs/{id}', { params: { path: { project: this.project, id: this.id } }, ...this.core.init(opts) }));
    return this.job;
  }

  /** Follows the job to its end; the final view (with the version it registered) when it succeeded. */
  async wait(opts: WaitOptions = {}): Promise<FinishedJob> {
    let outcome: { modelVersion?: number; evaluationId?: string; verdict?: string } = {};
    for await (const event of this.events({ signal: opts.signal })) {
      if (event.type === 'state') {
        const { modelVersion, evaluationId, verdict } = event.data;
        outcome = { ...(modelVersion === undefined ? {} : { modelVersion }), ...(evaluationId === undefined ? {} : { evaluationId }), ...(verdict === undefined ? {} : { verdict }) };
      }
      opts.onEvent?.(event);
    }
    const job = await this.refresh({ signal: opts.signal });
    if (job.status === 'succeeded') return { ...job, ...outcome };
    throw jobEndedError('Job', `job ${job.id} (${job.modelName})`, job.status, job.error);
  }

  async cancel(opts?: CallOptions): Promise<TrainingJobView> {
    this.job = await unwrap(
      this.core.raw.POST('/v1/projects/{project}/training-jobs/{id}/cancel', { params: { path: { project: this.project, id: this.id } }, ...this.core.init(opts) }),
    );
    return this.job;
  }
}
