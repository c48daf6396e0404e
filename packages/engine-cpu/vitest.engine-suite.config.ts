// The engine's whole test suite (op tests, gradient checks, models, training, the seeded
// trajectory, PyTorch fixtures) run with native-cpu as the default backend:
//   npx vitest run --config packages/engine-cpu/vitest.engine-suite.config.ts
// Gradient checks run in float64 storage, where native kernels defer to the reference kernels.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['packages/engine/src/**/*.test.ts'],
    setupFiles: ['packages/engine-cpu/src/testing/use-native-backend.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
