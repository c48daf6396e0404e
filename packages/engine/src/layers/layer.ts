import type { Tensor } from '../tensor.js';
import type { Random } from '../util/random.js';
import { Module } from './module.js';

export interface CallContext {
  training: boolean;
  /** Source of randomness for dropout; required when training with dropout. */
  rng?: Random;
}

/** A module with one tensor in and one out (what Sequential chains). */
export abstract class Layer extends Module {
  abstract call(x: Tensor, ctx: CallContext): Tensor;
}
