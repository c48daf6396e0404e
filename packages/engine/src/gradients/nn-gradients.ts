import { mul, sub } from '../ops/binary.js';
import { oneHot } from '../ops/gather.js';
import { sum } from '../ops/reduce.js';
import { expandDims } from '../ops/shape.js';
import { exp, neg, sigmoid } from '../ops/unary.js';
import { registerGradient } from './registry.js';

registerGradient('Softmax', ([dy], { outputs: [y] }) => [mul(y, sub(dy, sum(mul(dy, y), -1, true)))]);
registerGradient('LogSoftmax', ([dy], { outputs: [y] }) => [sub(dy, mul(exp(y), sum(dy, -1, true)))]);
// Only the loss output is differentiable; the probabilities output is a by-product.
registerGradient('SparseSoftmaxCrossEntropy', ([dy], { inputs: [logits, labels], outputs: [, probs] }) => [
  mul(sub(probs, oneHot(labels, logits.shape[1])), expandDims(dy, 1)),
  null,
]);
registerGradient('BceWithLogits', ([dy], { inputs: [x, z], needs }) => [
  needs[0] ? mul(dy, sub(sigmoid(x), z)) : null,
  needs[1] ? mul(dy, neg(x)) : null,
]);
