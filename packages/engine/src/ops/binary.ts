// Elementwise binary ops with NumPy broadcasting.
import { runKernel } from '../engine.js';
import { broadcastShapes } from '../backends/cpu/broadcast.js';
import type { Tensor } from '../tensor.js';
import { asTensor, type TensorOrNumber } from './convert.js';

function operand(x: TensorOrNumber, other: TensorOrNumber): Tensor {
  if (typeof x !== 'number') return x;
  const intLike = typeof other !== 'number' && other.dtype === 'int32' && Number.isInteger(x);
  return asTensor(x, intLike ? 'int32' : 'float32');
}

function binary(name: string, a: TensorOrNumber, b: TensorOrNumber): Tensor {
  const ta = operand(a, b);
  const tb = operand(b, a);
  broadcastShapes(ta.shape, tb.shape, name.toLowerCase());
  return runKernel(name, [ta, tb])[0];
}

export const add = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binary('Add', a, b);
export const sub = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binary('Sub', a, b);
export const mul = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binary('Mul', a, b);
export const div = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binary('Div', a, b);
export const maximum = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binary('Maximum', a, b);
export const minimum = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binary('Minimum', a, b);
export const pow = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binary('Pow', a, b);
/** 1 where a > b, else 0 (float32; not differentiable). */
export const greater = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binary('Greater', a, b);
export const greaterEqual = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binary('GreaterEqual', a, b);
export const equal = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binary('Equal', a, b);
