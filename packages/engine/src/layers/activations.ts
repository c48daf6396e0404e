import { gelu, relu, sigmoid, softmax, tanh } from '../ops/index.js';
import type { Tensor } from '../tensor.js';

export type ActivationName = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'gelu' | 'softmax';

export function applyActivation(x: Tensor, act: ActivationName): Tensor {
  switch (act) {
    case 'relu':
      return relu(x);
    case 'sigmoid':
      return sigmoid(x);
    case 'tanh':
      return tanh(x);
    case 'gelu':
      return gelu(x);
    case 'softmax':
      return softmax(x);
    case 'linear':
      return x;
    default:
      throw new Error(`unknown activation '${String(act)}' (expected linear, relu, sigmoid, tanh, gelu or softmax)`);
  }
}
