// Builds the admin console (apps/console, a Vite app) when its dist/ is missing or older than its
// sources, so that `npm install && npm start` serves a working /console with no other step. A build takes
// a few seconds and happens once per change; concurrent starters (tests, replicas sharing a checkout)
// serialise on a lock file and the folder is swapped in whole, so nobody serves a half-written build.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's apps/console (this file is apps/launcher/src/console-build.ts). */
export const CONSOLE_APP_DIR = fileURLToPath(new URL('../../console/', import.meta.url));
export const DEFAULT_CONSOLE_DIST = join(CONSOLE_APP_DIR, 'dist');

/** What the console bundles: its own sources and config, and the SDK's sources. */
function sourceRoots(appDir: string): string[] {
  return [join(appDir, 'src'), join(appDir, 'index.html'), join(appDir, 'vite.config.ts'), join(appDir, 'package.json'), join(appDir, 'public'), join(appDir, '../../packages/sdk/src')];
}

function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

/** True when dist/index.html is missing or older than any source the bundle is made of. */
export function consoleBuildIsStale(appDir = CONSOLE_APP_DIR): boolean {
  const index = join(appDir, 'dist', 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return sourceRoots(appDir).some((p) => newestMtimeMs(p) > built);
}

function runViteBuild(appDir: string, outDir: string): Promise<void> {
  const vite = join(appDir, '../../node_modules/vite/bin/vite.js');
  if (!existsSync(vite)) return Promise.reject(new Error(`vite is not installed (${vite}); run npm install`));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: appDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}:\n${output.slice(-4000)}`))));
  });
}

const LOCK_STALE_MS = 180_000;

/**
 * Makes `appDir/dist` current. Returns 'fresh' (nothing to do), 'built', or throws with vite's output.
 * Waits (polling, up to the stale-lock age) while another process holds the build lock.
 */
export async function ensureConsoleBuilt(appDir = CONSOLE_APP_DIR): Promise<'fresh' | 'built'> {
  if (!consoleBuildIsStale(appDir)) return 'fresh';
  const lock = join(appDir, '.build.lock');
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A crashed builder leaves its lock behind: take it over once it is old enough.
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if (age > LOCK_STALE_MS || Date.now() > deadline) {
        rmSync(lock, { force: true });
        continue;
      }
      await new Promise((r) => setTimeout(r, 200));
      if (!consoleBuildIsStale(appDir)) return 'fresh';
    }
  }
  try {
    if (!consoleBuildIsStale(appDir)) return 'fresh';
    const dist = join(appDir, 'dist');
    const tmp = join(appDir, `.dist-${process.pid}-${Date.now()}`);
    mkdirSync(dirname(tmp), { recursive: true });
    try {
      await runViteBuild(appDir, tmp);
      const old = `${tmp}-old`;
      if (existsSync(dist)) renameSync(dist, old);
      renameSync(tmp, dist);
      rmSync(old, { recursive: true, force: true });
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return 'built';
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      /* already gone */
    }
  }
}
