// MatMul gradient: undo the epilogue (activation derivative from the output, bias = column sum),
// then two matmuls whose transpose flags mirror the forward ones.
import type { Activation } from '../backends/cpu/matmul-kernel.js';
import { mul, sub } from '../ops/binary.js';
import { matMul } from '../ops/matmul.js';
import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/shape.js';
import { reluGrad, reluGradBiasSum, square } from '../ops/unary.js';
import type { Tensor } from '../tensor.js';
import { registerGradient } from './registry.js';

function epilogueGrad(dy: Tensor, y: Tensor, act: Activation): Tensor {
  switch (act) {
    case 'relu':
      return reluGrad(dy, y);
    case 'sigmoid':
      return mul(dy, mul(y, sub(1, y)));
    case 'tanh':
      return mul(dy, sub(1, square(y)));
    default:
      return dy;
  }
}

registerGradient('MatMul', ([dy], { inputs: [a, b, bias], outputs: [y], attrs, needs }) => {
  let g: Tensor;
  let dbias: Tensor | null = null;
  if (attrs.activation === 'relu' && bias && needs[2] && bias.size === dy.shape[dy.rank - 1]) {
    // ReLU mask and bias gradient in one pass over dy.
    const [gr, db] = reluGradBiasSum(dy, y);
    g = gr;
    dbias = reshape(db, bias.shape);
  } else {
    g = epilogueGrad(dy, y, attrs.activation);
    if (bias && needs[2]) dbias = reshape(sum(g, 0), bias.shape);
  }
  const tA: boolean = attrs.transposeA, tB: boolean = attrs.transposeB;
  let da: Tensor | null = null, db: Tensor | null = null;
  if (needs[0]) {
    if (!tA) da = matMul(g, b, { transposeB: !tB });
    else da = matMul(b, g, { transposeA: tB, transposeB: true });
  }
  if (needs[1]) {
    if (!tB) db = matMul(a, g, { transposeA: !tA });
    else db = matMul(g, a, { transposeA: true, transposeB: tA });
  }
  return [da, db, dbias];
});
