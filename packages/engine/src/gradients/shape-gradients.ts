import { pad, reshape, slice, transpose } from '../ops/shape.js';
import { registerGradient } from './registry.js';

registerGradient('Reshape', ([dy], { inputs: [x] }) => [reshape(dy, x.shape)]);
registerGradient('Transpose', ([dy], { attrs }) => {
  const perm: number[] = attrs.perm;
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return [transpose(dy, inv)];
});
registerGradient('Concat', ([dy], { inputs, attrs, needs }) => {
  let off = 0;
  return inputs.map((x, i) => {
    const begin = dy.shape.map((_, d) => (d === attrs.axis ? off : 0));
    off += x.shape[attrs.axis];
    return needs[i] ? slice(dy, begin, x.shape) : null;
  });
});
registerGradient('Slice', ([dy], { inputs: [x], attrs }) => [
  pad(dy, attrs.begin, x.shape.map((d, i) => d - attrs.begin[i] - attrs.size[i])),
]);
registerGradient('Pad', ([dy], { inputs: [x], attrs }) => [slice(dy, attrs.before, x.shape)]);
