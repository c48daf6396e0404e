// Elementwise unary ops (float32 in, float32 out).
import { runKernel } from '../engine.js';
import type { Tensor } from '../tensor.js';

function unary(name: string, x: Tensor): Tensor {
  return runKernel(name, [x.dtype === 'int32' ? cast(x, 'float32') : x])[0];
}

export const neg = (x: Tensor): Tensor => unary('Neg', x);
export const exp = (x: Tensor): Tensor => unary('Exp', x);
export const log = (x: Tensor): Tensor => unary('Log', x);
export const sqrt = (x: Tensor): Tensor => unary('Sqrt', x);
export const abs = (x: Tensor): Tensor => unary('Abs', x);
export const square = (x: Tensor): Tensor => unary('Square', x);
export const reciprocal = (x: Tensor): Tensor => unary('Reciprocal', x);
export const relu = (x: Tensor): Tensor => unary('Relu', x);
export const sigmoid = (x: Tensor): Tensor => unary('Sigmoid', x);
export const tanh = (x: Tensor): Tensor => unary('Tanh', x);
/** GELU, tanh approximation (PyTorch `approximate='tanh'`). */
export const gelu = (x: Tensor): Tensor => unary('Gelu', x);
export const softplus = (x: Tensor): Tensor => unary('Softplus', x);
/** 1 where x > 0, else 0 (not differentiable). */
export const step = (x: Tensor): Tensor => unary('Step', x);
export const sign = (x: Tensor): Tensor => unary('Sign', x);
export const isFinite = (x: Tensor): Tensor => unary('IsFinite', x);

export function cast(x: Tensor, dtype: 'float32' | 'int32'): Tensor {
  if (x.dtype === dtype) return runKernel('Identity', [x])[0];
  return runKernel('Cast', [x], { dtype })[0];
}

/** dy masked where the ReLU output y is positive (ReLU's backward pass; not differentiable). */
export function reluGrad(dy: Tensor, y: Tensor): Tensor {
  if (dy.size !== y.size) throw new Error(`reluGrad: dy [${dy.shape}] and y [${y.shape}] differ in size`);
  return runKernel('ReluGrad', [dy, y])[0];
}

/** ReLU backward plus the bias gradient (column sums over the leading axis) in one pass: [g, dbias]. */
export function reluGradBiasSum(dy: Tensor, y: Tensor): [Tensor, Tensor] {
  if (dy.size !== y.size || dy.rank < 1) throw new Error(`reluGradBiasSum: dy [${dy.shape}] and y [${y.shape}] differ in size`);
  const [g, db] = runKernel('ReluGradBiasSum', [dy, y]);
  return [g, db];
}
