/* global process, console */
// `npm install` hook: builds the native addon with node-gyp against Node headers already on this
// machine, never downloading anything. It never fails the install: when the build cannot run or
// fails, it writes the reason to build/skip-reason.txt (the engine then runs on the TS backend and
// logs that reason once at load). ATELIER_ENGINE_CPU_SKIP_BUILD=1 skips on purpose.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_NODE_HEADERS, addonBuild, elapsed, findNodeDir, hasTool } from '../../../scripts/native-addon-build.mjs';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { skip, clearSkip } = addonBuild(pkgDir, '@atelier/engine-cpu', 'the engine will use its TypeScript backend');

function findNodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const bundled = resolve(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (existsSync(bundled)) return bundled;
  return undefined;
}

if (process.env.ATELIER_ENGINE_CPU_SKIP_BUILD === '1') skip('ATELIER_ENGINE_CPU_SKIP_BUILD=1');
const nodeDir = findNodeDir({ needGypi: true });
if (!nodeDir) skip(NO_NODE_HEADERS);
const nodeGyp = findNodeGyp();
if (!nodeGyp) skip('node-gyp not found (npm bundles it; set npm_config_node_gyp)');
if (!hasTool('c++')) skip('no C++ compiler (c++) on PATH');

clearSkip();
const started = Date.now();
const jobs = String(Math.max(1, Math.min(4, Number(process.env.JOBS) || 2)));
const res = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`, '--jobs', jobs], {
  cwd: pkgDir,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, npm_config_nodedir: nodeDir },
});
if (res.status !== 0) skip(`node-gyp rebuild failed (exit ${res.status ?? res.signal}); rerun \`npm rebuild @atelier/engine-cpu\` to see the compiler output`);
console.log(`@atelier/engine-cpu: native addon built in ${elapsed(started)} s against ${nodeDir}/include/node`);
