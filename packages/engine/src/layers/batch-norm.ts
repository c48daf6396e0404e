// BatchNorm over the batch axis of [N, D]. Training normalises with batch statistics and updates
// running mean / unbiased variance (PyTorch semantics, momentum 0.1); inference uses the running ones.
import { readSync } from '../engine.js';
import { add, mean, mul, rsqrtEps, square, sub } from './norm-ops.js';
import type { Tensor, Variable } from '../tensor.js';
import type { Random } from '../util/random.js';
import { makeVariable } from './initializers.js';
import { Layer, type CallContext } from './layer.js';

export class BatchNorm extends Layer {
  readonly gamma: Variable;
  readonly beta: Variable;
  readonly runningMean: Variable;
  readonly runningVar: Variable;

  constructor(readonly dim: number, rng: Random, readonly momentum = 0.1, readonly eps = 1e-5) {
    super();
    this.gamma = this.addVariable('gamma', makeVariable('gamma', [dim], 'ones', dim, dim, rng));
    this.beta = this.addVariable('beta', makeVariable('beta', [dim], 'zeros', dim, dim, rng));
    this.runningMean = this.addVariable('running_mean', makeVariable('running_mean', [dim], 'zeros', dim, dim, rng, false));
    this.runningVar = this.addVariable('running_var', makeVariable('running_var', [dim], 'ones', dim, dim, rng, false));
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.dim) throw new Error(`BatchNorm: expected [N, ${this.dim}], got [${x.shape}]`);
    if (!ctx.training) {
      return add(mul(mul(sub(x, this.runningMean), rsqrtEps(this.runningVar, this.eps)), this.gamma), this.beta);
    }
    const n = x.shape[0];
    if (n < 2) throw new Error('BatchNorm: training needs a batch of at least 2 rows');
    const mu = mean(x, 0, true);
    const centered = sub(x, mu);
    const variance = mean(square(centered), 0, true);
    // Running statistics are state, not part of the graph: update them on the host.
    const m = readSync(mu), v = readSync(variance);
    const rm = readSync(this.runningMean).slice(), rv = readSync(this.runningVar).slice();
    const unbias = n / (n - 1);
    for (let j = 0; j < this.dim; j++) {
      rm[j] = (1 - this.momentum) * rm[j] + this.momentum * m[j];
      rv[j] = (1 - this.momentum) * rv[j] + this.momentum * v[j] * unbias;
    }
    this.runningMean.assign(rm);
    this.runningVar.assign(rv);
    return add(mul(mul(centered, rsqrtEps(variance, this.eps)), this.gamma), this.beta);
  }
}
