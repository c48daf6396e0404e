// Inverted dropout: the mask is drawn from the caller's seeded Random (deterministic runs).
import { allocFloat } from '../kernels/float-storage.js';
import { mul } from '../ops/index.js';
import { fromTyped, type Tensor } from '../tensor.js';
import { Layer, type CallContext } from './layer.js';

export class Dropout extends Layer {
  constructor(readonly rate: number) {
    super();
    if (!(rate >= 0 && rate < 1)) throw new Error(`Dropout: rate must be in [0, 1), got ${rate}`);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.rate === 0) return x;
    if (!ctx.rng) throw new Error('Dropout: training needs ctx.rng (a seeded Random)');
    const keep = 1 - this.rate;
    const mask = allocFloat(x.size);
    const scale = 1 / keep;
    for (let i = 0; i < mask.length; i++) mask[i] = ctx.rng.next() < keep ? scale : 0;
    return mul(x, fromTyped(mask, x.shape));
  }
}
