// Test support: the compiled addon under test, or why it is absent. Outside CI a machine without
// nvcc skips the addon's tests (saying why); in CI (CI=true, nvcc installed) a missing addon is a
// failure. `device` is set only where probe() finds a GPU, for the tests that need one.
import { loadAddon } from '../addon-loader.js';

const setting = process.env.ATELIER_ENGINE_GPU_ADDON?.trim();
// The emulator and `off` are other tests' concern: here it is always the compiled addon.
export const loaded = loadAddon({ ...process.env, ATELIER_ENGINE_GPU_ADDON: setting === 'emulator' || setting === 'off' ? '' : setting });
export const addon = loaded.ok ? loaded.addon : null;
export const skipReason = loaded.ok ? null : loaded.reason;
const probe = addon?.probe();
export const device = probe?.ok && probe.devices.length > 0 ? probe.devices[0] : null;
if (skipReason && process.env.CI !== 'true') console.warn(`[engine-gpu tests] skipping compiled-addon tests: ${skipReason}`);
