// Runs the engine's whole test suite (ops, gradient checks, models, training, PyTorch fixtures,
// the seeded trajectory) with 'cuda' as the active backend, in a child vitest: on the real addon
// with a GPU, else on the host emulator of the addon (dispatch, storage and fallbacks against every
// engine test; ~45 s on the 2-core CI machine, like the suite on the CPU backend).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe("engine suite on 'cuda'", () => {
  it('passes every engine test (less the ones vitest.engine-suite.config.ts names, each with why)', { timeout: 600_000 }, () => {
    const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
    const res = spawnSync(process.execPath, [vitest, 'run', '--config', 'packages/engine-gpu/vitest.engine-suite.config.ts', '--reporter=dot'], {
      cwd: repoRoot, encoding: 'utf8', timeout: 590_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const out = `${res.stdout}\n${res.stderr}`;
    expect(res.status, out.slice(-4000)).toBe(0);
    expect(out).toMatch(/\[engine suite on cuda\] /);
    expect(out).toMatch(/Tests\s+\S*\d+ passed/);
    expect(out).not.toMatch(/\d+ failed/);
  });
});
