import { afterEach, describe, expect, it } from 'vitest';
import {
  add, concat, createCpuBackend, fromTyped, gather, getBackend, grad, keep, matMul, memory, mul, ones, registerBackend,
  removeBackend, reshape, scalar, setBackend, slice, sum, tensor, tidy, valueAndGrads, valueAndGradsSparse, Variable,
  zeros, isSparse, Optimizer, type Backend,
} from './index.js';
import { activeTape } from './engine.js';

afterEach(() => {
  setBackend('cpu');
});

describe('tensors and ops', () => {
  it('broadcasts binary ops NumPy-style', () => {
    tidy(() => {
      const a = tensor([[1, 2, 3], [4, 5, 6]]);
      expect(add(a, tensor([10, 20, 30])).toArray()).toEqual([11, 22, 33, 14, 25, 36]);
      expect(mul(a, tensor([[2], [3]])).toArray()).toEqual([2, 4, 6, 12, 15, 18]);
      expect(add(tensor([[1], [2]]), tensor([[10, 20]])).shape).toEqual([2, 2]);
      expect(add(a, 1).toArray()).toEqual([2, 3, 4, 5, 6, 7]);
    });
  });

  it('keeps int32 arithmetic in int32', () => {
    tidy(() => {
      const a = tensor(Int32Array.from([1, 2, 3]));
      const b = add(a, 2);
      expect(b.dtype).toBe('int32');
      expect(b.toArray()).toEqual([3, 4, 5]);
    });
  });

  it('errors name the shapes', () => {
    tidy(() => {
      expect(() => add(zeros([2, 3]), zeros([4]))).toThrow(/\[2,3\].*\[4\]/);
      expect(() => matMul(zeros([2, 3]), zeros([4, 5]))).toThrow(/\[2,3\].*\[4,5\].*3 vs 4/);
      expect(() => reshape(zeros([2, 3]), [4])).toThrow(/\[2,3\]/);
      expect(() => gather(zeros([3, 2]), fromTyped(Int32Array.from([5]), [1]))).toThrow(/id 5/);
    });
  });

  it('matMul fuses bias and activation and honours transpose flags', () => {
    tidy(() => {
      const a = tensor([[1, -2], [3, 4]]);
      const b = tensor([[1, 0], [0, 1]]);
      expect(matMul(a, b, { bias: tensor([1, -10]), activation: 'relu' }).toArray()).toEqual([2, 0, 4, 0]);
      expect(matMul(a, b, { transposeA: true }).toArray()).toEqual([1, 3, -2, 4]);
      expect(matMul(a, a, { transposeB: true }).toArray()).toEqual([5, -5, -5, 25]);
    });
  });

  it('concat and slice round-trip', () => {
    tidy(() => {
      const a = tensor([[1, 2], [3, 4]]);
      const c = concat([a, tensor([[5], [6]])], 1);
      expect(c.toArray()).toEqual([1, 2, 5, 3, 4, 6]);
      expect(slice(c, [0, 1], [2, 2]).toArray()).toEqual([2, 5, 4, 6]);
    });
  });
});

describe('memory scoping', () => {
  it('tidy frees intermediates and keeps results; keep() and dispose()', () => {
    const before = memory().numTensors;
    let pinned: ReturnType<typeof ones> | null = null;
    const result = tidy(() => {
      const a = ones([3]);
      const b = add(a, a);
      pinned = keep(mul(b, 2));
      return sum(b);
    });
    expect(memory().numTensors).toBe(before + 2);
    expect(result.item()).toBe(6);
    expect(pinned!.toArray()).toEqual([4, 4, 4]);
    result.dispose();
    pinned!.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('reshape shares storage and frees it with the last reference', () => {
    const buffers = memory().numDataBuffers;
    const a = ones([2, 2]);
    const b = reshape(a, [4]);
    expect(memory().numDataBuffers).toBe(buffers + 1);
    a.dispose();
    expect(b.toArray()).toEqual([1, 1, 1, 1]);
    b.dispose();
    expect(memory().numDataBuffers).toBe(buffers);
  });
});

describe('autodiff', () => {
  it('records no tape unless gradients are requested', () => {
    tidy(() => {
      add(ones([2]), ones([2]));
      expect(activeTape()).toBeNull();
    });
  });

  it('grad of sum(x²) is 2x', () => {
    tidy(() => {
      const g = grad((x) => sum(mul(x, x)))(tensor([1, -2, 3]));
      expect(g.toArray()).toEqual([2, -4, 6]);
    });
  });

  it('gradients flow through tidy inside f and through reshapes; nothing leaks', () => {
    const before = memory().numTensors;
    const w = new Variable(tensor([[1, 2], [3, 4]]), 'w');
    const { value, grads } = valueAndGrads(() => tidy(() => sum(mul(reshape(w, [4]), tensor([1, 0, 0, 1])))), [w]);
    expect(value.item()).toBe(5);
    expect(grads[0].toArray()).toEqual([1, 0, 0, 1]);
    value.dispose();
    grads[0].dispose();
    w.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('embedding gradients are sparse rows: only looked-up rows, repeats summed', () => {
    const table = new Variable(tensor([[1, 1], [2, 2], [3, 3], [4, 4]]), 'table');
    tidy(() => {
      const ids = fromTyped(Int32Array.from([2, 0, 2]), [3]);
      const { grads } = valueAndGradsSparse(() => sum(gather(table, ids)), [table]);
      const g = grads[0];
      expect(isSparse(g)).toBe(true);
      if (!isSparse(g)) return;
      expect(g.rows.toArray()).toEqual([2, 0, 2]);
      expect(g.values.shape).toEqual([3, 2]);
    });
    tidy(() => {
      const ids = fromTyped(Int32Array.from([2, 0, 2]), [3]);
      expect(valueAndGrads(() => sum(gather(table, ids)), [table]).grads[0].toArray()).toEqual([1, 1, 0, 0, 2, 2, 0, 0]);
    });
    table.dispose();
  });

  it('rejects nested gradient computations clearly', () => {
    tidy(() => {
      const x = scalar(2);
      expect(() => valueAndGrads(() => grad((y) => mul(y, y))(x), [x])).toThrow(/nested/);
    });
  });
});

describe('backend boundary', () => {
  it('a partial backend runs what it implements and falls back to the reference kernels', () => {
    const calls: string[] = [];
    // A host backend with its own storage wrapper and only an Add kernel.
    const partial = (): Backend => {
      const store = new Map<object, Float32Array | Int32Array>();
      const b: Backend = {
        name: 'partial',
        readsLiveStorage: false,
        write(values) {
          const id = {};
          store.set(id, values.slice());
          return id;
        },
        read(id) {
          return store.get(id)!.slice();
        },
        overwrite(id, values) {
          store.set(id, values.slice());
        },
        dispose(id) {
          store.delete(id);
        },
        kernels: {
          Add: (inputs, _attrs, be) => {
            calls.push('Add');
            const [x, y] = inputs.map((t) => be.read(t.dataId));
            const out = new Float32Array(x.length);
            for (let i = 0; i < x.length; i++) out[i] = x[i] + y[y.length === 1 ? 0 : i];
            return [{ dataId: be.write(out, inputs[0].shape, 'float32'), shape: inputs[0].shape, dtype: 'float32' }];
          },
        },
      };
      return b;
    };
    registerBackend('partial', partial, -1);
    const onCpu = tensor([1, 2, 3]);
    setBackend('partial');
    expect(getBackend().name).toBe('partial');
    tidy(() => {
      const y = add(onCpu, tensor([1, 1, 1])); // own kernel; onCpu migrates
      const z = mul(y, 2); // fallback to reference
      expect(calls).toEqual(['Add']);
      expect(z.toArray()).toEqual([4, 6, 8]);
      // In-place optimizer kernels run as fallbacks and are copied back into the backend's storage.
      const p = new Variable(tensor([1, 1]), 'p');
      const opt = new Optimizer({ kind: 'sgd', lr: 0.5, momentum: 0.9 });
      const gs = valueAndGrads(() => sum(mul(p, tensor([3, 4]))), [p]).grads;
      opt.apply([p], gs);
      expect(p.toArray()).toEqual([1 - 1.5, 1 - 2]);
      opt.apply([p], gs);
      const [p0, p1] = p.toArray();
      expect(p0).toBeCloseTo(-0.5 - 0.5 * (0.9 * 3 + 3), 6);
      expect(p1).toBeCloseTo(-1 - 0.5 * (0.9 * 4 + 4), 6);
      opt.dispose();
      p.dispose();
    });
    setBackend('cpu');
    onCpu.dispose();
    removeBackend('partial');
  });

  it('setBackend rejects unknown names and registerBackend priorities order listBackends', () => {
    expect(() => setBackend('nope')).toThrow(/unknown backend 'nope'/);
    registerBackend('cpu-copy', createCpuBackend, 0);
    setBackend('cpu-copy');
    tidy(() => expect(add(tensor([1]), tensor([2])).item()).toBe(3));
    setBackend('cpu');
    removeBackend('cpu-copy');
  });
});
