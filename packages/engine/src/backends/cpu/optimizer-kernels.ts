// Fused, in-place optimizer updates: one pass over param, grad and state per step.
// Inputs: [param, grad, ...state, rows?]. With `rows` (int32 [U], unique) the grad is [U, D] and
// only those rows of param/state are touched (sparse embedding updates, "lazy" Adam semantics).
// `l2` adds l2·param to the gradient (coupled L2), inside the kernel so sparse rows stay sparse.
import { registerKernel, type HostTensor } from '../../kernels/registry.js';

function rowsOf(param: HostTensor, grad: HostTensor, rows: HostTensor | undefined): { D: number; rows: Int32Array | null; count: number } {
  if (!rows) {
    if (grad.values.length !== param.values.length) throw new Error(`optimizer update: grad [${grad.shape}] does not match param [${param.shape}]`);
    return { D: param.values.length, rows: null, count: 1 };
  }
  const D = param.shape[0] === 0 ? 0 : param.values.length / param.shape[0];
  return { D, rows: rows.values as Int32Array, count: rows.values.length };
}

export interface SgdAttrs { lr: number; momentum: number; nesterov: boolean; l2: number }

registerKernel({
  name: 'SgdMomentumUpdate',
  mutatesInputs: [0, 2],
  reference: ([param, grad, vel, rowsT], a: SgdAttrs) => {
    const p = param.values, g = grad.values, v = vel.values;
    const { D, rows, count } = rowsOf(param, grad, rowsT);
    const { lr, momentum, nesterov, l2 } = a;
    for (let r = 0; r < count; r++) {
      const base = rows ? rows[r] * D : 0;
      const gb = r * D;
      for (let j = 0; j < D; j++) {
        const i = base + j;
        const gi = g[gb + j] + l2 * p[i];
        const vi = momentum * v[i] + gi;
        v[i] = vi;
        p[i] -= lr * (nesterov ? gi + momentum * vi : vi);
      }
    }
    return [];
  },
});

export interface AdamAttrs { lr: number; beta1: number; beta2: number; eps: number; step: number; l2: number; weightDecay: number }

function adam([param, grad, mT, vT, rowsT]: HostTensor[], a: AdamAttrs, decoupled: boolean): HostTensor[] {
  const p = param.values, g = grad.values, m = mT.values, v = vT.values;
  const { D, rows, count } = rowsOf(param, grad, rowsT);
  const { lr, beta1, beta2, eps, step, l2 } = a;
  const bc1 = 1 - Math.pow(beta1, step);
  const sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, step));
  const stepSize = lr / bc1;
  const decay = decoupled ? 1 - lr * a.weightDecay : 1;
  const c1 = 1 - beta1, c2 = 1 - beta2;
  for (let r = 0; r < count; r++) {
    const base = rows ? rows[r] * D : 0;
    const gb = r * D;
    for (let j = 0; j < D; j++) {
      const i = base + j;
      let pi = p[i];
      const gi = g[gb + j] + l2 * pi;
      pi *= decay;
      const mi = beta1 * m[i] + c1 * gi;
      const vi = beta2 * v[i] + c2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = pi - (stepSize * mi) / (Math.sqrt(vi) / sqrtBc2 + eps);
    }
  }
  return [];
}

registerKernel({ name: 'AdamUpdate', mutatesInputs: [0, 2, 3], reference: (x, a: AdamAttrs) => adam(x, a, false) });
registerKernel({ name: 'AdamWUpdate', mutatesInputs: [0, 2, 3], reference: (x, a: AdamAttrs) => adam(x, a, true) });

export interface AdagradAttrs { lr: number; eps: number; l2: number }

registerKernel({
  name: 'AdagradUpdate',
  mutatesInputs: [0, 2],
  reference: ([param, grad, acc, rowsT], a: AdagradAttrs) => {
    const p = param.values, g = grad.values, s = acc.values;
    const { D, rows, count } = rowsOf(param, grad, rowsT);
    for (let r = 0; r < count; r++) {
      const base = rows ? rows[r] * D : 0;
      const gb = r * D;
      for (let j = 0; j < D; j++) {
        const i = base + j;
        const gi = g[gb + j] + a.l2 * p[i];
        const si = s[i] + gi * gi;
        s[i] = si;
        p[i] -= (a.lr * gi) / (Math.sqrt(si) + a.eps);
      }
    }
    return [];
  },
});
