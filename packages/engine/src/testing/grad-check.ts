// Finite-difference gradient checking (test support). Run with float64 storage enabled
// (`useFloat64StorageForTests(true)`) so central differences are accurate to ~1e-9.
import { valueAndGrads } from '../gradients/backprop.js';
import { mul, sum } from '../ops/index.js';
import { tidy } from '../engine.js';
import { tensor, type Tensor } from '../tensor.js';
import { Random } from '../util/random.js';

export interface GradCheckResult {
  maxAbsError: number;
  maxRelError: number;
}

/**
 * Compares analytic gradients of sum(f(xs) · w) (w random, fixed) with central differences.
 * Int32 inputs are passed through unchanged and not checked.
 */
export function checkGradients(f: (xs: Tensor[]) => Tensor, inputs: { shape: number[]; values: ArrayLike<number>; dtype?: 'float32' | 'int32' }[], seed = 1, h = 1e-6): GradCheckResult {
  const rng = new Random(seed);
  const make = (vals: ArrayLike<number>[]) => inputs.map((inp, i) => tensor(Float64Array.from(vals[i]), inp.shape, inp.dtype ?? 'float32'));
  const base = inputs.map((x) => Array.from(x.values));
  let weights: number[] | null = null;
  const objective = (xs: Tensor[]): Tensor => {
    const y = f(xs);
    if (!weights) weights = Array.from({ length: y.size }, () => rng.next() * 2 - 1);
    return sum(mul(y, tensor(Float64Array.from(weights), y.shape)));
  };
  const evalAt = (vals: number[][]): number =>
    tidy(() => {
      const xs = make(vals);
      return objective(xs).item();
    });
  evalAt(base); // fixes the weights
  const analytic = tidy(() => {
    const xs = make(base);
    const floatXs = xs.filter((x) => x.dtype === 'float32');
    const { grads } = valueAndGrads(() => objective(xs), floatXs);
    return grads.map((g) => Array.from(g.dataSync()));
  });
  let maxAbs = 0, maxRel = 0, gi = 0;
  for (let i = 0; i < inputs.length; i++) {
    if ((inputs[i].dtype ?? 'float32') === 'int32') continue;
    const a = analytic[gi++];
    for (let j = 0; j < base[i].length; j++) {
      const plus = base.map((v) => v.slice());
      const minus = base.map((v) => v.slice());
      plus[i][j] += h;
      minus[i][j] -= h;
      const numeric = (evalAt(plus) - evalAt(minus)) / (2 * h);
      const err = Math.abs(numeric - a[j]);
      maxAbs = Math.max(maxAbs, err);
      maxRel = Math.max(maxRel, err / Math.max(1, Math.abs(numeric), Math.abs(a[j])));
    }
  }
  return { maxAbsError: maxAbs, maxRelError: maxRel };
}
