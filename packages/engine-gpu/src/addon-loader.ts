// Finds and loads the compiled CUDA addon, or says why it cannot. Never throws: a machine without
// CUDA (no nvcc at install, no driver) keeps working on the other backends.
//   ATELIER_ENGINE_GPU_ADDON=off       hide the addon
//   ATELIER_ENGINE_GPU_ADDON=PATH      load this .node file instead of build/Release's
//   ATELIER_ENGINE_GPU_ADDON=emulator  handled by index.ts (the host emulator), never a compiled addon
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { GPU_ADDON_FUNCTIONS, type GpuAddon } from './gpu-addon.js';

export type AddonLoad = { ok: true; addon: GpuAddon; path: string } | { ok: false; reason: string };

export function defaultAddonPath(): string {
  return fileURLToPath(new URL('../build/Release/atelier_engine_gpu.node', import.meta.url));
}

/** Where the install hook writes why it did not build the addon. */
export function defaultSkipFile(): string {
  return fileURLToPath(new URL('../build/skip-reason.txt', import.meta.url));
}

/** `where` is for tests: another build folder's addon and skip-reason file. */
export function loadAddon(env: NodeJS.ProcessEnv = process.env, where = { addon: defaultAddonPath(), skipFile: defaultSkipFile() }): AddonLoad {
  const setting = env.ATELIER_ENGINE_GPU_ADDON?.trim();
  if (setting === 'off' || setting === '0' || setting === 'none') return { ok: false, reason: `disabled by ATELIER_ENGINE_GPU_ADDON=${setting}` };
  if (setting === 'emulator') {
    return { ok: false, reason: 'ATELIER_ENGINE_GPU_ADDON=emulator selects the host emulator (src/testing/host-emulator.ts), not a compiled addon' };
  }
  const path = setting || where.addon;
  if (!existsSync(path)) {
    const skipped = !setting && existsSync(where.skipFile) ? readFileSync(where.skipFile, 'utf8').trim() : null;
    const why = setting ? 'no such file' : (skipped || 'not compiled with CUDA: it was not built (run `npm rebuild @atelier/engine-gpu`)');
    return { ok: false, reason: `GPU addon not found at ${path}: ${why}` };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as GpuAddon;
    const missing = GPU_ADDON_FUNCTIONS.filter((k) => typeof (addon as unknown as Record<string, unknown>)[k] !== 'function');
    if (missing.length > 0) return { ok: false, reason: `GPU addon at ${path} is stale (missing ${missing.join(', ')}); rebuild it with \`npm rebuild @atelier/engine-gpu\`` };
    return { ok: true, addon, path };
  } catch (e) {
    return { ok: false, reason: `GPU addon at ${path} failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
}
