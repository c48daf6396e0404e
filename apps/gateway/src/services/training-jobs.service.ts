// Training jobs' rules: a spec is checked against its model kind's hyperparameters and the dataset
// version's stored schema (every bad field named at once), stored as a queued job (with an audit entry
// and a waiting reason when it cannot be placed yet), announced to workers over NOTIFY; cancel asks the
// worker to stop; events replay from the job's event log for SSE. Every spec error that can be known
// before data is read is a 400 here: the model is built on paper (the engine's buildModelSpec over the
// layout the features will have) so a kind that cannot build, or a model over the size cap, is refused
// at submit instead of failing on a worker.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Catalog, DatasetVersion, JobEvent, Project, TrainingJob } from '@atelier/catalog';
import { featureTransform, HYPERPARAMETERS_BY_KIND, MODEL_KINDS, NOTIFY_CHANNELS, TRAINING_DEFAULTS, type ModelKind, type TrainingJobRequest, type TrainingTask, type TrainJobSpec } from '@atelier/contracts';
import { buildModelSpec, cannedTask, cardinalityBound, countParameters, layoutOf, ModelSetupError, needsTrainingValues, type FeatureSpec } from '@atelier/engine';
import type { Principal } from '../auth/principal.js';
import { Errors, type FieldError } from '../errors.js';
import { cancelJob } from './job-cancel.js';
import type { ProjectsService } from './projects.service.js';

/** Workers heard from within this window count as live when placing a gpu job. */
const LIVE_WORKER_MS = 30_000;

export const NO_GPU_WORKER_REASON =
  'no GPU worker is online; the job stays queued until one registers (start an orchestrator with ATELIER_WORKER_GPUS ≥ 1), or resubmit with device cpu or auto';

const TASK_METRICS: Record<TrainingTask, string[]> = {
  binary: ['auc', 'pr_auc', 'log_loss', 'accuracy', 'precision', 'recall', 'f1', 'brier', 'ece'],
  multiclass: ['accuracy', 'log_loss', 'precision', 'recall', 'f1'],
  regression: ['rmse', 'mse', 'mae', 'r2'],
  retrieval: [],
};

interface StoredColumn {
  name: string;
  type: string;
}

export interface TrainingJobView {
  id: string;
  project: string;
  type: string;
  modelName: string;
  status: TrainingJob['status'];
  device: string;
  spec: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  waitingReason: string | null;
  error: string | null;
  cancelRequestedAt: Date | null;
  checkpointEpoch: number | null;
  metrics: Record<string, unknown>;
  modelVersionId: string | null;
  worker: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
  /** A trial of a tuning job: the study and the trial's index in it (null otherwise). */
  tuningJobId: string | null;
  trial: number | null;
}

export interface TrainingJobsLimits {
  /** ATELIER_MAX_MODEL_PARAMETERS (gateway config): the largest model a job may build. */
  maxModelParameters: number;
}

interface ProfiledColumn {
  name: string;
  /** Non-null values. */
  count?: number;
  approxDistinct?: number;
}

function ajvFieldErrors(prefix: string, errors: ErrorObject[] | null | undefined): FieldError[] {
  return (errors ?? []).map((e) => {
    const p = e.params as Record<string, unknown>;
    let field = `${prefix}${e.instancePath}`;
    let message = e.message ?? 'is invalid';
    if (p.additionalProperty) {
      field += `/${String(p.additionalProperty)}`;
      message = 'is not a known field for this model kind';
    } else if (p.missingProperty) {
      field += `/${String(p.missingProperty)}`;
      message = 'is required';
    } else if (p.allowedValues) {
      message = `must be one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    }
    return { field, message };
  });
}

export class TrainingJobsService {
  private readonly hyperValidators: Record<ModelKind, ValidateFunction>;

  constructor(
    private readonly catalog: Catalog,
    private readonly projects: ProjectsService,
    private readonly limits: TrainingJobsLimits,
  ) {
    const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false });
    this.hyperValidators = Object.fromEntries(MODEL_KINDS.map((k) => [k, ajv.compile(HYPERPARAMETERS_BY_KIND[k])])) as Record<ModelKind, ValidateFunction>;
  }

  async create(principal: Principal, projectName: string, body: TrainingJobRequest): Promise<TrainingJobView> {
    const project = await this.projects.get(principal, projectName, 'write');
    const { errors, version } = await this.validate(project, body);
    if (errors.length > 0) throw Errors.validation(errors);
    const datasetVersionId = version?.id;

    const device = body.device ?? TRAINING_DEFAULTS.device;
    let waitingReason: string | null = null;
    if (device === 'gpu') {
      const workers = await this.catalog.trainingJobs.listLiveWorkers(LIVE_WORKER_MS);
      if (!workers.some((w) => (w.capabilities.gpus ?? 0) > 0)) waitingReason = NO_GPU_WORKER_REASON;
    }
    const { priority, maxAttempts, ...rest } = body;
    // The stored spec is the contracts' TrainJobSpec: the orchestrator checks it with the same schema.
    const spec: TrainJobSpec = { type: 'train', ...rest, device, datasetVersionId };
    const job = await this.catalog.transaction(async (tx) => {
      const created = await tx.trainingJobs.create({
        projectId: project.id,
        modelName: body.modelName,
        spec,
        device,
        ...(priority !== undefined && { priority }),
        ...(maxAttempts !== undefined && { maxAttempts }),
        createdBy: principal.keyId,
      });
      if (waitingReason) await tx.trainingJobs.setWaitingReason(created.id, waitingReason);
      await tx.trainingJobs.appendEvent(created.id, 'state', { status: 'queued', ...(waitingReason && { waitingReason }) });
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'training_job.create',
        resourceType: 'training_job',
        resourceId: created.id,
        details: { modelName: body.modelName, kind: body.model.kind, dataset: body.data },
      });
      return waitingReason ? { ...created, waitingReason } : created;
    });
    await this.catalog.notify(NOTIFY_CHANNELS.trainingJobs, job.id).catch(() => {});
    return this.view(job, project);
  }

  /**
   * Every rule a request must pass before it may be queued (fields named `/body/…`), and the dataset
   * version it names. Tuning jobs check their base spec and sampled trial specs with it.
   */
  async validate(project: Project, body: TrainingJobRequest): Promise<{ errors: FieldError[]; version?: DatasetVersion }> {
    const errors = this.checkSpec(body);
    const version = await this.checkData(project, body, errors);
    // The model is sized only for a spec that is otherwise sound: its layout depends on valid features.
    if (errors.length === 0 && version) this.checkModel(body, version, errors);
    return { errors, ...(version && { version }) };
  }

  async list(principal: Principal, projectName: string, opts: { status?: TrainingJob['status']; limit?: number; before?: string }): Promise<TrainingJobView[]> {
    const project = await this.projects.get(principal, projectName, 'read');
    const jobs = await this.catalog.trainingJobs.list(project.id, opts);
    return jobs.map((j) => this.view(j, project));
  }

  async get(principal: Principal, projectName: string, id: string): Promise<TrainingJobView> {
    const project = await this.projects.get(principal, projectName, 'read');
    return this.view(await this.find(project, id), project);
  }

  async cancel(principal: Principal, projectName: string, id: string): Promise<TrainingJobView> {
    const project = await this.projects.get(principal, projectName, 'write');
    const job = await this.find(project, id);
    const updated = await cancelJob(this.catalog, principal, project, job, 'training_job.cancel');
    return this.view(updated, project);
  }

  /** For the SSE stream: the job (authorized) and a reader of its events after an id. */
  async eventSource(principal: Principal, projectName: string, id: string) {
    const project = await this.projects.get(principal, projectName, 'read');
    const job = await this.find(project, id);
    return {
      job,
      events: (afterId: number | undefined): Promise<JobEvent[]> => this.catalog.trainingJobs.listEvents(job.id, { afterId, limit: 500 }),
      status: async (): Promise<TrainingJob['status']> => (await this.catalog.trainingJobs.get(job.id)).status,
    };
  }

  private async find(project: Project, id: string): Promise<TrainingJob> {
    const job = await this.catalog.trainingJobs.findById(id);
    if (!job || job.projectId !== project.id) {
      throw Errors.notFound('ATL_TRAINING_JOB_NOT_FOUND', `Training job ${id} does not exist in project '${project.name}'. List jobs with GET /v1/projects/${project.name}/training-jobs.`);
    }
    return job;
  }

  view(job: TrainingJob, project: Project): TrainingJobView {
    return {
      id: job.id,
      project: project.name,
      type: typeof job.spec.type === 'string' ? job.spec.type : 'train',
      modelName: job.modelName,
      status: job.status,
      device: job.device,
      spec: job.spec,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      waitingReason: job.waitingReason,
      error: job.error,
      cancelRequestedAt: job.cancelRequestedAt,
      checkpointEpoch: job.checkpointEpoch,
      metrics: job.metrics,
      modelVersionId: job.modelVersionId,
      worker: job.leaseOwner,
      createdAt: job.createdAt,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
      updatedAt: job.updatedAt,
      tuningJobId: job.tuningJobId,
      trial: job.trialIndex,
    };
  }

  /** Rules the JSON schema cannot express: per-kind hyperparameters, transforms vs types, fractions, references between fields. */
  private checkSpec(body: TrainingJobRequest): FieldError[] {
    const errors: FieldError[] = [];
    const add = (field: string, message: string) => errors.push({ field: `/body${field}`, message });
    const kind = body.model.kind as ModelKind;
    const hyper = (body.model.hyperparameters ?? {}) as Record<string, unknown>;
    const validate = this.hyperValidators[kind];
    if (!validate(hyper)) errors.push(...ajvFieldErrors('/body/model/hyperparameters', validate.errors));
    const task = cannedTask(kind, hyper);

    const names = new Set<string>();
    body.features.forEach((f, i) => {
      const at = `/features/${i}`;
      if (names.has(f.name)) add(`${at}/name`, `'${f.name}' is listed twice`);
      names.add(f.name);
      if (f.name.startsWith('__')) add(`${at}/name`, "names starting with '__' are reserved");
      const numericT = ['robust', 'standardize', 'minmax', 'bucketize', 'none'];
      const transform = featureTransform(f);
      if (f.type === 'numeric' && !numericT.includes(transform)) add(`${at}/transform`, `a numeric feature takes ${numericT.join(', ')}`);
      if (f.type === 'categorical' && !['vocabulary', 'hash'].includes(transform)) add(`${at}/transform`, 'a categorical feature takes vocabulary or hash');
      if (f.options?.clip !== undefined && transform !== 'robust') add(`${at}/options/clip`, "applies to the robust transform only");
      if (f.transform === 'bucketize' && !f.options?.boundaries && !f.options?.numBuckets) add(`${at}/options`, 'bucketize needs options.boundaries or options.numBuckets');
      if (f.options?.boundaries?.some((b, k, all) => k > 0 && !(b > all[k - 1]))) add(`${at}/options/boundaries`, 'must be strictly increasing');
      if (f.transform === 'hash' && !f.options?.hashBuckets) add(`${at}/options/hashBuckets`, 'is required for the hash transform');
      if (f.missing) {
        const allowed = f.type === 'numeric' ? ['mean', 'median', 'zero', 'constant', 'error'] : transform === 'vocabulary' ? ['oov', 'constant', 'error'] : ['constant', 'error'];
        if (!allowed.includes(f.missing)) add(`${at}/missing`, `must be one of ${allowed.join(', ')} for a ${f.type} ${transform} feature`);
      }
      if (f.type === 'numeric' && f.missing === 'constant' && typeof f.constant !== 'number') add(`${at}/constant`, "must be a number with missing 'constant'");
      if (f.type === 'categorical' && f.constant !== undefined && typeof f.constant !== 'string') add(`${at}/constant`, 'must be a string for a categorical feature');
    });

    if (task !== 'retrieval' && !body.label) add('/label', `is required for a ${kind} model`);
    if (body.label && names.has(body.label)) add('/label', `'${body.label}' is also a feature; a label cannot be an input`);

    const fr = body.split?.fractions;
    if (fr && Math.abs(fr.train + fr.validation + fr.test - 1) > 1e-9) add('/split/fractions', `must sum to 1 (got ${fr.train + fr.validation + fr.test})`);
    if (fr && fr.train === 0) add('/split/fractions/train', 'must be > 0');

    const listed = (key: string, list: unknown) => {
      if (!Array.isArray(list)) return;
      list.forEach((n, i) => {
        if (typeof n === 'string' && !names.has(n)) add(`/model/hyperparameters/${key}/${i}`, `'${n}' is not one of the job's features`);
      });
    };
    if (kind === 'two_tower') {
      listed('userFeatures', hyper.userFeatures);
      listed('itemFeatures', hyper.itemFeatures);
      const user = new Set(Array.isArray(hyper.userFeatures) ? (hyper.userFeatures as string[]) : []);
      if (Array.isArray(hyper.itemFeatures)) {
        for (const n of hyper.itemFeatures as string[]) if (user.has(n)) add('/model/hyperparameters/itemFeatures', `'${n}' is in both towers`);
      }
    }
    if (kind === 'wide_deep') listed('wideFeatures', hyper.wideFeatures);
    if (kind === 'softmax' || task === 'multiclass') {
      // numClasses comes from the label's values; nothing to check here.
    }

    const metric = body.earlyStopping?.metric;
    if (metric !== undefined) {
      const name = metric.replace(/^val_/, '');
      if (name !== 'loss' && !TASK_METRICS[task].includes(name)) {
        add('/earlyStopping/metric', `must be val_loss or one of ${TASK_METRICS[task].join(', ') || '(none for retrieval)'} for a ${task} model`);
      }
    }
    return errors;
  }

  /**
   * Build the model the job would train over the layout its features will have (id features sized by
   * the dataset profile's distinct counts, an upper bound): a kind that cannot build (wide_deep with no
   * wide feature) is named, and a model over maxModelParameters is refused with its estimate.
   */
  private checkModel(body: TrainingJobRequest, version: DatasetVersion, errors: FieldError[]): void {
    const kind = body.model.kind as ModelKind;
    const hyper = (body.model.hyperparameters ?? {}) as Record<string, unknown>;
    const task = cannedTask(kind, hyper);
    const profiled = new Map(((version.profile as { columns?: ProfiledColumn[] } | null)?.columns ?? []).map((c) => [c.name, c]));
    const rows = Number(version.rowCount);
    const distinct = (name: string) => profiled.get(name)?.approxDistinct ?? rows;
    const empty = (name: string) => profiled.get(name)?.count === 0;
    const features = body.features as FeatureSpec[];
    const where = `${body.data.dataset} v${body.data.version}`;

    // What fitting and labelling need from the data, known from the profile (run time would fail the job).
    features.forEach((f, i) => {
      if (empty(f.name) && needsTrainingValues(f)) {
        errors.push({
          field: `/body/features/${i}/name`,
          message: `column '${f.name}' has no values in ${where}, and ${featureTransform(f)}${f.missing ? ` with missing '${f.missing}'` : ' (missing: mean by default)'} learns from them; use missing 'zero' or 'constant' with transform 'none', or another column`,
        });
      }
    });
    if (body.label && task !== 'retrieval') {
      if (empty(body.label)) errors.push({ field: '/body/label', message: `column '${body.label}' has no values in ${where}: every row would be dropped` });
      else if (task === 'multiclass' && distinct(body.label) < 2) errors.push({ field: '/body/label', message: `column '${body.label}' has a single value in ${where}; a multiclass model needs at least 2` });
    }
    if (errors.length > 0) return;

    const layout = layoutOf(features, (f) => cardinalityBound(f, distinct(f.name)));
    const numClasses = task === 'multiclass' && body.label ? Math.max(2, distinct(body.label)) : 2;
    let count;
    try {
      count = countParameters(buildModelSpec(kind, hyper, layout, task, numClasses, 0).spec);
    } catch (e) {
      if (e instanceof ModelSetupError) return void errors.push({ field: `/body${e.field}`, message: e.message });
      throw e;
    }
    const cap = this.limits.maxModelParameters;
    if (count.total <= cap) return;
    const embedded = Object.values(count.embeddings).reduce((a, b) => a + b, 0);
    const [largest, largestSize] = Object.entries(count.embeddings).sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    const fmt = (n: number) => n.toLocaleString('en-US');
    const message =
      `the model would have about ${fmt(count.total)} parameters (${fmt(count.total - embedded)} in layers, ${fmt(embedded)} in embedding tables); ` +
      `the limit is ${fmt(cap)} (ATELIER_MAX_MODEL_PARAMETERS)`;
    // Name what to shrink: the hidden layers when they hold most of it, else the largest embedding table.
    if (embedded > count.total - embedded) {
      const i = features.findIndex((f) => f.name === largest);
      const f = features[i];
      const knob = f.transform === 'hash' ? 'options/hashBuckets' : f.transform === 'vocabulary' ? 'options/maxSize' : 'options';
      errors.push({ field: `/body/features/${i}/${knob}`, message: `${message}: '${largest}' alone needs ${fmt(largestSize)}; use fewer ids or a smaller embeddingDim` });
    } else {
      errors.push({ field: '/body/model/hyperparameters/hiddenUnits', message: `${message}: use fewer or narrower hidden layers` });
    }
  }

  /** The dataset version exists; features, label and time column exist with usable types. Returns the version. */
  private async checkData(project: Project, body: TrainingJobRequest, errors: FieldError[]): Promise<DatasetVersion | undefined> {
    const add = (field: string, message: string) => errors.push({ field: `/body${field}`, message });
    const dataset = await this.catalog.datasets.findByName(project.id, body.data.dataset);
    if (!dataset) {
      add('/data/dataset', `dataset '${body.data.dataset}' does not exist in project '${project.name}'`);
      return undefined;
    }
    const version = await this.catalog.datasets.findVersion(dataset.id, body.data.version);
    if (!version) {
      add('/data/version', `dataset '${body.data.dataset}' has no version ${body.data.version}`);
      return undefined;
    }
    const columns = ((version.schema as { columns?: StoredColumn[] })?.columns ?? []) as StoredColumn[];
    const types = new Map(columns.map((c) => [c.name, c.type]));
    const known = () => `columns: ${columns.map((c) => c.name).join(', ')}`;
    const numeric = (t: string | undefined) => t === 'integer' || t === 'float';

    body.features.forEach((f, i) => {
      const t = types.get(f.name);
      if (t === undefined) return add(`/features/${i}/name`, `column '${f.name}' is not in ${body.data.dataset} v${body.data.version} (${known()})`);
      if (f.type === 'numeric' && !numeric(t) && t !== 'boolean') add(`/features/${i}/type`, `column '${f.name}' is ${t}; a numeric feature needs an integer, float or boolean column`);
      if (f.type === 'categorical' && !['string', 'integer', 'boolean'].includes(t)) {
        add(`/features/${i}/type`, `column '${f.name}' is ${t}; a categorical feature needs a string, integer or boolean column${t === 'float' ? ' (bucketize a float instead)' : ''}`);
      }
    });

    const kind = body.model.kind as ModelKind;
    const task = cannedTask(kind, (body.model.hyperparameters ?? {}) as Record<string, unknown>);
    if (body.label && task !== 'retrieval') {
      const t = types.get(body.label);
      if (t === undefined) add('/label', `column '${body.label}' is not in ${body.data.dataset} v${body.data.version} (${known()})`);
      else if (task === 'regression' && !numeric(t)) add('/label', `column '${body.label}' is ${t}; a regression label must be integer or float`);
      else if (task !== 'regression' && !['integer', 'boolean', 'string'].includes(t)) {
        add('/label', `column '${body.label}' is ${t}; a ${task} label must be an integer, boolean or string column`);
      } else if (task === 'binary') {
        const profile = (version.profile as { columns?: Array<{ name: string; topValues?: unknown[] }> } | null)?.columns?.find((c) => c.name === body.label);
        if (profile?.topValues && profile.topValues.length > 2) {
          add('/label', `column '${body.label}' has more than 2 distinct values; a binary model needs 2 (use softmax or mlp with task multiclass)`);
        }
      }
    }
    if (body.split?.method === 'time') {
      const t = types.get(body.split.timeColumn);
      if (t === undefined) add('/split/timeColumn', `column '${body.split.timeColumn}' is not in ${body.data.dataset} v${body.data.version} (${known()})`);
      else if (!['timestamp', 'date', 'integer', 'float'].includes(t)) add('/split/timeColumn', `column '${body.split.timeColumn}' is ${t}; a time split needs a timestamp, date or numeric column`);
    }
    return version;
  }
}
