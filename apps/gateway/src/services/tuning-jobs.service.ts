// Tuning jobs' rules: the base spec passes every rule of a training job; the search space is sound
// (paths, bounds, log scales, conditions naming earlier parameters); trial specs drawn from it (every
// choice value, both ends of each range, and seeded random points) pass the training job schema and
// rules too — so a bad path or value is named at submit, not discovered by a failed trial; the
// objective fits the task. The study is stored queued with its defaults resolved and announced to the
// orchestrators' tuning controllers. Trials are training jobs (their own views); events replay from
// the study's log for SSE; cancel asks the controller to stop every trial.
import type { Catalog, Project, TrainingJob, TuningEvent, TuningJob } from '@atelier/catalog';
import {
  NOTIFY_CHANNELS,
  TRAINING_DEFAULTS,
  TrainingJobRequest,
  compileContract,
  defaultDirection,
  defaultObjectiveMetric,
  type ContractCheck,
  type ModelKind,
  type TuningJobRequest,
  type TuningJobSpec,
} from '@atelier/contracts';
import { applyParams, cannedTask, checkSearchSpace, Random, sampleParams, type SpaceParameter, type TrialParams } from '@atelier/engine';
import type { Principal } from '../auth/principal.js';
import { Errors, type FieldError } from '../errors.js';
import type { ProjectsService } from './projects.service.js';
import type { TrainingJobsService, TrainingJobView } from './training-jobs.service.js';

const TASK_OBJECTIVES: Record<string, string[]> = {
  binary: ['loss', 'auc', 'pr_auc', 'log_loss', 'accuracy', 'precision', 'recall', 'f1', 'brier', 'ece'],
  multiclass: ['loss', 'accuracy', 'log_loss', 'precision', 'recall', 'f1'],
  regression: ['loss', 'rmse', 'mse', 'mae', 'r2'],
  retrieval: ['loss'],
};

/** Random trial specs checked at submit, besides every choice value and both ends of every range. */
const RANDOM_PROBES = 8;

export interface TuningJobView {
  id: string;
  project: string;
  modelName: string;
  status: TuningJob['status'];
  spec: Record<string, unknown>;
  attempts: number;
  error: string | null;
  cancelRequestedAt: Date | null;
  bestTrial: number | null;
  bestObjective: number | null;
  modelVersionId: string | null;
  controller: string | null;
  trials: Record<string, number>;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface TrialView {
  trial: number;
  state: string;
  params: Record<string, unknown>;
  objective: number | null;
  /** ASHA: the highest rung passed, and why it was stopped. */
  rung: number;
  stop: Record<string, unknown> | null;
  job: TrainingJobView;
}

export class TuningJobsService {
  private readonly checkRequest: ContractCheck = compileContract(TrainingJobRequest);

  constructor(
    private readonly catalog: Catalog,
    private readonly projects: ProjectsService,
    private readonly trainingJobs: TrainingJobsService,
  ) {}

  async create(principal: Principal, projectName: string, body: TuningJobRequest): Promise<TuningJobView> {
    const project = await this.projects.get(principal, projectName, 'write');
    const errors: FieldError[] = [];
    const add = (field: string, message: string) => errors.push({ field: `/body${field}`, message });

    const base = await this.trainingJobs.validate(project, body.base);
    errors.push(...base.errors.map((e) => ({ field: e.field.replace(/^\/body/, '/body/base'), message: e.message })));

    const space = body.searchSpace as SpaceParameter[];
    for (const p of checkSearchSpace(space)) add(`/searchSpace/${p.index}/${p.field}`, p.message);
    space.forEach((p, i) => {
      if (['/modelName', '/data', '/priority', '/maxAttempts'].some((r) => p.path === r || p.path.startsWith(`${r}/`))) {
        add(`/searchSpace/${i}/path`, `'${p.path}' cannot be searched: every trial trains the same model on the same data`);
      }
    });

    const kind = body.base.model.kind as ModelKind;
    const task = cannedTask(kind, (body.base.model.hyperparameters ?? {}) as Record<string, unknown>);
    const metric = (body.objective?.metric ?? defaultObjectiveMetric(task)).replace(/^val_/, '');
    if (!(TASK_OBJECTIVES[task] ?? ['loss']).includes(metric)) add('/objective/metric', `must be one of ${(TASK_OBJECTIVES[task] ?? ['loss']).join(', ')} for a ${task} model`);
    const strategy = body.strategy ?? { kind: 'random' as const };
    if (strategy.kind === 'aging_evolution' && (strategy.sampleSize ?? 3) > (strategy.populationSize ?? 8)) add('/strategy/sampleSize', `must be at most populationSize (${strategy.populationSize ?? 8})`);
    const es = body.earlyStopping;
    if (es && es.maxEpochs !== undefined && es.minEpochs !== undefined && es.minEpochs >= es.maxEpochs) add('/earlyStopping/minEpochs', `must be below maxEpochs (${es.maxEpochs})`);

    // Trial specs drawn from the space must be training jobs the platform accepts.
    if (errors.length === 0) await this.probeTrials(project, body, space, errors);
    if (errors.length > 0) throw Errors.validation(errors);

    const { priority, maxAttempts, ...baseRest } = body.base;
    const spec: TuningJobSpec = {
      base: {
        type: 'train',
        ...baseRest,
        device: body.base.device ?? TRAINING_DEFAULTS.device,
        ...(base.version && { datasetVersionId: base.version.id }),
      },
      searchSpace: body.searchSpace,
      strategy,
      ...(es && { earlyStopping: es }),
      objective: { metric, direction: body.objective?.direction ?? defaultDirection(metric) },
      maxTrials: body.maxTrials,
      parallelism: body.parallelism ?? 1,
      seed: body.seed ?? 0,
    };
    void priority;
    void maxAttempts;
    const job = await this.catalog.transaction(async (tx) => {
      const created = await tx.tuningJobs.create({ projectId: project.id, modelName: body.base.modelName, spec: spec as unknown as Record<string, unknown>, createdBy: principal.keyId });
      await tx.tuningJobs.appendEvent(created.id, 'state', { status: 'queued' });
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'tuning_job.create',
        resourceType: 'tuning_job',
        resourceId: created.id,
        details: { modelName: body.base.modelName, kind, strategy: strategy.kind, maxTrials: body.maxTrials },
      });
      return created;
    });
    await this.catalog.notify(NOTIFY_CHANNELS.tuningJobs, job.id).catch(() => {});
    return this.view(job, project, {});
  }

  async list(principal: Principal, projectName: string, opts: { status?: TuningJob['status']; limit?: number; before?: string }): Promise<TuningJobView[]> {
    const project = await this.projects.get(principal, projectName, 'read');
    const jobs = await this.catalog.tuningJobs.list(project.id, opts);
    return Promise.all(jobs.map(async (j) => this.view(j, project, counts(await this.catalog.tuningJobs.trials(j.id)))));
  }

  async get(principal: Principal, projectName: string, id: string): Promise<TuningJobView> {
    const project = await this.projects.get(principal, projectName, 'read');
    const job = await this.find(project, id);
    return this.view(job, project, counts(await this.catalog.tuningJobs.trials(job.id)));
  }

  async trials(principal: Principal, projectName: string, id: string): Promise<TrialView[]> {
    const project = await this.projects.get(principal, projectName, 'read');
    const job = await this.find(project, id);
    const metric = String((job.spec as unknown as TuningJobSpec).objective.metric);
    return (await this.catalog.tuningJobs.trials(job.id)).map((t) => ({
      trial: t.trialIndex ?? -1,
      state: stateOf(t),
      params: t.trialParams ?? {},
      objective: objectiveOf(t, metric),
      rung: t.trialRung,
      stop: t.trialStop,
      job: this.trainingJobs.view(t, project),
    }));
  }

  async cancel(principal: Principal, projectName: string, id: string): Promise<TuningJobView> {
    const project = await this.projects.get(principal, projectName, 'write');
    const job = await this.find(project, id);
    const updated = await this.catalog.transaction(async (tx) => {
      const after = await tx.tuningJobs.requestCancel(job.id);
      if (job.status === 'queued' && after.status === 'cancelled') await tx.tuningJobs.appendEvent(job.id, 'state', { status: 'cancelled', error: 'cancelled by request' });
      if (job.status === 'queued' || job.status === 'running') {
        await tx.audit.record({ actorKeyId: principal.keyId, projectId: project.id, action: 'tuning_job.cancel', resourceType: 'tuning_job', resourceId: job.id, details: { status: job.status } });
      }
      return after;
    });
    if (updated.status === 'running') await this.catalog.notify(NOTIFY_CHANNELS.tuningJobs, job.id).catch(() => {});
    return this.view(updated, project, counts(await this.catalog.tuningJobs.trials(job.id)));
  }

  async eventSource(principal: Principal, projectName: string, id: string) {
    const project = await this.projects.get(principal, projectName, 'read');
    const job = await this.find(project, id);
    return {
      job,
      events: (afterId: number | undefined): Promise<TuningEvent[]> => this.catalog.tuningJobs.listEvents(job.id, { afterId, limit: 500 }),
      status: async (): Promise<TuningJob['status']> => (await this.catalog.tuningJobs.get(job.id)).status,
    };
  }

  private async find(project: Project, id: string): Promise<TuningJob> {
    const job = await this.catalog.tuningJobs.findById(id);
    if (!job || job.projectId !== project.id) {
      throw Errors.notFound('ATL_TUNING_JOB_NOT_FOUND', `Tuning job ${id} does not exist in project '${project.name}'. List them with GET /v1/projects/${project.name}/tuning-jobs.`);
    }
    return job;
  }

  private view(job: TuningJob, project: Project, trials: Record<string, number>): TuningJobView {
    return {
      id: job.id,
      project: project.name,
      modelName: job.modelName,
      status: job.status,
      spec: job.spec,
      attempts: job.attempts,
      error: job.error,
      cancelRequestedAt: job.cancelRequestedAt,
      bestTrial: job.bestTrialIndex,
      bestObjective: job.bestObjective,
      modelVersionId: job.modelVersionId,
      controller: job.status === 'running' ? job.leaseOwner : null,
      trials,
      createdAt: job.createdAt,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
      updatedAt: job.updatedAt,
    };
  }

  /**
   * The points a study could train, checked as training jobs: each choice value and each range end
   * (with the other parameters at a random point, the conditions that make it active satisfied where
   * they can be), then seeded random points. The first problem of each parameter is named at
   * `/body/searchSpace/<i>` with the trial field that failed.
   */
  private async probeTrials(project: Project, body: TuningJobRequest, space: SpaceParameter[], errors: FieldError[]): Promise<void> {
    const rng = new Random(body.seed ?? 0);
    const probes: Array<{ params: TrialParams; focus?: number }> = [];
    space.forEach((p, i) => {
      const values = p.type === 'choice' ? p.values : [p.min, p.max];
      for (const v of values) {
        const params = sampleParams(space, rng);
        // Make the parameter active: set what its condition needs (first allowed value).
        if (p.when) params[p.when.path] = p.when.in[0];
        params[p.path] = v;
        probes.push({ params: resolveActive(space, params), focus: i });
      }
    });
    for (let k = 0; k < RANDOM_PROBES; k++) probes.push({ params: sampleParams(space, rng) });
    const named = new Set<number>();
    for (const probe of probes.slice(0, 200)) {
      const spec = applyParams(body.base as unknown as Record<string, unknown>, probe.params);
      const schemaErrors = this.checkRequest(spec);
      const problems = schemaErrors.length > 0 ? schemaErrors.map((e) => ({ field: e.field, message: e.message })) : (await this.trainingJobs.validate(project, spec as unknown as TuningJobRequest['base'])).errors.map((e) => ({ field: e.field.replace(/^\/body/, ''), message: e.message }));
      if (problems.length === 0) continue;
      // Blame the parameter whose path the problem is under (else the probe's focus, else the first searched).
      for (const pr of problems) {
        const idx = space.findIndex((p) => pr.field === p.path || pr.field.startsWith(`${p.path}/`) || p.path.startsWith(`${pr.field}/`));
        const at = idx >= 0 ? idx : (probe.focus ?? 0);
        if (named.has(at)) continue;
        named.add(at);
        // The blamed parameter may be inactive in this trial (its base value stays): name what made the trial.
        const cond = space[at].when;
        const shown = space[at].path in probe.params ? at : cond && cond.path in probe.params ? space.findIndex((p) => p.path === cond.path) : (probe.focus ?? at);
        const value = space[shown].path in probe.params ? JSON.stringify(probe.params[space[shown].path]) : "(inactive: the base spec's value)";
        errors.push({ field: `/body/searchSpace/${at}`, message: `a trial with ${space[shown].path} = ${value} would be refused: ${pr.field} ${pr.message}` });
      }
    }
  }
}

/** Keep only the parameters active under the (possibly overridden) values, in order. */
function resolveActive(space: SpaceParameter[], params: TrialParams): TrialParams {
  const out: TrialParams = {};
  for (const p of space) {
    const active = !p.when || (p.when.path in out && p.when.in.some((x) => JSON.stringify(x) === JSON.stringify(out[p.when!.path])));
    if (active && p.path in params) out[p.path] = params[p.path];
  }
  return out;
}

function stateOf(t: TrainingJob): string {
  return t.trialStop && ['succeeded', 'failed', 'cancelled'].includes(t.status) ? 'stopped' : t.status;
}

function objectiveOf(t: TrainingJob, metric: string): number | null {
  if (t.status !== 'succeeded') return null;
  const v = ((t.metrics.validation ?? {}) as Record<string, unknown>)[`val_${metric}`] ?? ((t.metrics.test ?? {}) as Record<string, unknown>)[metric];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function counts(trials: TrainingJob[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of trials) out[stateOf(t)] = (out[stateOf(t)] ?? 0) + 1;
  return out;
}
