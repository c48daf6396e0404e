// The reference TypeScript CPU backend: storage is the typed array itself and every registered
// kernel runs its reference implementation with zero copies.
import { releaseFloat } from '../../kernels/float-storage.js';
import { registerBackend, type Backend, type BackendKernel } from '../backend.js';
import { getKernel, kernelNames, type DType, type DataId, type KernelTensor, type TypedArray } from '../../kernels/registry.js';
import './elementwise-kernels.js';
import './reduce-kernels.js';
import './matmul-kernel.js';
import './softmax-kernels.js';
import './gather-kernels.js';
import './shape-kernels.js';
import './optimizer-kernels.js';

interface CpuData {
  values: TypedArray;
}

export function createCpuBackend(): Backend {
  const kernels: Record<string, BackendKernel> = {};
  const backend: Backend = {
    name: 'cpu',
    readsLiveStorage: true,
    write(values: TypedArray): DataId {
      return { values } satisfies CpuData;
    },
    read(id: DataId): TypedArray {
      return (id as CpuData).values;
    },
    overwrite(id: DataId, values: TypedArray): void {
      const d = id as CpuData;
      if (d.values !== values) d.values.set(values);
    },
    dispose(id: DataId): void {
      releaseFloat((id as CpuData).values);
      (id as CpuData).values = new Float32Array(0);
    },
    kernels,
  };
  for (const name of kernelNames()) {
    const ref = getKernel(name).reference;
    kernels[name] = (inputs: KernelTensor[], attrs) => {
      const host = inputs.map((t) => ({ shape: t.shape, dtype: t.dtype as DType, values: (t.dataId as CpuData).values }));
      return ref(host, attrs).map((o) => ({ dataId: backend.write(o.values, o.shape, o.dtype), shape: o.shape, dtype: o.dtype }));
    };
  }
  return backend;
}

registerBackend('cpu', createCpuBackend, 1);
