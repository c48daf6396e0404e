// GPU training jobs end to end, over HTTP: a worker offering a GPU trains a `device: gpu` job on
// engine-gpu's CUDA backend and the API shows where (device, backend, GPU name, memory peak), the
// version's lineage records it, and the bundle predicts on CPU like the same job trained on CPU. This
// machine has no GPU: the GPU addon is engine-gpu's host emulator (ATELIER_ENGINE_GPU_ADDON=emulator),
// the one fake allowed, standing in for the CUDA addon under the real backend, thread and job runner.
// Also: a gpu job whose GPU cannot be used fails naming why; a worker configured with more GPUs than
// the probe finds offers what it found; a CPU job's placement says so.
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from './gateway.js';
import { start as startOrchestrator, orchestratorConfigFromEnv, type OrchestratorHandle } from '../apps/training-orchestrator/src/index.js';
import { syntheticCsv } from '../apps/training-orchestrator/src/testing/fixtures.js';
import { bundlePredictFn } from '../apps/training-orchestrator/src/evaluation-core.js';

let gw: TestGateway;
let editor: { authorization: string };
const P = '/v1/projects/gpu';
const json = (res: { body: string }) => JSON.parse(res.body);
const savedAddon = process.env.ATELIER_ENGINE_GPU_ADDON;
const running: OrchestratorHandle[] = [];
const CSV = syntheticCsv(240);

const spec = (over: Record<string, unknown> = {}) => ({
  modelName: 'churn-gpu',
  data: { dataset: 'customers', version: 1 },
  label: 'churned',
  features: [
    { name: 'age', type: 'numeric', transform: 'standardize' },
    { name: 'income', type: 'numeric', transform: 'standardize' },
    { name: 'city', type: 'categorical', transform: 'vocabulary' },
  ],
  model: { kind: 'mlp', hyperparameters: { hiddenUnits: [16, 8] } },
  split: { method: 'random', fractions: { train: 0.7, validation: 0.15, test: 0.15 }, seed: 3 },
  device: 'gpu',
  maxEpochs: 2,
  batchSize: 32,
  optimizer: { kind: 'adam', lr: 0.01 },
  seed: 9,
  ...over,
});

async function submit(body: Record<string, unknown>): Promise<string> {
  const res = await gw.app.inject({ method: 'POST', url: `${P}/training-jobs`, headers: editor, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return json(res).id;
}

const getJob = async (id: string) => json(await gw.app.inject({ url: `${P}/training-jobs/${id}`, headers: editor }));

async function waitFinished(id: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(id);
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status} after ${timeoutMs} ms (error ${job.error})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A worker as a deployment starts one: its settings from env (ATELIER_WORKER_GPUS among them). */
async function startWorker(env: Record<string, string>, lines: string[] = []): Promise<OrchestratorHandle> {
  const config = orchestratorConfigFromEnv({ ATELIER_WORKER_CORES: '2', ATELIER_LEASE_TTL_MS: '3000', ATELIER_POLL_INTERVAL_MS: '100', ATELIER_CANCEL_POLL_MS: '200', ...env });
  const handle = await startOrchestrator(config, { catalog: gw.catalog, artifacts: gw.artifacts, log: (level, message) => lines.push(`${level}: ${message}`) });
  running.push(handle);
  return handle;
}

async function stopWorkers(): Promise<void> {
  for (const w of running.splice(0)) await w.stop();
}

/** Predictions of a version's bundle on CPU (the engine's active backend in this process), for the CSV's first rows. */
/** The largest |a[i] - b[i]|, after checking both are probabilities of the same length. */
function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a).toHaveLength(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    expect(a[i]).toBeGreaterThan(0);
    expect(a[i]).toBeLessThan(1);
    max = Math.max(max, Math.abs(a[i] - b[i]));
  }
  return max;
}

async function predictOnCpu(modelVersionId: string, rows: number): Promise<Float32Array> {
  const version = await gw.catalog.models.getVersionById(modelVersionId);
  const bp = bundlePredictFn(new Uint8Array(await gw.artifacts.getBytes(version.bundleKey)));
  try {
    const lines = CSV.trim().split('\n').slice(1, rows + 1).map((l) => l.split(','));
    const columns = {
      age: Float64Array.from(lines, (c) => (c[2] === '' ? NaN : Number(c[2]))),
      income: Float64Array.from(lines, (c) => Number(c[3])),
      city: lines.map((c) => c[4]),
    };
    return bp.predict(columns, rows);
  } finally {
    bp.dispose();
  }
}

beforeAll(async () => {
  gw = await createTestGateway();
  await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'gpu' } });
  const key = await gw.app.inject({ method: 'POST', url: `${P}/api-keys`, headers: gw.adminAuth, payload: { name: 'ci', role: 'editor' } });
  editor = { authorization: `Bearer ${json(key).secret}` };
  expect((await gw.app.inject({ method: 'POST', url: `${P}/datasets`, headers: editor, payload: { name: 'customers' } })).statusCode).toBe(201);
  const upload = await gw.app.inject({ method: 'POST', url: `${P}/datasets/customers/versions`, headers: { ...editor, 'content-type': 'text/csv' }, payload: Readable.from([Buffer.from(CSV)]) });
  expect(upload.statusCode, upload.body).toBe(201);
});

afterEach(async () => {
  await stopWorkers();
  if (savedAddon === undefined) delete process.env.ATELIER_ENGINE_GPU_ADDON;
  else process.env.ATELIER_ENGINE_GPU_ADDON = savedAddon;
});

afterAll(async () => {
  await stopWorkers();
  await gw?.close();
});

describe('GPU training jobs', () => {
  it('trains a device gpu job on the CUDA backend (host emulator), shows its placement, and its bundle predicts on CPU like the CPU-trained one', async () => {
    // Read by the probe at start and by the job's training thread (threads copy process.env when they start).
    process.env.ATELIER_ENGINE_GPU_ADDON = 'emulator';
    const { gpuStatus } = await import('@atelier/engine-gpu');
    const emulated = await gpuStatus({ ATELIER_ENGINE_GPU_ADDON: 'emulator' });
    expect(emulated.devices.length).toBeGreaterThanOrEqual(1);
    const worker = await startWorker({ ATELIER_WORKER_ID: 'gpu-w1', ATELIER_WORKER_GPUS: '1' });
    expect(worker.config.gpus).toBe(1);
    const registered = (await gw.catalog.trainingJobs.listLiveWorkers(30_000)).find((w) => w.id === 'gpu-w1');
    expect(registered?.capabilities).toMatchObject({ gpus: 1, gpuDevices: [{ index: 0, name: emulated.devices[0].name }] });

    const gpuJob = await waitFinished(await submit(spec()));
    expect(gpuJob.error).toBeNull();
    expect(gpuJob.status).toBe('succeeded');
    const placement = gpuJob.metrics.placement;
    expect(placement).toMatchObject({
      device: 'gpu',
      backend: 'cuda',
      worker: 'gpu-w1',
      gpu: { index: 0, name: emulated.devices[0].name, computeCapability: emulated.devices[0].computeCapability, totalMemoryBytes: emulated.devices[0].totalMemory, precision: 'tf32' },
    });
    expect(placement.fallbackReason).toBeUndefined();
    expect(placement.gpu.memoryPeakBytes).toBeGreaterThan(0);
    expect(placement.gpu.memoryPeakBytes).toBeLessThanOrEqual(placement.gpu.totalMemoryBytes);
    expect(placement.gpu.cudaGraphs.capturedSteps + placement.gpu.cudaGraphs.replayedSteps).toBeLessThanOrEqual(gpuJob.metrics.epochs.reduce((s: number, e: any) => s + e.steps, 0));
    // Each epoch's report carries the GPU's memory.
    expect(gpuJob.metrics.epochs).toHaveLength(2);
    for (const e of gpuJob.metrics.epochs) expect(e.gpu.memoryPeakBytes).toBeGreaterThan(0);
    const logs = (await gw.catalog.trainingJobs.listEvents(gpuJob.id)).filter((e) => e.type === 'log').map((e) => String(e.payload.message));
    expect(logs.some((m) => m.startsWith('engine backend: cuda on GPU 0') && m.includes('host emulator'))).toBe(true);
    // The train split fits: kept on the device, batches gathered there.
    expect(logs.filter((m) => m.startsWith('train batches:'))).toEqual([expect.stringContaining('resident on the GPU')]);

    // The version's lineage says where it trained.
    const version = json(await gw.app.inject({ url: `${P}/models/churn-gpu/versions/1`, headers: editor }));
    expect(version.lineage).toMatchObject({ trainingJobId: gpuJob.id, device: 'gpu', backend: 'cuda', gpuName: emulated.devices[0].name });

    // The same job on CPU: its placement says so, and the two bundles predict alike on CPU.
    const cpuJob = await waitFinished(await submit(spec({ device: 'cpu', modelName: 'churn-cpu' })));
    expect(cpuJob.status).toBe('succeeded');
    const { nativeCpuStatus } = await import('@atelier/engine-cpu');
    expect(cpuJob.metrics.placement).toEqual({ device: 'cpu', backend: nativeCpuStatus().loaded ? 'native-cpu' : 'cpu', worker: 'gpu-w1' });
    expect(cpuJob.metrics.epochs[0].gpu).toBeUndefined();
    const cpuVersion = json(await gw.app.inject({ url: `${P}/models/churn-cpu/versions/1`, headers: editor }));
    expect(cpuVersion.lineage).toMatchObject({ device: 'cpu', backend: cpuJob.metrics.placement.backend });
    expect(cpuVersion.lineage.gpuName).toBeUndefined();

    // TF32 GEMMs (the default precision) keep 10 mantissa bits: close to the CPU's float32, not equal.
    const fromCpu = await predictOnCpu(cpuJob.modelVersionId, 64);
    const fromGpu = await predictOnCpu(gpuJob.modelVersionId, 64);
    expect(maxAbsDiff(fromGpu, fromCpu)).toBeLessThan(5e-3);

    // With fp32 GEMMs the GPU-trained bundle predicts on CPU like the CPU-trained one, within 1e-4.
    process.env.ATELIER_GPU_PRECISION = 'fp32'; // read by the job's training thread
    let fp32Job;
    try {
      fp32Job = await waitFinished(await submit(spec({ modelName: 'churn-gpu-fp32' })));
    } finally {
      delete process.env.ATELIER_GPU_PRECISION;
    }
    expect(fp32Job.status).toBe('succeeded');
    expect(fp32Job.metrics.placement).toMatchObject({ device: 'gpu', backend: 'cuda', gpu: { precision: 'fp32' } });
    expect(maxAbsDiff(await predictOnCpu(fp32Job.modelVersionId, 64), fromCpu)).toBeLessThan(1e-4);
  });

  it('offers only the GPUs the probe finds when ATELIER_WORKER_GPUS asks for more, and logs both numbers and why', async () => {
    process.env.ATELIER_ENGINE_GPU_ADDON = 'off';
    const lines: string[] = [];
    const worker = await startWorker({ ATELIER_WORKER_ID: 'gpu-off', ATELIER_WORKER_GPUS: '1' }, lines);
    expect(worker.config.gpus).toBe(0);
    expect(lines).toContain('warn: ATELIER_WORKER_GPUS=1 but the GPU probe found 0; offering 0 (disabled by ATELIER_ENGINE_GPU_ADDON=off)');
    // It registers no GPU, so it never claims a gpu job (the job waits in the queue for a GPU worker).
    const id = await submit(spec({ modelName: 'churn-waits' }));
    await new Promise((r) => setTimeout(r, 600));
    expect(await getJob(id)).toMatchObject({ status: 'queued', attempts: 0 });
    const cancelled = json(await gw.app.inject({ method: 'POST', url: `${P}/training-jobs/${id}/cancel`, headers: editor }));
    expect(cancelled.status).toBe('cancelled');
    // An auto job runs here, on CPU, saying why.
    const auto = await waitFinished(await submit(spec({ modelName: 'churn-auto-cpu', device: 'auto' })));
    expect(auto.status).toBe('succeeded');
    expect(auto.metrics.placement).toMatchObject({ device: 'cpu', worker: 'gpu-off', fallbackReason: 'worker gpu-off had no free GPU for this job' });
    expect(auto.metrics.placement.gpu).toBeUndefined();
  });

  it('runs one job per GPU: with more slots than GPUs, a second gpu job waits for the GPU to be free', async () => {
    process.env.ATELIER_ENGINE_GPU_ADDON = 'emulator';
    const worker = await startWorker({ ATELIER_WORKER_ID: 'gpu-shared', ATELIER_WORKER_GPUS: '1', ATELIER_WORKER_CONCURRENCY: '2' });
    expect(worker.config).toMatchObject({ gpus: 1, concurrency: 2 });
    const ids = [await submit(spec({ modelName: 'churn-first' })), await submit(spec({ modelName: 'churn-second' }))];
    const jobs = await Promise.all(ids.map((id) => waitFinished(id)));
    for (const j of jobs) expect(j.metrics.placement).toMatchObject({ device: 'gpu', worker: 'gpu-shared', gpu: { index: 0 } });
    const [a, b] = [...jobs].sort((x, y) => Date.parse(x.startedAt) - Date.parse(y.startedAt));
    expect(Date.parse(b.startedAt)).toBeGreaterThanOrEqual(Date.parse(a.finishedAt));
  });

  it('refuses to start a GPU worker with a bad GPU setting, naming it', async () => {
    process.env.ATELIER_ENGINE_GPU_ADDON = 'emulator';
    process.env.ATELIER_GPU_PRECISION = 'fp8'; // the probe at start reads the process's env
    try {
      await expect(startWorker({ ATELIER_WORKER_ID: 'gpu-bad', ATELIER_WORKER_GPUS: '1' })).rejects.toThrow(/ATELIER_GPU_PRECISION=fp8 must be tf32, bf16 or fp32/);
    } finally {
      delete process.env.ATELIER_GPU_PRECISION;
    }
  });

  it('fails a device gpu job whose GPU cannot be used, naming why, instead of training it on CPU', async () => {
    // The worker saw a GPU at start; by the time the job's thread starts the addon cannot load (the
    // thread reads ATELIER_ENGINE_GPU_ADDON=off): the job must fail with the reason, not run on CPU.
    process.env.ATELIER_ENGINE_GPU_ADDON = 'emulator';
    const worker = await startWorker({ ATELIER_WORKER_ID: 'gpu-lost', ATELIER_WORKER_GPUS: '1' });
    expect(worker.config.gpus).toBe(1);
    process.env.ATELIER_ENGINE_GPU_ADDON = 'off';
    const job = await waitFinished(await submit(spec({ modelName: 'churn-no-gpu' })), 30_000);
    expect(job.status).toBe('failed');
    expect(job.attempts).toBe(1);
    expect(job.error).toBe('device gpu: GPU 0 is not available: disabled by ATELIER_ENGINE_GPU_ADDON=off');
    expect(job.modelVersionId).toBeNull();
    expect(job.metrics.placement).toBeUndefined();
    // The GPU went back to the worker's free list: the next gpu job is claimed and trains.
    process.env.ATELIER_ENGINE_GPU_ADDON = 'emulator';
    const next = await waitFinished(await submit(spec({ modelName: 'churn-after' })));
    expect(next.status).toBe('succeeded');
    expect(next.metrics.placement).toMatchObject({ device: 'gpu', backend: 'cuda', worker: 'gpu-lost' });
    // An auto job on a worker with a free GPU trains on it.
    const auto = await waitFinished(await submit(spec({ modelName: 'churn-auto-gpu', device: 'auto' })));
    expect(auto.status).toBe('succeeded');
    expect(auto.metrics.placement).toMatchObject({ device: 'gpu', backend: 'cuda', gpu: { index: 0 } });
  });
});
