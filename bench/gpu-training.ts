// GPU training benchmark (issue 20): @atelier/engine on its CUDA backend (@atelier/engine-gpu) against
// PyTorch on the same GPU, same models, same data, same steps (bench/gpu/torch_train.py):
//   MLP 512 → 1024 → 1024 → 1 (ReLU, BCE-with-logits, Adam lr 1e-3, batch 4096), and
//   wide & deep (engine WideDeep: 8 categorical columns, vocab 100k, 1-wide embeddings in the wide part and
//   32-wide in the deep part, + 64 dense inputs; deep tower 320 → 512 → 256 → 1 ReLU; same loss and optimizer),
// each Atelier run eager (cudaGraphs off) and with CUDA Graphs; torch eager (and torch CUDA Graphs, for
// reference); plus bf16 GEMM 8192³ (addon gemmBf16 vs torch.matmul). float32 GEMMs use TF32 on both sides.
// Atelier trains as a GPU training job does: the data set resident on the device (batchesFromArrays
// with `resident`: per step one row-index upload and gathers). The ratios are like for like, against
// torch with the data set on the device too; torch fed from host memory is shown for reference.
// Data: synthetic, seeded, written once by this process to raw files that both sides read. Each
// configuration runs in its own child process (a fresh device context, its own memory peak). Rates are
// medians of REPEATS rounds of STEPS steps after WARMUP untimed steps, with a sync at the end of each round.
//
//   npm run bench -- gpu-training [--steps 200] [--warmup 20] [--repeats 5] [--budget-s 60] [--no-torch-graphs]
//   npx tsx bench/gpu-training.ts --data-only DIR [--smoke]   write the data set (and manifest.json) only
//   npx tsx bench/gpu-training.ts --smoke     tiny sizes on whatever addon loads (the host emulator with
//                                             ATELIER_ENGINE_GPU_ADDON=emulator): plumbing only, no ratios
// The last line is one JSON object. Exit 3: a prerequisite is missing (each is listed with how to get it);
// exit 1: a part failed (the table says which; the JSON line still comes, with null for what is missing).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Mlp, Optimizer, Random, WideDeep, batchesFromArrays, trainStep, type ArrayData, type FeatureInput } from '@atelier/engine';
import { checkPrerequisites, DEBIAN_PYTHON, type Prerequisite } from './prerequisites.js';
import type { CublasLtStatus, GpuAddon, GpuDeviceInfo } from '../packages/engine-gpu/src/gpu-addon.js';

const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);

// ------------------------------------------------------------------ arguments
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
function option(name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) fail(`--${name} needs a non-negative integer, got '${argv[i + 1]}'`);
  return v;
}
function stringOption(name: string): string | null {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? null : (argv[i + 1] ?? null);
}
function fail(message: string, code = 1): never {
  console.error(`gpu-training bench: ${message}`);
  process.exit(code);
}

const smoke = flag('smoke');
const STEPS = option('steps', smoke ? 2 : 200);
const WARMUP = option('warmup', smoke ? 1 : 20);
const REPEATS = Math.max(1, option('repeats', smoke ? 1 : 5));
const GEMM_N = option('gemm', smoke ? 64 : 8192);
const GEMM_ITERS = smoke ? 2 : 10;
/** Seconds of timed rounds one Atelier training run may take before it uses fewer steps per round. */
const BUDGET_S = option('budget-s', 60);

// Model and data sizes (keep in step with torch_train.py, which reads them from manifest.json).
export interface Sizes {
  mlp: { in: number; hidden: number[]; batch: number; batches: number };
  wd: { dense: number; cats: number; vocab: number; emb: number; hidden: number[]; batch: number; batches: number };
}
const SIZES: Sizes = smoke
  ? { mlp: { in: 16, hidden: [32, 32], batch: 64, batches: 2 }, wd: { dense: 8, cats: 3, vocab: 1000, emb: 4, hidden: [16, 8], batch: 64, batches: 2 } }
  : { mlp: { in: 512, hidden: [1024, 1024], batch: 4096, batches: 8 }, wd: { dense: 64, cats: 8, vocab: 100_000, emb: 32, hidden: [512, 256], batch: 4096, batches: 8 } };

// ------------------------------------------------------------------ engine-gpu, loaded at run time
// Loaded by path, with the few shapes used here written out, so this file typechecks and reports
// clearly on a checkout where the package is partial (these mirror packages/engine-gpu/src/index.ts).
export interface ActiveGpu {
  device: GpuDeviceInfo;
  precision: string;
  memory: { peakReservedBytes: number; peakAllocatedBytes: number };
  executor: { eagerSteps: number; capturedSteps: number; replayedSteps: number; reason: string | null };
  utilization: { gpu: number; memory: number } | null;
}
interface GpuStatus { compiled: boolean; emulated: boolean; reason: string | null; devices: GpuDeviceInfo[]; driverVersion: number | null; runtimeVersion: number | null }
type UseGpuResult = { ok: true; device: GpuDeviceInfo; cublasLt: CublasLtStatus } | { ok: false; reason: string };
interface EngineGpu {
  gpuStatus(): Promise<GpuStatus>;
  useGpu(opts: { device: number; precision: 'tf32' | 'bf16' | 'fp32'; cudaGraphs: boolean }): Promise<UseGpuResult>;
  activeGpu(): ActiveGpu | null;
}
type AddonLoad = { ok: true; addon: GpuAddon } | { ok: false; reason: string };
const engineGpuDir = join(here, '..', 'packages', 'engine-gpu', 'src');
const emulated = () => process.env.ATELIER_ENGINE_GPU_ADDON?.trim() === 'emulator';

async function importEngineGpu(): Promise<EngineGpu> {
  const file = join(engineGpuDir, 'index.ts');
  if (!existsSync(file)) throw new Error(`${file} does not exist (engine-gpu's public API is not on this checkout)`);
  const mod = (await import(pathToFileURL(file).href)) as Partial<EngineGpu>;
  const missing = (['gpuStatus', 'useGpu', 'activeGpu'] as const).filter((k) => typeof mod[k] !== 'function');
  if (missing.length) throw new Error(`@atelier/engine-gpu does not export ${missing.join(', ')}`);
  return mod as EngineGpu;
}

/** The raw addon for the GEMM: addon-loader.ts (the native module the backend uses), or with
 *  ATELIER_ENGINE_GPU_ADDON=emulator the host emulator (a test fake: no GPU, its timings mean nothing). */
async function loadGpuAddon(): Promise<AddonLoad> {
  const file = join(engineGpuDir, emulated() ? 'testing/host-emulator.ts' : 'addon-loader.ts');
  if (!existsSync(file)) return { ok: false, reason: `${file} does not exist on this checkout` };
  if (emulated()) {
    const mod = (await import(pathToFileURL(file).href)) as { createHostEmulator(): GpuAddon };
    return { ok: true, addon: mod.createHostEmulator() };
  }
  const mod = (await import(pathToFileURL(file).href)) as { loadAddon(env?: NodeJS.ProcessEnv): AddonLoad };
  return mod.loadAddon(process.env);
}

// ------------------------------------------------------------------ data (seeded; identical for both sides)
export interface DataFiles {
  dir: string;
  sizes: Sizes;
}

/** MLP rows: 512 features driven by 16 latent factors (correlated, as real tabular columns are) plus
 *  noise; label ~ Bernoulli(sigmoid(teacher)) with a linear and an interaction term.
 *  Wide & deep rows: skewed (log-uniform, then scattered over the vocabulary) ids per column, 64 dense
 *  normals; label from per-id effects plus a dense linear term. */
export function generateData(sizes: Sizes, dir: string, seed = 20): DataFiles {
  const rng = new Random(seed);
  const bernoulli = (logit: number) => (rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0);

  const m = sizes.mlp, mRows = m.batch * m.batches, LATENT = 16;
  const x = new Float32Array(mRows * m.in), y = new Float32Array(mRows);
  const loading = Float32Array.from({ length: m.in }, () => rng.normal() * 0.8);
  const teacher = Float32Array.from({ length: LATENT }, () => rng.normal());
  const f = new Float32Array(LATENT);
  for (let r = 0; r < mRows; r++) {
    let logit = 0;
    for (let k = 0; k < LATENT; k++) {
      f[k] = rng.normal();
      logit += teacher[k] * f[k];
    }
    logit = 0.5 * logit + f[0] * f[1];
    for (let j = 0; j < m.in; j++) x[r * m.in + j] = loading[j] * f[j % LATENT] + 0.6 * rng.normal();
    y[r] = bernoulli(logit);
  }

  const w = sizes.wd, wRows = w.batch * w.batches;
  const dense = new Float32Array(wRows * w.dense), ids = new Int32Array(w.cats * wRows), wy = new Float32Array(wRows);
  const denseTeacher = Float32Array.from({ length: w.dense }, () => rng.normal() * 0.2);
  const logV = Math.log(w.vocab);
  // A bijection of [0, vocab) (40503 is coprime with 10^k and 2^k) so the hot ids are not all at the front.
  const scatter = (id: number, c: number) => (id * 40503 + c * 7919) % w.vocab;
  const idEffect = (id: number, c: number) => ((Math.imul(id + 1, 0x9e3779b1) ^ Math.imul(c + 1, 0x85ebca6b)) >>> 0) / 2 ** 32 - 0.5;
  for (let r = 0; r < wRows; r++) {
    let logit = 0;
    for (let j = 0; j < w.dense; j++) {
      const v = rng.normal();
      dense[r * w.dense + j] = v;
      logit += denseTeacher[j] * v;
    }
    for (let c = 0; c < w.cats; c++) {
      const id = scatter(Math.min(w.vocab - 1, Math.floor(Math.exp(rng.next() * logV)) - 1), c);
      ids[c * wRows + r] = id;
      logit += idEffect(id, c);
    }
    wy[r] = bernoulli(logit);
  }

  const write = (name: string, a: Float32Array | Int32Array) => writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  write('mlp_x.f32', x);
  write('mlp_y.f32', y);
  write('wd_dense.f32', dense);
  write('wd_ids.i32', ids);
  write('wd_y.f32', wy);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    seed,
    mlp: { ...m, x: 'mlp_x.f32', y: 'mlp_y.f32' },
    // ids are stored column by column: [cats][rows].
    wd: { ...w, dense_file: 'wd_dense.f32', ids: 'wd_ids.i32', y: 'wd_y.f32' },
  }, null, 1));
  return { dir, sizes };
}

function readRaw<T extends Float32Array | Int32Array>(dir: string, name: string, kind: 'f32' | 'i32'): T {
  const b = readFileSync(join(dir, name));
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return (kind === 'f32' ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer)) as T;
}

/** The data set of one model as the engine's arrays (views over the files, no copy); batches in file
 *  order (no shuffle) are the ones torch_train.py uses. */
export function loadArrays(dir: string, model: 'mlp' | 'wd'): { sizes: Sizes; data: ArrayData; batchSize: number } {
  const sizes = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Sizes);
  if (model === 'mlp') {
    const m = sizes.mlp;
    const data = { numRows: m.batch * m.batches, inputs: { x: readRaw<Float32Array>(dir, 'mlp_x.f32', 'f32') }, labels: readRaw<Float32Array>(dir, 'mlp_y.f32', 'f32') };
    return { sizes, data, batchSize: m.batch };
  }
  const w = sizes.wd, rows = w.batch * w.batches;
  const ids = readRaw<Int32Array>(dir, 'wd_ids.i32', 'i32');
  const inputs: ArrayData['inputs'] = { x: readRaw<Float32Array>(dir, 'wd_dense.f32', 'f32') };
  // ids are stored column by column: [cats][rows].
  for (let c = 0; c < w.cats; c++) inputs[`c${c}`] = ids.subarray(c * rows, (c + 1) * rows);
  return { sizes, data: { numRows: rows, inputs, labels: readRaw<Float32Array>(dir, 'wd_y.f32', 'f32') }, batchSize: w.batch };
}

export function buildModel(model: 'mlp' | 'wd', sizes: Sizes): Mlp | WideDeep {
  if (model === 'mlp') {
    return new Mlp({ inputs: [{ name: 'x', kind: 'dense', width: sizes.mlp.in }], hiddenUnits: sizes.mlp.hidden, activation: 'relu', seed: 1 });
  }
  const w = sizes.wd;
  const cats = (dim: number): FeatureInput[] => Array.from({ length: w.cats }, (_, c) => ({ name: `c${c}`, kind: 'categorical', vocabSize: w.vocab, embeddingDim: dim }));
  return new WideDeep({ wideInputs: cats(1), deepInputs: [{ name: 'x', kind: 'dense', width: w.dense }, ...cats(w.emb)], hiddenUnits: w.hidden, activation: 'relu', seed: 1 });
}

// ------------------------------------------------------------------ workers (child processes)
interface TrainResult { rates: number[]; steps: number; active: ActiveGpu | null; finalLoss: number }
interface GemmResult { tflops: number[]; maxRelError: number; device: string }

async function atelierWorker(dir: string, model: 'mlp' | 'wd', graphs: boolean): Promise<TrainResult> {
  process.env.ATELIER_GPU_CUDA_GRAPHS = graphs ? '1' : '0';
  const gpu = await importEngineGpu();
  const use = await gpu.useGpu({ device: 0, precision: 'tf32', cudaGraphs: graphs });
  if (!use.ok) throw new Error(use.reason);
  const { sizes, data, batchSize } = loadArrays(dir, model);
  // Uploaded once after useGpu: each batch below is its rows' indices into the resident columns.
  const source = batchesFromArrays(data, { batchSize, resident: true });
  if (!source.resident) throw new Error('batchesFromArrays did not keep the data set resident');
  const batches = [...source(0)];
  const net = buildModel(model, sizes);
  const opt = new Optimizer({ kind: 'adam', lr: 1e-3 });
  // trainStep reads the loss, but the optimizer's launches after it may still be queued: reading a
  // parameter back waits for everything launched so far.
  const params = net.parameters();
  const smallest = params.reduce((a, b) => (b.size < a.size ? b : a));
  const sync = () => void smallest.dataSync();
  let loss = NaN;
  for (let i = 0; i < WARMUP; i++) loss = trainStep(net, opt, batches[i % batches.length]).loss;
  sync();
  // A run far slower than expected still ends within the device script's time: fewer steps per round
  // (the table says so) when the timed rounds would take longer than BUDGET_S.
  const probeSteps = Math.min(5, STEPS), tp = performance.now();
  for (let i = 0; i < probeSteps; i++) loss = trainStep(net, opt, batches[i % batches.length]).loss;
  sync();
  const perStepS = (performance.now() - tp) / 1000 / Math.max(1, probeSteps);
  const steps = Math.max(Math.min(STEPS, 10), Math.min(STEPS, Math.floor(BUDGET_S / (REPEATS * perStepS))));
  const rates: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) loss = trainStep(net, opt, batches[i % batches.length]).loss;
    sync();
    rates.push((steps * batches[0].numRows) / ((performance.now() - t0) / 1000));
  }
  const active = gpu.activeGpu();
  net.dispose();
  source.dispose();
  return { rates, steps, active, finalLoss: loss };
}

/** What the training workers will find: the addon, the device, cuBLASLt (useGpu loads it). */
async function checkWorker(): Promise<{ status: GpuStatus; use: UseGpuResult }> {
  const gpu = await importEngineGpu();
  const status = await gpu.gpuStatus();
  const use = status.reason ? { ok: false as const, reason: status.reason } : await gpu.useGpu({ device: 0, precision: 'tf32', cudaGraphs: false });
  return { status, use };
}

/** Round-to-nearest-even float32 → bf16 → float32, as the device's conversion does. */
function bf16Round(v: number): number {
  const f = new Float32Array([v]), u = new Uint32Array(f.buffer);
  u[0] = (u[0] + 0x7fff + ((u[0] >> 16) & 1)) & 0xffff0000;
  return f[0];
}

async function gemmWorker(n: number): Promise<GemmResult> {
  const load = await loadGpuAddon();
  if (!load.ok) throw new Error(load.reason);
  const addon = load.addon;
  const probe = addon.probe();
  if (!probe.ok) throw new Error(probe.reason);
  addon.init(0);
  const lt = addon.loadCublasLt();
  if (!lt.loaded) throw new Error(`cuBLASLt: ${lt.reason}`);
  const rng = new Random(7);
  const hostA = new Float32Array(n * n), hostB = new Float32Array(n * n);
  for (let i = 0; i < n * n; i++) hostA[i] = rng.next() * 2 - 1;
  for (let i = 0; i < n * n; i++) hostB[i] = rng.next() * 2 - 1;
  const WS = 32 << 20;
  const f32 = addon.malloc(n * n * 4), a = addon.malloc(n * n * 2), b = addon.malloc(n * n * 2), c = addon.malloc(n * n * 4), ws = addon.malloc(WS);
  try {
    addon.upload(f32, hostA);
    addon.f32ToBf16(f32, a, n * n);
    addon.upload(f32, hostB);
    addon.f32ToBf16(f32, b, n * n);
    for (let i = 0; i < 3; i++) addon.gemmBf16(n, n, n, a, b, c, ws, WS);
    addon.synchronize();
    const tflops: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      const t0 = performance.now();
      for (let i = 0; i < GEMM_ITERS; i++) addon.gemmBf16(n, n, n, a, b, c, ws, WS);
      addon.synchronize();
      tflops.push((2 * n ** 3 * GEMM_ITERS) / ((performance.now() - t0) / 1000) / 1e12);
    }
    // Check the result, not only the speed: row 0 against a float64 dot product of the bf16-rounded
    // inputs, the error relative to the entry's natural scale sqrt(Σ p²) (a wrong result is off by ~1 of
    // it, float32 accumulation by ~1e-6).
    const row0 = new Float32Array(n);
    addon.download(c, row0);
    let maxRelError = 0;
    for (const j of [0, 1, n >> 1, n - 1]) {
      let ref = 0, sq = 0;
      for (let k = 0; k < n; k++) {
        const p = bf16Round(hostA[k]) * bf16Round(hostB[k * n + j]);
        ref += p;
        sq += p * p;
      }
      maxRelError = Math.max(maxRelError, Math.abs(row0[j] - ref) / Math.sqrt(sq));
    }
    return { tflops, maxRelError, device: probe.devices[0]?.name ?? 'unknown' };
  } finally {
    for (const p of [f32, a, b, c, ws]) addon.free(p);
  }
}

const dataOnly = stringOption('data-only');
if (dataOnly) {
  // Write the data set and its manifest (what both sides read) and stop: for checking the data or the torch peer alone.
  generateData(SIZES, dataOnly);
  console.log(`gpu-training bench: ${smoke ? 'smoke-size' : 'full-size'} data written to ${dataOnly}`);
  process.exit(0);
}

const worker = stringOption('worker');
if (worker) {
  // A child: one configuration, one JSON line; errors as one line on stderr (the parent shows it).
  try {
    const out = worker === 'check' ? await checkWorker() : worker === 'gemm'
      ? await gemmWorker(GEMM_N)
      : await atelierWorker(stringOption('data')!, stringOption('model') as 'mlp' | 'wd', stringOption('graphs') === '1');
    console.log(JSON.stringify(out));
    process.exit(0);
  } catch (err) {
    fail(`${worker} worker: ${(err as Error).message}`);
  }
}

// ------------------------------------------------------------------ prerequisites
interface PythonFound { exe: string; torch: string; cuda: boolean; cudaVersion: string | null; siteDir: string }
const pythonTried: string[] = [];
/** The first python with torch (with torch.cuda unless smoke): ATELIER_BENCH_PYTHON, python3 on PATH (the GPU machine's
 *  environment), then Debian's /usr/bin/python3. */
function findPython(): PythonFound | null {
  const candidates = [process.env.ATELIER_BENCH_PYTHON, 'python3', DEBIAN_PYTHON].filter((c): c is string => !!c);
  const script = 'import json, os, sys, torch; print(json.dumps({"exe": sys.executable, "torch": torch.__version__, "cuda": torch.cuda.is_available(), '
    + '"cudaVersion": torch.version.cuda, "siteDir": os.path.dirname(os.path.dirname(torch.__file__))}))';
  for (const py of [...new Set(candidates)]) {
    const r = spawnSync(py, ['-c', script], { encoding: 'utf8', timeout: 120_000 });
    if (r.error) {
      pythonTried.push(`${py}: ${r.error.message}`);
      continue;
    }
    if (r.status !== 0) {
      pythonTried.push(`${py}: ${r.stderr.trim().split('\n').pop()}`);
      continue;
    }
    const found = JSON.parse(r.stdout.trim().split('\n').pop()!) as PythonFound;
    if (found.cuda || smoke) return found;
    pythonTried.push(`${found.exe}: torch ${found.torch} without CUDA (torch.cuda.is_available() is False)`);
  }
  return null;
}

/** On the GPU machine cuBLASLt ships inside torch's environment (nvidia-cublas wheel). */
function cublasLtNextToTorch(siteDir: string): string | null {
  const dirs = [join(siteDir, 'nvidia', 'cu13', 'lib'), join(siteDir, 'nvidia', 'cublas', 'lib'), join(siteDir, 'torch', 'lib')];
  for (const d of dirs) {
    try {
      if (readdirSync(d).some((f) => f.startsWith('libcublasLt.so'))) return d;
    } catch {
      // not there
    }
  }
  return null;
}

const python = findPython();
if (python && !process.env.ATELIER_CUBLASLT_PATH) {
  const dir = cublasLtNextToTorch(python.siteDir);
  if (dir) process.env.ATELIER_CUBLASLT_PATH = dir;
}
if (smoke && !process.env.ATELIER_ENGINE_GPU_ADDON) process.env.ATELIER_ENGINE_GPU_ADDON = 'emulator';

function runChild(args: string[], timeoutS: number): { value: unknown } | { error: string } {
  // tsx resolved from this file, so the children start from any working directory.
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), self, ...args], { encoding: 'utf8', env: process.env, timeout: timeoutS * 1000, maxBuffer: 64 << 20 });
  const tail = `${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
  if (r.error || r.status !== 0) return { error: `${r.error ? r.error.message : `exit ${r.status}`}${tail ? `: ${tail}` : ''}` };
  return { value: JSON.parse(r.stdout.trim().split('\n').pop()!) };
}

// The device, the addon and cuBLASLt are checked in a child, as the training runs will meet them.
const checked = runChild(['--worker', 'check'], 180);
const gpuCheck = 'value' in checked ? (checked.value as { status: GpuStatus; use: UseGpuResult }) : null;
const gpuFailure = (): string | null => {
  if (!gpuCheck) return (checked as { error: string }).error.replace(/^.*check worker: /, '');
  if (gpuCheck.status.emulated && !smoke) return 'ATELIER_ENGINE_GPU_ADDON=emulator is set: the host emulator is not a GPU (unset it, or use --smoke)';
  return null;
};
const prerequisites: Prerequisite[] = [
  {
    what: 'engine-gpu (packages/engine-gpu: its public API and the compiled addon)',
    why: 'every Atelier run (training and the bf16 GEMM)',
    how: 'npm ci && npm rebuild -w @atelier/engine-gpu --foreground-scripts   (needs nvcc 13; --smoke uses the host emulator instead)',
    check: () => gpuFailure() ?? (gpuCheck!.status.compiled ? null : (gpuCheck!.status.reason ?? 'the addon did not load')),
  },
  {
    what: smoke ? 'the host emulator of the addon' : 'a CUDA device',
    why: 'everything this bench measures',
    how: smoke ? 'a checkout with packages/engine-gpu/src/testing/host-emulator.ts' : 'run it on the GPU machine (NVIDIA driver + device); this machine has none',
    check: () => (gpuFailure() || !gpuCheck!.status.compiled ? 'engine-gpu is not usable (above)' : gpuCheck!.status.reason),
  },
  {
    what: 'cuBLASLt (libcublasLt.so.13), loaded by useGpu()',
    why: 'every GEMM on the device',
    how: 'set ATELIER_CUBLASLT_PATH to the folder with libcublasLt.so.13 (with torch from pip: <site-packages>/nvidia/cu13/lib; found automatically when the python below has it)',
    check: () => (gpuFailure() || gpuCheck!.status.reason ? 'no device to load it for (above)' : gpuCheck!.use.ok ? null : gpuCheck!.use.reason),
  },
];
prerequisites.push({
  what: smoke ? 'a python3 with torch (CPU is enough for --smoke)' : 'a python3 with torch and torch.cuda available',
  why: 'the PyTorch peer (bench/gpu/torch_train.py)',
  how: smoke
    ? 'apt-get update && apt-get install -y python3-torch'
    : "the GPU machine's python environment with a CUDA build of torch first on PATH (or ATELIER_BENCH_PYTHON=/path/to/python)",
  optional: smoke,
  check: () => (python ? null : pythonTried.join('; ') || 'no python3 found'),
});
const missingOptional = await checkPrerequisites('gpu-training', prerequisites);
const runTorch = python !== null && missingOptional.size === 0;

// ------------------------------------------------------------------ run
const dir = mkdtempSync(join(tmpdir(), 'gpu-training-bench-'));
const failures: string[] = [];
function child(args: string[], timeoutS: number): unknown {
  const r = runChild(args, timeoutS);
  if ('value' in r) return r.value;
  failures.push(`${args.join(' ')}: ${r.error}`);
  return null;
}

let exitCode = 0;
try {
  const t0 = performance.now();
  generateData(SIZES, dir);
  const genS = (performance.now() - t0) / 1000;
  // A run that hangs is cut off (its part reads as failed) so the device script keeps its time.
  const RUN_TIMEOUT_S = 2 * BUDGET_S + 90;
  const common = ['--steps', String(STEPS), '--warmup', String(WARMUP), '--repeats', String(REPEATS), '--budget-s', String(BUDGET_S), ...(smoke ? ['--smoke'] : [])];
  const atelier = {
    mlpEager: child(['--worker', 'train', '--data', dir, '--model', 'mlp', '--graphs', '0', ...common], RUN_TIMEOUT_S) as TrainResult | null,
    mlpGraphs: child(['--worker', 'train', '--data', dir, '--model', 'mlp', '--graphs', '1', ...common], RUN_TIMEOUT_S) as TrainResult | null,
    wdEager: child(['--worker', 'train', '--data', dir, '--model', 'wd', '--graphs', '0', ...common], RUN_TIMEOUT_S) as TrainResult | null,
    wdGraphs: child(['--worker', 'train', '--data', dir, '--model', 'wd', '--graphs', '1', ...common], RUN_TIMEOUT_S) as TrainResult | null,
    gemm: GEMM_N > 0 ? (child(['--worker', 'gemm', '--gemm', String(GEMM_N), ...common], 180) as GemmResult | null) : null,
  };

  type TorchRun = { rates: number[]; peak_reserved_bytes: number | null; final_loss?: number } | { error: string };
  interface TorchOut {
    torch: string; gpu_name?: string; cuda?: string; tf32?: string[];
    mlp: Record<string, TorchRun>; wd: Record<string, TorchRun>; gemm_bf16?: { tflops: number[] };
  }
  let torch: TorchOut | null = null;
  if (runTorch) {
    const r = spawnSync(python!.exe, [join(here, 'gpu', 'torch_train.py'), '--data', dir, '--device', smoke ? 'cpu' : 'cuda', '--steps', String(STEPS),
      '--warmup', String(WARMUP), '--repeats', String(REPEATS), '--gemm', String(GEMM_N), '--gemm-iters', String(GEMM_ITERS),
      ...(flag('no-torch-graphs') ? ['--no-graphs'] : [])], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
    if (r.error || r.status !== 0) failures.push(`torch peer: ${r.error?.message ?? `exit ${r.status}`}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
    else torch = JSON.parse(r.stdout.trim().split('\n').pop()!) as TorchOut;
  }

  // ---------------------------------------------------------------- report
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const ok = (t: TorchRun | undefined): t is Extract<TorchRun, { rates: number[] }> => !!t && 'rates' in t;
  const rateOf = (t: TorchRun | undefined) => (ok(t) ? median(t.rates) : null);
  const gib = (b: number | null | undefined) => (b == null ? '—' : `${(b / 2 ** 30).toFixed(2)} GiB`);
  const fmt = (v: number | null) => (v == null ? '—' : Math.round(v).toLocaleString('en-US'));
  const spread = (xs: number[] | undefined) => (xs && xs.length > 1 ? `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}` : '');
  const ratio = (a: number | null, b: number | null) => (a == null || b == null || smoke ? null : Number((a / b).toFixed(2)));
  // The strict denominator, like for like: the fastest torch eager run with the data set on the device, as
  // Atelier's runs have it (dense or sparse embeddings). The host-fed runs are reference rows.
  const bestOf = (...rs: (TorchRun | undefined)[]) => {
    const xs = rs.map(rateOf).filter((v): v is number => v !== null);
    return xs.length ? Math.max(...xs) : null;
  };
  const bestTorchEager = (part: Record<string, TorchRun> | undefined) => bestOf(part?.eager_resident, part?.eager_sparse_resident);
  const bestTorchHostEager = (part: Record<string, TorchRun> | undefined) => bestOf(part?.eager, part?.eager_sparse);

  const deviceName = gpuCheck?.status.devices[0]?.name ?? torch?.gpu_name ?? 'unknown';
  console.log(smoke
    ? `gpu-training bench --smoke: tiny sizes on addon '${process.env.ATELIER_ENGINE_GPU_ADDON ?? 'native'}' — a plumbing check; these numbers are NOT performance figures.`
    : `gpu-training bench on ${deviceName}: batch ${SIZES.mlp.batch}, Adam lr 1e-3, BCE-with-logits; float32 GEMMs in TF32 on both sides; ` +
      `${WARMUP} warm-up steps, medians of ${REPEATS} rounds × ${STEPS} steps (min–max); ` +
      'Atelier: the data set resident on the device (a row-index upload + gathers per step); ratios against torch with the data set on the device');
  console.log(`data: seeded synthetic, ${SIZES.mlp.batches} batches per model, generated in ${genS.toFixed(1)} s into ${dir}; torch: ${torch ? `${torch.torch} (${python!.exe}${torch.cuda ? `, CUDA ${torch.cuda}` : ''})` : 'not run'}`);
  if (torch?.tf32) console.log(`torch TF32: ${torch.tf32.join('; ')}; Atelier: useGpu({ precision: 'tf32' })`);
  const row = (a: string, b: string, c: string, d: string, e: string) => console.log(`${a.padEnd(54)} ${b.padStart(12)} ${c.padStart(20)} ${d.padStart(11)} ${e.padStart(10)}`);
  type Row = { name: string; rates?: number[] | null; peak?: number | null; loss?: number | null; note?: string };
  const section = (title: string, rows: Row[]) => {
    console.log(`\n${title}`);
    row('runner', 'samples/s', '(min–max)', 'final loss', 'peak mem');
    for (const r of rows) {
      row(r.name, r.rates ? fmt(median(r.rates)) : '—', spread(r.rates ?? undefined), r.loss == null ? '—' : r.loss.toFixed(4), gib(r.peak));
      if (r.note) console.log(`    ${r.note}`);
    }
  };
  const atelierRow = (name: string, r: TrainResult | null, graphs: boolean): Row => ({
    name, rates: r?.rates, peak: r?.active?.memory.peakReservedBytes, loss: r?.finalLoss,
    note: r && (graphs || r.steps !== STEPS)
      ? [r.steps !== STEPS ? `${r.steps} steps per round (time budget)` : '',
        graphs && r.active ? `executor: ${r.active.executor.capturedSteps} captured, ${r.active.executor.replayedSteps} replayed, ${r.active.executor.eagerSteps} eager steps${r.active.executor.reason ? ` (${r.active.executor.reason})` : ''}` : ''].filter(Boolean).join('; ')
      : undefined,
  });
  const torchRow = (name: string, t: TorchRun | undefined): Row =>
    ok(t) ? { name, rates: t.rates, peak: t.peak_reserved_bytes, loss: t.final_loss ?? null } : { name, note: t ? t.error : undefined };
  const torchRows = (part: Record<string, TorchRun> | undefined): Row[] => [
    ...(part?.eager_resident ? [torchRow('torch eager, data set on the device', part.eager_resident)] : []),
    ...(part?.eager_sparse_resident ? [torchRow('torch eager, data on device, sparse + SparseAdam', part.eager_sparse_resident)] : []),
    torchRow('torch eager, batches from host memory (reference)', part?.eager),
    ...(part?.eager_sparse ? [torchRow('torch eager, host batches, sparse + SparseAdam (ref.)', part.eager_sparse)] : []),
    ...(part?.graphs ? [torchRow('torch CUDA Graphs, host batches (reference)', part.graphs)] : []),
  ];
  const m = SIZES.mlp, w = SIZES.wd;
  section(`MLP ${m.in}→${m.hidden.join('→')}→1 (ReLU), batch ${m.batch}`, [
    atelierRow('atelier eager, data resident (cudaGraphs off)', atelier.mlpEager, false),
    atelierRow('atelier CUDA Graphs, data resident', atelier.mlpGraphs, true),
    ...torchRows(torch?.mlp),
  ]);
  section(`wide & deep: ${w.cats} categorical (vocab ${w.vocab}; wide 1-wide, deep ${w.emb}-wide embeddings) + ${w.dense} dense; deep ${w.dense + w.cats * w.emb}→${w.hidden.join('→')}→1, batch ${w.batch}`, [
    atelierRow('atelier eager, data resident (cudaGraphs off)', atelier.wdEager, false),
    atelierRow('atelier CUDA Graphs, data resident', atelier.wdGraphs, true),
    ...torchRows(torch?.wd),
  ]);
  const med = (r: TrainResult | null) => (r ? median(r.rates) : null);
  const gemmA = atelier.gemm ? median(atelier.gemm.tflops) : null, gemmT = torch?.gemm_bf16 ? median(torch.gemm_bf16.tflops) : null;
  console.log(`\nbf16 GEMM ${GEMM_N}³ (float32 accumulation; Atelier writes float32 C, torch.matmul bf16 C), TFLOP/s`);
  const tf = (xs: number[] | undefined) => (xs ? `${median(xs).toFixed(smoke ? 6 : 1)}` : '—');
  const tfSpread = (xs: number[] | undefined) => (xs && xs.length > 1 ? `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}` : '');
  row('atelier gemmBf16 (cuBLASLt)', tf(atelier.gemm?.tflops), tfSpread(atelier.gemm?.tflops), '', '');
  if (atelier.gemm) console.log(`  result check: max relative error ${atelier.gemm.maxRelError.toExponential(2)} (of sqrt(Σ p²)) on row 0 against a float64 reference; over 1e-2 fails`);
  row('torch.matmul (bf16)', tf(torch?.gemm_bf16?.tflops), tfSpread(torch?.gemm_bf16?.tflops), '', '');
  if (atelier.gemm && atelier.gemm.maxRelError > 1e-2) failures.push(`gemmBf16 result is wrong: max relative error ${atelier.gemm.maxRelError}`);

  const utilization = atelier.mlpGraphs?.active?.utilization ?? atelier.mlpEager?.active?.utilization ?? null;
  if (utilization) console.log(`\nGPU utilisation at the end of the MLP run: ${utilization.gpu}% (memory controller ${utilization.memory}%)`);
  const mlpT = bestTorchEager(torch?.mlp), wdT = bestTorchEager(torch?.wd);
  const gemmRatio = ratio(gemmA, gemmT);
  if (!smoke) {
    const mark = (v: number | null, target: number) => (v == null ? 'not measured' : `${v.toFixed(2)}× ${v >= target ? 'meets' : 'MISSES'} ${target}×`);
    console.log('\ntargets (issue 20), against the faster torch eager run with the data set on the device (like for like):');
    console.log(`  MLP eager ≥ 1.0×: ${mark(ratio(med(atelier.mlpEager), mlpT), 1)};  MLP CUDA Graphs ≥ 1.5× (stretch): ${mark(ratio(med(atelier.mlpGraphs), mlpT), 1.5)}`);
    console.log(`  W&D eager ≥ 1.0×: ${mark(ratio(med(atelier.wdEager), wdT), 1)};  W&D CUDA Graphs ≥ 1.5× (stretch): ${mark(ratio(med(atelier.wdGraphs), wdT), 1.5)}`);
    console.log(`  bf16 GEMM ${GEMM_N}³ ≥ 0.9× torch.matmul: ${mark(gemmRatio, 0.9)}`);
  }
  if (smoke) console.log('\n--smoke: ratios are not computed (the emulator runs on the host; its timings mean nothing).');
  for (const f of failures) console.error(`FAILED ${f}`);
  if (failures.length) exitCode = 1;

  const r0 = (v: number | null) => (v == null || smoke ? null : Math.round(v));
  console.log(JSON.stringify({
    smoke,
    mlp_samples_per_s: r0(med(atelier.mlpEager)),
    mlp_graphs_samples_per_s: r0(med(atelier.mlpGraphs)),
    // The torch denominators: eager with the data set on the device (like Atelier's resident runs).
    torch_data: 'device',
    mlp_torch_eager_samples_per_s: r0(mlpT),
    mlp_torch_host_eager_samples_per_s: r0(bestTorchHostEager(torch?.mlp)),
    mlp_vs_torch_eager: ratio(med(atelier.mlpEager), mlpT),
    mlp_graphs_vs_torch_eager: ratio(med(atelier.mlpGraphs), mlpT),
    wd_samples_per_s: r0(med(atelier.wdEager)),
    wd_graphs_samples_per_s: r0(med(atelier.wdGraphs)),
    wd_torch_eager_samples_per_s: r0(wdT),
    wd_torch_host_eager_samples_per_s: r0(bestTorchHostEager(torch?.wd)),
    wd_vs_torch_eager: ratio(med(atelier.wdEager), wdT),
    wd_graphs_vs_torch_eager: ratio(med(atelier.wdGraphs), wdT),
    gemm_bf16_tflops: gemmA == null || smoke ? null : Number(gemmA.toFixed(1)),
    torch_gemm_bf16_tflops: gemmT == null || smoke ? null : Number(gemmT.toFixed(1)),
    gemm_bf16_vs_torch: gemmRatio,
    // torch's CUDA Graphs run refills static inputs from host memory: a reference ratio, not like for like.
    mlp_graphs_vs_torch_graphs_host_fed: ratio(med(atelier.mlpGraphs), rateOf(torch?.mlp?.graphs)),
    wd_graphs_vs_torch_graphs_host_fed: ratio(med(atelier.wdGraphs), rateOf(torch?.wd?.graphs)),
    gpu_name: deviceName,
    peak_memory_bytes: {
      mlp: atelier.mlpEager?.active?.memory.peakReservedBytes ?? null,
      mlp_graphs: atelier.mlpGraphs?.active?.memory.peakReservedBytes ?? null,
      wd: atelier.wdEager?.active?.memory.peakReservedBytes ?? null,
      wd_graphs: atelier.wdGraphs?.active?.memory.peakReservedBytes ?? null,
      torch_mlp: ok(torch?.mlp?.eager_resident) ? torch!.mlp.eager_resident.peak_reserved_bytes : null,
      torch_wd: ok(torch?.wd?.eager_resident) ? torch!.wd.eager_resident.peak_reserved_bytes : null,
    },
    graphs_replayed_steps: { mlp: atelier.mlpGraphs?.active?.executor.replayedSteps ?? null, wd: atelier.wdGraphs?.active?.executor.replayedSteps ?? null },
    precision: 'tf32',
    torch: torch?.torch ?? null,
    failures: failures.length,
  }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);
