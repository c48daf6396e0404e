// Vitest setup for running the engine's own test files with 'cuda' as the active backend
// (vitest.engine-suite.config.ts). GEMM runs in strict float32 ('fp32', no TF32) so the engine's
// CPU-calibrated tolerances apply; ATELIER_GPU_PRECISION overrides it. Tests that switch backends
// themselves (engine.test.ts resets to 'cpu' after each test) get 'cuda' back before the next one.
import { beforeEach } from 'vitest';
import { getBackend, setBackend } from '@atelier/engine';
import { GPU_BACKEND_NAME, type GpuPrecision } from '../index.js';
import { useCudaForTests } from './cuda-under-test.js';

const precision = (process.env.ATELIER_GPU_PRECISION?.trim() || 'fp32') as GpuPrecision;
const gpu = await useCudaForTests({ precision, cudaGraphs: process.env.ATELIER_GPU_CUDA_GRAPHS !== '0' });
if (getBackend().name !== GPU_BACKEND_NAME) throw new Error(`engine suite on cuda: active backend is '${getBackend().name}'`);
if (process.env.ATELIER_GPU_SUITE_QUIET !== '1') console.info(`[engine suite on cuda] ${gpu.emulated ? 'HOST EMULATOR' : gpu.device}, precision ${gpu.precision}`);

beforeEach(() => {
  if (getBackend().name !== GPU_BACKEND_NAME) setBackend(GPU_BACKEND_NAME);
});
