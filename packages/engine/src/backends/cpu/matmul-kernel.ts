// MatMul with transpose flags and a fused epilogue: C = act(op(A)·op(B) + bias).
import { allocFloat } from '../../kernels/float-storage.js';
import { registerKernel } from '../../kernels/registry.js';
import { gemm } from './gemm.js';

export type Activation = 'none' | 'relu' | 'sigmoid' | 'tanh';

export interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation: Activation;
}

export function applyEpilogue(c: Float32Array, M: number, N: number, bias: ArrayLike<number> | null, activation: Activation): void {
  if (bias) {
    for (let i = 0; i < M; i++) {
      const o = i * N;
      for (let j = 0; j < N; j++) c[o + j] += bias[j];
    }
  }
  const n = M * N;
  if (activation === 'relu') {
    for (let i = 0; i < n; i++) if (c[i] <= 0) c[i] = 0; // NaN passes through
  } else if (activation === 'sigmoid') {
    for (let i = 0; i < n; i++) {
      const v = c[i];
      c[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }
  } else if (activation === 'tanh') {
    for (let i = 0; i < n; i++) c[i] = Math.tanh(c[i]);
  }
}

registerKernel({
  name: 'MatMul',
  reference: (inputs, attrs: MatMulAttrs) => {
    const [a, b, bias] = inputs;
    const M = attrs.transposeA ? a.shape[1] : a.shape[0];
    const K = attrs.transposeA ? a.shape[0] : a.shape[1];
    const N = attrs.transposeB ? b.shape[0] : b.shape[1];
    const out = allocFloat(M * N);
    // Bias and ReLU are applied inside the GEMM's tile store (no extra pass over C).
    if (attrs.activation === 'relu' || attrs.activation === 'none') {
      gemm(M, N, K, a.values, attrs.transposeA, b.values, attrs.transposeB, out, bias ? bias.values : null, attrs.activation === 'relu');
    } else {
      gemm(M, N, K, a.values, attrs.transposeA, b.values, attrs.transposeB, out);
      applyEpilogue(out, M, N, bias ? bias.values : null, attrs.activation);
    }
    return [{ shape: [M, N], dtype: 'float32', values: out }];
  },
});
