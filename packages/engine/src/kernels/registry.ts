// The kernel table: every kernel has a name, a reference implementation over host typed arrays
// (the TS CPU backend runs these directly; other backends fall back to them) and, when it updates
// inputs in place (optimizer steps), the indices of the inputs it mutates.
export type DType = 'float32' | 'int32';
export type TypedArray = Float32Array | Int32Array;

export interface HostTensor {
  shape: number[];
  dtype: DType;
  values: TypedArray;
}

/** Opaque handle to a backend's storage. */
export type DataId = object;

export interface KernelTensor {
  dataId: DataId;
  shape: number[];
  dtype: DType;
}

 
export type KernelAttrs = any;

export type ReferenceKernel = (inputs: HostTensor[], attrs: KernelAttrs) => HostTensor[];

export interface KernelInfo {
  name: string;
  reference: ReferenceKernel;
  /** Inputs written in place; a fallback on a non-host backend copies them back afterwards. */
  mutatesInputs?: readonly number[];
}

const kernels = new Map<string, KernelInfo>();

export function registerKernel(info: KernelInfo): void {
  kernels.set(info.name, info);
}

export function getKernel(name: string): KernelInfo {
  const k = kernels.get(name);
  if (!k) throw new Error(`kernel '${name}' is not registered`);
  return k;
}

export function kernelNames(): string[] {
  return [...kernels.keys()].sort();
}
