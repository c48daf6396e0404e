// Fully connected layer. kernel is [in, out] (PyTorch stores the transpose); relu/sigmoid/tanh
// run in the matmul's fused epilogue.
import { matMul, reshape } from '../ops/index.js';
import type { Tensor, Variable } from '../tensor.js';
import type { Random } from '../util/random.js';
import { applyActivation, type ActivationName } from './activations.js';
import { makeVariable, type Initializer } from './initializers.js';
import { Layer } from './layer.js';

export interface DenseConfig {
  units: number;
  activation?: ActivationName;
  useBias?: boolean;
  kernelInitializer?: Initializer;
}

export class Dense extends Layer {
  readonly kernel: Variable;
  readonly bias: Variable | null;
  readonly activation: ActivationName;

  constructor(readonly inputDim: number, readonly config: DenseConfig, rng: Random) {
    super();
    const { units, useBias = true, kernelInitializer = 'glorot_uniform' } = config;
    this.activation = config.activation ?? 'linear';
    this.kernel = this.addVariable('kernel', makeVariable('kernel', [inputDim, units], kernelInitializer, inputDim, units, rng));
    this.bias = useBias ? this.addVariable('bias', makeVariable('bias', [units], 'zeros', inputDim, units, rng)) : null;
  }

  call(x: Tensor): Tensor {
    if (x.shape[x.rank - 1] !== this.inputDim) throw new Error(`Dense: expected last dimension ${this.inputDim}, got input [${x.shape}]`);
    const x2 = x.rank === 2 ? x : reshape(x, [-1, this.inputDim]);
    const fused = this.activation === 'relu' || this.activation === 'sigmoid' || this.activation === 'tanh';
    let y = matMul(x2, this.kernel, { bias: this.bias ?? undefined, activation: fused ? (this.activation as 'relu') : 'none' });
    if (!fused) y = applyActivation(y, this.activation);
    return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), this.config.units]);
  }
}
