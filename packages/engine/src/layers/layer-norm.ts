// LayerNorm over the last axis (composition of ops, so its gradient comes for free).
import { add, mean, mul, rsqrtEps, square, sub } from './norm-ops.js';
import type { Tensor, Variable } from '../tensor.js';
import type { Random } from '../util/random.js';
import { makeVariable } from './initializers.js';
import { Layer } from './layer.js';

export class LayerNorm extends Layer {
  readonly gamma: Variable;
  readonly beta: Variable;

  constructor(readonly dim: number, readonly eps = 1e-5, rng: Random) {
    super();
    this.gamma = this.addVariable('gamma', makeVariable('gamma', [dim], 'ones', dim, dim, rng));
    this.beta = this.addVariable('beta', makeVariable('beta', [dim], 'zeros', dim, dim, rng));
  }

  call(x: Tensor): Tensor {
    if (x.shape[x.rank - 1] !== this.dim) throw new Error(`LayerNorm: expected last dimension ${this.dim}, got [${x.shape}]`);
    const mu = mean(x, -1, true);
    const centered = sub(x, mu);
    const variance = mean(square(centered), -1, true);
    return add(mul(mul(centered, rsqrtEps(variance, this.eps)), this.gamma), this.beta);
  }
}
