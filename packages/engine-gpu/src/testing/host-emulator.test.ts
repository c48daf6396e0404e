// The host emulator (a test fake: this machine has no GPU) must behave like the addon where the code
// under test depends on it: memory bounds, capture semantics, stream order, device errors, and
// kernels that match the engine's reference within float32 rounding.
import { describe, expect, it } from 'vitest';
import { getKernel, type HostTensor } from '@atelier/engine';
import { createHostEmulator, emulatorStats, f32ToBf16Bits, bf16BitsToF32, type HostEmulator } from './host-emulator.js';
import { dropoutMask } from '../philox.js';

function put(emu: HostEmulator, data: Float32Array | Int32Array): number {
  const p = emu.malloc(Math.max(4, data.byteLength));
  emu.upload(p, data);
  return p;
}
function getF(emu: HostEmulator, p: number, n: number): Float32Array {
  const out = new Float32Array(n);
  emu.download(p, out);
  return out;
}
function rand(n: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 4294967296) * 4 - 2;
  }
  return out;
}
const ref = (name: string, inputs: HostTensor[], attrs: object = {}) => getKernel(name).reference(inputs, attrs);
const f = (shape: number[], values: Float32Array): HostTensor => ({ shape, dtype: 'float32', values });

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= tol * (1 + Math.abs(b[i])))) throw new Error(`element ${i}: ${a[i]} vs ${b[i]}`);
  }
}

describe('host emulator: device memory', () => {
  it('probes one Hopper-like device and hands out 256-byte-aligned addresses', () => {
    const emu = createHostEmulator({ totalMemory: 1 << 20 });
    const p = emu.probe();
    expect(p.ok && p.devices[0]).toMatchObject({ name: 'Atelier host emulator', computeCapability: '9.0', totalMemory: 1 << 20 });
    const a = emu.malloc(10), b = emu.malloc(300);
    expect(a % 256).toBe(0);
    expect(b % 256).toBe(0);
    expect(b - a).toBe(256);
    expect(emu.memGetInfo()).toEqual({ free: (1 << 20) - 256 - 512, total: 1 << 20 });
  });

  it('fails above totalMemory with "CUDA out of memory" and frees return space', () => {
    const emu = createHostEmulator({ totalMemory: 4096 });
    const a = emu.malloc(4000);
    expect(() => emu.malloc(512)).toThrow(/^CUDA out of memory/);
    emu.free(a);
    expect(emu.malloc(4096)).toBeGreaterThan(0);
  });

  it('throws an illegal address outside an allocation, and on a freed one', () => {
    const emu = createHostEmulator();
    const a = emu.malloc(16);
    expect(() => emu.fillF32(a, 1, 5)).toThrow(/illegal memory access/);
    expect(() => emu.fillF32(a + 4, 1, 3)).not.toThrow();
    emu.free(a);
    expect(() => emu.fillF32(a, 1, 1)).toThrow(/illegal memory access/);
    expect(() => emu.free(a)).toThrow(/invalid argument/);
    expect(() => emu.unary(0, 1.5, a, 1)).toThrow(TypeError);
  });

  it('poisons fresh memory (cudaMalloc does not zero)', () => {
    const emu = createHostEmulator();
    const a = emu.malloc(8);
    expect(getF(emu, a, 2).every(Number.isNaN)).toBe(true);
    emu.memsetZero(a, 8);
    expect([...getF(emu, a, 2)]).toEqual([0, 0]);
  });

  it('copies through pinned memory and between device buffers', () => {
    const emu = createHostEmulator();
    const pin = emu.allocPinned(16);
    new Float32Array(pin.buffer).set([1, 2, 3, 4]);
    const a = emu.malloc(16), b = emu.malloc(16);
    emu.copyFromPinned(a, pin.ptr, 16);
    emu.copyDeviceToDevice(b, a, 16);
    const pin2 = emu.allocPinned(16);
    emu.copyToPinned(pin2.ptr + 8, b + 8, 8);
    emu.synchronize();
    expect([...new Float32Array(pin2.buffer)]).toEqual([0, 0, 3, 4]);
    expect(() => emu.copyFromPinned(a, pin.ptr + 8, 16)).toThrow(/illegal memory access/);
    emu.freePinned(pin.ptr);
    expect(() => emu.copyFromPinned(a, pin.ptr, 4)).toThrow(/illegal memory access/);
  });
});

describe('host emulator: stream, events and device errors', () => {
  it('deferred stream: work runs at a sync, events complete when reached', () => {
    const emu = createHostEmulator({ stream: 'deferred' });
    const a = emu.malloc(16);
    const e = emu.eventCreate();
    expect(emu.eventQuery(e)).toBe(true); // never recorded
    emu.fillF32(a, 7, 4);
    emu.eventRecord(e);
    emu.fillF32(a, 9, 4);
    expect(emu.pending()).toBe(3);
    expect(emu.eventQuery(e)).toBe(false);
    emu.eventSynchronize(e);
    expect(emu.eventQuery(e)).toBe(true);
    expect(emu.pending()).toBe(1);
    expect([...getF(emu, a, 4)]).toEqual([9, 9, 9, 9]);
  });

  it('deferred copyFromPinned reads the pinned buffer when the copy runs', () => {
    const emu = createHostEmulator({ stream: 'deferred' });
    const pin = emu.allocPinned(4);
    const view = new Float32Array(pin.buffer);
    const a = emu.malloc(4);
    view[0] = 1;
    emu.copyFromPinned(a, pin.ptr, 4);
    view[0] = 2; // overwritten before the device ran the copy: the device sees 2
    expect(getF(emu, a, 1)[0]).toBe(2);
  });

  it('records the first out-of-range label and throws it at the next sync', () => {
    const emu = createHostEmulator();
    const logits = put(emu, new Float32Array([1, 2, 3, 1, 2, 3]));
    const labels = put(emu, new Int32Array([0, 5]));
    const loss = emu.malloc(8), probs = emu.malloc(24);
    emu.sparseSoftmaxCrossEntropy(logits, labels, 2, 3, loss, probs);
    expect(() => emu.synchronize()).toThrow('engine-gpu device error label-range (code 1): label 5 at row 1 is outside [0, 3)');
    emu.synchronize(); // cleared once thrown
    const ids = put(emu, new Int32Array([-1, 9]));
    const rowsOut = emu.malloc(24);
    emu.gather(probs, 2, 3, ids, 2, rowsOut);
    expect([...emu.takeDeviceErrors()]).toEqual([2, 1, 9, 2]); // -1 is padding: a zero row, no error
    expect([...getF(emu, rowsOut, 6)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...emu.takeDeviceErrors()]).toEqual([0, 0, 0, 0]);
  });
});

describe('host emulator: CUDA Graph capture', () => {
  it('records kernels and copies without running them; a replay runs them and reads pinned memory then', () => {
    const emu = createHostEmulator();
    const pin = emu.allocPinned(8);
    const pv = new Float32Array(pin.buffer);
    const x = emu.malloc(8), y = emu.malloc(8);
    emu.memsetZero(y, 8);
    pv.set([1, 2]);
    emu.captureBegin();
    expect(emu.capturing()).toBe(true);
    emu.copyFromPinned(x, pin.ptr, 8);
    emu.binary(0, 0, x, x, y, 2, 0); // y = x + x
    const g = emu.captureEnd();
    expect(emu.capturing()).toBe(false);
    expect([...getF(emu, y, 2)]).toEqual([0, 0]); // nothing ran during capture
    pv.set([5, 6]);
    const before = emulatorStats(emu);
    emu.graphLaunch(g);
    expect([...getF(emu, y, 2)]).toEqual([10, 12]);
    pv.set([7, 8]);
    emu.graphLaunch(g);
    expect([...getF(emu, y, 2)]).toEqual([14, 16]);
    const after = emulatorStats(emu);
    expect(after.kernelLaunches - before.kernelLaunches).toBe(0);
    expect(after.graphLaunches - before.graphLaunches).toBe(2);
    expect(after.graphNodesRun - before.graphNodesRun).toBe(4);
    emu.graphDestroy(g);
    expect(() => emu.graphLaunch(g)).toThrow(/invalid resource handle/);
  });

  it('a synchronising call or a free during capture throws and invalidates it; malloc is allowed (relaxed mode)', () => {
    const emu = createHostEmulator();
    const a = emu.malloc(4);
    const b = emu.malloc(4);
    for (const bad of [() => emu.download(a, new Float32Array(1)), () => emu.synchronize(), () => emu.free(b), () => emu.upload(a, new Float32Array(1))]) {
      emu.captureBegin();
      emu.fillF32(a, 1, 1);
      expect(bad).toThrow(/capturing/);
      expect(() => emu.captureEnd()).toThrow(/Invalidated/);
      expect(emu.capturing()).toBe(false);
    }
    emu.captureBegin();
    const c = emu.malloc(4);
    emu.fillF32(c, 2, 1);
    emu.graphLaunch(emu.captureEnd());
    expect(getF(emu, c, 1)[0]).toBe(2);
  });

  it('a replayed event record completes when the stream reaches it', () => {
    const emu = createHostEmulator({ stream: 'deferred' });
    const a = emu.malloc(4);
    const e = emu.eventCreate();
    emu.captureBegin();
    emu.fillF32(a, 3, 1);
    emu.eventRecord(e);
    const g = emu.captureEnd();
    emu.graphLaunch(g);
    expect(emu.eventQuery(e)).toBe(false);
    emu.advance();
    expect(emu.eventQuery(e)).toBe(true);
  });
});

describe('host emulator: kernels against the engine reference', () => {
  it('gemm: every transpose, bias and activation (strict float32)', () => {
    const emu = createHostEmulator();
    const M = 5, N = 7, K = 6;
    const A = rand(M * K, 1), B = rand(K * N, 2), bias = rand(N, 3);
    const At = new Float32Array(M * K), Bt = new Float32Array(K * N);
    for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) At[k * M + i] = A[i * K + k];
    for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) Bt[j * K + k] = B[k * N + j];
    const expected = (act: number) => {
      const out = new Float32Array(M * N);
      for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
        let s = bias[j];
        for (let k = 0; k < K; k++) s += A[i * K + k] * B[k * N + j];
        out[i * N + j] = act === 1 ? Math.max(s, 0) : act === 2 ? 1 / (1 + Math.exp(-s)) : act === 3 ? Math.tanh(s) : s;
      }
      return out;
    };
    const pb = put(emu, bias), c = emu.malloc(M * N * 4);
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const pa = put(emu, tA ? At : A), pbm = put(emu, tB ? Bt : B);
      for (const act of [0, 1, 2, 3]) {
        emu.gemm(M, N, K, pa, tA, pbm, tB, c, pb, act, 2, 0, 0, 0);
        expectClose(getF(emu, c, M * N), expected(act), 1e-5);
      }
    }
  });

  it('gemm: TF32 and bf16 round their inputs (bf16 needs scratch)', () => {
    const emu = createHostEmulator();
    const a = put(emu, new Float32Array([1 + 2 ** -9])), b = put(emu, new Float32Array([1])), c = emu.malloc(4);
    emu.gemm(1, 1, 1, a, false, b, false, c, 0, 0, 2, 0, 0, 0);
    expect(getF(emu, c, 1)[0]).toBe(1 + 2 ** -9);
    emu.gemm(1, 1, 1, a, false, b, false, c, 0, 0, 0, 0, 0, 0);
    expect(getF(emu, c, 1)[0]).toBe(1 + 2 ** -9); // TF32 keeps 10 mantissa bits
    expect(() => emu.gemm(1, 1, 1, a, false, b, false, c, 0, 0, 1, 0, 0, 0)).toThrow(/scratch/);
    const scratch = emu.malloc(64);
    emu.gemm(1, 1, 1, a, false, b, false, c, 0, 0, 1, 0, 0, scratch);
    expect(getF(emu, c, 1)[0]).toBe(1); // bf16 keeps 7
    expect(bf16BitsToF32(f32ToBf16Bits(1 + 2 ** -8))).toBe(1); // tie → even
    expect(bf16BitsToF32(f32ToBf16Bits(1 + 3 * 2 ** -8))).toBe(1 + 2 ** -6);
  });

  it('unary and binary ops match the reference', () => {
    const emu = createHostEmulator();
    const x = rand(12, 4), y = rand(12, 5);
    const px = put(emu, x), py = put(emu, y), out = emu.malloc(48);
    const unary = ['Relu', 'Sigmoid', 'Tanh', 'Neg', 'Square', 'Exp', 'Log', 'Sqrt', 'Abs', 'Reciprocal', 'Sign', 'Softplus', 'Gelu', 'Step', 'IsFinite'];
    unary.forEach((name, op) => {
      emu.unary(op, px, out, 12);
      expectClose(getF(emu, out, 12).map((v) => (Number.isNaN(v) ? -999 : v)), ref(name, [f([12], x)])[0].values.map((v) => (Number.isNaN(v) ? -999 : v)));
    });
    const binary = ['Add', 'Sub', 'Mul', 'Div', 'Maximum', 'Minimum', 'Pow', 'Equal', 'Greater', 'GreaterEqual'];
    binary.forEach((name, op) => {
      if (name === 'Pow') return; // negative bases give NaN on both sides; checked below with positive ones
      emu.binary(op, 0, px, py, out, 12, 0);
      expectClose(getF(emu, out, 12), ref(name, [f([12], x), f([12], y)])[0].values);
      emu.binary(op, 3, px, py, out, 12, 4); // row vector [3,4] op [4]
      expectClose(getF(emu, out, 12), ref(name, [f([3, 4], x), f([4], y.subarray(0, 4))])[0].values);
      emu.binary(op, 4, px, py, out, 12, 4); // per row [3,4] op [3,1]
      expectClose(getF(emu, out, 12), ref(name, [f([3, 4], x), f([3, 1], y.subarray(0, 3))])[0].values);
      emu.binary(op, 2, py, px, out, 12, 0); // scalar x
      expectClose(getF(emu, out, 12), ref(name, [f([], y.subarray(0, 1)), f([12], x)])[0].values);
    });
    const pos = put(emu, x.map(Math.abs));
    emu.binary(6, 1, pos, py, out, 12, 0);
    expectClose(getF(emu, out, 12), ref('Pow', [f([12], x.map(Math.abs)), f([], y.subarray(0, 1))])[0].values);
    // General broadcast [2,1,3] + [1,2,1] → [2,2,3]
    emu.binaryStrided(0, px, py, out, [2, 2, 3], [3, 0, 1], [0, 1, 0]);
    expectClose(getF(emu, out, 12), ref('Add', [f([2, 1, 3], x.subarray(0, 6)), f([1, 2, 1], y.subarray(0, 2))])[0].values);
  });

  it('reductions, softmax and losses match the reference', () => {
    const emu = createHostEmulator();
    const x = rand(24, 6);
    const px = put(emu, x), out = emu.malloc(96);
    emu.sumLast(px, 4, 6, out);
    expectClose(getF(emu, out, 4), ref('Sum', [f([4, 6], x)], { axes: [1], keepDims: false })[0].values);
    emu.sumRows(px, 4, 6, out);
    expectClose(getF(emu, out, 6), ref('Sum', [f([4, 6], x)], { axes: [0], keepDims: false })[0].values);
    emu.reduceMid(1, px, 2, 3, 4, out);
    expectClose(getF(emu, out, 8), ref('Max', [f([2, 3, 4], x)], { axes: [1], keepDims: false })[0].values);
    emu.reduceMid(0, px, 2, 3, 4, out);
    expectClose(getF(emu, out, 8), ref('Sum', [f([2, 3, 4], x)], { axes: [1], keepDims: false })[0].values);
    emu.argmaxLast(px, 4, 6, out);
    const am = new Int32Array(4);
    emu.download(out, am);
    expect([...am]).toEqual([...ref('ArgMax', [f([4, 6], x)])[0].values]);
    for (const [name, log] of [['Softmax', false], ['LogSoftmax', true]] as const) {
      emu.softmax(px, 4, 6, out, log);
      expectClose(getF(emu, out, 24), ref(name, [f([4, 6], x)])[0].values);
    }
    const labels = new Int32Array([0, 5, 2, 3]);
    const pl = put(emu, labels), loss = emu.malloc(16), probs = emu.malloc(96);
    emu.sparseSoftmaxCrossEntropy(px, pl, 4, 6, loss, probs);
    const [rl, rp] = ref('SparseSoftmaxCrossEntropy', [f([4, 6], x), { shape: [4], dtype: 'int32', values: labels }]);
    expectClose(getF(emu, loss, 4), rl.values);
    expectClose(getF(emu, probs, 24), rp.values);
    const z = new Float32Array(24).map((_, i) => i % 2);
    emu.bceWithLogits(px, put(emu, z), out, 24);
    expectClose(getF(emu, out, 24), ref('BceWithLogits', [f([24], x), f([24], z)])[0].values);
    emu.sumSquares(px, 24, out);
    expectClose(getF(emu, out, 1), [x.reduce((s, v) => s + v * v, 0)]);
    const dy = rand(24, 7);
    const g = emu.malloc(96), db = emu.malloc(24);
    emu.reluGradBiasSum(put(emu, dy), px, 4, 6, g, db);
    const [rg, rdb] = ref('ReluGradBiasSum', [f([4, 6], dy), f([4, 6], x)]);
    expectClose(getF(emu, g, 24), rg.values);
    expectClose(getF(emu, db, 6), rdb.values);
  });

  it('embedding gather, scatter-add, coalesce and one-hot match the reference', () => {
    const emu = createHostEmulator();
    const table = rand(15, 8), ids = new Int32Array([2, 0, 2, 4]);
    const pt = put(emu, table), pi = put(emu, ids), out = emu.malloc(4 * 3 * 4);
    emu.gather(pt, 5, 3, pi, 4, out);
    expectClose(getF(emu, out, 12), ref('Gather', [f([5, 3], table), { shape: [4], dtype: 'int32', values: ids }])[0].values);
    const vals = rand(12, 9), pv = put(emu, vals), sc = emu.malloc(5 * 3 * 4);
    emu.scatterAdd(pv, 3, pi, 4, 5, sc);
    expectClose(getF(emu, sc, 15), ref('ScatterAdd', [f([4, 3], vals), { shape: [4], dtype: 'int32', values: ids }], { numRows: 5 })[0].values);
    const rowsWithPad = new Int32Array([2, -1, 0, 2]);
    const uniq = emu.malloc(16), sums = emu.malloc(48), count = emu.malloc(4), scratch = emu.malloc(emu.coalesceScratchBytes(4, 3));
    emu.coalesceRows(put(emu, rowsWithPad), pv, 4, 3, uniq, sums, count, scratch);
    const [ru, rs] = ref('CoalesceRows', [{ shape: [4], dtype: 'int32', values: rowsWithPad }, f([4, 3], vals)]);
    const u = new Int32Array(4), c = new Int32Array(1);
    emu.download(uniq, u);
    emu.download(count, c);
    expect(c[0]).toBe(2);
    expect([...u]).toEqual([...ru.values, -1, -1]);
    expectClose(getF(emu, sums, 12), [...rs.values, 0, 0, 0, 0, 0, 0]);
    const oh = emu.malloc(80);
    emu.oneHot(pi, 4, 5, 1, 0, oh);
    expectClose(getF(emu, oh, 20), ref('OneHot', [{ shape: [4], dtype: 'int32', values: ids }], { depth: 5 })[0].values);
    emu.oneHot(put(emu, new Int32Array([7, 1])), 2, 3, 2, -1, oh); // out of range: an all-off row
    expect([...getF(emu, oh, 6)]).toEqual([-1, -1, -1, -1, 2, -1]);
    const fx = put(emu, new Float32Array([2.7, -2.7, NaN, Infinity, 2 ** 31 + 2 ** 8, -(2 ** 40)])), ix = emu.malloc(24);
    emu.castF32I32(fx, ix, 6);
    const iv = new Int32Array(6);
    emu.download(ix, iv);
    expect([...iv]).toEqual([...ref('Cast', [f([6], new Float32Array([2.7, -2.7, NaN, Infinity, 2 ** 31 + 2 ** 8, -(2 ** 40)]))], { dtype: 'int32' })[0].values]);
  });

  it('copyRows, transpose and broadcast match the reference', () => {
    const emu = createHostEmulator();
    const x = rand(24, 10), px = put(emu, x), out = emu.malloc(96);
    emu.transpose(px, out, [2, 3, 4], [2, 0, 1]);
    expectClose(getF(emu, out, 24), ref('Transpose', [f([2, 3, 4], x)], { perm: [2, 0, 1] })[0].values);
    emu.broadcastTo(px, out, [3, 4], [0, 1]);
    expectClose(getF(emu, out, 12), ref('BroadcastTo', [f([4], x.subarray(0, 4))], { shape: [3, 4] })[0].values);
    emu.memsetZero(out, 96);
    emu.copyRows(px, 1, 6, out, 2, 4, 3, 2); // x[:,1:3] of [4,6] rows 0..2 → out[:,2:4] of [.,4]
    const got = getF(emu, out, 12);
    expect([...got]).toEqual([0, 0, x[1], x[2], 0, 0, x[7], x[8], 0, 0, x[13], x[14]]);
  });

  it('layerNorm forward matches its formula and the backward matches finite differences', () => {
    const emu = createHostEmulator();
    const R = 3, D = 5;
    const x = rand(R * D, 11), gamma = rand(D, 12), beta = rand(D, 13), dy = rand(R * D, 14);
    const px = put(emu, x), pg = put(emu, gamma), pb = put(emu, beta);
    const y = emu.malloc(R * D * 4), mean = emu.malloc(R * 4), rstd = emu.malloc(R * 4);
    const forward = (xs: Float64Array): Float64Array => {
      const out = new Float64Array(R * D);
      for (let r = 0; r < R; r++) {
        let mu = 0;
        for (let j = 0; j < D; j++) mu += xs[r * D + j] / D;
        let v = 0;
        for (let j = 0; j < D; j++) v += (xs[r * D + j] - mu) ** 2 / D;
        for (let j = 0; j < D; j++) out[r * D + j] = ((xs[r * D + j] - mu) / Math.sqrt(v + 1e-5)) * gamma[j] + beta[j];
      }
      return out;
    };
    emu.layerNormForward(px, pg, pb, R, D, 1e-5, y, mean, rstd);
    expectClose(getF(emu, y, R * D), forward(Float64Array.from(x)), 1e-5);
    const dx = emu.malloc(R * D * 4), dg = emu.malloc(D * 4), dbt = emu.malloc(D * 4);
    emu.layerNormBackward(put(emu, dy), px, pg, mean, rstd, R, D, dx, dg, dbt);
    const loss = (xs: Float64Array) => forward(xs).reduce((s, v, i) => s + v * dy[i], 0);
    const num = new Float64Array(R * D);
    for (let i = 0; i < R * D; i++) {
      const a = Float64Array.from(x), b = Float64Array.from(x);
      a[i] += 1e-4;
      b[i] -= 1e-4;
      num[i] = (loss(a) - loss(b)) / 2e-4;
    }
    expectClose(getF(emu, dx, R * D), num, 1e-3);
    const dbeta = new Float64Array(D);
    for (let i = 0; i < R * D; i++) dbeta[i % D] += dy[i];
    expectClose(getF(emu, dbt, D), dbeta, 1e-5);
  });

  it('optimizer kernels match the engine reference, dense and sparse', () => {
    const emu = createHostEmulator();
    const n = 12;
    const p0 = rand(n, 20), g = rand(n, 21), m0 = rand(n, 22).map(Math.abs), v0 = rand(n, 23).map(Math.abs);
    const lr = 0.01, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, step = 3, l2 = 0.001, wd = 0.05;
    const scalars = put(emu, new Float32Array([lr, beta1, beta2, eps, 1 - beta1 ** step, 1 - beta2 ** step, l2, wd, 0.9]));
    for (const [name, decoupled] of [['AdamUpdate', false], ['AdamWUpdate', true]] as const) {
      const pp = put(emu, p0), pm = put(emu, m0), pv = put(emu, v0);
      emu.adam(pp, put(emu, g), pm, pv, 0, 0, 0, n, scalars, decoupled);
      const rp = p0.slice(), rm = m0.slice(), rv = v0.slice();
      ref(name, [f([n], rp), f([n], g), f([n], rm), f([n], rv)], { lr, beta1, beta2, eps, step, l2, weightDecay: decoupled ? wd : 0 });
      expectClose(getF(emu, pp, n), rp, 1e-6);
      expectClose(getF(emu, pm, n), rm, 1e-6);
      expectClose(getF(emu, pv, n), rv, 1e-6);
    }
    // Sparse rows of a [4,3] table: rows 3 and 1, padding skipped.
    const rows = new Int32Array([3, -1, 1]), gs = rand(9, 24);
    const pp = put(emu, p0), pm = put(emu, m0), pv = put(emu, v0);
    emu.adam(pp, put(emu, gs), pm, pv, put(emu, rows), 3, 3, n, scalars, false);
    const rp = p0.slice(), rm = m0.slice(), rv = v0.slice();
    const keptRows = new Int32Array([3, 1]), keptG = new Float32Array([...gs.subarray(0, 3), ...gs.subarray(6, 9)]);
    ref('AdamUpdate', [f([4, 3], rp), f([2, 3], keptG), f([4, 3], rm), f([4, 3], rv), { shape: [2], dtype: 'int32', values: keptRows }],
      { lr, beta1, beta2, eps, step, l2, weightDecay: 0 });
    expectClose(getF(emu, pp, n), rp, 1e-6);
    for (const nesterov of [false, true]) {
      const pp2 = put(emu, p0), vel = put(emu, v0);
      emu.sgd(pp2, put(emu, g), vel, 0, 0, 0, n, scalars, nesterov);
      const rp2 = p0.slice(), rvel = v0.slice();
      ref('SgdMomentumUpdate', [f([n], rp2), f([n], g), f([n], rvel)], { lr, momentum: 0.9, nesterov, l2 });
      expectClose(getF(emu, pp2, n), rp2, 1e-6);
      expectClose(getF(emu, vel, n), rvel, 1e-6);
    }
    const pp3 = put(emu, p0), acc = put(emu, v0);
    emu.adagrad(pp3, put(emu, g), acc, 0, 0, 0, n, scalars);
    const rp3 = p0.slice(), racc = v0.slice();
    ref('AdagradUpdate', [f([n], rp3), f([n], g), f([n], racc)], { lr, eps, l2 });
    expectClose(getF(emu, pp3, n), rp3, 1e-6);
    expectClose(getF(emu, acc, n), racc, 1e-6);
  });

  it('dropout draws the Philox4x32-10 stream of src/philox.ts (the kernel\'s twin) and scales by 1/keep', () => {
    const emu = createHostEmulator();
    const n = 1000, keep = 0.75;
    const x = rand(n, 30), px = put(emu, x), out = emu.malloc(n * 4), mask = emu.malloc(n * 4);
    emu.dropout(px, out, mask, n, keep, 1234, 8);
    const mv = getF(emu, mask, n), ov = getF(emu, out, n);
    const twin = dropoutMask(n, keep, 1234, 8);
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const expected = twin[i];
      expect(mv[i]).toBe(expected);
      expect(ov[i]).toBe(Math.fround(x[i] * expected));
      if (expected) kept++;
    }
    expect(kept / n).toBeGreaterThan(0.7);
    expect(kept / n).toBeLessThan(0.8);
    emu.dropout(0, out, 0, n, keep, 1234, 12); // mask only (into out); offset 12 = the first stream shifted by 4
    expect([...getF(emu, out, n - 4)]).toEqual([...mv.subarray(4)]);
    expect(() => emu.dropout(px, 0, 0, n, keep, 1, 0)).toThrow(/needs out or mask/);
  });
});
