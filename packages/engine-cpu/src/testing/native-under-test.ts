// Test support: the addon under test, or why it is absent. Outside CI a machine without a
// compiler skips the native tests (saying why); in CI (CI=true) a missing addon is a failure.
import { loadAddon } from '../addon-loader.js';

export const loaded = loadAddon({ ...process.env, ATELIER_ENGINE_CPU_ADDON: process.env.ATELIER_ENGINE_CPU_ADDON === 'off' ? '' : process.env.ATELIER_ENGINE_CPU_ADDON });
export const addon = loaded.ok ? loaded.addon : null;
export const skipReason = loaded.ok ? null : loaded.reason;
if (skipReason && process.env.CI !== 'true') console.warn(`[engine-cpu tests] skipping native tests: ${skipReason}`);
