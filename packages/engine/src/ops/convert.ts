import { scalar, Tensor } from '../tensor.js';

export type TensorOrNumber = Tensor | number;

/** Numbers become float32 scalars so ops accept `mul(x, 0.5)`. */
export function asTensor(x: TensorOrNumber, dtype: 'float32' | 'int32' = 'float32'): Tensor {
  return x instanceof Tensor ? x : scalar(x, dtype);
}

export function normAxis(axis: number, rank: number, op: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`${op}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}
