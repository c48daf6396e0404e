// The engine's whole test suite (op tests, gradient checks, models, training, the seeded
// trajectory, PyTorch fixtures) run with 'cuda' as the active backend:
//   npx vitest run --config packages/engine-gpu/vitest.engine-suite.config.ts
// On the real addon when there is a GPU, else on the host emulator (src/testing/cuda-under-test.ts).
// Gradient checks run in float64 storage, where the cuda backend defers to the reference kernels.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['packages/engine/src/**/*.test.ts'],
    setupFiles: ['packages/engine-gpu/src/testing/use-gpu-backend.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
  },
});
