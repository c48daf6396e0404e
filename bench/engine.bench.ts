// Engine benchmark: the same MLP (64 → 256 → 256 → 1, ReLU, BCE-with-logits, Adam, batch 256)
// trained and served by @atelier/engine's pure-TS CPU backend and by TensorFlow.js (wasm backend,
// single-threaded; and its plain 'cpu' backend) in the same process, plus single-thread GEMM at
// 1024³. Medians of several timed runs; the last line is one JSON object.
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { Mlp, Optimizer, Random, createPredictor, gemm, setBackend, trainStep, type Batch } from '@atelier/engine';

const require = createRequire(import.meta.url);
const IN = 64, H = 256, BATCH = 256;
const quick = process.env.BENCH_QUICK === '1';
const RUNS = quick ? 3 : 5;
// The bench machine is shared: report the load so numbers from different runs can be judged.
const loadAtStart = loadavg()[0];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function makeData(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const r = new Random(seed);
  const x = Float32Array.from({ length: n * IN }, () => r.normal());
  const y = Float32Array.from({ length: n }, (_, i) => (x[i * IN] + x[i * IN + 1] > 0 ? 1 : 0));
  return { x, y };
}
const data = makeData(BATCH, 1);
const infer1 = makeData(1, 2).x;
const infer1024 = makeData(1024, 3).x;

interface Runner {
  name: string;
  train: () => void;
  infer1: () => void;
  infer1024: () => void;
  slow?: boolean;
}

// ------------------------------------------------------------------ Atelier engine
setBackend('cpu');
const model = new Mlp({ inputs: [{ name: 'x', kind: 'dense', width: IN }], hiddenUnits: [H, H], activation: 'relu', seed: 1 });
const optimizer = new Optimizer({ kind: 'adam', lr: 1e-3 });
const batch: Batch = { numRows: BATCH, inputs: { x: data.x }, labels: data.y };
const predictor = createPredictor(model);
const out1 = new Float32Array(1), out1024 = new Float32Array(1024);
const atelier: Runner = {
  name: 'atelier (pure TS cpu)',
  train: () => void trainStep(model, optimizer, batch),
  infer1: () => void predictor.predict({ numRows: 1, inputs: { x: infer1 } }, out1),
  infer1024: () => void predictor.predict({ numRows: 1024, inputs: { x: infer1024 } }, out1024),
};

// ------------------------------------------------------------------ TensorFlow.js peers
// Single-thread GEMM first, before any peer runs in this process: tfjs-wasm detaches ArrayBuffers when
// its memory grows, and from then on V8 checks for detachment on every typed-array access in the whole
// process, which would charge a peer's artifact to our kernel. (Training below runs after it, alongside
// the peers, and pays that check: the conservative side.)
const N = 1024;
const A = makeData((N * N) / IN, 4).x, B = makeData((N * N) / IN, 5).x, C = new Float32Array(N * N);
/** Median GFLOP/s of RUNS 1024³ products, by wall time and by process CPU time (less sensitive to other jobs). */
function measureGemm(): { wall: number; cpu: number } {
  gemm(N, N, N, A, false, B, false, C);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    gemm(N, N, N, A, false, B, false, C);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuTimes.push((c.user + c.system) / 1000);
  }
  const flop = 2 * N * N * N;
  return { wall: flop / (median(times) / 1000) / 1e9, cpu: flop / (median(cpuTimes) / 1000) / 1e9 };
}
const gemmBeforePeers = measureGemm();
const gemmGflops = gemmBeforePeers.wall;
const gemmGflopsCpu = gemmBeforePeers.cpu;

const tf = await import('@tensorflow/tfjs');
const wasm = await import('@tensorflow/tfjs-backend-wasm');
wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
type TfTensor = import('@tensorflow/tfjs').Tensor;

// tfjs has one global backend, so each tfjs runner switches to its backend before it runs.
async function tfjsRunner(backend: 'wasm' | 'cpu'): Promise<Runner> {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to initialise`);
  await tf.ready();
  const m = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [IN], units: H, activation: 'relu' }),
      tf.layers.dense({ units: H, activation: 'relu' }),
      tf.layers.dense({ units: 1 }),
    ],
  });
  const opt = tf.train.adam(1e-3);
  const xs = tf.tensor2d(data.x, [BATCH, IN]);
  const ys = tf.tensor2d(data.y, [BATCH, 1]);
  const x1 = tf.tensor2d(infer1, [1, IN]);
  const x1024 = tf.tensor2d(infer1024, [1024, IN]);
  const pred = (x: TfTensor) => () => {
    const y = tf.tidy(() => tf.sigmoid(m.predict(x) as TfTensor));
    y.dataSync();
    y.dispose();
  };
  const use = (f: () => void) => () => {
    if (tf.getBackend() !== backend) void tf.setBackend(backend);
    f();
  };
  return {
    name: backend === 'wasm' ? 'tfjs wasm (1 thread, simd)' : 'tfjs cpu',
    slow: backend === 'cpu',
    train: use(() => tf.tidy(() => void opt.minimize(() => tf.losses.sigmoidCrossEntropy(ys, m.apply(xs) as TfTensor) as import('@tensorflow/tfjs').Scalar, false))),
    infer1: use(pred(x1)),
    infer1024: use(pred(x1024)),
  };
}
const tfWasmRunner = await tfjsRunner('wasm');
const tfCpuRunner = await tfjsRunner('cpu');
const runners = [atelier, tfWasmRunner, tfCpuRunner];

// Runs are interleaved (A, B, C, A, B, C, …) so every runner sees the same machine load.
function measure(kind: 'train' | 'infer1' | 'infer1024', rowsPerCall: number, calls: (r: Runner) => number): number[] {
  const rates = runners.map(() => [] as number[]);
  for (const r of runners) for (let i = 0; i < 2; i++) r[kind]();
  for (let round = 0; round < RUNS; round++) {
    runners.forEach((r, k) => {
      const n = calls(r);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) r[kind]();
      rates[k].push((n * rowsPerCall) / ((performance.now() - t0) / 1000));
    });
  }
  return rates.map(median);
}
const trainRates = measure('train', BATCH, (r) => (r.slow ? 4 : quick ? 8 : 20));
const infer1Rates = measure('infer1', 1, () => (quick ? 300 : 1000));
const infer1024Rates = measure('infer1024', 1024, (r) => (r.slow ? 2 : quick ? 4 : 10));
const [atelierTrain, wasmTrain, cpuTrain] = trainRates;
const results = runners.map((r, k) => ({ name: r.name, train: trainRates[k], infer1: infer1Rates[k], infer1024: infer1024Rates[k] }));
const tfWasm = results[1], tfCpu = results[2];
const atelierInfer1 = infer1Rates[0], atelierInfer1024 = infer1024Rates[0];

// The same product once tfjs-wasm has run here (every typed-array access now checks for detachment).
const gemmAfterPeers = measureGemm();
const loadAtEnd = loadavg()[0];

const fmt = (v: number) => v.toFixed(0).padStart(12);
console.log(`engine benchmark: MLP ${IN}→${H}→${H}→1, ReLU, BCE-with-logits, Adam, batch ${BATCH} (medians of ${RUNS} runs)`);
console.log(`${'runner'.padEnd(28)}${'train samples/s'.padStart(16)}${'infer b=1 /s'.padStart(14)}${'infer b=1024 /s'.padStart(17)}`);
for (const r of results) {
  console.log(`${r.name.padEnd(28)}${fmt(r.train).padStart(16)}${fmt(r.infer1).padStart(14)}${fmt(r.infer1024).padStart(17)}`);
}
console.log(`single-thread GEMM 1024³: ${gemmGflops.toFixed(2)} GFLOP/s (${gemmGflopsCpu.toFixed(2)} by CPU time); after the peers ran in this process: ${gemmAfterPeers.wall.toFixed(2)} GFLOP/s`);
console.log(`load average (1 min): ${loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end`);
const round = (v: number, d = 2) => Number(v.toFixed(d));
console.log(JSON.stringify({
  train_samples_per_s: round(atelierTrain, 0),
  train_vs_tfjs_wasm: round(atelierTrain / wasmTrain),
  train_vs_tfjs_cpu: round(atelierTrain / cpuTrain),
  gemm_gflops_1t: round(gemmGflops),
  gemm_gflops_1t_cpu_time: round(gemmGflopsCpu),
  gemm_gflops_1t_after_peers: round(gemmAfterPeers.wall),
  infer_b1_rows_per_s: round(atelierInfer1, 0),
  infer_b1024_rows_per_s: round(atelierInfer1024, 0),
  infer_b1_vs_tfjs_wasm: round(atelierInfer1 / tfWasm.infer1),
  infer_b1024_vs_tfjs_wasm: round(atelierInfer1024 / tfWasm.infer1024),
  tfjs_wasm_train_samples_per_s: round(tfWasm.train, 0),
  tfjs_cpu_train_samples_per_s: round(tfCpu.train, 0),
  load_avg_1m: [round(loadAtStart), round(loadAtEnd)],
}));
