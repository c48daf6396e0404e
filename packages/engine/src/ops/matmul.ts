// Matrix product with transpose flags and an optional fused bias + activation epilogue.
import { runKernel } from '../engine.js';
import type { Activation } from '../backends/cpu/matmul-kernel.js';
import type { Tensor } from '../tensor.js';

export type { Activation as EpilogueActivation } from '../backends/cpu/matmul-kernel.js';

export interface MatMulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
  bias?: Tensor;
  activation?: Activation;
}

export function matMul(a: Tensor, b: Tensor, opts: MatMulOptions = {}): Tensor {
  const { transposeA = false, transposeB = false, bias, activation = 'none' } = opts;
  if (a.rank !== 2 || b.rank !== 2) throw new Error(`matMul: expects rank-2 inputs, got [${a.shape}] and [${b.shape}]`);
  const ka = transposeA ? a.shape[0] : a.shape[1];
  const kb = transposeB ? b.shape[1] : b.shape[0];
  if (ka !== kb) {
    throw new Error(`matMul: inner dimensions differ: [${a.shape}]${transposeA ? 'ᵀ' : ''} · [${b.shape}]${transposeB ? 'ᵀ' : ''} (${ka} vs ${kb})`);
  }
  const n = transposeB ? b.shape[0] : b.shape[1];
  if (bias && (bias.size !== n || bias.rank > 2)) throw new Error(`matMul: bias [${bias.shape}] must have ${n} values`);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw new Error('matMul: float32 inputs required');
  const inputs = bias ? [a, b, bias] : [a, b];
  return runKernel('MatMul', inputs, { transposeA, transposeB, activation })[0];
}
