/* global process, console */
// Shared by the `npm install` hooks of the native addons (packages/engine-cpu, packages/engine-gpu):
// finding Node headers already on this machine (never downloading them), the skip-reason file the
// package's loader reports, and the rule that a failed build never fails the install.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * The build context of one package: `skip(reason)` writes build/skip-reason.txt, warns and exits 0
 * (the package then runs without its addon and its loader says why); `clearSkip()` removes a stale
 * reason before a build.
 */
export function addonBuild(pkgDir, packageName, fallback) {
  const buildDir = join(pkgDir, 'build');
  const reasonFile = join(buildDir, 'skip-reason.txt');
  return {
    pkgDir,
    buildDir,
    reasonFile,
    skip(reason) {
      mkdirSync(buildDir, { recursive: true });
      writeFileSync(reasonFile, `${reason}\n`);
      console.warn(`${packageName}: native addon not built (${reason}); ${fallback}`);
      process.exit(0);
    },
    clearSkip() {
      rmSync(reasonFile, { force: true });
    },
  };
}

/** A directory D with D/include/node/node_api.h: Node-API is ABI-stable, so any version's headers do. */
export function findNodeDir({ needGypi = false } = {}) {
  const candidates = [];
  if (process.env.npm_config_nodedir) candidates.push(process.env.npm_config_nodedir);
  candidates.push(resolve(dirname(process.execPath), '..'), '/usr', '/usr/local');
  for (const cache of [join(homedir(), '.cache', 'node-gyp'), join(homedir(), '.node-gyp')]) {
    if (!existsSync(cache)) continue;
    for (const v of readdirSync(cache).sort().reverse()) candidates.push(join(cache, v));
  }
  return candidates.find(
    (d) => existsSync(join(d, 'include', 'node', 'node_api.h')) && (!needGypi || existsSync(join(d, 'include', 'node', 'common.gypi'))),
  );
}

export const NO_NODE_HEADERS =
  'no Node headers on this machine (looked for include/node/node_api.h next to node, in /usr, /usr/local and the node-gyp cache); install them (Debian: libnode-dev) to build';

/** True when `cmd --version` runs. */
export function hasTool(cmd) {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Seconds since `started` (Date.now()), one decimal. */
export function elapsed(started) {
  return ((Date.now() - started) / 1000).toFixed(1);
}
