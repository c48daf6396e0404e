// Runs the engine's whole test suite (ops, gradient checks, models, training, PyTorch fixtures,
// the seeded trajectory) with native-cpu as the default backend, in a child vitest.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addon } from './testing/native-under-test.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe.skipIf(!addon)('engine suite on native-cpu', () => {
  it('passes every engine test', { timeout: 600_000 }, () => {
    const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
    const res = spawnSync(process.execPath, [vitest, 'run', '--config', 'packages/engine-cpu/vitest.engine-suite.config.ts', '--reporter=dot'], {
      cwd: repoRoot, encoding: 'utf8', timeout: 590_000, env: { ...process.env, ATELIER_ENGINE_CPU_ADDON: '', NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const out = `${res.stdout}\n${res.stderr}`;
    expect(res.status, out.slice(-4000)).toBe(0);
    expect(out).toMatch(/Tests\s+\S*\d+ passed/);
    expect(out).not.toMatch(/\d+ failed/);
  });
});
