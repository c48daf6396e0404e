import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAddon } from './addon-loader.js';
import { GPU_ADDON_FUNCTIONS } from './gpu-addon.js';
import { addon, device, skipReason } from './testing/gpu-under-test.js';

const dir = mkdtempSync(join(tmpdir(), 'engine-gpu-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GPU addon loading', () => {
  it.skipIf(process.env.CI !== 'true')('builds with nvcc at npm install and loads in CI', () => {
    expect(skipReason).toBeNull();
  });

  it('reports the install hook\'s reason when the addon was not compiled', () => {
    const skipFile = join(dir, 'skip-reason.txt');
    writeFileSync(skipFile, 'not compiled with CUDA: nvcc not found (install the CUDA toolkit and run `npm rebuild @atelier/engine-gpu`)\n');
    const res = loadAddon({}, { addon: join(dir, 'Release', 'atelier_engine_gpu.node'), skipFile });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.reason).toMatch(/not found at .*: not compiled with CUDA: nvcc not found/);
    const none = loadAddon({}, { addon: join(dir, 'none.node'), skipFile: join(dir, 'no-reason.txt') });
    expect(!none.ok && none.reason).toMatch(/not compiled with CUDA: it was not built/);
  });

  it('says why for a missing path, off, the emulator setting, a stale build and a broken file', () => {
    const missing = loadAddon({ ATELIER_ENGINE_GPU_ADDON: join(dir, 'missing.node') });
    expect(!missing.ok && missing.reason).toMatch(/missing\.node: no such file/);
    const off = loadAddon({ ATELIER_ENGINE_GPU_ADDON: 'off' });
    expect(!off.ok && off.reason).toBe('disabled by ATELIER_ENGINE_GPU_ADDON=off');
    const emulator = loadAddon({ ATELIER_ENGINE_GPU_ADDON: 'emulator' });
    expect(!emulator.ok && emulator.reason).toMatch(/host emulator/);
    // A module with only some of the functions stands for an addon built from older sources.
    const stale = join(dir, 'stale.cjs');
    writeFileSync(stale, 'module.exports = { probe() { return { ok: false, reason: "x" }; }, init() {} };\n');
    const staleRes = loadAddon({ ATELIER_ENGINE_GPU_ADDON: stale });
    expect(!staleRes.ok && staleRes.reason).toMatch(/is stale \(missing loadCublasLt, malloc, /);
    const broken = join(dir, 'broken.node');
    writeFileSync(broken, 'not an ELF file');
    const brokenRes = loadAddon({ ATELIER_ENGINE_GPU_ADDON: broken });
    expect(!brokenRes.ok && brokenRes.reason).toMatch(/broken\.node failed to load: /);
  });
});

describe.skipIf(!addon)('compiled GPU addon', () => {
  const gpu = addon!;

  it('exports exactly the functions of GpuAddon', () => {
    expect(Object.keys(gpu).sort()).toEqual([...GPU_ADDON_FUNCTIONS].sort());
  });

  it.skipIf(device !== null)('probe() answers without a GPU instead of throwing, naming the driver', () => {
    const probe = gpu.probe();
    expect(probe.ok).toBe(false);
    expect(!probe.ok && probe.reason).toMatch(/driver|no CUDA-capable device/);
  });

  it.skipIf(device !== null)('device calls throw catchable Errors without a GPU', () => {
    expect(() => gpu.init(0)).toThrow(/cudaError\w+|driver/);
    expect(() => gpu.malloc(1024)).toThrow(/init\(device\) was not called/);
    expect(() => gpu.unary(0, 256, 512, 4)).toThrow(Error);
    expect(() => gpu.synchronize()).toThrow(/init\(device\) was not called/);
    expect(gpu.capturing()).toBe(false);
  });

  it('rejects bad arguments with TypeErrors naming them, before touching the device', () => {
    expect(() => gpu.malloc(-1)).toThrow(new TypeError('malloc: bytes must be a non-negative integer below 2^53'));
    expect(() => gpu.malloc(1.5)).toThrow(TypeError);
    expect(() => gpu.unary(15, 256, 512, 4)).toThrow(/unary: op must be an integer in \[0, 14\]/);
    expect(() => gpu.unary(0, 2 ** 53, 512, 4)).toThrow(/unary: x must be a non-zero pointer/);
    expect(() => gpu.unary(0, 256, 0, 4)).toThrow(/unary: out must be a non-zero pointer/);
    expect(() => gpu.binary(0, 0, 256, 512, 768, -3, 0)).toThrow(/binary: n must be a non-negative integer/);
    expect(() => gpu.gemm(2, 2, 2, 256, 'no' as unknown as boolean, 512, false, 768, 0, 0, 0, 0, 0, 0)).toThrow(/gemm: transA must be a boolean/);
    expect(() => gpu.gemm(2, 2, 2, 256, false, 512, false, 768, 0, 0, 1, 0, 0, 0)).toThrow(/gemm: scratch must be a device buffer/);
    expect(() => gpu.transpose(256, 512, [2, 3], [0, 0])).toThrow(/transpose: perm must be a permutation/);
    expect(() => gpu.binaryStrided(0, 256, 512, 768, [1, 2, 3, 4, 5, 6, 7], [0], [0])).toThrow(/shape must have 1 to 6 elements/);
    expect(() => gpu.dropout(0, 0, 256, 4, 1.5, 1, 0)).toThrow(/dropout: keep must be in \(0, 1\]/);
    expect(() => gpu.upload(256, new Float64Array(2) as unknown as Float32Array)).toThrow(/upload: src must be a Float32Array, Int32Array or Uint16Array/);
    expect(() => gpu.eventRecord(12345)).toThrow(/eventRecord: event is not a live event/);
    expect(() => gpu.graphLaunch(12345)).toThrow(/graphLaunch: graph is not a live graph/);
    expect(() => gpu.loadCublasLt(3 as unknown as string)).toThrow(TypeError);
  });

  it.skipIf(device !== null)('loadCublasLt with a bogus path says every path it tried', () => {
    const res = gpu.loadCublasLt('/nonexistent/cuda/lib');
    expect(res.loaded).toBe(false);
    expect(res.reason).toContain('/nonexistent/cuda/lib');
    expect(res.reason).toContain('libcublasLt.so.13');
    expect(res.reason).toContain('libcublasLt.so.12');
    expect(res.reason).toMatch(/ATELIER_CUBLASLT_PATH/);
  });

  it.skipIf(device !== null)('utilization() is null without NVML', () => {
    expect(gpu.utilization()).toBeNull();
  });
});

// On a machine with a GPU (the prepared device run): the runtime and the cuBLASLt path for real.
describe.skipIf(!addon || !device)('GPU runtime on a device', () => {
  const gpu = addon!;

  it('probes, allocates, copies both ways and reports OOM as "CUDA out of memory"', () => {
    const probe = gpu.probe();
    expect(probe.ok && probe.devices[0].totalMemory).toBeGreaterThan(0);
    gpu.init(0);
    gpu.init(0);
    const ptr = gpu.malloc(64);
    const src = Float32Array.from({ length: 16 }, (_, i) => i * 0.5);
    gpu.upload(ptr, src, 4, 8);
    const out = new Float32Array(8);
    gpu.download(ptr, out);
    expect([...out]).toEqual([...src.subarray(4, 12)]);
    expect(() => gpu.download(ptr, new Float32Array(17))).toThrow(/src is not inside a live allocation/);
    expect(() => gpu.malloc(2 ** 50)).toThrow(/^CUDA out of memory/);
    const info = gpu.memGetInfo();
    expect(info.free).toBeLessThanOrEqual(info.total);
    gpu.free(ptr);
    expect(() => gpu.free(ptr)).toThrow(/not a pointer returned by malloc/);
  });

  it('pinned buffers alias page-locked memory, and a captured graph replays copies', () => {
    gpu.init(0);
    const pinned = gpu.allocPinned(32);
    const view = new Float32Array(pinned.buffer);
    const dev = gpu.malloc(32);
    const back = gpu.allocPinned(32);
    gpu.captureBegin();
    expect(gpu.capturing()).toBe(true);
    gpu.copyFromPinned(dev, pinned.ptr, 32);
    gpu.copyToPinned(back.ptr, dev, 32);
    const graph = gpu.captureEnd();
    expect(gpu.capturing()).toBe(false);
    for (const v of [1, 2]) {
      view.fill(v);
      gpu.graphLaunch(graph);
      const ev = gpu.eventCreate();
      gpu.eventRecord(ev);
      gpu.eventSynchronize(ev);
      expect(gpu.eventQuery(ev)).toBe(true);
      gpu.eventDestroy(ev);
      expect([...new Float32Array(back.buffer)]).toEqual(new Array(8).fill(v));
    }
    gpu.graphDestroy(graph);
    gpu.freePinned(pinned.ptr);
    expect(pinned.buffer.byteLength).toBe(0);
    gpu.freePinned(back.ptr);
    gpu.free(dev);
    expect(gpu.takeDeviceErrors()).toEqual(new Int32Array(4));
  });

  it('a failed capture leaves no capture open', () => {
    gpu.init(0);
    gpu.captureBegin();
    // A synchronous pageable copy is not capturable: it invalidates the capture.
    expect(() => gpu.download(gpu.malloc(4), new Float32Array(1))).toThrow(Error);
    expect(() => gpu.captureEnd()).toThrow(/cudaStreamEndCapture|cudaError/);
    expect(gpu.capturing()).toBe(false);
    gpu.synchronize();
  });

  it('GEMM through cuBLASLt matches a float64 reference (strict float32, transposes, bias + relu)', () => {
    gpu.init(0);
    const lt = gpu.loadCublasLt();
    if (!lt.loaded) throw new Error(`cuBLASLt not loaded on a GPU machine: ${lt.reason}`);
    const [M, N, K] = [5, 7, 3];
    const a = Float32Array.from({ length: M * K }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: K * N }, (_, i) => Math.cos(i));
    const bias = Float32Array.from({ length: N }, (_, i) => i - 3);
    const ws = gpu.malloc(1 << 22);
    const put = (x: Float32Array) => { const p = gpu.malloc(x.length * 4); gpu.upload(p, x); return p; };
    const [pa, pb, pbias, pc] = [put(a), put(b), put(bias), gpu.malloc(M * N * 4)];
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      // The stored matrices are A or Aᵀ, B or Bᵀ: transposing the stored copy keeps op(A)·op(B) the same product.
      const at = transA ? Float32Array.from({ length: M * K }, (_, i) => a[(i % M) * K + Math.floor(i / M)]) : a;
      const bt = transB ? Float32Array.from({ length: K * N }, (_, i) => b[(i % K) * N + Math.floor(i / K)]) : b;
      gpu.upload(pa, at);
      gpu.upload(pb, bt);
      gpu.gemm(M, N, K, pa, transA, pb, transB, pc, pbias, 1, 2, ws, 1 << 22, 0);
      const c = new Float32Array(M * N);
      gpu.download(pc, c);
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          let s = bias[j];
          for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
          expect(c[i * N + j]).toBeCloseTo(Math.max(0, s), 4);
        }
      }
    }
    for (const p of [pa, pb, pbias, pc, ws]) gpu.free(p);
  });
});
