// An on-demand evaluation job (spec.type 'evaluate'): load the version's bundle (sha256 checked) and
// a dataset version (the one named, or the training data's holdout split), evaluate the candidate and
// the model's `production` version on the same rows with the engine's evaluateModel, apply the
// blessing gate, and store the evaluation row + the job's success in one transaction.
import { createHash } from 'node:crypto';
import type { TrainingJob, ModelVersion } from '@atelier/catalog';
import { applyBlessingGate, primaryMetricFor, type GateThreshold } from '@atelier/engine';
import { startComputeThread } from './compute-thread.js';
import { DatasetLoadError, loadDatasetVersionColumns, resolveDatasetVersion, storedColumns, type ColumnRead } from '@atelier/feature-store';
import type { EvaluationOutput } from './evaluation-core.js';
import { JobFailure, LeaseLostError } from './errors.js';
import type { RunnerDeps } from './job-runner.js';
import { withRetry } from './retry.js';
import type { ThreadMessage } from './thread-protocol.js';
import { holdoutRows } from './training-core.js';
import type { EvaluateJobSpec, JobEventPayloads, JobEventType, TrainJobSpec } from '@atelier/contracts';

export interface EvaluationHooks {
  signal: AbortSignal;
  isCancelled(): boolean;
  event<T extends JobEventType>(type: T, payload: JobEventPayloads[T]): Promise<void>;
  /** The outcome is about to be written: the job leaves 'running' on purpose. */
  markFinishing(): void;
  finish(outcome: { status: 'succeeded' | 'failed' | 'cancelled'; error?: string; metrics?: Record<string, unknown>; event?: Record<string, unknown> }): Promise<void>;
}

/** `spec`: the job's spec, checked by the job runner against the contracts' EvaluateJobSpec. */
export async function runEvaluation(deps: RunnerDeps, job: TrainingJob, spec: EvaluateJobSpec, hooks: EvaluationHooks): Promise<void> {
  try {
    await evaluate(deps, job, spec, hooks);
  } catch (err) {
    // A running evaluation row (queued by the registry) records why it failed; the job fails too.
    if (spec.evaluationId && err instanceof JobFailure) {
      await deps.catalog.evaluations.fail(spec.evaluationId, err.message).catch(() => {});
    }
    throw err;
  }
}

async function evaluate(deps: RunnerDeps, job: TrainingJob, spec: EvaluateJobSpec, hooks: EvaluationHooks): Promise<void> {
  const { catalog, artifacts, config } = deps;
  const retry = { signal: hooks.signal, isPermanent: (e: unknown) => e instanceof JobFailure || e instanceof DatasetLoadError };
  const candidate = spec.modelVersionId ? await catalog.models.findVersionById(spec.modelVersionId) : undefined;
  if (!candidate) throw new JobFailure(`model version ${spec.modelVersionId} does not exist`);
  const model = await catalog.models.getById(candidate.modelId);
  if (candidate.format !== 'atelier') {
    throw new JobFailure(`version ${candidate.version} of '${model.name}' is an ${candidate.format} model; this orchestrator evaluates Atelier bundles only (the engine has no ${candidate.format} runtime)`);
  }
  const production = await catalog.models.findAlias(model.id, 'production');
  const baselineRow = production && production.versionId !== candidate.id ? await catalog.models.getVersionById(production.versionId) : undefined;
  // An ONNX production version cannot be scored here; the gate then runs without a baseline.
  const baseline = baselineRow?.format === 'atelier' ? baselineRow : undefined;

  const readBundle = async (v: ModelVersion) => {
    const bytes = await withRetry(() => artifacts.getBytes(v.bundleKey), retry);
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== v.bundleSha256) throw new JobFailure(`the bundle of version ${v.version} does not match its recorded sha256`);
    return bytes;
  };
  const candidateBytes = await readBundle(candidate);
  const baselineBytes = baseline ? await readBundle(baseline) : undefined;

  // The data: the dataset version named, or the training run's holdout split.
  const trainSpec = (candidate.lineage.spec ?? null) as TrainJobSpec | null; // written by this orchestrator at commit
  const holdout = !spec.datasetVersionId;
  let datasetVersion;
  if (spec.datasetVersionId) {
    datasetVersion = await catalog.datasets.findVersionById(spec.datasetVersionId);
    if (!datasetVersion) throw new JobFailure(`dataset version ${spec.datasetVersionId} does not exist`);
  } else {
    if (!trainSpec?.data) throw new JobFailure('the evaluation names no dataset and the version has no training lineage');
    const ref = trainSpec.data;
    datasetVersion = await withRetry(() => resolveDatasetVersion(catalog, job.projectId, ref), retry);
  }
  const dataName = `dataset version ${datasetVersion.version}`;
  const columns = storedColumns(datasetVersion.schema);
  const types = new Map(columns.map((c) => [c.name, c.type]));
  const numeric = (n: string) => ['integer', 'float'].includes(types.get(n) ?? '');
  const label = spec.labelColumn ?? trainSpec?.label;
  if (!label) throw new JobFailure('no label column: name labelColumn, or evaluate a version trained with a label');
  const wanted: Record<string, ColumnRead> = {};
  for (const f of trainSpec?.features ?? []) wanted[f.name] = f.type === 'numeric' || numeric(f.name) ? 'number' : 'text';
  wanted[label] ??= numeric(label) ? 'number' : 'text';
  if (spec.sliceColumn) wanted[spec.sliceColumn] ??= numeric(spec.sliceColumn) ? 'number' : 'text';
  if (holdout && trainSpec?.split?.method === 'time') wanted[trainSpec.split.timeColumn] = 'time';
  const missing = Object.keys(wanted).filter((n) => !types.has(n));
  if (missing.length) throw new JobFailure(`${dataName} lacks column(s) ${missing.join(', ')} that the evaluation reads`);
  const table = await withRetry(() => loadDatasetVersionColumns(artifacts, datasetVersion, wanted), retry);
  const rows = holdout && trainSpec ? holdoutRows(trainSpec, table) : undefined;
  await hooks.event('log', {
    level: 'info',
    message: `evaluating ${model.name} v${candidate.version} on ${dataName} (${holdout ? `holdout: ${rows?.length ?? 0} rows` : `${table.numRows} rows`})` +
      (baseline ? `, against production v${baseline.version}` : baselineRow ? ' (the production version is not an Atelier bundle: no baseline)' : ''),
  });
  if (hooks.isCancelled()) return hooks.finish({ status: 'cancelled', error: 'cancelled by request' });

  const outputs = await new Promise<EvaluationOutput[]>((resolve, reject) => {
    const thread = startComputeThread({
      mode: 'evaluate',
      table,
      bundles: [{ bytes: candidateBytes, importance: true }, ...(baselineBytes ? [{ bytes: baselineBytes, importance: false }] : [])],
      ...(rows && { rows }),
      ...(spec.sliceColumn && { sliceColumn: spec.sliceColumn }),
      labelColumn: label,
      seed: spec.seed ?? 0,
    });
    const onAbort = () => void thread.terminate();
    hooks.signal.addEventListener('abort', onAbort, { once: true });
    thread.on('message', (m: ThreadMessage) => {
      if (m.type === 'evaluated') resolve(m.outputs);
      else if (m.type === 'error') reject(new JobFailure(m.message));
    });
    thread.on('error', (err) => reject(new JobFailure(`the evaluation thread crashed: ${err.message}`)));
    thread.on('exit', () => {
      hooks.signal.removeEventListener('abort', onAbort);
      reject(hooks.signal.aborted ? new LeaseLostError(job.id) : new Error('the evaluation thread exited early'));
    });
  });
  if (hooks.isCancelled()) return hooks.finish({ status: 'cancelled', error: 'cancelled by request' });

  const [cand, base] = outputs;
  const primary = primaryMetricFor(cand.task);
  const thresholds: GateThreshold[] = Array.isArray(spec.gate) && spec.gate.length > 0
    ? (spec.gate as GateThreshold[])
    : [{ metric: primary.name, direction: primary.direction, maxRegression: 0 }];
  let gate;
  try {
    gate = applyBlessingGate(cand.result.metrics, base ? base.result.metrics : null, thresholds);
  } catch (err) {
    throw new JobFailure((err as Error).message);
  }
  const comparison = base
    ? Object.fromEntries(
        Object.keys(cand.result.metrics)
          .filter((k) => k in base.result.metrics)
          .map((k) => [k, { candidate: cand.result.metrics[k], baseline: base.result.metrics[k], delta: cand.result.metrics[k] - base.result.metrics[k] }]),
      )
    : {};
  const results = {
    metrics: cand.result.metrics,
    slices: cand.result.slices ?? {},
    curves: cand.result.curves,
    featureImportance: cand.result.featureImportance,
    baselineVersionId: baseline?.id ?? null,
    comparison,
    gate: { thresholds, checks: gate.checks, baselineVersion: baseline?.version ?? null },
    verdict: gate.verdict,
  };

  hooks.markFinishing();
  await withRetry(
    () =>
      catalog.transaction(async (tx) => {
        const evaluation = spec.evaluationId
          ? await tx.evaluations.complete(spec.evaluationId, results)
          : await tx.evaluations.create({
              modelVersionId: candidate.id,
              datasetVersionId: datasetVersion.id,
              split: holdout ? 'holdout' : 'all',
              status: 'completed',
              ...results,
            });
        const done = await tx.trainingJobs.finish(job.id, config.workerId, {
          status: 'succeeded',
          modelVersionId: candidate.id,
          metrics: { evaluationId: evaluation.id, verdict: gate.verdict, metrics: cand.result.metrics, rows: cand.numRows },
        });
        if (!done) throw new LeaseLostError(job.id);
        await tx.trainingJobs.appendEvent(job.id, 'state', {
          status: 'succeeded',
          evaluationId: evaluation.id,
          verdict: gate.verdict,
          metrics: cand.result.metrics,
        });
      }),
    { signal: hooks.signal, isPermanent: (e) => e instanceof LeaseLostError },
  );
}
