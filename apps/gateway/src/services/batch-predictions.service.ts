// Batch predictions: score a dataset version with a model version, offline. A request is checked here
// (model, version or alias, datasets — all resolved inside the caller's project — the signature's
// columns against the input version's stored schema, passthrough and output columns) and queued as a
// job of the existing job table (spec.type 'batch_predict'); the training orchestrator's workers claim
// it like any job, score the version chunk by chunk and publish the predictions as a new dataset
// version. Reads, cancel and the SSE event log are the job table's.
import type { Catalog, JobEvent, Model, Project, TrainingJob } from '@atelier/catalog';
import {
  BATCH_PREDICTION_CHUNK_ROWS,
  NOTIFY_CHANNELS,
  TRAINING_DEFAULTS,
  batchPredictionColumns,
  type BatchPredictJobSpec,
  type BatchPredictionOutput,
  type BatchPredictionRequest,
} from '@atelier/contracts';
import type { Principal } from '../auth/principal.js';
import { Errors, type FieldError } from '../errors.js';
import { cancelJob } from './job-cancel.js';
import type { ModelRegistryService } from './model-registry.service.js';

export interface BatchPredictionView {
  id: string;
  project: string;
  model: string;
  modelVersion: number;
  modelVersionId: string;
  alias: string | null;
  status: TrainingJob['status'];
  input: { dataset: string; version: number; versionId: string };
  output: { dataset: string; version: number | null; versionId: string | null };
  passthroughColumns: string[];
  outputs: BatchPredictionOutput[];
  chunkRows: number;
  rowsScored: number;
  totalRows: number;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  cancelRequestedAt: Date | null;
  worker: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

interface StoredColumn {
  name: string;
  type: string;
}

interface VersionSignature {
  inputs?: Array<{ name: string; dtype: string }>;
  task?: string | null;
  labelClasses?: unknown[] | null;
}

const CLASSIFIERS = new Set(['binary', 'multiclass']);

/** The outputs a model of `task` writes when the request names none. */
export function defaultOutputs(task: string | null): BatchPredictionOutput[] {
  return task && CLASSIFIERS.has(task) ? ['probabilities', 'class'] : ['prediction'];
}

export class BatchPredictionsService {
  constructor(
    private readonly catalog: Catalog,
    private readonly registry: ModelRegistryService,
  ) {}

  async create(principal: Principal, projectName: string, modelName: string, body: BatchPredictionRequest): Promise<BatchPredictionView> {
    const { project, model } = await this.registry.model(principal, projectName, modelName, 'write');
    const errors: FieldError[] = [];
    const add = (field: string, message: string) => errors.push({ field: `/body${field}`, message });
    if (body.version !== undefined && body.alias !== undefined) {
      add('/version', 'name a version or an alias, not both');
      add('/alias', 'name a version or an alias, not both');
    }
    if (body.version === undefined && body.alias === undefined) add('/version', 'is required (or alias)');
    if (errors.length) throw Errors.validation(errors);

    const version =
      body.version !== undefined
        ? (await this.registry.version(principal, projectName, modelName, body.version, 'write')).version
        : await this.catalog.models.getVersionById((await this.registry.getAlias(principal, projectName, modelName, body.alias!)).versionId);
    if (version.format !== 'atelier') {
      throw Errors.conflict(
        'ATL_BATCH_PREDICTION_CONFLICT',
        `Version ${version.version} of '${model.name}' is an ${version.format} model; batch predictions score Atelier bundles (trained here) only. Score ONNX models online through a deployment.`,
      );
    }

    const dataset = await this.catalog.datasets.findByName(project.id, body.input.dataset);
    if (!dataset) throw Errors.notFound('ATL_DATASET_NOT_FOUND', `Dataset '${body.input.dataset}' does not exist in project '${project.name}'.`);
    const input = await this.catalog.datasets.findVersion(dataset.id, body.input.version);
    if (!input) throw Errors.notFound('ATL_DATASET_VERSION_NOT_FOUND', `Dataset '${dataset.name}' has no version ${body.input.version}.`);
    if (body.output.dataset === dataset.name) {
      throw Errors.conflict(
        'ATL_BATCH_PREDICTION_CONFLICT',
        `The output dataset is the input dataset '${dataset.name}': predictions would become a version of the data they score. Name another output dataset.`,
      );
    }

    const columns = ((input.schema as { columns?: StoredColumn[] } | null)?.columns ?? []) as StoredColumn[];
    const types = new Map(columns.map((c) => [c.name, c.type]));
    const where = `${dataset.name} v${input.version}`;
    const known = columns.map((c) => c.name).join(', ');
    const signature = (version.signature ?? {}) as VersionSignature;
    const task = signature.task ?? model.task ?? null;
    // The signature's inputs, every one named when the input version lacks it or has an unusable type.
    const absent: string[] = [];
    for (const f of signature.inputs ?? []) {
      const t = types.get(f.name);
      if (t === undefined) absent.push(f.name);
      else if (f.dtype !== 'string' && !['integer', 'float', 'boolean'].includes(t)) {
        add('/input', `column '${f.name}' of ${where} is ${t}; model ${model.name} v${version.version} reads it as a number (${f.dtype})`);
      }
    }
    if (absent.length) {
      add('/input', `${where} lacks column(s) ${absent.map((n) => `'${n}'`).join(', ')} that model ${model.name} v${version.version} reads (its columns: ${known})`);
    }
    const passthrough = body.passthroughColumns ?? [];
    passthrough.forEach((n, i) => {
      if (!types.has(n)) add(`/passthroughColumns/${i}`, `'${n}' is not a column of ${where} (its columns: ${known})`);
    });
    const outputs = body.outputs ?? defaultOutputs(task);
    const classifier = task !== null && CLASSIFIERS.has(task);
    outputs.forEach((o, i) => {
      if (o === 'prediction' && classifier) add(`/outputs/${i}`, `a ${task} model writes 'probabilities' and/or 'class', not 'prediction'`);
      if (o !== 'prediction' && !classifier) add(`/outputs/${i}`, `'${o}' needs a binary or multiclass model; this one is ${task ?? 'of unknown task'} (use 'prediction')`);
    });
    const classes = Array.isArray(signature.labelClasses) ? signature.labelClasses.map(String) : null;
    const width = task === 'multiclass' ? (classes?.length ?? 0) : 1;
    const produced = batchPredictionColumns(task, outputs, classes, width);
    passthrough.forEach((n, i) => {
      if (produced.includes(n)) add(`/passthroughColumns/${i}`, `'${n}' is also an output column (${produced.join(', ')}); rename it or leave it out`);
    });
    if (errors.length) throw Errors.validation(errors);

    const spec: BatchPredictJobSpec = {
      type: 'batch_predict',
      modelVersionId: version.id,
      modelVersion: version.version,
      alias: body.alias ?? null,
      input: { dataset: dataset.name, version: input.version, versionId: input.id, rows: Number(input.rowCount) },
      output: { dataset: body.output.dataset },
      passthroughColumns: passthrough,
      outputs,
      chunkRows: body.chunkRows ?? BATCH_PREDICTION_CHUNK_ROWS.default,
    };
    const job = await this.catalog.transaction(async (tx) => {
      const created = await tx.trainingJobs.create({
        projectId: project.id,
        modelName: model.name,
        spec,
        device: 'cpu',
        maxAttempts: body.maxAttempts ?? TRAINING_DEFAULTS.maxAttempts,
        createdBy: principal.keyId,
      });
      await tx.trainingJobs.appendEvent(created.id, 'state', { status: 'queued' });
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'batch_prediction.create',
        resourceType: 'training_job',
        resourceId: created.id,
        details: { model: model.name, version: version.version, input: { dataset: dataset.name, version: input.version }, output: body.output.dataset },
      });
      return created;
    });
    await this.catalog.notify(NOTIFY_CHANNELS.trainingJobs, job.id).catch(() => {});
    return this.view(job, project);
  }

  async list(
    principal: Principal,
    projectName: string,
    modelName: string,
    opts: { status?: TrainingJob['status']; limit?: number; before?: string },
  ): Promise<BatchPredictionView[]> {
    const { project, model } = await this.registry.model(principal, projectName, modelName, 'read');
    const jobs = await this.catalog.trainingJobs.list(project.id, { ...opts, type: 'batch_predict', modelName: model.name });
    return jobs.map((j) => this.view(j, project));
  }

  async get(principal: Principal, projectName: string, modelName: string, id: string): Promise<BatchPredictionView> {
    const { project, model } = await this.registry.model(principal, projectName, modelName, 'read');
    return this.view(await this.find(project, model, id), project);
  }

  async cancel(principal: Principal, projectName: string, modelName: string, id: string): Promise<BatchPredictionView> {
    const { project, model } = await this.registry.model(principal, projectName, modelName, 'write');
    const job = await this.find(project, model, id);
    const updated = await cancelJob(this.catalog, principal, project, job, 'batch_prediction.cancel');
    return this.view(updated, project);
  }

  /** For the SSE stream: the job (authorized) and a reader of its events after an id. */
  async eventSource(principal: Principal, projectName: string, modelName: string, id: string) {
    const { project, model } = await this.registry.model(principal, projectName, modelName, 'read');
    const job = await this.find(project, model, id);
    return {
      job,
      events: (afterId: number | undefined): Promise<JobEvent[]> => this.catalog.trainingJobs.listEvents(job.id, { afterId, limit: 500 }),
      status: async (): Promise<TrainingJob['status']> => (await this.catalog.trainingJobs.get(job.id)).status,
    };
  }

  private async find(project: Project, model: Model, id: string): Promise<TrainingJob> {
    const job = await this.catalog.trainingJobs.findById(id);
    if (!job || job.projectId !== project.id || job.spec.type !== 'batch_predict' || job.modelName !== model.name) {
      throw Errors.notFound(
        'ATL_BATCH_PREDICTION_NOT_FOUND',
        `Batch prediction ${id} does not exist for model '${model.name}' in project '${project.name}'. List them with GET /v1/projects/${project.name}/models/${model.name}/batch-predictions.`,
      );
    }
    return job;
  }

  private view(job: TrainingJob, project: Project): BatchPredictionView {
    const spec = job.spec as unknown as BatchPredictJobSpec;
    const m = job.metrics as { rowsScored?: number; totalRows?: number; outputVersion?: number; outputDatasetVersionId?: string };
    return {
      id: job.id,
      project: project.name,
      model: job.modelName,
      modelVersion: spec.modelVersion,
      modelVersionId: spec.modelVersionId,
      alias: spec.alias ?? null,
      status: job.status,
      input: { dataset: spec.input.dataset, version: spec.input.version, versionId: spec.input.versionId },
      output: { dataset: spec.output.dataset, version: m.outputVersion ?? null, versionId: m.outputDatasetVersionId ?? null },
      passthroughColumns: spec.passthroughColumns,
      outputs: spec.outputs,
      chunkRows: spec.chunkRows,
      rowsScored: m.rowsScored ?? 0,
      totalRows: m.totalRows ?? spec.input.rows,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      error: job.error,
      cancelRequestedAt: job.cancelRequestedAt,
      worker: job.leaseOwner,
      createdAt: job.createdAt,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
      updatedAt: job.updatedAt,
    };
  }
}
