/* global process, console */
// The one prepared GPU check (issue 20): build, kernel parity, training parity, the engine's whole
// test suite on 'cuda', and the GPU training benchmark, in one device run of a few minutes.
//   npm run gpu:check -- --prepare   here (nvcc, no GPU): build the addon for sm_90 and pack
//                                    .gpu-check/ (xz'd Node, the .node, the node_modules the run
//                                    needs, run.sh). Device tool: carry .gpu-check, command
//                                    `bash .gpu-check/run.sh`.
//   npm run gpu:check                on a machine with a GPU, Node and nvcc: build, then run in place.
//   node scripts/gpu-check.mjs --run [--out DIR] [--only a,b]   the steps alone (what run.sh calls).
// Outputs go to --out, else $OUT, else .gpu-check/out; summary.json is written last. The exit code is
// 0 only when every step that must run passed; a missing GPU names the probe's reason per step.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packDir = join(repo, '.gpu-check');
const gpuPkg = join(repo, 'packages/engine-gpu');
const ADDON_REL = 'packages/engine-gpu/build/Release/atelier_engine_gpu.node';
// The kernels' launcher-level self-test (native/selftest/kernels-selftest.cu): a plain CUDA program,
// so a failing kernel is named before any TypeScript runs.
const SELFTEST_REL = 'packages/engine-gpu/build/kernels-selftest';
// The device tool carries at most 64 MiB of ignored paths; stay well under it.
const PACK_LIMIT_BYTES = 56 * 1024 * 1024;
const BENCH_CANDIDATES = ['bench/gpu-training.ts', 'bench/gpu-training.bench.ts'];

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

function die(message) {
  console.error(`gpu-check: FAILED: ${message}`);
  process.exit(2);
}

function run(cmd, argv, opts = {}) {
  return spawnSync(cmd, argv, { cwd: repo, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
}

// ------------------------------------------------------------------ build

function buildAddon() {
  const script = join(gpuPkg, 'scripts/build-addon.mjs');
  if (!existsSync(script)) die(`no build script at ${relative(repo, script)}`);
  console.log('gpu-check: building the addon (sm_90 + compute_90 PTX) …');
  const t0 = Date.now();
  // sm_90 SASS + compute_90 PTX (the H200); ATELIER_ENGINE_GPU_ARCHS overrides it.
  const env = { ...process.env, ATELIER_ENGINE_GPU_ARCHS: process.env.ATELIER_ENGINE_GPU_ARCHS || '90' };
  delete env.ATELIER_ENGINE_GPU_SKIP_BUILD;
  const res = run(process.execPath, [script], { cwd: gpuPkg, stdio: 'inherit', env });
  if (res.status !== 0) die(`the addon build failed (exit ${res.status})`);
  const skip = join(gpuPkg, 'build/skip-reason.txt');
  if (existsSync(skip)) die(`the addon was not built: ${readFileSync(skip, 'utf8').trim()}`);
  const built = join(repo, ADDON_REL);
  if (!existsSync(built)) die(`the build reported success but ${ADDON_REL} is missing`);
  console.log(`gpu-check: built ${ADDON_REL} (${mib(statSync(built).size)}) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return built;
}

function buildSelftest() {
  const out = join(repo, SELFTEST_REL);
  const native = join(gpuPkg, 'native');
  const sources = [join(native, 'selftest/kernels-selftest.cu'), join(native, 'errors.cc'), join(native, 'kernels.h'),
    ...readdirSync(join(native, 'kernels')).map((f) => join(native, 'kernels', f))];
  if (existsSync(out) && sources.every((f) => statSync(f).mtimeMs <= statSync(out).mtimeMs)) return out;
  console.log('gpu-check: building the kernels self-test (sm_90) …');
  const cus = readdirSync(join(native, 'kernels')).filter((f) => f.endsWith('.cu')).map((f) => join(native, 'kernels', f));
  const res = run('nvcc', ['-std=c++17', '-O2', '--expt-relaxed-constexpr', '-gencode', 'arch=compute_90,code=sm_90', '-gencode', 'arch=compute_90,code=compute_90',
    '-I', native, join(native, 'selftest/kernels-selftest.cu'), ...cus, join(native, 'errors.cc'), '-o', out], { stdio: 'inherit' });
  if (res.status !== 0) die(`the kernels self-test did not build (nvcc exit ${res.status})`);
  return out;
}

// ------------------------------------------------------------------ packing (--prepare)

function resolvePackageDir(name, fromDir) {
  for (let d = fromDir; ; d = dirname(d)) {
    const p = join(d, 'node_modules', name);
    if (existsSync(join(p, 'package.json'))) return p;
    if (dirname(d) === d) return null;
  }
}

/** The installed packages `roots` need at run time (dependencies, optional ones present here, required peers). */
function dependencyClosure(roots) {
  const seen = new Set();
  const visit = (dir) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const names = new Set([...Object.keys(pj.dependencies ?? {}), ...Object.keys(pj.optionalDependencies ?? {})]);
    for (const [peer] of Object.entries(pj.peerDependencies ?? {})) if (!pj.peerDependenciesMeta?.[peer]?.optional) names.add(peer);
    for (const n of names) {
      const d = resolvePackageDir(n, dir);
      if (d) visit(d);
    }
  };
  for (const r of roots) {
    const d = resolvePackageDir(r, repo);
    if (!d) die(`package '${r}' is not installed here (npm ci first)`);
    visit(d);
  }
  return [...seen].map((d) => relative(repo, d)).filter((p) => !p.startsWith('packages/') && !p.startsWith('apps/')).sort();
}

/** Bare imports of a source file (the benchmark's peers besides the engine). */
function bareImports(file) {
  const src = readFileSync(file, 'utf8');
  const names = new Set();
  for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"./][^'"]*)['"]/g)) {
    const spec = m[1];
    if (spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return [...names];
}

function runtimeRoots() {
  const roots = new Set(['vitest', 'tsx']);
  for (const pkg of ['packages/engine', 'packages/engine-gpu']) {
    const pj = JSON.parse(readFileSync(join(repo, pkg, 'package.json'), 'utf8'));
    // node-addon-api is the addon's build-time headers; workspace packages travel as tracked files.
    for (const n of Object.keys(pj.dependencies ?? {})) if (!n.startsWith('@atelier/') && n !== 'node-addon-api') roots.add(n);
  }
  const bench = BENCH_CANDIDATES.find((f) => existsSync(join(repo, f)));
  if (bench) for (const n of bareImports(join(repo, bench))) if (!n.startsWith('@atelier/')) roots.add(n);
  return [...roots];
}

function mib(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function prepare() {
  const t0 = Date.now();
  const built = buildAddon();
  const selftest = buildSelftest();
  mkdirSync(packDir, { recursive: true });
  // A local run's outputs (.gpu-check/out) would travel with the carried folder: not packed.
  for (const f of ['atelier_engine_gpu.node', 'kernels-selftest', 'node_modules.tar.xz', 'run.sh', 'manifest.json', 'out']) rmSync(join(packDir, f), { force: true, recursive: true });

  // Node: xz -9 is slow (~1 min), so it is kept while the binary it came from is unchanged.
  const nodeXz = join(packDir, 'node.xz');
  const nodeStamp = join(packDir, 'node.stamp');
  const nodeStat = statSync(process.execPath);
  const stamp = `${process.execPath} ${process.version} ${nodeStat.size} ${nodeStat.mtimeMs}`;
  if (!existsSync(nodeXz) || !existsSync(nodeStamp) || readFileSync(nodeStamp, 'utf8') !== stamp) {
    console.log(`gpu-check: compressing ${process.execPath} (${process.version}, ${mib(nodeStat.size)}) with xz -9 …`);
    rmSync(nodeXz, { force: true });
    const res = run('bash', ['-c', `xz -T2 -9 -c "$0" > "$1.tmp" && mv "$1.tmp" "$1"`, process.execPath, nodeXz], { stdio: 'inherit' });
    if (res.status !== 0) die('xz failed to compress the Node binary');
    writeFileSync(nodeStamp, stamp);
  }

  copyFileSync(built, join(packDir, 'atelier_engine_gpu.node'));
  copyFileSync(selftest, join(packDir, 'kernels-selftest'));
  chmodSync(join(packDir, 'kernels-selftest'), 0o755);

  const roots = runtimeRoots();
  const packages = dependencyClosure(roots);
  const links = ['node_modules/@atelier/engine', 'node_modules/@atelier/engine-gpu', 'node_modules/.bin/vitest', 'node_modules/.bin/tsx']
    .filter((p) => existsSync(join(repo, p)));
  const listFile = join(packDir, 'node_modules.list');
  writeFileSync(listFile, `${[...links, ...packages].join('\n')}\n`);
  console.log(`gpu-check: packing ${packages.length} packages for ${roots.join(', ')} …`);
  const tar = run('bash', ['-c', `tar -C "$0" --owner=0 --group=0 -cf - -T "$1" | xz -T2 -6 -c > "$2"`, repo, listFile, join(packDir, 'node_modules.tar.xz')], { stdio: 'inherit' });
  if (tar.status !== 0) die('packing node_modules failed');

  const runSh = join(packDir, 'run.sh');
  writeFileSync(runSh, RUN_SH);
  chmodSync(runSh, 0o755);

  const files = ['node.xz', 'atelier_engine_gpu.node', 'kernels-selftest', 'node_modules.tar.xz', 'node_modules.list', 'run.sh'];
  const sizes = Object.fromEntries(files.map((f) => [f, statSync(join(packDir, f)).size]));
  const git = run('git', ['rev-parse', 'HEAD']).stdout.trim();
  const manifest = {
    preparedAt: new Date().toISOString(), commit: git, node: process.version, platform: `${process.platform}-${process.arch}`,
    addonSha256: sha256(join(packDir, 'atelier_engine_gpu.node')), roots, packages: packages.length, sizes,
    totalBytes: Object.values(sizes).reduce((a, b) => a + b, 0),
  };
  writeFileSync(join(packDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log('\n.gpu-check/ (what the device run carries):');
  for (const [f, s] of Object.entries(sizes)) console.log(`  ${f.padEnd(26)} ${mib(s).padStart(10)}`);
  console.log(`  ${'total'.padEnd(26)} ${mib(manifest.totalBytes).padStart(10)}   (device tool limit 64 MiB for all carried paths)`);
  if (manifest.totalBytes > PACK_LIMIT_BYTES) die(`.gpu-check/ is ${mib(manifest.totalBytes)}, over the ${mib(PACK_LIMIT_BYTES)} this script allows itself`);
  console.log(`\ngpu-check: prepared in ${((Date.now() - t0) / 1000).toFixed(0)} s. Device run: carry [".gpu-check"], command "bash .gpu-check/run.sh"`);
}

// ------------------------------------------------------------------ the steps (--run, or in place)

const vitestBin = () => join(repo, 'node_modules/vitest/vitest.mjs');

// Prints the probe as JSON: useGpu() must make 'cuda' active, or say why it cannot.
const PROBE_SRC = `
const gpu = await import('@atelier/engine-gpu');
const engine = await import('@atelier/engine');
const out = { status: await gpu.gpuStatus() };
try {
  const res = await gpu.useGpu({});
  out.ok = res.ok;
  if (res.ok) Object.assign(out, { device: res.device, cublasLt: res.cublasLt, backend: engine.getBackend().name, active: gpu.activeGpu() });
  else out.reason = res.reason;
} catch (e) {
  out.ok = false;
  out.reason = 'useGpu threw: ' + (e instanceof Error ? e.message : String(e));
}
console.log('GPU_PROBE ' + JSON.stringify(out));
`;

function stepsFor(emulated) {
  const node = process.execPath;
  const bench = BENCH_CANDIDATES.find((f) => existsSync(join(repo, f)));
  return [
    { name: 'probe', gpu: false, limitS: 60, argv: [node, '--import', 'tsx', '--input-type=module', '-e', PROBE_SRC] },
    emulated
      ? { name: 'kernel-selftest', gpu: true, skip: 'the host emulator runs no CUDA code' }
      : { name: 'kernel-selftest', gpu: true, limitS: 60, argv: [join(repo, SELFTEST_REL)] },
    { name: 'kernel-parity', gpu: true, limitS: 90, argv: [node, vitestBin(), 'run', '--config', 'packages/engine-gpu/vitest.gpu-parity.config.ts', 'packages/engine-gpu/src/kernel-parity.test.ts', '--reporter=verbose'] },
    { name: 'training-parity', gpu: true, limitS: 90, argv: [node, vitestBin(), 'run', '--config', 'packages/engine-gpu/vitest.gpu-parity.config.ts', 'packages/engine-gpu/src/training-parity.test.ts', '--reporter=verbose'] },
    { name: 'engine-suite', gpu: true, limitS: 180, argv: [node, vitestBin(), 'run', '--config', 'packages/engine-gpu/vitest.engine-suite.config.ts', '--reporter=dot'], env: { ATELIER_GPU_ENGINE_SUITE: 'full' } },
    // Sized to the device run (~8 min in all): 100 timed steps, 3 rounds, 15 s per run's timed rounds. On the
    // emulator the bench's --smoke mode: tiny sizes, a plumbing check whose numbers are not performance.
    bench
      ? { name: 'benchmark', gpu: true, limitS: 240, argv: [node, '--import', 'tsx', bench, ...(emulated ? ['--smoke'] : ['--steps', '100', '--warmup', '10', '--repeats', '3', '--budget-s', '15'])] }
      : { name: 'benchmark', gpu: true, missing: `no benchmark at ${BENCH_CANDIDATES.join(' or ')}` },
  ];
}

function lastJsonLine(text) {
  const lines = text.trim().split('\n').reverse();
  for (const l of lines) {
    const s = l.trim();
    if (s.startsWith('{') && s.endsWith('}')) {
      try {
        return JSON.parse(s);
      } catch {
        return null;
      }
    }
  }
  return null;
}

function vitestCounts(text) {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
  const line = plain.split('\n').find((l) => /^\s*Tests\s/.test(l)) ?? '';
  const count = (word) => Number(line.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
  return line ? { passed: count('passed'), failed: count('failed'), skipped: count('skipped') } : null;
}

// The whole run (run.sh's unpacking included: it exports GPU_CHECK_STARTED) fits the device tool's
// 600 s per command: each step's limit is cut to what is left, keeping time for the summary.
const BUDGET_S = Number(process.env.GPU_CHECK_BUDGET_S || (process.env.GPU_CHECK_STARTED ? 570 : 3600));
const startedMs = Number(process.env.GPU_CHECK_STARTED || 0) * 1000 || Date.now();
const leftS = () => BUDGET_S - (Date.now() - startedMs) / 1000;

function runSteps(outDir, only) {
  mkdirSync(outDir, { recursive: true });
  const emulated = process.env.ATELIER_ENGINE_GPU_ADDON === 'emulator';
  const env = {
    ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: process.env.CI ?? 'true',
    // The GPU tests must not skip (or quietly take the emulator) here: a missing device fails them.
    ATELIER_GPU_TESTS_REQUIRE: emulated ? 'emulator' : 'device',
  };
  const results = [];
  let probe = null;
  const started = Date.now();
  for (const step of stepsFor(emulated)) {
    if (only && !only.includes(step.name)) continue;
    const r = { name: step.name, status: 'passed', seconds: 0 };
    results.push(r);
    if (step.gpu && probe && !probe.ok) {
      Object.assign(r, { status: 'not-run', reason: `no GPU: ${probe.reason}${step.missing ? `; and ${step.missing}` : ''}` });
    } else if (step.skip) {
      Object.assign(r, { status: 'skipped', reason: step.skip });
    } else if (step.missing) {
      Object.assign(r, { status: 'failed', reason: step.missing });
    } else if (leftS() < 20) {
      Object.assign(r, { status: 'failed', reason: `out of time: ${Math.round(leftS())} s left of the ${BUDGET_S} s budget` });
    } else {
      const t0 = Date.now();
      const limitS = Math.min(step.limitS, Math.floor(leftS() - 10));
      console.log(`\n=== gpu-check: ${step.name} (limit ${limitS} s) ===`);
      const res = run(step.argv[0], step.argv.slice(1), { env: { ...env, ...step.env }, timeout: limitS * 1000, killSignal: 'SIGKILL' });
      r.seconds = Math.round((Date.now() - t0) / 100) / 10;
      const text = `${res.stdout ?? ''}\n${res.stderr ?? ''}`;
      writeFileSync(join(outDir, `${step.name}.log`), `$ ${step.argv.join(' ')}\n${text}`);
      process.stdout.write(text.length > 6000 ? `…${text.slice(-6000)}` : text);
      if (res.error?.code === 'ETIMEDOUT' || res.signal === 'SIGKILL') Object.assign(r, { status: 'failed', reason: `timed out after ${limitS} s` });
      else if (res.status !== 0) Object.assign(r, { status: 'failed', reason: `exit ${res.status}${res.signal ? ` (${res.signal})` : ''}` });
      if (step.name === 'probe') {
        const line = text.split('\n').find((l) => l.startsWith('GPU_PROBE '));
        probe = line ? JSON.parse(line.slice('GPU_PROBE '.length)) : { ok: false, reason: `the probe printed nothing (${r.reason ?? 'no output'})` };
        r.probe = probe;
        if (!probe.ok) Object.assign(r, { status: 'failed', reason: `no GPU: ${probe.reason}` });
      } else {
        const counts = vitestCounts(text);
        if (counts) r.tests = counts;
        if (step.name === 'kernel-selftest') {
          const failedChecks = text.match(/FAILED (\d+)/);
          if (r.status === 'passed' && !/ALL OK/.test(text)) Object.assign(r, { status: 'failed', reason: failedChecks ? `${failedChecks[1]} kernel checks failed` : 'no ALL OK line' });
        }
        if (step.name === 'benchmark') {
          r.figures = lastJsonLine(text);
          if (emulated) r.note = 'host emulator, --smoke: plumbing only, not performance';
        }
        if (r.status === 'passed' && step.name !== 'benchmark' && step.name !== 'kernel-selftest' && (!counts || counts.passed === 0)) Object.assign(r, { status: 'failed', reason: 'no test passed (all skipped?)' });
      }
    }
    console.log(`=== gpu-check: ${step.name}: ${r.status}${r.reason ? ` — ${r.reason}` : ''}${r.seconds ? ` (${r.seconds} s)` : ''}`);
  }
  const failed = results.filter((r) => r.status === 'failed' || (r.status === 'not-run' && !r.expected));
  const summary = {
    ok: failed.length === 0, emulated, node: process.version, seconds: Math.round((Date.now() - started) / 1000),
    probe, steps: results, failed: failed.map((r) => `${r.name}: ${r.reason}`),
  };
  writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log('\n=== gpu-check summary ===');
  for (const r of results) console.log(`  ${r.name.padEnd(16)} ${r.status.padEnd(8)} ${r.tests ? `${r.tests.passed} passed, ${r.tests.failed} failed ` : ''}${r.reason ?? ''}`);
  console.log(JSON.stringify(summary));
  if (!summary.ok) {
    console.error(`gpu-check: FAILED: ${summary.failed.join('; ')}`);
    process.exit(1);
  }
}

// ------------------------------------------------------------------ run.sh (the device command)

const RUN_SH = `#!/usr/bin/env bash
# The device command for issue 20's GPU check, written by \`npm run gpu:check -- --prepare\`.
# Device tool: carry [".gpu-check"], command "bash .gpu-check/run.sh". Outputs under $OUT.
set -uo pipefail
cd "$(dirname "$0")/.."
export GPU_CHECK_STARTED="\${GPU_CHECK_STARTED:-$(date +%s)}"
PACK=.gpu-check
OUT="\${OUT:-$PWD/$PACK/out}"
mkdir -p "$OUT"
exec > >(tee -a "$OUT/run.log") 2>&1
fail() { local m; m=$(printf %s "$*" | tr '"\\\\' "''"); echo "gpu-check: FAILED: $m" >&2; echo "{\\"ok\\":false,\\"failed\\":[\\"$m\\"]}" > "$OUT/summary.json"; exit 2; }
for f in node.xz node_modules.tar.xz atelier_engine_gpu.node kernels-selftest manifest.json; do
  [ -f "$PACK/$f" ] || fail "missing $PACK/$f: run 'npm run gpu:check -- --prepare' where the repo is installed, and carry .gpu-check"
done
# xz may be absent on the device: python3's lzma does the same.
unxz_to() {
  if command -v xz >/dev/null; then xz -dc "$1" > "$2"
  elif command -v python3 >/dev/null; then python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],"wb"))' "$1" "$2"
  else return 1; fi
}
WORK="\${TMPDIR:-/tmp}/atelier-gpu-check"
mkdir -p "$WORK"
t0=$(date +%s)
unxz_to "$PACK/node.xz" "$WORK/node" || fail "cannot decompress $PACK/node.xz (neither xz nor python3)"
chmod +x "$WORK/node"
"$WORK/node" --version >/dev/null || fail "the carried Node binary does not run here: $("$WORK/node" --version 2>&1 | head -1)"
unxz_to "$PACK/node_modules.tar.xz" "$WORK/node_modules.tar" || fail "cannot decompress $PACK/node_modules.tar.xz"
tar -xf "$WORK/node_modules.tar" || fail "cannot unpack node_modules"
rm -f "$WORK/node_modules.tar"
mkdir -p packages/engine-gpu/build/Release
cp "$PACK/atelier_engine_gpu.node" packages/engine-gpu/build/Release/atelier_engine_gpu.node
cp "$PACK/kernels-selftest" packages/engine-gpu/build/kernels-selftest && chmod +x packages/engine-gpu/build/kernels-selftest
rm -f packages/engine-gpu/build/skip-reason.txt
export PATH="$WORK:$PATH"
echo "gpu-check: unpacked Node $("$WORK/node" --version) and node_modules in $(( $(date +%s) - t0 )) s"
echo "=== nvidia-smi ==="
if command -v nvidia-smi >/dev/null; then nvidia-smi 2>&1 | tee "$OUT/nvidia-smi.txt"; else echo "nvidia-smi: not found" | tee "$OUT/nvidia-smi.txt"; fi
if [ -z "\${ATELIER_CUBLASLT_PATH:-}" ]; then
  ATELIER_CUBLASLT_PATH=$(timeout 45 find / \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o -name 'libcublasLt.so*' -print 2>/dev/null | head -1)
  [ -n "$ATELIER_CUBLASLT_PATH" ] && export ATELIER_CUBLASLT_PATH
fi
echo "gpu-check: ATELIER_CUBLASLT_PATH=\${ATELIER_CUBLASLT_PATH:-<none found>}"
# The PyTorch peer: the python3 that imports torch (the one beside cuBLASLt's site-packages first).
TORCH_PY=""
cands=()
if [ -n "\${ATELIER_CUBLASLT_PATH:-}" ]; then d=$(dirname "$ATELIER_CUBLASLT_PATH"); while [ "$d" != / ]; do cands+=("$d/bin/python3"); d=$(dirname "$d"); done; fi
cands+=("$(command -v python3 || true)" /usr/bin/python3 /opt/conda/bin/python3)
for p in "\${cands[@]}"; do
  if [ -n "$p" ] && [ -x "$p" ] && "$p" -c 'import torch' >/dev/null 2>&1; then TORCH_PY="$p"; break; fi
done
if [ -n "$TORCH_PY" ]; then export ATELIER_BENCH_PYTHON="$TORCH_PY"; export PATH="$(dirname "$TORCH_PY"):$PATH"; export PATH="$WORK:$PATH"; fi
echo "gpu-check: python with torch: \${TORCH_PY:-<none>}"
"$WORK/node" scripts/gpu-check.mjs --run --out "$OUT"
rc=$?
echo "gpu-check: exit $rc; outputs in $OUT"
exit $rc
`;

// ------------------------------------------------------------------ main

if (flag('--prepare')) {
  prepare();
} else {
  const outDir = resolve(option('--out') ?? process.env.OUT ?? join(packDir, 'out'));
  const only = option('--only')?.split(',');
  if (!flag('--run')) {
    if (!existsSync(vitestBin())) die('node_modules is not installed here (npm ci first)');
    if (process.env.ATELIER_ENGINE_GPU_ADDON !== 'emulator') {
      buildAddon();
      buildSelftest();
    }
  }
  if (!existsSync(vitestBin())) die(`no vitest at ${relative(repo, vitestBin())} (unpack .gpu-check/node_modules.tar.xz, or npm ci)`);
  if (process.env.ATELIER_ENGINE_GPU_ADDON !== 'emulator' && !existsSync(join(repo, ADDON_REL))) die(`no addon at ${ADDON_REL}`);
  runSteps(outDir, only);
}
