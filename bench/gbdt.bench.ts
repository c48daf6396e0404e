// `npm run bench -- gbdt`: the engine's histogram GBDT against XGBoost (hist) in the same run, on a
// synthetic binary task (200k train rows × 50 features, 50k test rows; a logistic signal over 10
// features with interactions, 5% missing values), 100 trees of depth 6, learning rate 0.3, 255 bins,
// the same thread count (1: the engine's boosting runs on one thread).
//   gbdt_fit_vs_xgb      ours / XGBoost fit seconds — LOWER is better (≤ 1.0 is the target)
//   gbdt_auc_delta       ours − XGBoost test AUC (target |Δ| ≤ 0.002)
//   gbdt_predict_vs_xgb  ours / XGBoost batch prediction rows per second — HIGHER is better (≥ 1.0)
// Fit includes binning on both sides (XGBoost's DMatrix construction builds its quantile cuts).
// Needs /usr/bin/python3 with Debian's python3-xgboost, python3-numpy and python3-sklearn.
// BENCH_QUICK=1: 50k train rows, 30 trees.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GbdtTrainer, Random, rocAuc } from '@atelier/engine';

const here = dirname(fileURLToPath(import.meta.url));
const PY = '/usr/bin/python3';
const quick = process.env.BENCH_QUICK === '1';
const nTrain = quick ? 50_000 : 200_000;
const nTest = 50_000;
const F = 50;
const rounds = quick ? 30 : 100;
const depth = 6;
const eta = 0.3;
const threads = 1;
const maxBins = 255;

try {
  execFileSync(PY, ['-c', 'import xgboost, numpy, sklearn'], { stdio: 'pipe' });
} catch {
  console.error(`gbdt bench: needs ${PY} with xgboost, numpy and scikit-learn. Install: apt-get update && apt-get install -y python3-xgboost python3-numpy python3-sklearn`);
  process.exit(2);
}

function synthetic(n: number, rng: Random): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(n * F);
  const y = new Float32Array(n);
  const w = [1.2, -0.8, 0.6, -0.5, 0.9, 0.4, -0.7, 0.3, 0.5, -0.4];
  for (let i = 0; i < n; i++) {
    const o = i * F;
    for (let f = 0; f < F; f++) x[o + f] = rng.normal();
    let z = 0;
    for (let f = 0; f < 10; f++) z += w[f] * x[o + f];
    z += 0.8 * x[o] * x[o + 1] - 0.6 * Math.abs(x[o + 2]) + (x[o + 3] > 0.5 ? 0.7 : 0) + 0.5 * Math.sin(2 * x[o + 4]);
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    for (let f = 0; f < F; f++) if (rng.next() < 0.05) x[o + f] = NaN;
  }
  return { x, y };
}

const rng = new Random(2024);
const train = synthetic(nTrain, rng);
const test = synthetic(nTest, rng);
const dir = mkdtempSync(join(tmpdir(), 'atelier-gbdt-bench-'));
const write = (name: string, a: Float32Array) => writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
write('x_train.f32', train.x);
write('y_train.f32', train.y);
write('x_test.f32', test.x);
write('y_test.f32', test.y);
const loadStart = loadavg()[0];

function runOurs() {
  const t0 = performance.now();
  const trainer = new GbdtTrainer({
    numFeatures: F,
    categorical: new Array<boolean>(F).fill(false),
    train: { numRows: nTrain, values: train.x, labels: train.y },
    params: { objective: 'binary', numRounds: rounds, maxDepth: depth, learningRate: eta, maxBins, lambda: 1, alpha: 0, minChildWeight: 1 },
  });
  const ensemble = trainer.fit();
  const fitS = (performance.now() - t0) / 1000;
  const margins = new Float64Array(nTest);
  const p = new Float32Array(nTest);
  // One warm-up pass over the test set, then the median of three timed passes (as the peer does).
  const times: number[] = [];
  for (let rep = 0; rep < 4; rep++) {
    const t1 = performance.now();
    ensemble.predictRaw(test.x, nTest, margins);
    for (let i = 0; i < nTest; i++) p[i] = 1 / (1 + Math.exp(-margins[i]));
    if (rep > 0) times.push((performance.now() - t1) / 1000);
  }
  const predictS = times.sort((a, b) => a - b)[1];
  return { fitS, predictS, auc: rocAuc(test.y, p), nodes: ensemble.numNodes };
}

function runXgb() {
  const out = execFileSync(PY, [join(here, 'gbdt-xgb-peer.py'), dir, String(nTrain), String(nTest), String(F), String(rounds), String(depth), String(eta), String(threads), String(maxBins + 1)], {
    env: { ...process.env, OMP_NUM_THREADS: String(threads) },
  });
  return JSON.parse(out.toString().trim().split('\n').pop()!) as { fit_s: number; predict_s: number; auc: number; version: string };
}

try {
  console.log(`gbdt bench: ${nTrain} train × ${F} features, ${nTest} test rows, ${rounds} trees depth ${depth}, eta ${eta}, ${threads} thread(s), load avg ${loadStart.toFixed(1)}`);
  // Interleaved: ours, XGBoost, ours, XGBoost — medians of the two, so both see the same machine load.
  const ours = [runOurs()];
  const xgb = [runXgb()];
  if (!quick) {
    ours.push(runOurs());
    xgb.push(runXgb());
  }
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];
  const o = { fit: med(ours.map((r) => r.fitS)), predict: med(ours.map((r) => r.predictS)), auc: ours[0].auc };
  const x = { fit: med(xgb.map((r) => r.fit_s)), predict: med(xgb.map((r) => r.predict_s)), auc: xgb[0].auc };
  const rows = [
    ['', 'atelier', `xgboost ${xgb[0].version}`],
    ['fit (s)', o.fit.toFixed(2), x.fit.toFixed(2)],
    ['predict rows/s', Math.round(nTest / o.predict).toLocaleString('en-US'), Math.round(nTest / x.predict).toLocaleString('en-US')],
    ['test AUC', o.auc.toFixed(4), x.auc.toFixed(4)],
  ];
  for (const r of rows) console.log(r[0].padEnd(16) + r[1].padStart(14) + r[2].padStart(18));
  const result = {
    bench: 'gbdt',
    rows_train: nTrain,
    rows_test: nTest,
    features: F,
    trees: rounds,
    depth,
    threads,
    gbdt_fit_s: o.fit,
    xgb_fit_s: x.fit,
    gbdt_fit_vs_xgb: o.fit / x.fit,
    gbdt_auc: o.auc,
    xgb_auc: x.auc,
    gbdt_auc_delta: o.auc - x.auc,
    gbdt_predict_rows_per_s: nTest / o.predict,
    xgb_predict_rows_per_s: nTest / x.predict,
    gbdt_predict_vs_xgb: x.predict / o.predict,
    directions: { gbdt_fit_vs_xgb: 'lower is better', gbdt_predict_vs_xgb: 'higher is better', gbdt_auc_delta: 'closer to 0 (or above) is better' },
    load_avg_1m: [loadStart, loadavg()[0]],
  };
  console.log(JSON.stringify(result));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
