// Engine state: live tensors and their storage refcounts, tidy scopes, the active gradient tape,
// and kernel dispatch with fallback to the reference kernels.
import { getBackend, type Backend } from './backends/backend.js';
import { getKernel, type DType, type DataId, type KernelAttrs, type KernelTensor, type TypedArray } from './kernels/registry.js';
import { Tensor } from './tensor.js';

interface DataEntry {
  backend: Backend;
  refs: number;
}

export interface TapeNode {
  kernel: string;
  inputs: Tensor[];
  outputs: Tensor[];
  attrs: KernelAttrs;
}

export interface Tape {
  nodes: TapeNode[];
  /** ids of tensors that depend on a watched tensor. */
  tracked: Set<number>;
  /** Tensors a node references: tidy must not free them before backward runs. */
  held: Set<Tensor>;
  /** Tensors a tidy wanted to free while the tape held them; freed when the tape ends. */
  deferred: Set<Tensor>;
  paused: boolean;
}

const data = new Map<DataId, DataEntry>();
let liveTensors = 0;
let nextTensorId = 1;
const scopes: Set<Tensor>[] = [];
let tape: Tape | null = null;

export function newTensorId(): number {
  return nextTensorId++;
}

/** Wrap existing storage in a tensor and count it. */
function adopt(dataId: DataId, backend: Backend, shape: number[], dtype: DType, share: boolean): Tensor {
  if (share) {
    const e = data.get(dataId);
    if (!e) throw new Error('internal: sharing freed storage');
    e.refs++;
  } else {
    data.set(dataId, { backend, refs: 1 });
  }
  const t = new Tensor(shape, dtype, dataId);
  liveTensors++;
  if (scopes.length > 0) scopes[scopes.length - 1].add(t);
  return t;
}

export function makeTensor(values: TypedArray, shape: number[], dtype: DType): Tensor {
  const b = getBackend();
  return adopt(b.write(values, shape, dtype), b, shape, dtype, false);
}

/** A tensor sharing `t`'s storage with another shape (reshape is free). */
export function shareStorage(t: Tensor, shape: number[]): Tensor {
  return adopt(t.dataId, data.get(t.dataId)!.backend, shape, t.dtype, true);
}

export function backendOf(t: Tensor): Backend {
  const e = data.get(t.dataId);
  if (!e) throw new Error(`tensor ${t.id} [${t.shape}] is disposed`);
  return e.backend;
}

/** Move a tensor's storage to `target` (after setBackend). */
function migrate(t: Tensor, target: Backend): void {
  const e = data.get(t.dataId)!;
  if (e.backend === target) return;
  const host = e.backend.read(t.dataId);
  const copy = host.slice() as TypedArray;
  const newId = target.write(copy, t.shape, t.dtype);
  // Every tensor sharing the old storage points at it; re-key the entry so they all follow.
  e.backend.dispose(t.dataId);
  data.delete(t.dataId);
  data.set(newId, { backend: target, refs: e.refs });
  // Tensors sharing storage with this one keep the old id; they migrate when next used.
  forwarding.set(t.dataId, newId);
  t.dataId = newId;
}
const forwarding = new WeakMap<DataId, DataId>();

function resolve(t: Tensor): void {
  let id = t.dataId;
  while (!data.has(id) && forwarding.has(id)) id = forwarding.get(id)!;
  t.dataId = id;
}

export function readSync(t: Tensor): TypedArray {
  if (t.isDisposed) throw new Error(`tensor ${t.id} [${t.shape}] is disposed`);
  resolve(t);
  return backendOf(t).read(t.dataId);
}

export function disposeTensor(t: Tensor): void {
  if (t.isDisposed) return;
  resolve(t);
  t.isDisposed = true;
  liveTensors--;
  const e = data.get(t.dataId);
  if (e && --e.refs === 0) {
    e.backend.dispose(t.dataId);
    data.delete(t.dataId);
  }
}

function info(t: Tensor): KernelTensor {
  return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
}

/** Dispatch a kernel on the active backend, falling back to the reference kernel. */
export function runKernel(name: string, inputs: Tensor[], attrs: KernelAttrs = {}): Tensor[] {
  const b = getBackend();
  for (const t of inputs) {
    if (t.isDisposed) throw new Error(`${name}: input tensor ${t.id} [${t.shape}] is disposed`);
    resolve(t);
    migrate(t, b);
  }
  const k = b.kernels[name];
  let outs: Tensor[];
  if (k) {
    outs = k(inputs.map(info), attrs, b).map((o) => adopt(o.dataId, b, o.shape, o.dtype, false));
  } else {
    const kernel = getKernel(name);
    const host = inputs.map((t) => ({ shape: t.shape, dtype: t.dtype, values: b.read(t.dataId) }));
    const res = kernel.reference(host, attrs);
    if (kernel.mutatesInputs && !b.readsLiveStorage) {
      for (const i of kernel.mutatesInputs) b.overwrite(inputs[i].dataId, host[i].values);
    }
    outs = res.map((o) => makeTensor(o.values, o.shape, o.dtype));
  }
  if (tape && !tape.paused && outs.length > 0) record(name, inputs, outs, attrs);
  return outs;
}

function record(kernel: string, inputs: Tensor[], outputs: Tensor[], attrs: KernelAttrs): void {
  const tp = tape!;
  let any = false;
  for (const t of inputs) if (tp.tracked.has(t.id)) any = true;
  if (!any) return;
  for (const t of outputs) if (t.dtype === 'float32') tp.tracked.add(t.id);
  for (const t of inputs) tp.held.add(t);
  for (const t of outputs) tp.held.add(t);
  tp.nodes.push({ kernel, inputs, outputs, attrs });
}

/** Record a node for an op that does not go through runKernel (reshape). */
export function recordNode(kernel: string, inputs: Tensor[], outputs: Tensor[], attrs: KernelAttrs): void {
  if (tape && !tape.paused) record(kernel, inputs, outputs, attrs);
}

export function activeTape(): Tape | null {
  return tape;
}

export function startTape(watch: Tensor[]): Tape {
  if (tape) throw new Error('gradients: nested gradient computations are not supported');
  tape = { nodes: [], tracked: new Set(watch.map((t) => t.id)), held: new Set(), deferred: new Set(), paused: false };
  return tape;
}

export function endTape(): void {
  tape = null;
}

// ---------------------------------------------------------------- memory scoping

export type TensorContainer = Tensor | TensorContainer[] | { [k: string]: TensorContainer } | null | undefined | number | string | boolean | object;

export function collectTensors(x: unknown, out: Set<Tensor> = new Set(), depth = 0): Set<Tensor> {
  if (x == null || depth > 8) return out;
  if (x instanceof Tensor) out.add(x);
  else if (Array.isArray(x)) for (const v of x) collectTensors(v, out, depth + 1);
  else if (typeof x === 'object' && !ArrayBuffer.isView(x) && !(x instanceof Map)) {
    for (const v of Object.values(x as Record<string, unknown>)) collectTensors(v, out, depth + 1);
  }
  return out;
}

export function startScope(): void {
  scopes.push(new Set());
}

/** Close the innermost scope: free its tensors except `keepSet`, which move to the parent scope. */
export function endScope(keepSet: Set<Tensor>): void {
  const scope = scopes.pop();
  if (!scope) throw new Error('internal: endScope without startScope');
  const parent = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  for (const t of scope) {
    if (t.isDisposed) continue;
    if (keepSet.has(t)) {
      parent?.add(t);
    } else if (t.kept) {
      continue;
    } else if (tape && tape.held.has(t)) {
      tape.deferred.add(t);
    } else {
      disposeTensor(t);
    }
  }
}

/** Run `fn`, then free every tensor it created except the ones it returns. */
export function tidy<T>(fn: () => T): T {
  startScope();
  let result: T;
  try {
    result = fn();
  } catch (e) {
    endScope(new Set());
    throw e;
  }
  endScope(collectTensors(result));
  return result;
}

/** Exempt a tensor from the enclosing tidy scopes. */
export function keep<T extends Tensor>(t: T): T {
  t.kept = true;
  return t;
}

export function dispose(x: unknown): void {
  for (const t of collectTensors(x)) t.dispose();
}

export interface MemoryInfo {
  numTensors: number;
  numDataBuffers: number;
}

export function memory(): MemoryInfo {
  return { numTensors: liveTensors, numDataBuffers: data.size };
}

// ---------------------------------------------------------------- variables

/** A variable takes over `from`'s storage reference; `from` becomes disposed. */
export function adoptVariable(v: Tensor, from: Tensor): void {
  if (from.isDisposed) throw new Error(`Variable: source tensor [${from.shape}] is disposed`);
  resolve(from);
  v.dataId = from.dataId;
  from.isDisposed = true;
}

export function writeBack(v: Tensor, values: TypedArray): void {
  const b = backendOf(v);
  if (!b.readsLiveStorage) b.overwrite(v.dataId, values);
}
