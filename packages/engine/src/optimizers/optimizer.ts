// Optimizers drive the fused update kernels (one kernel call per parameter per step). Sparse
// gradients (embedding tables) are coalesced and only their rows are updated. Gradient clipping
// by global norm and coupled L2 apply before the update; the schedule sets the step's LR.
import { runKernel, tidy, readSync } from '../engine.js';
import { isSparse, type Grad } from '../gradients/registry.js';
import { coalesceRows, mul, sum, square } from '../ops/index.js';
import { zeros, fill, Variable, type Tensor } from '../tensor.js';
import { learningRateAt, type ScheduleConfig } from './schedules.js';

interface Common {
  lr: number;
  /** Coupled L2: adds l2·w to each gradient (only touched rows for sparse gradients). */
  l2?: number;
  /** Clip gradients so their global L2 norm is at most this. */
  clipNorm?: number;
  schedule?: ScheduleConfig;
  /** Compute the global gradient norm every step even without clipping (StepInfo.gradNorm). */
  reportGradNorm?: boolean;
}

export type OptimizerConfig =
  | (Common & { kind: 'sgd'; momentum?: number; nesterov?: boolean })
  | (Common & { kind: 'adam'; beta1?: number; beta2?: number; eps?: number })
  | (Common & { kind: 'adamw'; beta1?: number; beta2?: number; eps?: number; weightDecay?: number })
  | (Common & { kind: 'adagrad'; eps?: number; initialAccumulator?: number });

export interface OptimizerState {
  kind: OptimizerConfig['kind'];
  step: number;
  /** slot tensors keyed "<param path>#<slot>" */
  slots: Record<string, Float32Array>;
}

export interface StepInfo {
  lr: number;
  /** Global L2 norm of the gradients before clipping; NaN unless clipNorm or reportGradNorm is set. */
  gradNorm: number;
  clipped: boolean;
}

const slotNames: Record<OptimizerConfig['kind'], string[]> = {
  sgd: ['velocity'],
  adam: ['m', 'v'],
  adamw: ['m', 'v'],
  adagrad: ['accumulator'],
};

export class Optimizer {
  /** Number of updates applied so far. */
  step = 0;
  private readonly slots = new Map<Variable, Variable[]>();

  constructor(readonly config: OptimizerConfig) {
    if (!(config.lr > 0)) throw new Error(`optimizer: lr must be > 0, got ${config.lr}`);
    if (!slotNames[config.kind]) throw new Error(`unknown optimizer '${(config as { kind: string }).kind}' (expected sgd, adam, adamw or adagrad)`);
  }

  currentLearningRate(): number {
    return learningRateAt(this.config.lr, this.step, this.config.schedule);
  }

  private slotsFor(p: Variable): Variable[] {
    let s = this.slots.get(p);
    if (!s) {
      const init = this.config.kind === 'adagrad' ? (this.config.initialAccumulator ?? 0) : 0;
      s = slotNames[this.config.kind].map((n) => {
        const t = init === 0 ? zeros(p.shape) : fill(p.shape, init);
        const v = new Variable(t, `${p.name}#${n}`, false);
        t.dispose();
        return v;
      });
      this.slots.set(p, s);
    }
    return s;
  }

  /** Apply one update. `grads[i]` is the gradient of `params[i]`. */
  apply(params: Variable[], grads: Grad[]): StepInfo {
    if (params.length !== grads.length) throw new Error(`optimizer: ${params.length} params but ${grads.length} gradients`);
    const c = this.config;
    const lr = this.currentLearningRate();
    const info = tidy(() => {
      const prepared: { rows: Tensor | null; values: Tensor }[] = grads.map((g) => {
        if (!isSparse(g)) return { rows: null, values: g };
        const [rows, values] = coalesceRows(g.rows, g.values);
        return { rows, values };
      });
      // The global norm costs a pass over every gradient: only computed when clipping or asked for.
      let gradNorm = NaN;
      if (c.clipNorm !== undefined || c.reportGradNorm) {
        gradNorm = 0;
        for (const g of prepared) gradNorm += readSync(sum(square(g.values)))[0];
        gradNorm = Math.sqrt(gradNorm);
      }
      let clipped = false;
      if (c.clipNorm !== undefined && gradNorm > c.clipNorm) {
        const scale = c.clipNorm / (gradNorm + 1e-12);
        for (const g of prepared) g.values = mul(g.values, scale);
        clipped = true;
      }
      const l2 = c.l2 ?? 0;
      const t = this.step + 1;
      for (let i = 0; i < params.length; i++) {
        const p = params[i];
        const { rows, values } = prepared[i];
        if (values.size !== (rows ? rows.size * (p.size / p.shape[0]) : p.size)) {
          throw new Error(`optimizer: gradient [${values.shape}] does not fit parameter '${p.name}' [${p.shape}]`);
        }
        const inputs: Tensor[] = [p, values, ...this.slotsFor(p)];
        if (rows) inputs.push(rows);
        switch (c.kind) {
          case 'sgd':
            runKernel('SgdMomentumUpdate', inputs, { lr, momentum: c.momentum ?? 0, nesterov: c.nesterov ?? false, l2 });
            break;
          case 'adam':
          case 'adamw':
            runKernel(c.kind === 'adam' ? 'AdamUpdate' : 'AdamWUpdate', inputs, {
              lr, beta1: c.beta1 ?? 0.9, beta2: c.beta2 ?? 0.999, eps: c.eps ?? 1e-8, step: t, l2,
              weightDecay: c.kind === 'adamw' ? (c.weightDecay ?? 0.01) : 0,
            });
            break;
          case 'adagrad':
            runKernel('AdagradUpdate', inputs, { lr, eps: c.eps ?? 1e-10, l2 });
            break;
        }
      }
      return { lr, gradNorm, clipped };
    });
    this.step++;
    return info;
  }

  /** Serializable state (slots are copied). `named` gives each parameter its stable path. */
  getState(named: [string, Variable][]): OptimizerState {
    const slots: Record<string, Float32Array> = {};
    for (const [path, p] of named) {
      const s = this.slots.get(p);
      if (!s) continue;
      slotNames[this.config.kind].forEach((n, i) => (slots[`${path}#${n}`] = Float32Array.from(readSync(s[i]))));
    }
    return { kind: this.config.kind, step: this.step, slots };
  }

  setState(named: [string, Variable][], state: OptimizerState): void {
    if (state.kind !== this.config.kind) throw new Error(`optimizer state is for '${state.kind}', this optimizer is '${this.config.kind}'`);
    this.step = state.step;
    for (const [path, p] of named) {
      const names = slotNames[this.config.kind];
      if (!(`${path}#${names[0]}` in state.slots)) continue;
      const s = this.slotsFor(p);
      names.forEach((n, i) => s[i].assign(state.slots[`${path}#${n}`]));
    }
  }

  dispose(): void {
    for (const s of this.slots.values()) for (const v of s) v.dispose();
    this.slots.clear();
  }
}
