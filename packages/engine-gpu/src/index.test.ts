// The package's public API: importing it changes nothing, no addon means ok:false with the reason
// (the engine stays on CPU), and the host emulator (ATELIER_ENGINE_GPU_ADDON=emulator, no GPU
// involved) goes the whole way through useGpu to an active 'cuda' backend.
import { describe, expect, it } from 'vitest';
import { add, fromTyped, getBackend, listBackends, setBackend } from '@atelier/engine';
import { activeGpu, gpuConfigFromEnv, gpuStatus, GPU_BACKEND_NAME, resetGpuPeak, useGpu } from './index.js';

const MISSING = { ATELIER_ENGINE_GPU_ADDON: '/nonexistent/atelier_engine_gpu.node' };
const EMULATOR = { ATELIER_ENGINE_GPU_ADDON: 'emulator' };

describe('engine-gpu public API', () => {
  it('importing registers nothing and keeps the CPU backend', () => {
    expect(GPU_BACKEND_NAME).toBe('cuda');
    expect(listBackends().map((b) => b.name)).not.toContain('cuda');
    expect(getBackend().name).not.toBe('cuda');
    expect(activeGpu()).toBeNull();
  });

  it('without the addon: status and useGpu say why, and the engine stays on its CPU backend', async () => {
    const before = getBackend().name;
    const status = await gpuStatus(MISSING);
    expect(status).toMatchObject({ compiled: false, emulated: false, devices: [], driverVersion: null, runtimeVersion: null });
    expect(status.reason).toMatch(/nonexistent/);
    const res = await useGpu({}, MISSING);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toBe(status.reason);
    expect(getBackend().name).toBe(before);
    expect(listBackends().map((b) => b.name)).not.toContain('cuda');
    expect(activeGpu()).toBeNull();
    // The default lookup never throws either (this machine has no GPU; a GPU machine may say ok).
    await expect(gpuStatus()).resolves.toHaveProperty('devices');
  });

  it('on the host emulator: useGpu activates cuda, activeGpu reports it', async () => {
    const status = await gpuStatus(EMULATOR);
    expect(status).toMatchObject({ compiled: true, emulated: true, reason: null });
    expect(status.devices.length).toBeGreaterThan(0);
    expect((await useGpu({ device: 7 }, EMULATOR)).ok).toBe(false);
    const res = await useGpu({ precision: 'fp32', memoryLimitBytes: 1 << 28 }, EMULATOR);
    expect(res.ok).toBe(true);
    expect(getBackend().name).toBe('cuda');
    const x = fromTyped(Float32Array.of(1, 2, 3), [3]);
    const y = add(x, x);
    expect(Array.from(y.dataSync())).toEqual([2, 4, 6]);
    const info = activeGpu();
    expect(info).not.toBeNull();
    expect(info!.precision).toBe('fp32');
    expect(info!.device.index).toBe(0);
    expect(info!.memory.allocatedBytes).toBeGreaterThan(0);
    expect(info!.memory.limitBytes).toBe(1 << 28);
    expect(info!.executor).toHaveProperty('eagerSteps');
    resetGpuPeak();
    x.dispose();
    y.dispose();
    setBackend('cpu');
    expect((await useGpu({}, EMULATOR)).ok).toBe(true);
    expect(getBackend().name).toBe('cuda');
    setBackend('cpu');
  });

  it('gpuConfigFromEnv: defaults, values, and errors naming the variable', () => {
    expect(gpuConfigFromEnv({})).toEqual({ device: 0, memoryLimitBytes: null, precision: 'tf32', cudaGraphs: true });
    expect(gpuConfigFromEnv({
      ATELIER_GPU_MEMORY_LIMIT_MB: '512', ATELIER_GPU_PRECISION: 'bf16', ATELIER_GPU_CUDA_GRAPHS: '0', ATELIER_GPU_DEVICE: '1', ATELIER_CUBLASLT_PATH: '/opt/lib',
    })).toEqual({ device: 1, memoryLimitBytes: 512 * 1024 * 1024, precision: 'bf16', cudaGraphs: false, cublasLtPath: '/opt/lib' });
    expect(() => gpuConfigFromEnv({ ATELIER_GPU_MEMORY_LIMIT_MB: 'lots' })).toThrow(/ATELIER_GPU_MEMORY_LIMIT_MB/);
    expect(() => gpuConfigFromEnv({ ATELIER_GPU_MEMORY_LIMIT_MB: '-1' })).toThrow(/ATELIER_GPU_MEMORY_LIMIT_MB/);
    expect(() => gpuConfigFromEnv({ ATELIER_GPU_PRECISION: 'fp16' })).toThrow(/ATELIER_GPU_PRECISION/);
    expect(() => gpuConfigFromEnv({ ATELIER_GPU_CUDA_GRAPHS: 'yes' })).toThrow(/ATELIER_GPU_CUDA_GRAPHS/);
    expect(() => gpuConfigFromEnv({ ATELIER_GPU_DEVICE: '0.5' })).toThrow(/ATELIER_GPU_DEVICE/);
  });
});
