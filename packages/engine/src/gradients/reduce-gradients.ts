import { reducedShape } from '../backends/cpu/reduce-kernels.js';
import { div, equal, mul } from '../ops/binary.js';
import { sum } from '../ops/reduce.js';
import { broadcastTo, reshape } from '../ops/shape.js';
import { registerGradient } from './registry.js';

registerGradient('Sum', ([dy], { inputs: [x], attrs }) => [broadcastTo(reshape(dy, reducedShape(x.shape, attrs.axes, true)), x.shape)]);
// Ties share the gradient equally (PyTorch's amax convention).
registerGradient('Max', ([dy], { inputs: [x], outputs: [y], attrs }) => {
  const keep = reducedShape(x.shape, attrs.axes, true);
  const mask = equal(x, reshape(y, keep));
  const count = sum(mask, attrs.axes, true);
  return [mul(broadcastTo(reshape(dy, keep), x.shape), div(mask, count))];
});
registerGradient('ArgMax', () => [null]);
