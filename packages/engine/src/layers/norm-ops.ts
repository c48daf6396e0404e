import { add, reciprocal, sqrt } from '../ops/index.js';
import type { Tensor } from '../tensor.js';

export { add, mean, mul, square, sub } from '../ops/index.js';

/** 1 / sqrt(v + eps) */
export function rsqrtEps(v: Tensor, eps: number): Tensor {
  return reciprocal(sqrt(add(v, eps)));
}
