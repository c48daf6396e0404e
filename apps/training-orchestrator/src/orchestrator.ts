// The worker loop: probes its GPUs, registers this worker (cores, gpus), claims queued jobs with the catalog's
// SKIP LOCKED claim while it has a free slot and a free core, and runs each in a JobRunner. Workers
// are woken by NOTIFY on job creation and cancel (and poll as a fallback), heartbeat their row, and
// stop by abandoning running jobs: their leases expire and they resume from the last checkpoint.
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog, TrainingJob } from '@atelier/catalog';
import { Registry } from 'prom-client';
import { NOTIFY_CHANNELS, coresOf, createJobSpecChecker } from '@atelier/contracts';
import { probeGpuInventory } from './gpu-inventory.js';
import { GpuPool } from './gpu-pool.js';
import { JobRunner, type RunnerDeps } from './job-runner.js';
import type { OrchestratorConfig } from './orchestrator.config.js';
import { sleep } from './retry.js';
import { TrainingMetrics, jobTypeLabel } from './training-metrics.js';
import { startTuningController } from './tuning-controller.js';
import { TuningMetrics } from './tuning-metrics.js';
import { WakeableDelay } from './wakeable-delay.js';


export interface OrchestratorDeps {
  catalog: Catalog;
  artifacts: ArtifactStore;
  /** Default: console lines prefixed with the worker id (info is silent unless ATELIER_ORCHESTRATOR_VERBOSE). */
  log?: RunnerDeps['log'];
  /** Where the training metrics go (the gateway's registry in the all-in-one process); default: a new one. */
  registry?: Registry;
}

export interface OrchestratorHandle {
  workerId: string;
  config: OrchestratorConfig;
  /** The training metrics' registry. */
  registry: Registry;
  /** Ids of the jobs running here now. */
  running(): string[];
  /** Ids of the tuning jobs (studies) this worker's tuning controller drives now. */
  tuning(): string[];
  /** Stop claiming; abandon running jobs (they resume elsewhere from their last checkpoint). */
  stop(): Promise<void>;
}

function defaultLog(workerId: string): RunnerDeps['log'] {
  const verbose = !!process.env.ATELIER_ORCHESTRATOR_VERBOSE;
  return (level, message, extra) => {
    if (level === 'info' && !verbose) return;
    const line = `[orchestrator ${workerId}] ${level}: ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}`;
    if (level === 'error') console.error(line);
    else console.warn(line);
  };
}

export async function start(configured: OrchestratorConfig, deps: OrchestratorDeps): Promise<OrchestratorHandle> {
  const { catalog, artifacts } = deps;
  const log = deps.log ?? defaultLog(configured.workerId);
  // The GPUs offered: the probe's devices, capped by ATELIER_WORKER_GPUS when it is set.
  const inventory = await probeGpuInventory(configured, log);
  const config: OrchestratorConfig = { ...configured, gpus: inventory.devices.length };
  const gpuPool = new GpuPool(inventory.devices);
  const capabilities = {
    cores: config.cores,
    gpus: config.gpus,
    concurrency: config.concurrency,
    ...(inventory.devices.length > 0 && {
      gpuDevices: inventory.devices.map((d) => ({ index: d.index, name: d.name, totalMemoryBytes: d.totalMemory })),
    }),
    ...(inventory.reason && { gpuProbe: inventory.reason }),
  };
  const registry = deps.registry ?? new Registry();
  const metrics = new TrainingMetrics(registry, catalog);
  const runnerDeps: RunnerDeps = { catalog, artifacts, config, log, metrics, checkSpec: createJobSpecChecker() };
  const runners = new Map<string, { runner: JobRunner; cores: number; done: Promise<void> }>();
  let usedCores = 0;
  let stopping = false;
  const pause = new WakeableDelay();
  const nudge = () => pause.wake();

  await catalog.trainingJobs.upsertWorker(config.workerId, config.hostname, capabilities);
  const unlisten = [
    await catalog.listen(NOTIFY_CHANNELS.trainingJobs, () => nudge()),
    await catalog.listen(NOTIFY_CHANNELS.trainingCancel, (id) => runners.get(id)?.runner.requestCancel()),
  ];
  const heartbeat = setInterval(() => {
    catalog.trainingJobs.heartbeatWorker(config.workerId).then(
      (known) => {
        if (!known) return catalog.trainingJobs.upsertWorker(config.workerId, config.hostname, capabilities);
      },
      (err) => log('warn', 'worker heartbeat failed', { err: String(err) }),
    );
  }, Math.max(100, Math.floor(config.leaseTtlMs / 3)));
  heartbeat.unref();

  const launch = (job: TrainingJob) => {
    // A job never gets more cores than the worker has; the claim loop only claims with a core free,
    // and a job needing more waits (holding its lease) until enough are free — see `reserve` below.
    const cores = Math.min(coresOf(job.spec), config.cores);
    // One GPU per gpu job (claimed only while one is free) and per auto job while one is free; a train
    // job only (evaluations and batch predictions run on CPU).
    const trains = job.spec.type === undefined || job.spec.type === 'train';
    const gpu = trains && job.device !== 'cpu' ? gpuPool.acquire() : undefined;
    const runner = new JobRunner(runnerDeps, job, gpu);
    runner.keepLease();
    const done = (async () => {
      if (usedCores + cores > config.cores) {
        const reason = `claimed by worker ${config.workerId}; waiting for ${cores} free core(s) (${config.cores - usedCores} of ${config.cores} free)`;
        await catalog.trainingJobs.setWaitingReason(job.id, reason).catch(() => {});
        await reserve(cores);
        await catalog.trainingJobs.setWaitingReason(job.id, null).catch(() => {});
      } else {
        await reserve(cores);
      }
      const started = performance.now();
      try {
        await runner.run();
      } finally {
        const type = jobTypeLabel(job.spec);
        const final = await catalog.trainingJobs.findById(job.id).catch(() => undefined);
        const outcome = final && final.status !== 'running' && final.status !== 'queued' ? final.status : 'abandoned';
        metrics.jobSeconds.observe({ type, outcome }, (performance.now() - started) / 1000);
        usedCores -= cores;
        if (gpu !== undefined) gpuPool.release(gpu);
        runners.delete(job.id);
        nudge();
      }
    })();
    runners.set(job.id, { runner, cores, done });
  };

  const coreWaiters: Array<() => void> = [];
  async function reserve(cores: number): Promise<void> {
    while (usedCores + cores > config.cores && !stopping) await new Promise<void>((r) => coreWaiters.push(r));
    usedCores += cores;
  }
  const releaseWaiters = () => {
    for (const w of coreWaiters.splice(0)) w();
  };

  // Every worker also runs a tuning controller: studies are leased like jobs, so any live worker resumes one.
  const tuning = await startTuningController({ catalog, artifacts, config, log, metrics: new TuningMetrics(registry, catalog) });

  const loop = (async () => {
    while (!stopping) {
      releaseWaiters();
      let claimed = false;
      if (runners.size < config.concurrency && usedCores < config.cores) {
        try {
          // Only free GPUs are offered: a gpu job waits in the queue until one is free here (or elsewhere).
          const job = await catalog.trainingJobs.claimNext(config.workerId, { leaseMs: config.leaseTtlMs, capabilities: { gpus: gpuPool.freeCount } });
          if (job && runners.has(job.id)) {
            // Cannot happen while runners keep their leases; never run one job twice here.
            log('error', `claimed job ${job.id} that already runs here; ignoring the claim`);
          } else if (job && !stopping) {
            log('info', `claimed job ${job.id} (attempt ${job.attempts})`);
            // Queue wait: creation to first claim (a resumed attempt waited for a lease to expire instead).
            if (job.attempts === 1) metrics.queueWaitSeconds.observe({ type: jobTypeLabel(job.spec) }, Math.max(0, Date.now() - job.createdAt.getTime()) / 1000);
            launch(job);
            claimed = true;
          }
        } catch (err) {
          log('warn', 'claiming a job failed; retrying', { err: String(err) });
        }
      }
      if (claimed) continue;
      await pause.wait(config.pollIntervalMs);
    }
  })();

  let stopped: Promise<void> | undefined;
  return {
    workerId: config.workerId,
    config,
    registry,
    running: () => [...runners.keys()],
    tuning: () => tuning.running(),
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        nudge();
        clearInterval(heartbeat);
        await tuning.stop();
        await loop;
        await Promise.all([...runners.values()].map((r) => r.runner.abandon('the worker is stopping')));
        releaseWaiters();
        await Promise.all([...runners.values()].map((r) => r.done.catch(() => {})));
        for (const u of unlisten) await u().catch(() => {});
        await sleep(0);
      })()),
  };
}
