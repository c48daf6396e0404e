// The package's GPU parity tests without the monorepo's global setup (Postgres, S3, the console
// build), so gpu:check runs them on a device machine that has only Node and the carried node_modules:
//   npx vitest run --config packages/engine-gpu/vitest.gpu-parity.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['packages/engine-gpu/src/kernel-parity.test.ts', 'packages/engine-gpu/src/training-parity.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 120_000,
  },
});
