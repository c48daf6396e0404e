// The parts of bench/gpu-training.ts that run without a GPU: the prerequisite report, the data both
// sides read, the PyTorch peer on CPU, and the whole plumbing on the host emulator (--smoke).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bench = join(root, 'bench', 'gpu-training.ts');
const peer = join(root, 'bench', 'gpu', 'torch_train.py');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'gpu-bench-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function runBench(args: string[], env: NodeJS.ProcessEnv = {}) {
  const base = { ...process.env };
  delete base.ATELIER_ENGINE_GPU_ADDON;
  return spawnSync(process.execPath, ['--import', 'tsx', bench, ...args], { cwd: root, encoding: 'utf8', env: { ...base, ...env }, timeout: 170_000 });
}
const hasTorch = existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const hasEmulator = ['index.ts', 'testing/host-emulator.ts'].every((f) => existsSync(join(root, 'packages', 'engine-gpu', 'src', f)));

describe('bench gpu-training', () => {
  it('without a usable GPU it stops before any work: exit 3, each missing part with how to get it, no stack trace', () => {
    const r = runBench([], { ATELIER_ENGINE_GPU_ADDON: 'off' });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/missing a CUDA device/);
    expect(r.stderr).toMatch(/missing cuBLASLt/);
    expect(r.stderr).toMatch(/get it: /);
    expect(r.stderr).toMatch(/stopped before starting/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('writes the same seeded data set every time, with the shapes and ranges its manifest states', () => {
    const [a, b] = [tempDir(), tempDir()];
    for (const d of [a, b]) expect(runBench(['--smoke', '--data-only', d]).status).toBe(0);
    const m = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8'));
    for (const f of ['mlp_x.f32', 'mlp_y.f32', 'wd_dense.f32', 'wd_ids.i32', 'wd_y.f32']) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f)))).toBe(true);
    const f32 = (f: string) => new Float32Array(new Uint8Array(readFileSync(join(a, f))).buffer);
    const mRows = m.mlp.batch * m.mlp.batches, wRows = m.wd.batch * m.wd.batches;
    expect(f32('mlp_x.f32').length).toBe(mRows * m.mlp.in);
    expect(f32('wd_dense.f32').length).toBe(wRows * m.wd.dense);
    for (const y of [f32('mlp_y.f32'), f32('wd_y.f32')]) {
      expect(y.every((v) => v === 0 || v === 1)).toBe(true);
      const rate = y.reduce((s, v) => s + v, 0) / y.length;
      expect(rate).toBeGreaterThan(0.2);
      expect(rate).toBeLessThan(0.8);
    }
    const ids = new Int32Array(new Uint8Array(readFileSync(join(a, 'wd_ids.i32'))).buffer);
    expect(ids.length).toBe(wRows * m.wd.cats);
    expect(ids.every((v) => v >= 0 && v < m.wd.vocab)).toBe(true);
  });

  it.skipIf(!hasTorch)('the PyTorch peer trains both models on CPU from those files and prints one JSON line', () => {
    const d = tempDir();
    expect(runBench(['--smoke', '--data-only', d]).status).toBe(0);
    const r = spawnSync('/usr/bin/python3', [peer, '--data', d, '--device', 'cpu', '--steps', '3', '--warmup', '1', '--repeats', '2', '--gemm', '32'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    for (const run of [out.mlp.eager, out.wd.eager, out.wd.eager_sparse]) {
      expect(run.rates).toHaveLength(2);
      expect(run.rates.every((v: number) => v > 0)).toBe(true);
      expect(Number.isFinite(run.final_loss)).toBe(true);
    }
    expect(out.gemm_bf16.tflops.every((v: number) => v > 0)).toBe(true);
  });

  it.skipIf(!hasEmulator)('--smoke runs every part on the host emulator and reports no ratios', () => {
    const r = runBench(['--smoke']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/NOT performance figures/);
    // Atelier trains from the data set kept on the device, and the ratios' torch peer is said to do the same.
    expect(r.stdout.match(/^atelier (eager|CUDA Graphs), data resident/gm)).toHaveLength(4);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.smoke).toBe(true);
    expect(out.failures).toBe(0);
    expect(out.torch_data).toBe('device');
    for (const k of ['mlp_vs_torch_eager', 'mlp_graphs_vs_torch_eager', 'wd_vs_torch_eager', 'wd_graphs_vs_torch_eager', 'gemm_bf16_vs_torch']) expect(out[k]).toBeNull();
    // Every Atelier run happened (each reports its device memory peak).
    for (const k of ['mlp', 'mlp_graphs', 'wd', 'wd_graphs']) expect(out.peak_memory_bytes[k]).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/result check: max relative error/);
  }, 180_000);
});
