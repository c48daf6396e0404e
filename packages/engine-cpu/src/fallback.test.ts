// Hiding the addon: the engine must still train, on the TS backend, and say why exactly once.
// Each case is a fresh Node process, because loading happens once per process at import.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addon } from './testing/native-under-test.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const script = `
import { backendStatus, Mlp, Optimizer, Random, trainStep } from '@atelier/engine';
import { nativeCpuStatus } from '@atelier/engine-cpu';
const r = new Random(1);
const x = Float32Array.from({ length: 32 * 4 }, () => r.normal());
const y = Float32Array.from({ length: 32 }, (_, i) => (x[i * 4] > 0 ? 1 : 0));
const model = new Mlp({ inputs: [{ name: 'x', kind: 'dense', width: 4 }], hiddenUnits: [8], seed: 1 });
const opt = new Optimizer({ kind: 'adam', lr: 0.05 });
const losses = [];
for (let i = 0; i < 20; i++) losses.push(trainStep(model, opt, { numRows: 32, inputs: { x }, labels: y }).loss);
console.log(JSON.stringify({ status: backendStatus(), native: nativeCpuStatus(), first: losses[0], last: losses[19] }));
`;

function run(env: Record<string, string>) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000,
  });
  expect(res.status, res.stderr).toBe(0);
  const lines = res.stdout.trim().split('\n');
  return { out: JSON.parse(lines[lines.length - 1]), stderr: res.stderr };
}

describe('engine-cpu fallback', () => {
  it('with the addon hidden the engine trains on the TS backend and says why once', () => {
    const { out, stderr } = run({ ATELIER_ENGINE_CPU_ADDON: 'off' });
    expect(out.status.name).toBe('cpu');
    expect(out.status.fallbackReason).toMatch(/native-cpu unavailable: disabled by ATELIER_ENGINE_CPU_ADDON=off/);
    expect(out.native.loaded).toBe(false);
    expect(out.last).toBeLessThan(out.first);
    expect(stderr.match(/\[engine-cpu\] using the TypeScript backend/g)).toHaveLength(1);
  });

  it('a file that is not a loadable addon is reported with the loader error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-cpu-'));
    const bogus = join(dir, 'broken.node');
    writeFileSync(bogus, 'not an ELF file');
    const { out, stderr } = run({ ATELIER_ENGINE_CPU_ADDON: bogus });
    expect(out.status.name).toBe('cpu');
    expect(out.status.fallbackReason).toContain(`native addon at ${bogus} failed to load`);
    expect(stderr).toContain('failed to load');
  });

  it.skipIf(!addon)('with the addon present the native backend is the default', () => {
    const { out, stderr } = run({ ATELIER_ENGINE_CPU_ADDON: '', ATELIER_ENGINE_CPU_THREADS: '2' });
    expect(out.status).toEqual({ name: 'native-cpu', fallbackReason: null });
    expect(out.native).toMatchObject({ loaded: true, threads: 2 });
    expect(out.last).toBeLessThan(out.first);
    expect(stderr).not.toContain('[engine-cpu]');
  });
});
