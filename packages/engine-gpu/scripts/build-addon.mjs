/* global process, console */
// `npm install` hook: compiles the CUDA addon with nvcc directly (no node-gyp: it cannot drive nvcc)
// against Node headers already on this machine, never downloading anything. cudart is linked
// statically, so the .node needs no libcudart.so at run time; cuBLASLt and NVML are dlopen'd later.
// It never fails the install: without nvcc, or when a compile fails, it writes the reason to
// build/skip-reason.txt (the loader reports it). Objects newer than their sources and headers are
// kept (an incremental rebuild), so `npm rebuild @atelier/engine-gpu` after an edit is quick.
//   ATELIER_ENGINE_GPU_SKIP_BUILD=1   skip on purpose
//   ATELIER_ENGINE_GPU_ARCHS=80,90    SASS for these compute capabilities (default 90), PTX for the newest
//   CUDA_HOME / CUDA_PATH             the toolkit (default: next to nvcc, then /usr/local/cuda)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_NODE_HEADERS, addonBuild, elapsed, findNodeDir, hasTool } from '../../../scripts/native-addon-build.mjs';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { buildDir, skip, clearSkip } = addonBuild(pkgDir, '@atelier/engine-gpu', 'the engine cannot use the GPU backend');
const REBUILD = 'rerun `npm rebuild @atelier/engine-gpu` to see the compiler output';

if (process.env.ATELIER_ENGINE_GPU_SKIP_BUILD === '1') skip('ATELIER_ENGINE_GPU_SKIP_BUILD=1');
const nvcc = process.env.NVCC || 'nvcc';
if (!hasTool(nvcc)) skip('not compiled with CUDA: nvcc not found (install the CUDA toolkit and run `npm rebuild @atelier/engine-gpu`)');
if (!hasTool('c++')) skip('not compiled with CUDA: no C++ compiler (c++) on PATH');
const nodeDir = findNodeDir();
if (!nodeDir) skip(`not compiled with CUDA: ${NO_NODE_HEADERS}`);
const cudaHome = findCudaHome();
if (!cudaHome) skip('not compiled with CUDA: CUDA headers or libcudart_static.a not found (set CUDA_HOME to the toolkit)');

function findCudaHome() {
  const which = spawnSync('sh', ['-c', `command -v ${nvcc}`], { encoding: 'utf8' }).stdout.trim();
  const candidates = [process.env.CUDA_HOME, process.env.CUDA_PATH, which && resolve(dirname(realpathSync(which)), '..'), '/usr/local/cuda'];
  return candidates.find((d) => d && existsSync(join(d, 'include', 'cuda_runtime.h')) && cudartLibDir(d));
}

function cudartLibDir(home) {
  return ['lib64', 'lib', join('targets', 'x86_64-linux', 'lib'), join('targets', 'sbsa-linux', 'lib')]
    .map((d) => join(home, d))
    .find((d) => existsSync(join(d, 'libcudart_static.a')));
}

const archs = (process.env.ATELIER_ENGINE_GPU_ARCHS || '90').split(',').map((s) => s.trim()).filter(Boolean);
if (archs.length === 0 || archs.some((a) => !/^\d+a?$/.test(a))) skip(`not compiled with CUDA: ATELIER_ENGINE_GPU_ARCHS=${process.env.ATELIER_ENGINE_GPU_ARCHS} is not a list like "80,90"`);
const ptxArch = archs[archs.length - 1];
const gencode = [...archs.flatMap((a) => ['-gencode', `arch=compute_${a},code=sm_${a}`]), '-gencode', `arch=compute_${ptxArch},code=compute_${ptxArch}`];

const nativeDir = join(pkgDir, 'native');
const kernelsDir = join(nativeDir, 'kernels');
const list = (dir, ext) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(ext)).sort().map((f) => join(dir, f)) : []);
const headers = [...list(nativeDir, '.h'), ...list(kernelsDir, '.h'), ...list(kernelsDir, '.cuh')];
const sources = [...list(kernelsDir, '.cu'), ...list(nativeDir, '.cc')];
const addonApi = resolve(pkgDir, createRequire(join(pkgDir, 'package.json')).resolve('node-addon-api/package.json'), '..');
const includes = ['-I', nativeDir, '-I', join(nodeDir, 'include', 'node'), '-I', addonApi, '-I', join(cudaHome, 'include')];
const defines = ['-DNAPI_VERSION=8', '-DNAPI_DISABLE_CPP_EXCEPTIONS', '-DNODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS'];
const flags = ['-std=c++17', '-O3', '--expt-relaxed-constexpr', '-Xcompiler', '-fPIC,-fvisibility=hidden', ...gencode];

const objDir = join(buildDir, 'obj');
const out = join(buildDir, 'Release', 'atelier_engine_gpu.node');
mkdirSync(objDir, { recursive: true });
mkdirSync(dirname(out), { recursive: true });
clearSkip();

const mtime = (f) => statSync(f).mtimeMs;
const newestInput = Math.max(mtime(fileURLToPath(import.meta.url)), ...headers.map(mtime));
const objectOf = (src) => join(objDir, `${basename(dirname(src)) === 'kernels' ? 'kernels-' : ''}${basename(src)}.o`);
// Objects built with other flags (another ATELIER_ENGINE_GPU_ARCHS, other headers) are all stale.
const stampFile = join(objDir, 'flags.json');
const stamp = JSON.stringify({ nvcc, flags, includes, defines });
const sameFlags = existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp;
const stale = sources.filter((src) => {
  const obj = objectOf(src);
  return !sameFlags || !existsSync(obj) || mtime(obj) < Math.max(mtime(src), newestInput);
});

function run(args) {
  return new Promise((done) => {
    const child = spawn(nvcc, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (e) => done(`${e.message}`));
    child.on('exit', (code, signal) => done(code === 0 ? null : `exit ${code ?? signal}`));
  });
}

const started = Date.now();
const jobs = Math.max(1, Math.min(8, Number(process.env.JOBS) || 2));
const queue = [...stale];
const failures = [];
await Promise.all(
  Array.from({ length: jobs }, async () => {
    for (let src = queue.shift(); src; src = queue.shift()) {
      const obj = objectOf(src);
      // Written under a temporary name: an interrupted compile never leaves an object that looks fresh.
      const err = await run([...flags, ...includes, ...defines, '-c', src, '-o', `${obj}.tmp`]);
      if (err) failures.push(`${basename(src)} (${err})`);
      else renameSync(`${obj}.tmp`, obj);
    }
  }),
);
if (failures.length === 0) writeFileSync(stampFile, stamp);
// A failed build must not leave the previous .node behind to run code older than the sources.
if (failures.length > 0) {
  rmSync(out, { force: true });
  const more = failures.length > 4 ? ` and ${failures.length - 4} more` : '';
  skip(`not compiled with CUDA: nvcc failed on ${failures.slice(0, 4).join(', ')}${more}; ${REBUILD}`);
}

const objects = sources.map(objectOf);
const link = await run(['-shared', ...gencode, '-cudart', 'none', '-o', `${out}.tmp`, ...objects, '-L', cudartLibDir(cudaHome), '-lcudart_static', '-ldl', '-lrt', '-lpthread']);
if (link) {
  rmSync(out, { force: true });
  skip(`not compiled with CUDA: linking failed (${link}); ${REBUILD}`);
}
// A launcher no .cu defines links (a .node may leave symbols to the host) but crashes when called:
// refuse such a build while nm can tell.
const nm = spawnSync('nm', ['-D', '--undefined-only', `${out}.tmp`], { encoding: 'utf8' });
if (nm.status === 0) {
  const missing = nm.stdout.split('\n').map((l) => l.trim().split(/\s+/).pop()).filter((s) => s && s.startsWith('atl_'));
  if (missing.length > 0) {
    rmSync(`${out}.tmp`, { force: true });
    rmSync(out, { force: true });
    const more = missing.length > 6 ? ` and ${missing.length - 6} more` : '';
    skip(`not compiled with CUDA: native/kernels/*.cu define no ${missing.slice(0, 6).join(', ')}${more}`);
  }
}
renameSync(`${out}.tmp`, out);
console.log(
  `@atelier/engine-gpu: CUDA addon built in ${elapsed(started)} s (${stale.length} of ${sources.length} sources compiled, sm_${archs.join(',sm_')} + compute_${ptxArch} PTX) against ${nodeDir}/include/node and ${cudaHome}`,
);
