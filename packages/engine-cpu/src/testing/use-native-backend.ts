// Vitest setup for running the engine's own test files on the native backend
// (vitest.engine-suite.config.ts): the addon must load, and it must be the default backend.
import { getBackend } from '@atelier/engine';
import { nativeCpuStatus } from '../index.js';

const status = nativeCpuStatus();
if (!status.loaded) throw new Error(`engine suite on native-cpu: the addon did not load (${status.reason})`);
if (getBackend().name !== 'native-cpu') throw new Error(`engine suite on native-cpu: default backend is '${getBackend().name}'`);
