// Resident batches on 'cuda': the training set's columns are uploaded once, and each step is one
// small row-index upload plus Gather kernels (float32 and int32 tables) — the same training as host
// batches on 'cpu' within the fp32 tolerance of training-parity.test.ts, and still captured and
// replayed as CUDA Graphs (the index upload is a write inside the step).
// Without a GPU this runs on the host emulator of the addon (testing/cuda-under-test.ts says so).
import { beforeAll, describe, expect, it } from 'vitest';
import { Mlp, Random, batchesFromArrays, fit, fromTyped, gather, getBackend, memory, setBackend, tidy, type ArrayData } from '@atelier/engine';
import { GPU_BACKEND_NAME, activeGpu, type GpuBackend } from './index.js';
import { registerCudaVariant, useCudaForTests, type CudaUnderTest } from './testing/cuda-under-test.js';

function data(): ArrayData {
  const r = new Random(11);
  const n = 192;
  const x = Float32Array.from({ length: n * 6 }, () => r.normal());
  const cat = Int32Array.from({ length: n }, () => r.nextInt(12));
  const tags = Int32Array.from({ length: n * 3 }, (_, i) => (i % 3 === 2 && r.next() < 0.5 ? -1 : r.nextInt(7)));
  const labels = Float32Array.from({ length: n }, (_, i) => (x[i * 6] - x[i * 6 + 1] + (cat[i] % 3) * 0.6 + (tags[i * 3] % 2) - 1 > 0 ? 1 : 0));
  return { numRows: n, inputs: { x, cat, tags }, labels };
}

// multi_hot's bag count (GreaterEqual on int32 ids) runs on the device (binaryI32), so a step with
// every input kind is capturable.
const model = (multiHot: boolean) => new Mlp({
  inputs: [
    { name: 'x', kind: 'dense', width: 6 },
    { name: 'cat', kind: 'categorical', vocabSize: 12, embeddingDim: 4 },
    ...(multiHot ? [{ name: 'tags', kind: 'multi_hot' as const, vocabSize: 7, embeddingDim: 3, maxIds: 3 }] : []),
  ],
  hiddenUnits: [32, 16], seed: 3,
});

/** Losses of 4 epochs × 6 steps (batch 32, shuffled) on `backend`. */
async function train(backend: string, resident: boolean, multiHot = true): Promise<number[]> {
  setBackend(backend);
  const source = batchesFromArrays(data(), { batchSize: 32, shuffle: true, seed: 2, resident });
  expect(source.resident).toBe(resident);
  const m = model(multiHot);
  const losses: number[] = [];
  try {
    await fit(m, { epochs: 4, seed: 1, data: source, optimizer: { kind: 'adam', lr: 0.01 }, callbacks: { onStep: (e) => void losses.push(e.loss) } });
  } finally {
    m.dispose();
    source.dispose();
    setBackend('cpu');
  }
  return losses;
}

function expectClose(got: number[], want: number[], rel: number, what: string): void {
  expect(got.length).toBe(want.length);
  expect(got[got.length - 1], `${what}: the loss falls`).toBeLessThan(got[0]);
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(got[i] - want[i]) / Math.max(1e-6, Math.abs(want[i])), `${what} step ${i}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(rel);
  }
}

let gpu: CudaUnderTest;

beforeAll(async () => {
  gpu = await useCudaForTests({ precision: 'fp32', cudaGraphs: true });
  await registerCudaVariant('cuda-eager-resident', { precision: 'fp32', cudaGraphs: false });
  setBackend('cpu');
});

describe("resident batches on 'cuda'", () => {
  it('Gather on an int32 table copies the bits exactly (-1, extremes, NaN patterns as floats) and pads negative ids', () => {
    setBackend(GPU_BACKEND_NAME);
    try {
      const fallbacks = () => (getBackend() as GpuBackend).stats().fallbacks.Gather ?? 0;
      const fellBack = fallbacks();
      const table = Int32Array.of(-1, 2147483647, -2147483648, 0x7fc00001, -4194303, 7, 0, -2);
      const got = tidy(() => gather(fromTyped(table.slice(), [4, 2]), fromTyped(Int32Array.of(3, -1, 0, 1, 2, 0), [6])).dataSync());
      expect(got).toBeInstanceOf(Int32Array);
      expect(Array.from(got)).toEqual([0, -2, 0, 0, -1, 2147483647, -2147483648, 0x7fc00001, -4194303, 7, -1, 2147483647]);
      expect(fallbacks(), 'the device kernel ran (no reference fallback)').toBe(fellBack);
    } finally {
      setBackend('cpu');
    }
  });

  it("eager: the same losses as host batches on 'cpu' within 1e-3 per step; the columns are freed", async () => {
    const before = memory().numTensors;
    const cpu = await train('cpu', false);
    const resident = await train('cuda-eager-resident', true);
    expect(memory().numTensors).toBe(before);
    expectClose(resident, cpu, 1e-3, `resident fp32${gpu.emulated ? ' (emulator)' : ''}`);
  });

  it('CUDA Graphs: resident steps (dense, categorical and multi_hot inputs) are captured and replayed, the same losses as eager within 1e-5', async () => {
    const before = activeGpu()!.executor;
    const graphs = await train(GPU_BACKEND_NAME, true);
    const after = activeGpu()!.executor;
    const eager = await train('cuda-eager-resident', true);
    expect(after.capturedSteps - before.capturedSteps, `captured steps (reason: ${after.reason})`).toBeGreaterThanOrEqual(1);
    expect(after.replayedSteps - before.replayedSteps, `replayed steps (reason: ${after.reason})`).toBeGreaterThan(0);
    expectClose(graphs, eager, 1e-5, 'resident graphs vs eager');
  });
});
