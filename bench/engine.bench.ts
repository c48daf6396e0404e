// Engine benchmark (issue 16): the MLP 64 → 256 → 256 → 1 (ReLU, BCE-with-logits, Adam, batch 256)
// trained and served by @atelier/engine on its native CPU backend (@atelier/engine-cpu) at 1 and 2
// threads and on its pure-TS backend, against PyTorch CPU (Debian python3-torch, a child process per
// thread count) and onnxruntime-node (the same MLP exported by PyTorch to ONNX) for inference; plus
// SGEMM 1024³; and a wide & deep model with embeddings (WD_* below: 3 categorical features, each a
// 1-wide embedding in the wide part and a 16-wide one in the deep part, plus 16 dense inputs; deep
// tower 64 → 128 → 64 → 1, ReLU; BCE, Adam, batch 256) trained at 1 and 2 threads against the same
// model in PyTorch. Medians of RUNS timed rounds; the last line is one JSON object.
// Prerequisites are checked first, with how to install each that is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeAddon, nativeCpuStatus, setNativeCpuThreads } from '@atelier/engine-cpu';
import { Mlp, Optimizer, Random, WideDeep, createPredictor, gemm, setBackend, trainStep, type Batch, type FeatureInput } from '@atelier/engine';

const here = dirname(fileURLToPath(import.meta.url));
const IN = 64, H = 256, BATCH = 256, N = 1024;
// Wide & deep: keep in step with engine-torch-peer.py.
const WD_DENSE = 16, WD_CATS = 3, WD_VOCAB = 1000, WD_EMB = 16, WD_HIDDEN = [128, 64];
const quick = process.env.BENCH_QUICK === '1';
const RUNS = quick ? 3 : 5;
const loadAtStart = loadavg()[0];

// ------------------------------------------------------------------ prerequisites
const PY = '/usr/bin/python3';
const missing: string[] = [];
const native = nativeCpuStatus();
if (!native.loaded) missing.push(`the native addon (${native.reason}): npm rebuild -w @atelier/engine-cpu --foreground-scripts`);
if (!existsSync(PY) || spawnSync(PY, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
  missing.push('PyTorch for /usr/bin/python3: apt-get update && apt-get install -y python3-torch');
}
let ort: typeof import('onnxruntime-node') | null = null;
try {
  ort = await import('onnxruntime-node');
} catch (e) {
  missing.push(`onnxruntime-node (${(e as Error).message.split('\n')[0]}): npm install (it is a root dependency)`);
}
if (missing.length > 0) {
  console.error(`engine bench: missing prerequisites:\n${missing.map((m) => `  - ${m}`).join('\n')}`);
  process.exit(1);
}
// Debian's torch calls the system libblas.so.3; with the netlib reference BLAS it is ~50× slower than
// with OpenBLAS, which would flatter every ratio. Say so instead of comparing against that.
const blas = (() => {
  try {
    return realpathSync('/usr/lib/x86_64-linux-gnu/libblas.so.3');
  } catch {
    return 'unknown';
  }
})();
if (!blas.includes('openblas')) {
  console.error(`engine bench: torch would use ${blas} (reference BLAS); for a fair peer: apt-get install -y libopenblas0-pthread`);
  process.exit(1);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}
function spread(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0].toFixed(0)}–${s[s.length - 1].toFixed(0)}`;
}
// One untimed round first (every runner, the PyTorch peer included): with only a few warm-up
// calls V8 is still tiering the engine's JS up during the first timed rounds, which measured
// batch-1 inference at ~3× its steady per-call time.
function rate(fn: () => void, calls: number, rows: number): number[] {
  for (let i = 0; i < Math.max(3, calls); i++) fn();
  const out: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) fn();
    out.push((calls * rows) / ((performance.now() - t0) / 1000));
  }
  return out;
}

const rng = new Random(1);
const x = Float32Array.from({ length: BATCH * IN }, () => rng.normal());
const y = Float32Array.from({ length: BATCH }, (_, i) => (x[i * IN] + x[i * IN + 1] > 0 ? 1 : 0));
const batch: Batch = { numRows: BATCH, inputs: { x }, labels: y };
const x1 = Float32Array.from({ length: IN }, () => rng.normal());
const x1024 = Float32Array.from({ length: 1024 * IN }, () => rng.normal());

// ------------------------------------------------------------------ Atelier (native and TS)
function atelier(backend: 'native-cpu' | 'cpu', threads: number) {
  setBackend(backend);
  setNativeCpuThreads(threads);
  const model = new Mlp({ inputs: [{ name: 'x', kind: 'dense', width: IN }], hiddenUnits: [H, H], activation: 'relu', seed: 1 });
  const opt = new Optimizer({ kind: 'adam', lr: 1e-3 });
  const train = rate(() => void trainStep(model, opt, batch), quick ? 8 : 20, BATCH);
  const predictor = createPredictor(model);
  const o1 = new Float32Array(1), o1024 = new Float32Array(1024);
  const infer1 = rate(() => void predictor.predict({ numRows: 1, inputs: { x: x1 } }, o1), quick ? 300 : 1000, 1);
  const infer1024 = rate(() => void predictor.predict({ numRows: 1024, inputs: { x: x1024 } }, o1024), quick ? 4 : 10, 1024);
  model.dispose();
  return { train, infer1, infer1024 };
}

const wdInputs: Batch['inputs'] = { x: Float32Array.from({ length: BATCH * WD_DENSE }, () => rng.normal()) };
for (let c = 0; c < WD_CATS; c++) wdInputs[`c${c}`] = Int32Array.from({ length: BATCH }, () => rng.nextInt(WD_VOCAB));
const wdIds = wdInputs.c0 as Int32Array;
const wdBatch: Batch = { numRows: BATCH, inputs: wdInputs, labels: Float32Array.from({ length: BATCH }, (_, i) => (wdIds[i] % 2 === 0) !== (wdInputs.x[i * WD_DENSE] > 0) ? 1 : 0) };
const cat = (d: number): FeatureInput[] => Array.from({ length: WD_CATS }, (_, c) => ({ name: `c${c}`, kind: 'categorical', vocabSize: WD_VOCAB, embeddingDim: d }));
function atelierWideDeep(backend: 'native-cpu' | 'cpu', threads: number): number[] {
  setBackend(backend);
  setNativeCpuThreads(threads);
  const model = new WideDeep({ wideInputs: cat(1), deepInputs: [{ name: 'x', kind: 'dense', width: WD_DENSE }, ...cat(WD_EMB)], hiddenUnits: WD_HIDDEN, activation: 'relu', seed: 1 });
  const opt = new Optimizer({ kind: 'adam', lr: 1e-3 });
  const train = rate(() => void trainStep(model, opt, wdBatch), quick ? 8 : 20, BATCH);
  model.dispose();
  return train;
}

const A = Float32Array.from({ length: N * N }, () => rng.normal()), B = Float32Array.from({ length: N * N }, () => rng.normal());
const C = new Float32Array(N * N);
const addon = nativeAddon()!;
function gemmRates(threads: number): number[] {
  addon.setThreads(threads);
  return rate(() => addon.sgemm(N, N, N, A, false, B, false, C, null, 0), 1, 2 * N * N * N).map((v) => v / 1e9);
}

const nativeGemm1 = gemmRates(1), nativeGemm2 = gemmRates(2);
const tsGemm = rate(() => gemm(N, N, N, A, false, B, false, C), 1, 2 * N * N * N).map((v) => v / 1e9);
const native1 = atelier('native-cpu', 1);
const native2 = atelier('native-cpu', 2);
const ts = atelier('cpu', 1);
const wdNative1 = atelierWideDeep('native-cpu', 1), wdNative2 = atelierWideDeep('native-cpu', 2), wdTs = atelierWideDeep('cpu', 1);
setBackend('native-cpu');
setNativeCpuThreads(1);

// ------------------------------------------------------------------ PyTorch (child processes)
const dir = mkdtempSync(join(tmpdir(), 'engine-bench-'));
const onnxPath = join(dir, 'mlp.onnx');
// The peer runs at its fastest: Debian's OpenBLAS does not recognise these CPUs and falls back to a slow
// generic core (15 GFLOP/s measured here) unless told which kernels to use — SkylakeX (AVX-512) where the
// CPU has it, else Haswell (AVX2). An OPENBLAS_CORETYPE already set is kept; the table prints the one used.
const OPENBLAS_CORETYPE = process.env.OPENBLAS_CORETYPE || (native.isa === 'avx512' ? 'SkylakeX' : 'Haswell');
function torchPeer(threads: number, exportOnnx: boolean) {
  const res = spawnSync(PY, [join(here, 'engine-torch-peer.py'), String(threads), String(RUNS), ...(exportOnnx ? [onnxPath] : [])], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_CORETYPE, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) },
  });
  if (res.status !== 0) throw new Error(`torch peer failed: ${res.stderr.slice(-2000)}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as { train: number[]; train_wd: number[]; gemm_gflops: number[]; infer1: number[]; infer1024: number[]; torch: string };
}
const torch1 = torchPeer(1, true);
const torch2 = torchPeer(2, false);

// ------------------------------------------------------------------ onnxruntime-node (1 thread)
const session = await ort!.InferenceSession.create(onnxPath, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
const t1 = new ort!.Tensor('float32', x1, [1, IN]), t1024 = new ort!.Tensor('float32', x1024, [1024, IN]);
async function ortRate(t: import('onnxruntime-node').Tensor, calls: number, rows: number): Promise<number[]> {
  for (let i = 0; i < Math.max(3, calls); i++) await session.run({ x: t });
  const out: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await session.run({ x: t });
    out.push((calls * rows) / ((performance.now() - t0) / 1000));
  }
  return out;
}
const ort1 = await ortRate(t1, quick ? 300 : 1000, 1);
const ort1024 = await ortRate(t1024, quick ? 4 : 10, 1024);
const loadAtEnd = loadavg()[0];

// ------------------------------------------------------------------ report
const m = median;
const row = (name: string, train: string, gemmS: string, i1: string, i1024: string) =>
  console.log(`${name.padEnd(30)} ${train.padStart(22)} ${gemmS.padStart(20)} ${i1.padStart(20)} ${i1024.padStart(24)}`);
const cell = (xs: number[], d = 0) => `${m(xs).toFixed(d)} (${spread(xs)})`;
console.log(`engine benchmark: MLP ${IN}→${H}→${H}→1, ReLU, BCE, Adam, batch ${BATCH}; medians of ${RUNS} runs (min–max)`);
console.log(`CPU: ${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}; GEMM micro-kernel ${native.isa}; torch ${torch1.torch} on ${blas} (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE})`);
row('runner', 'train samples/s', 'SGEMM 1024³ GFLOP/s', 'infer b=1 rows/s', 'infer b=1024 rows/s');
row('atelier native-cpu, 1 thread', cell(native1.train), `${m(nativeGemm1).toFixed(1)} (${nativeGemm1.map((v) => v.toFixed(0)).sort().join(',')})`, cell(native1.infer1), cell(native1.infer1024));
row('atelier native-cpu, 2 threads', cell(native2.train), m(nativeGemm2).toFixed(1), cell(native2.infer1), cell(native2.infer1024));
row('atelier TS cpu, 1 thread', cell(ts.train), m(tsGemm).toFixed(2), cell(ts.infer1), cell(ts.infer1024));
row('pytorch, 1 thread', cell(torch1.train), cell(torch1.gemm_gflops, 1), cell(torch1.infer1), cell(torch1.infer1024));
row('pytorch, 2 threads', cell(torch2.train), cell(torch2.gemm_gflops, 1), cell(torch2.infer1), cell(torch2.infer1024));
row('onnxruntime-node, 1 thread', '—', '—', cell(ort1), cell(ort1024));
console.log(`\nwide & deep: ${WD_DENSE} dense + ${WD_CATS} categorical (vocab ${WD_VOCAB}; wide: 1-wide embeddings → 1; deep: ${WD_EMB}-wide embeddings, ${WD_DENSE + WD_CATS * WD_EMB}→${WD_HIDDEN.join('→')}→1 ReLU), BCE, Adam, batch ${BATCH}`);
const wdRow = (name: string, train: string) => console.log(`${name.padEnd(30)} ${train.padStart(22)}`);
wdRow('runner', 'train samples/s');
wdRow('atelier native-cpu, 1 thread', cell(wdNative1));
wdRow('atelier native-cpu, 2 threads', cell(wdNative2));
wdRow('atelier TS cpu, 1 thread', cell(wdTs));
wdRow('pytorch, 1 thread', cell(torch1.train_wd));
wdRow('pytorch, 2 threads', cell(torch2.train_wd));
console.log(`load average (1 min): ${loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end (other jobs on this machine skew every figure; ratios are from the same run)`);
const r2 = (v: number) => Number(v.toFixed(2));
console.log(JSON.stringify({
  train_vs_torch_1t: r2(m(native1.train) / m(torch1.train)),
  train_vs_torch_2t: r2(m(native2.train) / m(torch2.train)),
  train_wd_vs_torch_1t: r2(m(wdNative1) / m(torch1.train_wd)),
  train_wd_vs_torch_2t: r2(m(wdNative2) / m(torch2.train_wd)),
  gemm_vs_torch_1t: r2(m(nativeGemm1) / m(torch1.gemm_gflops)),
  infer_b1_vs_ort: r2(m(native1.infer1) / m(ort1)),
  infer_b1024_vs_ort: r2(m(native1.infer1024) / m(ort1024)),
  train_samples_per_s: Math.round(m(native1.train)),
  train_samples_per_s_2t: Math.round(m(native2.train)),
  train_samples_per_s_ts: Math.round(m(ts.train)),
  torch_train_samples_per_s: [Math.round(m(torch1.train)), Math.round(m(torch2.train))],
  train_wd_samples_per_s: [Math.round(m(wdNative1)), Math.round(m(wdNative2))],
  train_wd_samples_per_s_ts: Math.round(m(wdTs)),
  torch_train_wd_samples_per_s: [Math.round(m(torch1.train_wd)), Math.round(m(torch2.train_wd))],
  gemm_gflops_1t: r2(m(nativeGemm1)),
  gemm_gflops_2t: r2(m(nativeGemm2)),
  gemm_gflops_1t_ts: r2(m(tsGemm)),
  torch_gemm_gflops_1t: r2(m(torch1.gemm_gflops)),
  infer_b1_rows_per_s: Math.round(m(native1.infer1)),
  infer_b1024_rows_per_s: Math.round(m(native1.infer1024)),
  ort_infer_b1_rows_per_s: Math.round(m(ort1)),
  ort_infer_b1024_rows_per_s: Math.round(m(ort1024)),
  isa: native.isa,
  cpu: cpus()[0]?.model ?? 'unknown',
  load_avg_1m: [r2(loadAtStart), r2(loadAtEnd)],
}));
