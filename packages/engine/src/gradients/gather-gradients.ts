// Gather's gradient is sparse: only the looked-up rows, never a dense [V, D] table.
import { gather } from '../ops/gather.js';
import { reshape } from '../ops/shape.js';
import { registerGradient } from './registry.js';

registerGradient('Gather', ([dy], { inputs: [table, ids] }) => {
  const rest = table.shape.slice(1);
  return [
    { kind: 'sparse-rows', rows: reshape(ids, [ids.size]), values: reshape(dy, [ids.size, ...rest]), shape: [...table.shape] },
    null,
  ];
});
registerGradient('ScatterAdd', ([dy], { inputs: [, rows] }) => [gather(dy, rows), null]);
registerGradient('CoalesceRows', () => [null, null]);
registerGradient('OneHot', () => [null]);
