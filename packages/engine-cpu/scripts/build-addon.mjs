/* global process, console */
// `npm install` hook: builds the native addon with node-gyp against Node headers already on this
// machine, never downloading anything. It never fails the install: when the build cannot run or
// fails, it writes the reason to build/skip-reason.txt (the engine then runs on the TS backend and
// logs that reason once at load). ATELIER_ENGINE_CPU_SKIP_BUILD=1 skips on purpose.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = join(pkgDir, 'build');
const reasonFile = join(buildDir, 'skip-reason.txt');

function skip(reason) {
  mkdirSync(buildDir, { recursive: true });
  writeFileSync(reasonFile, `${reason}\n`);
  console.warn(`@atelier/engine-cpu: native addon not built (${reason}); the engine will use its TypeScript backend`);
  process.exit(0);
}

/** A directory D with D/include/node/node_api.h: Node-API is ABI-stable, so any version's headers do. */
function findNodeDir() {
  const candidates = [];
  if (process.env.npm_config_nodedir) candidates.push(process.env.npm_config_nodedir);
  candidates.push(resolve(dirname(process.execPath), '..'), '/usr', '/usr/local');
  for (const cache of [join(homedir(), '.cache', 'node-gyp'), join(homedir(), '.node-gyp')]) {
    if (!existsSync(cache)) continue;
    for (const v of readdirSync(cache).sort().reverse()) candidates.push(join(cache, v));
  }
  return candidates.find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')) && existsSync(join(d, 'include', 'node', 'common.gypi')));
}

function findNodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const bundled = resolve(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (existsSync(bundled)) return bundled;
  return undefined;
}

if (process.env.ATELIER_ENGINE_CPU_SKIP_BUILD === '1') skip('ATELIER_ENGINE_CPU_SKIP_BUILD=1');
const nodeDir = findNodeDir();
if (!nodeDir) skip('no Node headers on this machine (looked for include/node/node_api.h next to node, in /usr, /usr/local and the node-gyp cache); install them (Debian: libnode-dev) to build');
const nodeGyp = findNodeGyp();
if (!nodeGyp) skip('node-gyp not found (npm bundles it; set npm_config_node_gyp)');
if (spawnSync('c++', ['--version'], { stdio: 'ignore' }).status !== 0) skip('no C++ compiler (c++) on PATH');

rmSync(reasonFile, { force: true });
const started = Date.now();
const jobs = String(Math.max(1, Math.min(4, Number(process.env.JOBS) || 2)));
const res = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`, '--jobs', jobs], {
  cwd: pkgDir,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, npm_config_nodedir: nodeDir },
});
if (res.status !== 0) skip(`node-gyp rebuild failed (exit ${res.status ?? res.signal}); rerun \`npm rebuild @atelier/engine-cpu\` to see the compiler output`);
console.log(`@atelier/engine-cpu: native addon built in ${((Date.now() - started) / 1000).toFixed(1)} s against ${nodeDir}/include/node`);
