// The tuning controller: every orchestrator runs one. It claims tuning jobs (leased studies, SKIP
// LOCKED, like training jobs) and drives each with a StudyRunner, whose every step reads the study and
// its trials from the catalog and acts on them: ASHA stops bad trials at rung boundaries (through the
// training jobs' cancel), new trials are proposed (random / aging evolution, seeded per trial index)
// while fewer than min(parallelism, what the live workers can run) are unfinished, the best so far and
// the aging population are announced as events, and at the end the best trial's bundle is registered as
// a model version. All state is in the catalog: a controller killed at any point loses its lease, and
// the next one to claim the study carries on from the same rows — completed trials are kept, running
// trials keep running on their workers, and a trial index is created at most once (unique index).
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog, TrainingJob, TuningJob, Worker } from '@atelier/catalog';
import { NOTIFY_CHANNELS, coresOf, type JobPlacement, type TrialState, type TuningEventPayloads, type TuningEventType, type TuningJobSpec } from '@atelier/contracts';
import {
  AGING_DEFAULTS,
  agingPopulation,
  applyParams,
  ashaDecide,
  ashaRungs,
  bestTrial,
  pendingRung,
  proposeTrial,
  trialRng,
  type CompletedTrial,
  type SpaceParameter,
  type TrialCurve,
} from '@atelier/engine';
import type { OrchestratorConfig } from './orchestrator.config.js';
import { placementLineage } from './placement-lineage.js';
import type { RunnerDeps } from './job-runner.js';
import type { TuningMetrics } from './tuning-metrics.js';
import { WakeableDelay } from './wakeable-delay.js';

/** Workers heard from within this window count when sizing a study's parallelism. */
const LIVE_WORKER_MS = 30_000;
const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
const DEFAULT_ASHA_MAX_EPOCHS = 300;

export interface ControllerDeps {
  catalog: Catalog;
  artifacts: ArtifactStore;
  config: OrchestratorConfig;
  log: RunnerDeps['log'];
  metrics?: TuningMetrics;
}

/** A trial as the study sees it. */
export interface TrialView {
  index: number;
  job: TrainingJob;
  state: TrialState;
  params: Record<string, unknown>;
  objective: number | null;
  curve: number[];
}

const metricKey = (metric: string) => `val_${metric.replace(/^val_/, '')}`;

/** The objective of a finished trial: its validation metric (the holdout's when there was no validation split). */
export function trialObjective(job: TrainingJob, metric: string): number | null {
  if (job.status !== 'succeeded') return null;
  const validation = (job.metrics.validation ?? {}) as Record<string, unknown>;
  const test = (job.metrics.test ?? {}) as Record<string, unknown>;
  const v = validation[metricKey(metric)] ?? test[metric.replace(/^val_/, '')];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The trial's objective metric after each epoch (boosting round), from its recorded epoch reports. */
export function trialCurve(job: TrainingJob, metric: string): number[] {
  const epochs = (job.metrics.epochs ?? []) as Array<{ epoch?: number; validation?: Record<string, unknown> }>;
  if (!Array.isArray(epochs)) return [];
  const key = metricKey(metric);
  const out: number[] = [];
  for (const e of epochs) {
    if (typeof e?.epoch !== 'number') continue;
    const v = e.validation?.[key];
    out[e.epoch - 1] = typeof v === 'number' ? v : NaN;
  }
  for (let i = 0; i < out.length; i++) if (out[i] === undefined) out[i] = NaN;
  return out;
}

export function trialView(job: TrainingJob, metric: string): TrialView {
  const state: TrialState = job.trialStop && FINAL.has(job.status) ? 'stopped' : job.status;
  return { index: job.trialIndex ?? -1, job, state, params: job.trialParams ?? {}, objective: trialObjective(job, metric), curve: trialCurve(job, metric) };
}

/** How many trials the live workers can run at once: per worker min(concurrency, cores / trial cores). */
export function workerCapacity(workers: readonly Worker[], trialCores: number): number {
  let total = 0;
  for (const w of workers) {
    const cores = Math.max(1, Number(w.capabilities.cores) || 1);
    const concurrency = Math.max(1, Number(w.capabilities.concurrency) || 1);
    total += Math.min(concurrency, Math.max(1, Math.floor(cores / Math.min(trialCores, cores))));
  }
  return total;
}

export class StudyRunner {
  private stopped = false;
  private leaseLost = false;
  private timer?: NodeJS.Timeout;
  private readonly emitted = new Set<string>();
  private population: number[] | undefined;
  private readonly spec: TuningJobSpec;
  private readonly direction: 'maximize' | 'minimize';
  private readonly rungs: number[];
  private readonly pause = new WakeableDelay();

  constructor(
    private readonly deps: ControllerDeps,
    private job: TuningJob,
  ) {
    this.spec = job.spec as unknown as TuningJobSpec;
    this.direction = this.spec.objective.direction;
    const es = this.spec.earlyStopping;
    const baseMax = typeof this.spec.base.maxEpochs === 'number' ? this.spec.base.maxEpochs : DEFAULT_ASHA_MAX_EPOCHS;
    this.rungs = es ? ashaRungs(es.minEpochs ?? 1, es.reductionFactor ?? 3, es.maxEpochs ?? baseMax) : [];
  }

  get id(): string {
    return this.job.id;
  }

  /** Look now (a trial or the study changed). */
  nudge(): void {
    this.pause.wake();
  }

  /** Stop driving the study without settling it (shutdown or a lost lease): another controller resumes it. */
  abandon(): void {
    this.stopped = true;
    this.pause.wake();
  }

  async run(): Promise<void> {
    const { catalog, config, log } = this.deps;
    this.timer = setInterval(() => {
      catalog.tuningJobs.renewLease(this.job.id, config.workerId, config.leaseTtlMs).then(
        (held) => {
          if (!held && !this.stopped) {
            this.leaseLost = true;
            this.abandon();
          }
        },
        (err) => log('warn', `lease renewal for tuning job ${this.job.id} failed; retrying`, { err: String(err) }),
      );
    }, Math.max(50, Math.floor(config.leaseTtlMs / 3)));
    this.timer.unref();
    try {
      // What earlier controllers already announced, so a resumed study does not repeat itself.
      for (const e of await catalog.tuningJobs.listEvents(this.job.id, { type: 'trial', limit: 100_000 })) this.emitted.add(`${e.payload.trial}:${e.payload.state}`);
      const lastPopulation = (await catalog.tuningJobs.listEvents(this.job.id, { type: 'population', limit: 100_000 })).at(-1);
      if (lastPopulation) this.population = lastPopulation.payload.members as number[];
      await this.event('state', { status: 'running', worker: config.workerId, attempt: this.job.attempts });
      while (!this.stopped) {
        let finished = false;
        try {
          finished = await this.step();
        } catch (err) {
          log('warn', `tuning job ${this.job.id}: a step failed; retrying`, { err: String(err) });
        }
        if (finished) break;
        await this.pause.wait(Math.min(config.pollIntervalMs, 500));
      }
    } finally {
      clearInterval(this.timer);
      if (this.leaseLost) log('warn', `tuning job ${this.job.id}: lease lost; another controller resumes it`);
    }
  }

  private async event<T extends TuningEventType>(type: T, payload: TuningEventPayloads[T]): Promise<void> {
    await this.deps.catalog.tuningJobs.appendEvent(this.job.id, type, payload as Record<string, unknown>);
  }

  /** One look at the study; true once it is settled. */
  async step(): Promise<boolean> {
    const { catalog } = this.deps;
    const job = await catalog.tuningJobs.findById(this.job.id);
    if (!job || job.status !== 'running' || job.leaseOwner !== this.deps.config.workerId) {
      this.leaseLost = true;
      this.stopped = true;
      return true;
    }
    this.job = job;
    const metric = this.spec.objective.metric;
    const trials = (await catalog.tuningJobs.trials(job.id)).map((t) => trialView(t, metric));

    if (job.cancelRequestedAt) return this.cancelStudy(trials);
    await this.announce(trials);
    await this.applyAsha(trials);
    await this.launchTrials(trials);
    const all = (await catalog.tuningJobs.trials(job.id)).map((t) => trialView(t, metric));
    await this.announce(all);
    if (all.length >= this.spec.maxTrials && all.every((t) => FINAL.has(t.job.status))) return this.finishStudy(all);
    return false;
  }

  /** Trial state changes, the aging population, the best so far: each said once. */
  private async announce(trials: TrialView[]): Promise<void> {
    const { catalog, config } = this.deps;
    for (const t of trials) {
      const key = `${t.index}:${t.state}`;
      if (this.emitted.has(key) || t.state === 'queued') continue;
      this.emitted.add(key);
      const stop = t.job.trialStop as { rung?: number; epoch?: number } | null;
      await this.event('trial', {
        trial: t.index,
        state: t.state,
        trainingJobId: t.job.id,
        params: t.params,
        ...(FINAL.has(t.job.status) && { objective: t.objective }),
        ...(t.state === 'stopped' && stop && { rung: stop.rung, epoch: stop.epoch }),
        ...(t.state === 'failed' && { error: t.job.error }),
      });
      if (FINAL.has(t.job.status) || t.state === 'stopped') this.deps.metrics?.trialsFinished.inc({ state: t.state });
    }
    const completed = completionOrder(trials);
    if (this.spec.strategy.kind === 'aging_evolution') {
      const size = this.spec.strategy.populationSize ?? AGING_DEFAULTS.populationSize;
      const members = agingPopulation(completed, size).map((t) => t.index);
      const before = this.population ?? [];
      if (JSON.stringify(members) !== JSON.stringify(before)) {
        const joined = members.find((m) => !before.includes(m));
        const died = before.find((m) => !members.includes(m)) ?? null;
        this.population = members;
        await this.event('population', { members, ...(joined !== undefined && { joined }), died });
      }
    }
    const best = bestTrial(completed, this.direction);
    if (best && best.objective !== null && (this.job.bestTrialIndex !== best.index || this.job.bestObjective !== best.objective)) {
      if (await catalog.tuningJobs.recordBest(this.job.id, config.workerId, best.index, best.objective)) {
        this.job = { ...this.job, bestTrialIndex: best.index, bestObjective: best.objective };
        await this.event('best', { trial: best.index, objective: best.objective, params: best.params });
      }
    }
  }

  /** ASHA: each running trial that reached its next rung is promoted or stopped (cancel at the rung boundary). */
  private async applyAsha(trials: TrialView[]): Promise<void> {
    const es = this.spec.earlyStopping;
    if (!es || this.rungs.length === 0) return;
    const { catalog } = this.deps;
    const curves: TrialCurve[] = trials.map((t) => ({ index: t.index, values: t.curve }));
    for (const t of trials) {
      if (t.job.status !== 'running' || t.job.trialStop) continue;
      let passed = t.job.trialRung;
      for (let rung = pendingRung(this.rungs, passed, t.curve.length); rung !== undefined; rung = pendingRung(this.rungs, passed, t.curve.length)) {
        const decision = ashaDecide({
          rungs: this.rungs,
          rung,
          reductionFactor: es.reductionFactor ?? 3,
          direction: this.direction,
          trial: { index: t.index, values: t.curve },
          others: curves,
        });
        if (decision.action === 'continue') {
          await catalog.tuningJobs.recordTrialRung(t.job.id, rung);
          passed = rung;
          continue;
        }
        // The reason first, then the cancel: a controller killed in between still knows why it stopped.
        await catalog.tuningJobs.recordTrialStop(t.job.id, { rung: decision.rung, epoch: decision.epoch, value: decision.value, cutoff: decision.cutoff, competitors: decision.competitors });
        await catalog.trainingJobs.requestCancel(t.job.id);
        await catalog.notify(NOTIFY_CHANNELS.trainingCancel, t.job.id).catch(() => {});
        this.deps.metrics?.ashaStops.inc();
        await this.event('log', { level: 'info', message: `ASHA stopped trial ${t.index} at rung ${decision.rung} (epoch ${decision.epoch}): ${decision.value} vs cutoff ${decision.cutoff} of ${decision.competitors}` });
        break;
      }
    }
  }

  /** Propose and queue trials while the study has budget and free capacity. */
  private async launchTrials(trials: TrialView[]): Promise<void> {
    const { catalog } = this.deps;
    const trialCores = coresOf(this.spec.base);
    const workers = await catalog.trainingJobs.listLiveWorkers(LIVE_WORKER_MS);
    const capacity = Math.max(1, workerCapacity(workers, trialCores));
    const parallelism = Math.min(this.spec.parallelism, capacity);
    let unfinished = trials.filter((t) => !FINAL.has(t.job.status)).length;
    let next = trials.length;
    const completed = completionOrder(trials);
    while (unfinished < parallelism && next < this.spec.maxTrials && !this.stopped) {
      const proposal = proposeTrial({
        space: this.spec.searchSpace as SpaceParameter[],
        strategy: this.spec.strategy,
        direction: this.direction,
        index: next,
        completed,
        rng: trialRng(this.spec.seed, next),
      });
      const spec = applyParams(this.spec.base, proposal.params);
      const device = (typeof spec.device === 'string' ? spec.device : 'auto') as 'cpu' | 'gpu' | 'auto';
      const { trial, created } = await catalog.transaction(async (tx) => {
        const out = await tx.tuningJobs.createTrial({
          tuningJobId: this.job.id,
          projectId: this.job.projectId,
          modelName: this.job.modelName,
          index: next,
          params: proposal.params,
          spec,
          device,
          createdBy: this.job.createdBy,
        });
        if (out.created) {
          await tx.trainingJobs.appendEvent(out.trial.id, 'state', { status: 'queued' });
          await tx.tuningJobs.appendEvent(this.job.id, 'trial', {
            trial: next,
            state: 'queued',
            trainingJobId: out.trial.id,
            params: proposal.params,
            parentTrial: proposal.parent ?? null,
            origin: proposal.origin,
            ...(proposal.sample && { sample: proposal.sample }),
            ...(proposal.mutated && { mutated: proposal.mutated }),
          });
        }
        return out;
      });
      if (created) {
        this.deps.metrics?.trialsCreated.inc();
        await catalog.notify(NOTIFY_CHANNELS.trainingJobs, trial.id).catch(() => {});
      }
      unfinished++;
      next++;
    }
  }

  private async cancelStudy(trials: TrialView[]): Promise<boolean> {
    const { catalog, config } = this.deps;
    for (const t of trials) {
      if (FINAL.has(t.job.status)) continue;
      await catalog.trainingJobs.requestCancel(t.job.id);
      if (t.job.status === 'queued') await catalog.trainingJobs.appendEvent(t.job.id, 'state', { status: 'cancelled', error: 'its tuning job was cancelled' }).catch(() => {});
      await catalog.notify(NOTIFY_CHANNELS.trainingCancel, t.job.id).catch(() => {});
    }
    const fresh = (await catalog.tuningJobs.trials(this.job.id)).map((t) => trialView(t, this.spec.objective.metric));
    await this.announce(fresh);
    if (fresh.some((t) => !FINAL.has(t.job.status))) return false; // wait for running trials to stop
    await catalog.transaction(async (tx) => {
      const done = await tx.tuningJobs.finish(this.job.id, config.workerId, { status: 'cancelled', error: 'cancelled by request' });
      if (done) await tx.tuningJobs.appendEvent(this.job.id, 'state', { status: 'cancelled', error: 'cancelled by request' });
    });
    return true;
  }

  /** Every trial has finished: register the best one as a version of the study's model, in one transaction with the study's success. */
  private async finishStudy(trials: TrialView[]): Promise<boolean> {
    const { catalog, artifacts, config, log } = this.deps;
    const best = bestTrial(completionOrder(trials), this.direction);
    const bestView = best && trials.find((t) => t.index === best.index);
    const bundle = bestView?.job.metrics.trialBundle as
      | { key: string; sha256: string; size: number; modelId: string; datasetVersionId: string; signature: Record<string, unknown>; engineVersion: string }
      | undefined;
    if (!best || !bestView || !bundle) {
      const error = `no trial succeeded with a value of ${this.spec.objective.metric} (${trials.length} trials: ${countStates(trials)})`;
      await catalog.transaction(async (tx) => {
        const done = await tx.tuningJobs.finish(this.job.id, config.workerId, { status: 'failed', error });
        if (done) await tx.tuningJobs.appendEvent(this.job.id, 'state', { status: 'failed', error });
      });
      log('warn', `tuning job ${this.job.id} failed: ${error}`);
      return true;
    }
    if (!(await artifacts.stat(bundle.key))) throw new Error(`the best trial's bundle ${bundle.key} is missing`);
    const test = (bestView.job.metrics.test ?? {}) as Record<string, number>;
    const epochsCompleted = bestView.job.metrics.epochsCompleted;
    const version = await catalog.transaction(async (tx) => {
      const v = await tx.models.createVersion({
        modelId: bundle.modelId,
        format: 'atelier',
        bundleKey: bundle.key,
        bundleSha256: bundle.sha256,
        bundleSize: bundle.size,
        signature: bundle.signature,
        metrics: { ...test, ...(typeof epochsCompleted === 'number' && { epochs: epochsCompleted }) },
        lineage: {
          datasetVersionId: bundle.datasetVersionId,
          dataset: bestView.job.spec.data,
          trainingJobId: bestView.job.id,
          tuningJobId: this.job.id,
          trial: best.index,
          params: best.params,
          objective: { ...this.spec.objective, value: best.objective },
          spec: bestView.job.spec,
          engineVersion: bundle.engineVersion,
          seed: (bestView.job.spec.seed as number | undefined) ?? 0,
          ...placementLineage(bestView.job.metrics.placement as JobPlacement | undefined),
        },
        createdBy: this.job.createdBy,
      });
      await tx.evaluations.create({ modelVersionId: v.id, datasetVersionId: bundle.datasetVersionId, split: 'holdout', status: 'completed', metrics: test });
      await tx.db.updateTable('training_jobs').set({ model_version_id: v.id }).where('id', '=', bestView.job.id).execute();
      const done = await tx.tuningJobs.finish(this.job.id, config.workerId, { status: 'succeeded', modelVersionId: v.id });
      if (!done) throw new Error('lost the lease of the study while registering its best trial');
      await tx.tuningJobs.appendEvent(this.job.id, 'state', { status: 'succeeded', bestTrial: best.index, modelVersionId: v.id, modelVersion: v.version, objective: best.objective });
      return v;
    });
    log('info', `tuning job ${this.job.id} succeeded: trial ${best.index} registered as ${this.job.modelName} v${version.version}`);
    return true;
  }
}

/** Succeeded trials in the order they finished (oldest first; index breaks ties), with their objectives. */
export function completionOrder(trials: readonly TrialView[]): CompletedTrial[] {
  return trials
    .filter((t) => t.state === 'succeeded')
    .sort((a, b) => (a.job.finishedAt?.getTime() ?? 0) - (b.job.finishedAt?.getTime() ?? 0) || a.index - b.index)
    .map((t) => ({ index: t.index, params: t.params, objective: t.objective }));
}

function countStates(trials: readonly TrialView[]): string {
  const counts = new Map<string, number>();
  for (const t of trials) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}

/** The controller loop: claims studies while running, drives each with a StudyRunner. */
export async function startTuningController(deps: ControllerDeps): Promise<{ running(): string[]; stop(): Promise<void> }> {
  const { catalog, config, log } = deps;
  const studies = new Map<string, { runner: StudyRunner; done: Promise<void> }>();
  let stopping = false;
  const pause = new WakeableDelay();
  const unlisten = [
    await catalog.listen(NOTIFY_CHANNELS.tuningJobs, (id) => {
      studies.get(id)?.runner.nudge();
      pause.wake();
    }),
  ];
  const loop = (async () => {
    while (!stopping) {
      let claimed = false;
      try {
        const job = await catalog.tuningJobs.claimNext(config.workerId, config.leaseTtlMs);
        if (job && !studies.has(job.id) && !stopping) {
          log('info', `claimed tuning job ${job.id} (attempt ${job.attempts})`);
          const runner = new StudyRunner(deps, job);
          const done = runner.run().finally(() => studies.delete(job.id));
          studies.set(job.id, { runner, done });
          claimed = true;
        }
      } catch (err) {
        log('warn', 'claiming a tuning job failed; retrying', { err: String(err) });
      }
      if (claimed) continue;
      await pause.wait(config.pollIntervalMs);
    }
  })();
  return {
    running: () => [...studies.keys()],
    async stop() {
      stopping = true;
      pause.wake();
      await loop;
      const held = [...studies.keys()];
      for (const { runner } of studies.values()) runner.abandon();
      await Promise.all([...studies.values()].map((s) => s.done.catch(() => {})));
      // Hand the studies over at once instead of waiting for their leases to expire.
      for (const id of held) await catalog.tuningJobs.release(id, config.workerId).catch(() => {});
      for (const u of unlisten) await u().catch(() => {});
    },
  };
}
