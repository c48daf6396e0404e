// Evaluations of model versions: read what the orchestrator recorded, and ask for a new one. An
// evaluation request is a queued job (spec.type 'evaluate') that the training orchestrator runs with
// the engine's evaluateModel and applyBlessingGate; the gateway only checks and queues it.
import type { Catalog, Evaluation, Model, ModelVersion, TrainingJob } from '@atelier/catalog';
import type { EvaluateJobSpec, GateThreshold } from '@atelier/contracts';
import type { Principal } from '../auth/principal.js';
import { Errors, type FieldError } from '../errors.js';
import type { ModelRegistryService } from './model-registry.service.js';
import type { ProjectsService } from './projects.service.js';

export interface EvaluationRequest {
  dataset: { name: string; version: number };
  sliceColumn?: string;
  labelColumn?: string;
  gate?: GateThreshold[];
}

export interface EvaluationDetails extends Evaluation {
  modelName: string;
  version: number;
  baselineVersion: number | null;
}

/** Metric names computeTaskMetrics reports per task, and which way is better. */
const TASK_METRICS: Record<string, RegExp> = {
  binary: /^(auc|pr_auc|log_loss|accuracy|precision|recall|f1|brier|ece|positive_rate|count)$/,
  multiclass: /^(accuracy|log_loss|precision|recall|f1|count)$/,
  regression: /^(rmse|mse|mae|r2|count)$/,
  ranking: /^(ndcg|map|count|queries|(ndcg|map|recall)@[1-9][0-9]*)$/,
};
const LOWER_IS_BETTER = /^(log_loss|brier|ece|rmse|mse|mae)$/;
const HIGHER_IS_BETTER = /^(auc|pr_auc|accuracy|precision|recall|f1|r2|ndcg|map|(ndcg|map|recall)@[0-9]+)$/;

/** Column names of a dataset version's stored schema (an array of { name } or { columns: [{ name }] }), or null when unknown. */
function schemaColumns(schema: unknown): string[] | null {
  const list = Array.isArray(schema) ? schema : Array.isArray((schema as { columns?: unknown })?.columns) ? (schema as { columns: unknown[] }).columns : null;
  if (!list) return null;
  const names = list.map((c) => (c as { name?: unknown })?.name).filter((n): n is string => typeof n === 'string');
  return names.length === list.length ? names : null;
}

export class EvaluationsService {
  constructor(
    private readonly catalog: Catalog,
    private readonly projects: ProjectsService,
    private readonly registry: ModelRegistryService,
  ) {}

  async listForVersion(principal: Principal, projectName: string, name: string, versionNumber: number): Promise<EvaluationDetails[]> {
    const { model, version } = await this.registry.version(principal, projectName, name, versionNumber, 'read');
    const evaluations = await this.catalog.evaluations.listByVersion(version.id, { limit: 100 });
    return Promise.all(evaluations.map((e) => this.details(e, model, version)));
  }

  async get(principal: Principal, projectName: string, evaluationId: string): Promise<EvaluationDetails> {
    const project = await this.projects.get(principal, projectName, 'read');
    const notFound = () =>
      Errors.notFound('ATL_EVALUATION_NOT_FOUND', `Evaluation '${evaluationId}' does not exist in project '${project.name}'.`);
    const evaluation = await this.catalog.evaluations.findById(evaluationId);
    if (!evaluation) throw notFound();
    const version = await this.catalog.models.findVersionById(evaluation.modelVersionId);
    const model = version && (await this.catalog.models.findById(version.modelId));
    if (!version || !model || model.projectId !== project.id) throw notFound();
    return this.details(evaluation, model, version);
  }

  private async details(e: Evaluation, model: Model, version: ModelVersion): Promise<EvaluationDetails> {
    const baseline = e.baselineVersionId ? await this.catalog.models.findVersionById(e.baselineVersionId) : undefined;
    return { ...e, modelName: model.name, version: version.version, baselineVersion: baseline?.version ?? null };
  }

  /** Queue an evaluation of a version on a dataset version; the orchestrator runs it. */
  async request(
    principal: Principal,
    projectName: string,
    name: string,
    versionNumber: number,
    input: EvaluationRequest,
  ): Promise<TrainingJob> {
    const { project, model, version } = await this.registry.version(principal, projectName, name, versionNumber, 'write');
    const dataset = await this.catalog.datasets.findByName(project.id, input.dataset.name);
    if (!dataset) {
      throw Errors.notFound('ATL_DATASET_NOT_FOUND', `Dataset '${input.dataset.name}' does not exist in project '${project.name}'.`);
    }
    const datasetVersion = await this.catalog.datasets.findVersion(dataset.id, input.dataset.version);
    if (!datasetVersion) {
      throw Errors.notFound('ATL_DATASET_VERSION_NOT_FOUND', `Dataset '${dataset.name}' has no version ${input.dataset.version}.`);
    }

    const errors: FieldError[] = [];
    const columns = schemaColumns(datasetVersion.schema);
    for (const field of ['sliceColumn', 'labelColumn'] as const) {
      const column = input[field];
      if (column !== undefined && columns && !columns.includes(column)) {
        errors.push({ field: `/body/${field}`, message: `'${column}' is not a column of ${dataset.name} v${datasetVersion.version} (${columns.join(', ')})` });
      }
    }
    if (version.format === 'onnx' && input.labelColumn === undefined) {
      errors.push({ field: '/body/labelColumn', message: 'is required for ONNX models (no training job names their label)' });
    }
    const gate = input.gate ?? [];
    const known = model.task ? TASK_METRICS[model.task] : undefined;
    gate.forEach((t, i) => {
      if (t.minAbsolute === undefined && t.maxRegression === undefined && t.maxRelativeRegression === undefined) {
        errors.push({ field: `/body/gate/${i}`, message: 'sets none of minAbsolute, maxRegression, maxRelativeRegression' });
      }
      if (known && !known.test(t.metric)) {
        errors.push({ field: `/body/gate/${i}/metric`, message: `'${t.metric}' is not a metric of ${model.task} models` });
      }
      const natural = LOWER_IS_BETTER.test(t.metric) ? 'lower_is_better' : HIGHER_IS_BETTER.test(t.metric) ? 'higher_is_better' : undefined;
      if (natural && natural !== t.direction) {
        errors.push({ field: `/body/gate/${i}/direction`, message: `${t.metric} is ${natural}` });
      }
    });
    if (errors.length > 0) throw Errors.validation(errors);

    const spec: EvaluateJobSpec = {
      type: 'evaluate',
      modelVersionId: version.id,
      datasetVersionId: datasetVersion.id,
      sliceColumn: input.sliceColumn ?? null,
      labelColumn: input.labelColumn ?? null,
      gate,
    };
    return this.catalog.transaction(async (tx) => {
      const job = await tx.trainingJobs.create({
        projectId: project.id,
        modelName: model.name,
        spec,
        device: 'cpu',
        createdBy: principal.keyId,
      });
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'evaluation.request',
        resourceType: 'training-job',
        resourceId: job.id,
        details: { model: model.name, version: version.version, dataset: dataset.name, datasetVersion: datasetVersion.version },
      });
      return job;
    });
  }
}
