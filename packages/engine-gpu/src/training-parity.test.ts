// Training on 'cuda' reproduces training on the CPU reference backend from the same seed: an MLP and
// a wide & deep model (embeddings), 40 steps of Adam. Tolerances on each step's loss, relative:
//   fp32 (strict float32 GEMM)  1e-3   the only differences are summation orders (GEMM, reductions,
//                                      scatter-add), ~1e-6 per step, drifting slowly over 40 steps
//   tf32                         2e-2 of the first step's loss: TF32 rounds GEMM inputs to 10 mantissa
//                                      bits (~5e-4 per product), so late, small losses differ more in relative terms
//   CUDA Graphs vs eager         1e-5   the same kernels replayed; only atomics' order may differ
// The GPU-trained bundle predicts on CPU within 1e-4 (relative) of the GPU's own predictions.
// Without a GPU this runs on the host emulator of the addon (testing/cuda-under-test.ts says so).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Mlp, Optimizer, Random, WideDeep, createPredictor, getBackend, loadBundle, packBundle, saveBundle, setBackend, trainStep, unpackBundle,
  type CannedModel,
} from '@atelier/engine';
import { GPU_BACKEND_NAME, activeGpu } from './index.js';
import { registerCudaVariant, useCudaForTests, type CudaUnderTest } from './testing/cuda-under-test.js';

const STEPS = 40;

interface Batch {
  numRows: number;
  inputs: Record<string, Float32Array | Int32Array>;
  labels: Float32Array;
}

function mlpData(): Batch {
  const r = new Random(5);
  const n = 256, d = 24;
  const x = Float32Array.from({ length: n * d }, () => r.normal());
  const y = Float32Array.from({ length: n }, (_, i) => (x[i * d] * x[i * d + 1] + x[i * d + 2] > 0 ? 1 : 0));
  return { numRows: n, inputs: { x }, labels: y };
}

function wideDeepData(): Batch {
  const r = new Random(6);
  const n = 256, d = 8;
  const x = Float32Array.from({ length: n * d }, () => r.normal());
  const user = Int32Array.from({ length: n }, () => r.nextInt(40));
  const item = Int32Array.from({ length: n }, () => r.nextInt(25));
  const y = Float32Array.from({ length: n }, (_, i) => ((user[i] % 3 === 0 ? 1 : -0.5) + x[i * d] + (item[i] % 2) - 0.5 > 0 ? 1 : 0));
  return { numRows: n, inputs: { x, user, item }, labels: y };
}

const makers: Record<string, { make: () => CannedModel; data: () => Batch }> = {
  mlp: {
    make: () => new Mlp({ inputs: [{ name: 'x', kind: 'dense', width: 24 }], hiddenUnits: [64, 64], activation: 'relu', seed: 3 }),
    data: mlpData,
  },
  wide_deep: {
    make: () => new WideDeep({
      wideInputs: [{ name: 'user', kind: 'categorical', vocabSize: 40, embeddingDim: 1 }, { name: 'item', kind: 'categorical', vocabSize: 25, embeddingDim: 1 }],
      deepInputs: [{ name: 'x', kind: 'dense', width: 8 }, { name: 'user', kind: 'categorical', vocabSize: 40, embeddingDim: 6 }, { name: 'item', kind: 'categorical', vocabSize: 25, embeddingDim: 4 }],
      hiddenUnits: [32, 16], seed: 4,
    }),
    data: wideDeepData,
  },
};

function train(backend: string, kind: string, keep = false): { losses: number[]; model: CannedModel | null } {
  setBackend(backend);
  const { make, data } = makers[kind];
  const batch = data();
  const model = make();
  const opt = new Optimizer({ kind: 'adam', lr: 0.01 });
  const losses: number[] = [];
  for (let s = 0; s < STEPS; s++) losses.push(trainStep(model, opt, batch).loss);
  if (!keep) model.dispose();
  return { losses, model: keep ? model : null };
}

/** Each step within `rel` of the reference loss at that step ('step') or of its first loss ('initial'). */
function expectTrajectory(got: number[], want: number[], rel: number, what: string, scale: 'step' | 'initial' = 'step'): void {
  expect(got.length).toBe(want.length);
  expect(got[STEPS - 1], `${what}: the loss falls`).toBeLessThan(got[0] * 0.8);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]) / Math.max(1e-6, Math.abs(scale === 'step' ? want[i] : want[0]));
    expect(err, `${what} step ${i}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(rel);
  }
}

let gpu: CudaUnderTest;

beforeAll(async () => {
  // 'cuda': fp32 with CUDA Graphs (the default); variants on the same device for eager and TF32.
  gpu = await useCudaForTests({ precision: 'fp32', cudaGraphs: true });
  await registerCudaVariant('cuda-eager', { precision: 'fp32', cudaGraphs: false });
  await registerCudaVariant('cuda-tf32', { precision: 'tf32', cudaGraphs: false });
  setBackend('cpu');
});

describe.each(Object.keys(makers))("training %s on 'cuda' vs 'cpu' (Adam, 40 steps)", (kind) => {
  it('fp32: the same loss trajectory within 1e-3 per step', () => {
    const cpu = train('cpu', kind).losses;
    const cuda = train('cuda-eager', kind).losses;
    setBackend('cpu');
    expectTrajectory(cuda, cpu, 1e-3, `${kind} fp32${gpu.emulated ? ' (emulator)' : ''}`);
  });

  it("tf32: the same loss trajectory within 2e-2 of the first step's loss", () => {
    const cpu = train('cpu', kind).losses;
    const tf32 = train('cuda-tf32', kind).losses;
    setBackend('cpu');
    expectTrajectory(tf32, cpu, 2e-2, `${kind} tf32`, 'initial');
  });

  it('CUDA Graphs: captured and replayed, the same trajectory as eager within 1e-5', () => {
    const before = activeGpu()!.executor;
    const graphs = train(GPU_BACKEND_NAME, kind).losses;
    const after = activeGpu()!.executor;
    const eager = train('cuda-eager', kind).losses;
    setBackend('cpu');
    expect(after.capturedSteps - before.capturedSteps, `captured steps (reason: ${after.reason})`).toBeGreaterThanOrEqual(1);
    expect(after.replayedSteps - before.replayedSteps, `replayed steps (reason: ${after.reason})`).toBeGreaterThan(0);
    expectTrajectory(graphs, eager, 1e-5, `${kind} graphs vs eager`);
  });

  it('the GPU-trained bundle predicts on CPU within 1e-4 of the GPU', () => {
    const { model } = train(GPU_BACKEND_NAME, kind, true);
    const batch = makers[kind].data();
    const onGpu = Float64Array.from(createPredictor(model!).predict(batch) as ArrayLike<number>);
    const bytes = packBundle(saveBundle(model!));
    model!.dispose();
    expect(unpackBundle(bytes).weights.length).toBeGreaterThan(0);
    setBackend('cpu');
    expect(getBackend().name).toBe('cpu');
    const { model: loaded } = loadBundle(bytes);
    const onCpu = Float64Array.from(createPredictor(loaded).predict(batch) as ArrayLike<number>);
    loaded.dispose();
    expect(onCpu.length).toBe(onGpu.length);
    for (let i = 0; i < onGpu.length; i++) {
      expect(Math.abs(onCpu[i] - onGpu[i]), `row ${i}: cpu ${onCpu[i]} vs gpu ${onGpu[i]}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(onGpu[i])));
    }
  });
});
