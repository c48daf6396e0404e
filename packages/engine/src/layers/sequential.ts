import type { Tensor } from '../tensor.js';
import { applyActivation, type ActivationName } from './activations.js';
import { Layer, type CallContext } from './layer.js';

export class Sequential extends Layer {
  readonly layers: Layer[];

  constructor(layers: Layer[]) {
    super();
    this.layers = layers.map((l, i) => this.addChild(String(i), l));
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    let y = x;
    for (const l of this.layers) y = l.call(y, ctx);
    return y;
  }
}

export class Activation extends Layer {
  constructor(readonly activation: ActivationName) {
    super();
  }

  call(x: Tensor): Tensor {
    return applyActivation(x, this.activation);
  }
}
