// Finds and loads the compiled addon, or says why it cannot. Never throws: a missing or broken
// addon means the engine stays on its TypeScript backend.
//   ATELIER_ENGINE_CPU_ADDON=off   hide the addon (tests of the fallback, or to compare backends)
//   ATELIER_ENGINE_CPU_ADDON=PATH  load this .node file instead of build/Release's
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { NativeAddon } from './native-addon.js';

const EXPECTED = ['info', 'useIsa', 'setThreads', 'sgemm', 'binary', 'unary', 'reluGrad', 'sumRows', 'sumLast', 'reluGradBiasSum', 'bceWithLogits', 'softmax', 'sparseSoftmaxCrossEntropy', 'adam', 'sgd', 'gather', 'scatterAdd', 'coalesceRows', 'copyRows'];

export type AddonLoad = { ok: true; addon: NativeAddon; path: string } | { ok: false; reason: string };

export function defaultAddonPath(): string {
  return fileURLToPath(new URL('../build/Release/atelier_engine_cpu.node', import.meta.url));
}

export function loadAddon(env: NodeJS.ProcessEnv = process.env): AddonLoad {
  const setting = env.ATELIER_ENGINE_CPU_ADDON?.trim();
  if (setting === 'off' || setting === '0' || setting === 'none') return { ok: false, reason: `disabled by ATELIER_ENGINE_CPU_ADDON=${setting}` };
  const path = setting || defaultAddonPath();
  if (!existsSync(path)) {
    const skipFile = fileURLToPath(new URL('../build/skip-reason.txt', import.meta.url));
    const why = !setting && existsSync(skipFile) ? readFileSync(skipFile, 'utf8').trim() : 'it was not built (run `npm rebuild @atelier/engine-cpu`)';
    return { ok: false, reason: `native addon not found at ${path}: ${why}` };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    const missing = EXPECTED.filter((k) => typeof (addon as unknown as Record<string, unknown>)[k] !== 'function');
    if (missing.length > 0) return { ok: false, reason: `native addon at ${path} is stale (missing ${missing.join(', ')}); rebuild it` };
    return { ok: true, addon, path };
  } catch (e) {
    return { ok: false, reason: `native addon at ${path} failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
}
