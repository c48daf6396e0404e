// Weight initialisers. All draw from the caller's seeded Random.
import { allocFloat } from '../kernels/float-storage.js';
import { fromTyped, Variable } from '../tensor.js';
import type { Random } from '../util/random.js';

export type Initializer = 'glorot_uniform' | 'he_normal' | 'zeros' | 'ones' | { uniform: number } | { normal: number };

export function initialValues(init: Initializer, shape: number[], fanIn: number, fanOut: number, rng: Random): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = allocFloat(n);
  if (init === 'zeros') return out;
  if (init === 'ones') return out.fill(1);
  if (init === 'glorot_uniform') {
    const lim = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < n; i++) out[i] = (rng.next() * 2 - 1) * lim;
  } else if (init === 'he_normal') {
    const sd = Math.sqrt(2 / fanIn);
    for (let i = 0; i < n; i++) out[i] = rng.normal() * sd;
  } else if ('uniform' in init) {
    for (let i = 0; i < n; i++) out[i] = (rng.next() * 2 - 1) * init.uniform;
  } else {
    for (let i = 0; i < n; i++) out[i] = rng.normal() * init.normal;
  }
  return out;
}

export function makeVariable(name: string, shape: number[], init: Initializer, fanIn: number, fanOut: number, rng: Random, trainable = true): Variable {
  const t = fromTyped(initialValues(init, shape, fanIn, fanOut, rng), shape);
  const v = new Variable(t, name, trainable);
  t.dispose();
  return v;
}
