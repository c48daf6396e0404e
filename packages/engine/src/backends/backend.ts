// The only boundary between math and hardware: storage plus a kernel table. A backend may
// implement any subset of kernels; the engine runs the rest with the reference kernels on host
// copies (see engine.ts `runKernel`).
import type { DType, DataId, KernelAttrs, KernelTensor, TypedArray } from '../kernels/registry.js';

export type BackendKernel = (inputs: KernelTensor[], attrs: KernelAttrs, backend: Backend) => KernelTensor[];

export interface Backend {
  readonly name: string;
  /** Takes ownership of `values` (host backends keep the array as the storage). */
  write(values: TypedArray, shape: readonly number[], dtype: DType): DataId;
  /** Host view of the data. Host backends return the live storage; others a copy. */
  read(dataId: DataId): TypedArray;
  /** Replace the contents of existing storage (used after a fallback kernel mutated a host copy). */
  overwrite(dataId: DataId, values: TypedArray): void;
  dispose(dataId: DataId): void;
  /** True when `read` returns the live storage, so in-place host kernels need no copy-back. */
  readonly readsLiveStorage: boolean;
  readonly kernels: Readonly<Record<string, BackendKernel | undefined>>;
  /**
   * Optional: called around one training step (fit's trainStep), so a backend may batch or capture
   * the step's kernels (engine-gpu replays a stable step as CUDA Graphs). Reads inside the step must
   * still see every earlier kernel's result. `endStep(false)` when the step threw.
   */
  beginStep?(): void;
  endStep?(completed: boolean): void;
}

export type BackendFactory = () => Backend;

interface Registration {
  factory: BackendFactory;
  priority: number;
  instance?: Backend;
}

const registry = new Map<string, Registration>();
let activeName: string | null = null;
const listeners = new Set<(b: Backend) => void>();

/** Register a backend. The highest-priority one that constructs becomes the default. */
export function registerBackend(name: string, factory: BackendFactory, priority = 0): void {
  const prev = registry.get(name);
  if (prev?.instance && activeName === name) throw new Error(`backend '${name}' is active; cannot re-register`);
  registry.set(name, { factory, priority });
}

export function removeBackend(name: string): void {
  if (activeName === name) activeName = null;
  registry.delete(name);
}

export function listBackends(): { name: string; priority: number }[] {
  return [...registry.entries()].map(([name, r]) => ({ name, priority: r.priority })).sort((a, b) => b.priority - a.priority);
}

function instantiate(name: string): Backend {
  const reg = registry.get(name);
  if (!reg) throw new Error(`unknown backend '${name}' (registered: ${[...registry.keys()].join(', ') || 'none'})`);
  if (!reg.instance) reg.instance = reg.factory();
  return reg.instance;
}

/** Switch the active backend. Existing tensors move lazily the next time a kernel uses them. */
export function setBackend(name: string): Backend {
  const b = instantiate(name);
  activeName = name;
  for (const l of listeners) l(b);
  return b;
}

export function getBackend(): Backend {
  if (activeName) return instantiate(activeName);
  const errors: string[] = [];
  for (const { name } of listBackends()) {
    try {
      return setBackend(name);
    } catch (e) {
      errors.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no backend could be initialised${errors.length ? ` (${errors.join('; ')})` : ''}`);
}

export function getBackendNamed(name: string): Backend {
  return instantiate(name);
}

export function activeBackendName(): string {
  return getBackend().name;
}

// Why the preferred backend is not the active one (e.g. the native addon did not load), so health
// and job metrics can show it next to the backend's name. Set by the backend that failed.
let fallbackReason: string | null = null;

export function noteBackendFallback(reason: string | null): void {
  fallbackReason = reason;
}

export interface BackendStatus {
  /** Active backend (`cpu` is the TypeScript reference, `native-cpu` the addon). */
  name: string;
  /** Why a higher-priority backend is not in use, or null. */
  fallbackReason: string | null;
}

export function backendStatus(): BackendStatus {
  return { name: activeBackendName(), fallbackReason };
}
