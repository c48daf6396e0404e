// Gradients of elementwise kernels; binary ones sum back over broadcast dimensions.
import { add, div, greater, greaterEqual, mul, sub } from '../ops/binary.js';
import { sumToShape } from '../ops/reduce.js';

import { log, neg, reluGrad, sigmoid, sign, square, tanh } from '../ops/unary.js';
import { registerGradient } from './registry.js';

registerGradient('Add', ([dy], { inputs: [a, b], needs }) => [needs[0] ? sumToShape(dy, a.shape) : null, needs[1] ? sumToShape(dy, b.shape) : null]);
registerGradient('Sub', ([dy], { inputs: [a, b], needs }) => [needs[0] ? sumToShape(dy, a.shape) : null, needs[1] ? sumToShape(neg(dy), b.shape) : null]);
registerGradient('Mul', ([dy], { inputs: [a, b], needs }) => [needs[0] ? sumToShape(mul(dy, b), a.shape) : null, needs[1] ? sumToShape(mul(dy, a), b.shape) : null]);
registerGradient('Div', ([dy], { inputs: [a, b], needs }) => [
  needs[0] ? sumToShape(div(dy, b), a.shape) : null,
  needs[1] ? sumToShape(neg(div(mul(dy, a), square(b))), b.shape) : null,
]);
registerGradient('Maximum', ([dy], { inputs: [a, b], needs }) => [
  needs[0] ? sumToShape(mul(dy, greaterEqual(a, b)), a.shape) : null,
  needs[1] ? sumToShape(mul(dy, greater(b, a)), b.shape) : null,
]);
registerGradient('Minimum', ([dy], { inputs: [a, b], needs }) => [
  needs[0] ? sumToShape(mul(dy, greaterEqual(b, a)), a.shape) : null,
  needs[1] ? sumToShape(mul(dy, greater(a, b)), b.shape) : null,
]);
registerGradient('Pow', ([dy], { inputs: [a, b], outputs: [y], needs }) => [
  needs[0] ? sumToShape(mul(dy, div(mul(b, y), a)), a.shape) : null,
  needs[1] ? sumToShape(mul(dy, mul(y, log(a))), b.shape) : null,
]);
for (const k of ['Greater', 'GreaterEqual', 'Equal']) registerGradient(k, () => [null, null]);

registerGradient('Neg', ([dy]) => [neg(dy)]);
registerGradient('Exp', ([dy], { outputs: [y] }) => [mul(dy, y)]);
registerGradient('Log', ([dy], { inputs: [x] }) => [div(dy, x)]);
registerGradient('Sqrt', ([dy], { outputs: [y] }) => [div(dy, mul(y, 2))]);
registerGradient('Abs', ([dy], { inputs: [x] }) => [mul(dy, sign(x))]);
registerGradient('Square', ([dy], { inputs: [x] }) => [mul(dy, mul(x, 2))]);
registerGradient('Reciprocal', ([dy], { outputs: [y] }) => [neg(mul(dy, square(y)))]);
registerGradient('Relu', ([dy], { outputs: [y] }) => [reluGrad(dy, y)]);
registerGradient('Sigmoid', ([dy], { outputs: [y] }) => [mul(dy, mul(y, sub(1, y)))]);
registerGradient('Tanh', ([dy], { outputs: [y] }) => [mul(dy, sub(1, square(y)))]);
registerGradient('Softplus', ([dy], { inputs: [x] }) => [mul(dy, sigmoid(x))]);
// d/dx 0.5x(1+tanh(u)), u = c(x + 0.044715x³): 0.5(1+t) + 0.5x(1-t²)·c(1 + 3·0.044715x²)
registerGradient('Gelu', ([dy], { inputs: [x] }) => {
  const c = Math.sqrt(2 / Math.PI);
  const x2 = square(x);
  const t = tanh(mul(add(x, mul(mul(x2, x), 0.044715)), c));
  const left = mul(add(t, 1), 0.5);
  const right = mul(mul(mul(x, 0.5), sub(1, square(t))), mul(add(mul(x2, 3 * 0.044715), 1), c));
  return [mul(dy, add(left, right))];
});
for (const k of ['Step', 'Sign', 'IsFinite', 'Cast', 'ReluGrad']) registerGradient(k, () => [null]);
registerGradient('Identity', ([dy]) => [dy]);
registerGradient('BroadcastTo', ([dy], { inputs: [x] }) => [sumToShape(dy, x.shape)]);


