// Runs one claimed job to its end on this worker: holds the lease (heartbeat every leaseTtl/3; losing
// it stops the local run at once), loads the data, trains in a worker thread, streams epochs to
// job_events + job.metrics, persists a checkpoint per epoch, and on success writes the bundle to
// artifacts FIRST, then the model version + the job's success + its event in ONE transaction.
import type { Worker } from 'node:worker_threads';
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog, JobEventType, TrainingJob } from '@atelier/catalog';
import { artifactKeys, isBatchPredictSpec, isEvaluateSpec, type ContractFieldError, type JobEventPayloads, type JobPlacement, type JobSpecCheck, type TrainJobSpec } from '@atelier/contracts';
import { cannedTask, ENGINE_VERSION } from '@atelier/engine';
import { DatasetLoadError, ensureParquetCopy, loadDatasetVersionColumns, resolveDatasetVersion, storedColumns, type ColumnRead } from '@atelier/feature-store';
import { decodeCheckpoint } from './checkpoint-codec.js';
import { startComputeThread } from './compute-thread.js';
import { JobFailure, LeaseLostError } from './errors.js';
import { runEvaluation, type EvaluationHooks } from './evaluation-run.js';
import { runBatchPrediction } from './batch-prediction-run.js';
import { placementLineage } from './placement-lineage.js';
import { PermanentError, withRetry } from './retry.js';
import type { OrchestratorConfig } from './orchestrator.config.js';
import type { ThreadDevice, ThreadInput, ThreadMessage } from './thread-protocol.js';
import { streamable } from './training-stream.js';
import type { EpochReport, TrainingOutcome } from './training-core.js';
import type { TrainingMetrics } from './training-metrics.js';

export interface RunnerDeps {
  catalog: Catalog;
  artifacts: ArtifactStore;
  config: OrchestratorConfig;
  log: (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
  /** Epoch durations go here (absent: not measured). */
  metrics?: TrainingMetrics;
  /** The contracts' compiled job-spec check (createJobSpecChecker), built once per worker. */
  checkSpec: (spec: unknown) => JobSpecCheck;
}

/** How long a thread may take to honour a cancel before it is terminated. */
const CANCEL_GRACE_MS = 3000;

/** At most this many bad fields are named in a job's error (the rest are counted). */
const MAX_SPEC_ERRORS = 10;

/**
 * MiB a version would take on the in-memory path: per value, the loaded column (8 bytes), its copy per
 * split (8) and the preprocessed model input (4), with margin; text values at about 48 bytes a copy.
 */
export function estimateInMemoryMb(rowCount: number, wanted: Record<string, ColumnRead>): number {
  let perRow = 0;
  for (const read of Object.values(wanted)) perRow += read === 'text' ? 3 * 48 : 24;
  return Math.ceil((rowCount * perRow * 1.25) / (1024 * 1024));
}

function describeSpecErrors(errors: readonly ContractFieldError[]): string {
  const named = errors.slice(0, MAX_SPEC_ERRORS).map((e) => `${e.field} ${e.message}`);
  if (errors.length > MAX_SPEC_ERRORS) named.push(`and ${errors.length - MAX_SPEC_ERRORS} more`);
  return named.join('; ');
}

export class JobRunner {
  private readonly abort = new AbortController();
  private thread?: Worker;
  private cancelRequested = false;
  private leaseLost = false;
  /** Set while the outcome is being written: the lease checks stop (the job leaves 'running' on purpose). */
  private finishing = false;
  private timers: NodeJS.Timeout[] = [];
  private epochs: EpochReport[] = [];
  private checkpointChain: Promise<void> = Promise.resolve();
  /** Epoch events and log lines, written in order. */
  private epochChain: Promise<void> = Promise.resolve();
  private checkpointError?: unknown;
  private lastCheckpointKey: string | null;
  private sweptCheckpoints = false;
  /** Where the training thread runs (its last 'placement' message). */
  private placement?: JobPlacement;

  constructor(
    private readonly deps: RunnerDeps,
    readonly job: TrainingJob,
    /** The worker's GPU this job holds (one per gpu/auto job while GPUs are free), by CUDA index. */
    private readonly gpuIndex?: number,
  ) {
    this.lastCheckpointKey = job.checkpointKey;
  }

  get id(): string {
    return this.job.id;
  }

  /** A cancel request arrived (NOTIFY or poll): stop the thread promptly, then finish as cancelled. */
  requestCancel(): void {
    if (this.cancelRequested) return;
    this.cancelRequested = true;
    this.thread?.postMessage({ type: 'cancel' });
    const t = setTimeout(() => void this.thread?.terminate(), CANCEL_GRACE_MS);
    t.unref();
    this.timers.push(t);
  }

  /** Stop working on the job without settling it (shutdown, lost lease): its lease expires and it resumes elsewhere. */
  async abandon(reason: string): Promise<void> {
    this.deps.log(this.finishing ? 'info' : 'warn', `abandoning job ${this.job.id}: ${reason}`);
    this.abort.abort();
    this.stopTimers();
    await this.thread?.terminate();
  }

  async run(): Promise<void> {
    const { config } = this.deps;
    if (this.abort.signal.aborted) return;
    this.keepLease();
    try {
      const resumed = this.job.checkpointKey && this.job.checkpointEpoch !== null ? this.job.checkpointEpoch : undefined;
      await this.event('state', {
        status: 'running',
        attempt: this.job.attempts,
        worker: config.workerId,
        ...(resumed !== undefined && { resumedFromEpoch: resumed }),
      });
      // The spec is checked, never cast: a spec the contracts refuse fails the job naming every bad field.
      const checked = this.deps.checkSpec(this.job.spec);
      if (!checked.ok) throw new JobFailure(`the job's spec is invalid: ${describeSpecErrors(checked.errors)}`);
      const hooks: EvaluationHooks = {
        signal: this.abort.signal,
        isCancelled: () => this.cancelRequested,
        event: (type, payload) => this.event(type, payload),
        markFinishing: () => {
          this.finishing = true;
        },
        finish: (outcome) => this.finishAndRecord(outcome),
      };
      if (isEvaluateSpec(checked.spec)) {
        await runEvaluation(this.deps, this.job, checked.spec, hooks);
      } else if (isBatchPredictSpec(checked.spec)) {
        await runBatchPrediction(this.deps, this.job, checked.spec, hooks);
      } else {
        await this.runTraining(checked.spec);
      }
    } catch (err) {
      await this.settleError(err);
    } finally {
      this.stopTimers();
      await this.thread?.terminate().catch(() => {});
    }
  }

  private stopTimers(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /**
   * Renew the lease every leaseTtl/3 and watch for cancel requests, from the moment of the claim (also
   * while the job waits for free cores): an unrenewed lease would let the job be claimed twice.
   */
  keepLease(): void {
    if (this.timers.length > 0) return;
    const { catalog, config } = this.deps;
    const heartbeat = setInterval(() => {
      catalog.trainingJobs.renewLease(this.job.id, config.workerId, config.leaseTtlMs).then(
        (held) => {
          if (!held && !this.leaseLost && !this.finishing) this.loseLease();
        },
        (err) => this.deps.log('warn', `lease renewal for job ${this.job.id} failed; retrying`, { err: String(err) }),
      );
    }, Math.max(50, Math.floor(config.leaseTtlMs / 3)));
    const cancelPoll = setInterval(() => {
      catalog.trainingJobs.findById(this.job.id).then(
        (j) => {
          if (this.finishing || this.leaseLost) return;
          if (j?.cancelRequestedAt) this.requestCancel();
          if (j && (j.status !== 'running' || j.leaseOwner !== config.workerId)) this.loseLease();
        },
        () => {},
      );
    }, config.cancelPollMs);
    heartbeat.unref();
    cancelPoll.unref();
    this.timers.push(heartbeat, cancelPoll);
  }

  private loseLease(): void {
    this.leaseLost = true;
    this.deps.log('warn', `job ${this.job.id}: lease lost; stopping the local run`);
    this.abort.abort();
    void this.thread?.terminate();
  }

  private async event<T extends JobEventType>(type: T, payload: JobEventPayloads[T]): Promise<void> {
    if (this.leaseLost) return;
    await withRetry(() => this.deps.catalog.trainingJobs.appendEvent(this.job.id, type, payload), { attempts: 4, signal: this.abort.signal });
  }

  private async runTraining(spec: TrainJobSpec): Promise<void> {
    const { catalog, artifacts } = this.deps;
    const retry = { signal: this.abort.signal, isPermanent: (e: unknown) => e instanceof DatasetLoadError || e instanceof JobFailure };

    const datasetVersion = await withRetry(() => resolveDatasetVersion(catalog, this.job.projectId, spec.data), retry);
    const types = new Map(storedColumns(datasetVersion.schema).map((c) => [c.name, c.type]));
    const numericType = (name: string) => ['integer', 'float'].includes(types.get(name) ?? '');
    const wanted: Record<string, ColumnRead> = {};
    for (const f of spec.features) wanted[f.name] = f.type === 'numeric' || numericType(f.name) ? 'number' : 'text';
    const task = cannedTask(spec.model.kind, spec.model.hyperparameters);
    if (spec.label && task !== 'retrieval') wanted[spec.label] = task === 'regression' || numericType(spec.label) ? 'number' : 'text';
    if (spec.split?.method === 'time') wanted[spec.split.timeColumn] = 'time';
    const onRetry = (err: unknown, n: number) => this.deps.log('warn', `job ${this.job.id}: loading the dataset failed (try ${n}); retrying`, { err: String(err) });
    const estimateMb = estimateInMemoryMb(Number(datasetVersion.rowCount), wanted);
    const budgetMb = this.deps.config.trainingMemoryBudgetMb;
    const canStream = streamable(spec);
    const device: ThreadDevice = { requested: this.job.device, worker: this.deps.config.workerId, ...(this.gpuIndex !== undefined && { gpuIndex: this.gpuIndex }) };
    let input: ThreadInput;
    if (estimateMb > budgetMb && canStream.ok) {
      const parquetPath = await withRetry(() => ensureParquetCopy(artifacts, datasetVersion, this.deps.config.trainingCacheDir), { ...retry, onRetry });
      input = {
        mode: 'train-stream',
        spec: spec as unknown as Record<string, unknown>,
        device,
        parquetPath,
        schema: storedColumns(datasetVersion.schema),
        wanted,
        stream: {},
        checkpointIntervalMs: this.deps.config.trainingCheckpointIntervalMs,
      };
      await this.event('log', {
        level: 'info',
        message: `streaming ${datasetVersion.rowCount} rows of ${spec.data.dataset} v${spec.data.version} from its Parquet copy (about ${estimateMb} MiB in memory, over the ${budgetMb} MiB budget)`,
      });
    } else {
      if (estimateMb > budgetMb && !canStream.ok) {
        await this.event('log', { level: 'warn', message: `loading ${datasetVersion.rowCount} rows in memory (about ${estimateMb} MiB, over the ${budgetMb} MiB budget): ${canStream.reason}` });
      }
      const table = await withRetry(() => loadDatasetVersionColumns(artifacts, datasetVersion, wanted), { ...retry, onRetry });
      input = { mode: 'train', spec: spec as unknown as Record<string, unknown>, device, table, checkpointIntervalMs: this.deps.config.trainingCheckpointIntervalMs };
      await this.event('log', { level: 'info', message: `loaded ${table.numRows} rows of ${spec.data.dataset} v${spec.data.version}` });
    }

    let checkpoint: Uint8Array | undefined;
    if (this.job.checkpointKey) {
      const key = this.job.checkpointKey;
      checkpoint = await withRetry(() => artifacts.getBytes(key), retry);
      const decoded = decodeCheckpoint(checkpoint).checkpoint;
      const epoch = decoded.epoch;
      const prior = (this.job.metrics.epochs as EpochReport[] | undefined) ?? [];
      this.epochs = prior.filter((e) => e.epoch <= epoch);
      const at = decoded.position ? `; continuing epoch ${epoch + 1} at batch ${decoded.position.batches + 1}` : `; continuing at epoch ${epoch + 1}`;
      await this.event('log', { level: 'info', message: `resuming from the checkpoint of epoch ${epoch}${at}` });
    }
    if (this.cancelRequested) return this.finishCancelled();
    if (this.abort.signal.aborted) throw new LeaseLostError(this.job.id);

    const outcome = await this.trainInThread({ ...input, ...(checkpoint && { checkpoint }) });
    await this.checkpointChain;
    await this.epochChain;
    if (this.leaseLost) throw new LeaseLostError(this.job.id);
    if (this.checkpointError) throw this.checkpointError;
    if (outcome.status === 'cancelled' || this.cancelRequested) return this.finishCancelled();
    await this.commit(spec, datasetVersion.id, outcome);
  }

  private trainInThread(input: ThreadInput): Promise<TrainingOutcome> {
    return new Promise<TrainingOutcome>((resolve, reject) => {
      const thread = startComputeThread(input);
      this.thread = thread;
      if (this.cancelRequested) thread.postMessage({ type: 'cancel' });
      let settled = false;
      const settle = (fn: () => void) => {
        if (!settled) {
          settled = true;
          fn();
        }
      };
      thread.on('message', (m: ThreadMessage) => {
        switch (m.type) {
          case 'log': {
            const message = m.message;
            this.epochChain = this.epochChain.then(() => this.event('log', { level: 'info', message }).catch(() => {}));
            break;
          }
          case 'epoch':
            this.onEpoch(m.report);
            break;
          case 'placement':
            this.onPlacement(m.placement);
            break;
          case 'checkpoint':
            this.onCheckpoint(m.epoch, m.bytes);
            break;
          case 'done':
            settle(() => resolve({ ...m.outcome, ...(m.bundle && { bundle: m.bundle }) } as TrainingOutcome));
            break;
          case 'evaluated':
            break;
          case 'error':
            settle(() => reject(new JobFailure(m.message)));
            break;
        }
      });
      thread.on('error', (err) => settle(() => reject(new JobFailure(`the training thread crashed: ${err.message}`))));
      thread.on('exit', (code) => {
        settle(() => {
          if (this.leaseLost || this.abort.signal.aborted) reject(new LeaseLostError(this.job.id));
          else if (this.cancelRequested) resolve(this.cancelledOutcome());
          else reject(new Error(`the training thread exited (code ${code}) before finishing`));
        });
      });
    });
  }

  private cancelledOutcome(): TrainingOutcome {
    return {
      status: 'cancelled',
      epochsCompleted: this.epochs.length,
      testMetrics: {},
      validationMetrics: {},
      signature: [],
      task: 'binary',
      labelClasses: null,
      rows: { train: 0, validation: 0, test: 0, droppedMissingLabel: 0 },
    };
  }

  private onEpoch(report: EpochReport): void {
    this.epochs.push(report);
    const kind = (this.job.spec.model as { kind?: unknown } | undefined)?.kind;
    this.deps.metrics?.epochSeconds.observe({ kind: typeof kind === 'string' ? kind : 'unknown' }, report.durationMs / 1000);
    const epochs = [...this.epochs];
    const { validation, ...rest } = report;
    const { epoch, trainLoss } = report;
    this.epochChain = this.epochChain.then(async () => {
      try {
        await this.event('metric', { ...rest, ...(validation ?? {}) });
        if (!this.leaseLost) {
          await this.deps.catalog.trainingJobs.updateMetrics(this.job.id, { epochs, epoch, trainLoss, ...(validation ?? {}) });
        }
      } catch (err) {
        this.deps.log('warn', `job ${this.job.id}: recording epoch ${epoch} failed`, { err: String(err) });
      }
    });
  }

  /** Stored with the job's metrics as soon as the thread has chosen its backend, and updated at the end. */
  private onPlacement(placement: JobPlacement): void {
    this.placement = placement;
    this.epochChain = this.epochChain.then(async () => {
      try {
        if (!this.leaseLost) await this.deps.catalog.trainingJobs.updateMetrics(this.job.id, { placement });
      } catch (err) {
        this.deps.log('warn', `job ${this.job.id}: recording its placement failed`, { err: String(err) });
      }
    });
  }

  /** Checkpoints are written one after another, in epoch order; the job row points at the newest durable one. */
  private onCheckpoint(epoch: number, bytes: Uint8Array): void {
    const { catalog, artifacts, config } = this.deps;
    // The thread posts an epoch's report before its checkpoint. A resumed attempt keeps the recorded
    // epochs up to the checkpoint's, so the checkpoint may only become the resume point once its
    // epoch's metrics are recorded: otherwise a kill in between loses that epoch from the job's history.
    const epochRecorded = this.epochChain;
    this.checkpointChain = this.checkpointChain.then(async () => {
      if (this.leaseLost || this.checkpointError) return;
      try {
        const key = artifactKeys.checkpoint(this.job.id, epoch);
        await withRetry(() => artifacts.put(key, bytes, { contentType: 'application/octet-stream' }), { signal: this.abort.signal });
        await epochRecorded;
        const held = await withRetry(() => catalog.trainingJobs.recordCheckpoint(this.job.id, config.workerId, key, epoch), { signal: this.abort.signal });
        if (!held) return this.loseLease();
        const previous = this.lastCheckpointKey;
        this.lastCheckpointKey = key;
        if (!this.sweptCheckpoints) {
          // The first checkpoint of this attempt also removes what an earlier attempt left behind: a
          // worker killed between recording a checkpoint and deleting the one before leaks that file.
          this.sweptCheckpoints = true;
          const prefix = key.slice(0, key.lastIndexOf('/') + 1);
          const stale: string[] = [];
          for await (const e of artifacts.list(prefix)) if (e.key !== key) stale.push(e.key);
          for (const k of stale) await artifacts.delete(k).catch(() => {});
        } else if (previous && previous !== key) await artifacts.delete(previous).catch(() => {});
      } catch (err) {
        this.checkpointError = err;
        this.deps.log('error', `job ${this.job.id}: could not persist the checkpoint of epoch ${epoch}`, { err: String(err) });
        void this.abandon('checkpoint could not be persisted');
      }
    });
  }

  /** Bundle to artifacts first; then version + job success + event in one transaction. */
  private async commit(spec: TrainJobSpec, datasetVersionId: string, outcome: TrainingOutcome): Promise<void> {
    const { catalog, artifacts, config } = this.deps;
    this.finishing = true;
    const bundle = outcome.bundle;
    if (!bundle) throw new JobFailure('training finished without a bundle');
    const { createHash } = await import('node:crypto');
    const sha256 = createHash('sha256').update(bundle).digest('hex');
    // The model row first (idempotent; harmless without versions), so the bytes land under its id.
    const model = await withRetry(
      () => catalog.models.createOrGet({ projectId: this.job.projectId, name: this.job.modelName, task: outcome.task, createdBy: this.job.createdBy }),
      { signal: this.abort.signal },
    );
    const key = artifactKeys.bundle(this.job.projectId, model.id, sha256, 'atelier');
    const put = await withRetry(() => artifacts.put(key, bundle, { contentType: 'application/vnd.atelier.model-bundle' }), { signal: this.abort.signal });
    if (put.sha256 !== sha256 || put.size !== bundle.length) throw new Error(`bundle write mismatch: wrote ${put.size} bytes sha256 ${put.sha256}`);

    const metrics = {
      ...outcome.testMetrics,
      epochs: outcome.epochsCompleted,
    };
    const jobMetrics: Record<string, unknown> = {
      test: outcome.testMetrics,
      validation: outcome.validationMetrics,
      epochs: this.epochs,
      epochsCompleted: outcome.epochsCompleted,
      stoppedEarly: outcome.status === 'early_stopped',
      ...(outcome.bestEpoch !== undefined && { bestEpoch: outcome.bestEpoch }),
      rows: outcome.rows,
      ...(this.placement && { placement: this.placement }),
    };
    if (this.job.tuningJobId) {
      // A trial of a tuning job: the bundle is durable, but only the study's best trial becomes a version
      // (its controller registers it, with lineage to the study); the job records where the bytes are.
      jobMetrics.trialBundle = {
        key,
        sha256,
        size: bundle.length,
        modelId: model.id,
        datasetVersionId,
        signature: { inputs: outcome.signature, task: outcome.task, labelClasses: outcome.labelClasses },
        engineVersion: ENGINE_VERSION,
        worker: config.workerId,
        attempt: this.job.attempts,
      };
      await withRetry(
        () =>
          catalog.transaction(async (tx) => {
            const done = await tx.trainingJobs.finish(this.job.id, config.workerId, { status: 'succeeded', metrics: jobMetrics });
            if (!done) throw new LeaseLostError(this.job.id);
            await tx.trainingJobs.appendEvent(this.job.id, 'state', { status: 'succeeded', metrics: outcome.testMetrics });
          }),
        { signal: this.abort.signal, isPermanent: (e) => e instanceof LeaseLostError },
      );
      if (!(await withRetry(() => artifacts.stat(key), { signal: this.abort.signal }))) {
        await withRetry(() => artifacts.put(key, bundle, { contentType: 'application/vnd.atelier.model-bundle' }), { signal: this.abort.signal });
      }
      this.deps.log('info', `trial job ${this.job.id} of tuning job ${this.job.tuningJobId} succeeded`);
      await this.dropCheckpoints();
      return;
    }
    const version = await withRetry(
      () =>
        catalog.transaction(async (tx) => {
          const v = await tx.models.createVersion({
            modelId: model.id,
            format: 'atelier',
            bundleKey: key,
            bundleSha256: sha256,
            bundleSize: bundle.length,
            signature: { inputs: outcome.signature, task: outcome.task, labelClasses: outcome.labelClasses },
            metrics,
            lineage: {
              datasetVersionId,
              dataset: spec.data,
              trainingJobId: this.job.id,
              spec: this.job.spec,
              engineVersion: ENGINE_VERSION,
              seed: spec.seed ?? 0,
              worker: config.workerId,
              attempt: this.job.attempts,
              ...placementLineage(this.placement),
            },
            createdBy: this.job.createdBy,
          });
          await tx.evaluations.create({
            modelVersionId: v.id,
            datasetVersionId,
            split: 'holdout',
            status: 'completed',
            metrics: outcome.testMetrics,
            ...(outcome.evaluation && {
              slices: outcome.evaluation.slices,
              curves: outcome.evaluation.curves,
              featureImportance: outcome.evaluation.featureImportance,
            }),
          });
          const done = await tx.trainingJobs.finish(this.job.id, config.workerId, { status: 'succeeded', modelVersionId: v.id, metrics: jobMetrics });
          if (!done) throw new LeaseLostError(this.job.id);
          await tx.trainingJobs.appendEvent(this.job.id, 'state', {
            status: 'succeeded',
            modelVersionId: v.id,
            modelVersion: v.version,
            metrics: outcome.testMetrics,
          });
          return v;
        }),
      { signal: this.abort.signal, isPermanent: (e) => e instanceof LeaseLostError },
    );
    // The artifact collector may have removed identical bytes an earlier, killed attempt left (unreferenced
    // then) between our put and our commit: the version must not point at nothing.
    if (!(await withRetry(() => artifacts.stat(key), { signal: this.abort.signal }))) {
      await withRetry(() => artifacts.put(key, bundle, { contentType: 'application/vnd.atelier.model-bundle' }), { signal: this.abort.signal });
    }
    this.deps.log('info', `job ${this.job.id} succeeded: ${this.job.modelName} v${version.version}`);
    await this.dropCheckpoints();
  }

  /**
   * A finished job never resumes: its checkpoint (weights + optimizer state, ~4× the bundle) is garbage.
   * Best effort: if this process dies first, the gateway's artifact collector removes it.
   */
  private async dropCheckpoints(): Promise<void> {
    if (this.job.spec.type === 'evaluate' || this.job.spec.type === 'batch_predict') return;
    try {
      await this.deps.artifacts.deletePrefix(artifactKeys.checkpointPrefix(this.job.id));
    } catch (err) {
      this.deps.log('warn', `job ${this.job.id}: could not remove its checkpoints; the artifact collector will`, { err: String(err) });
    }
  }

  private async finishCancelled(): Promise<void> {
    await this.finishAndRecord({ status: 'cancelled', error: 'cancelled by request' });
  }

  /** End the job (lease-checked) and write its state event in the same transaction. */
  private async finishAndRecord(outcome: { status: 'succeeded' | 'failed' | 'cancelled'; error?: string; metrics?: Record<string, unknown>; event?: Record<string, unknown> }): Promise<void> {
    const { catalog, config } = this.deps;
    this.finishing = true;
    await withRetry(
      () =>
        catalog.transaction(async (tx) => {
          const done = await tx.trainingJobs.finish(this.job.id, config.workerId, {
            status: outcome.status,
            error: outcome.error ?? null,
            ...(outcome.metrics && { metrics: outcome.metrics }),
          });
          if (!done) throw new LeaseLostError(this.job.id);
          await tx.trainingJobs.appendEvent(this.job.id, 'state', {
            status: outcome.status,
            ...(outcome.error && { error: outcome.error }),
            ...(outcome.event ?? {}),
          });
        }),
      { signal: this.abort.signal, isPermanent: (e) => e instanceof LeaseLostError },
    );
    await this.dropCheckpoints();
  }

  private async settleError(err: unknown): Promise<void> {
    await this.epochChain;
    await this.checkpointChain;
    if (err instanceof LeaseLostError || this.leaseLost) {
      this.deps.log('warn', `job ${this.job.id}: ${this.leaseLost ? 'lease lost' : (err as Error).message}`);
      return;
    }
    if (this.abort.signal.aborted) return; // abandoned (shutdown): the lease expires and the job resumes elsewhere
    if (err instanceof JobFailure || err instanceof DatasetLoadError || err instanceof PermanentError) {
      if (this.cancelRequested) return this.finishCancelled().catch(() => {});
      const message = (err as Error).message;
      this.deps.log('warn', `job ${this.job.id} failed: ${message}`);
      await this.finishAndRecord({ status: 'failed', error: message }).catch((e) =>
        this.deps.log('error', `job ${this.job.id}: could not record the failure`, { err: String(e) }),
      );
      return;
    }
    // Infrastructure trouble that outlived the retries: stop; the lease expires and another attempt resumes.
    await this.abandon(`infrastructure error: ${(err as Error)?.message ?? String(err)}`);
  }
}
