// Reverse-mode autodiff over the tape that engine.ts records while a gradient is requested.
import { endScope, endTape, startScope, startTape, collectTensors, type Tape } from '../engine.js';
import { add } from '../ops/binary.js';
import { scatterAdd } from '../ops/gather.js';
import { concat } from '../ops/shape.js';
import { ones, Tensor, zeros } from '../tensor.js';
import './all-gradients.js';
import { getGradient, isSparse, type Grad, type SparseRows } from './registry.js';

/** A dense tensor for any gradient (sparse rows are scatter-added into zeros). */
export function densify(g: Grad): Tensor {
  if (!isSparse(g)) return g;
  const flat = scatterAdd(g.values, g.rows, g.shape[0]);
  return flat;
}

function accumulate(prev: Grad | undefined, next: Grad): Grad {
  if (prev === undefined) return next;
  if (isSparse(prev) && isSparse(next)) {
    return { kind: 'sparse-rows', rows: concat([prev.rows, next.rows], 0), values: concat([prev.values, next.values], 0), shape: prev.shape } satisfies SparseRows;
  }
  return add(densify(prev), densify(next));
}

function backward(tp: Tape, value: Tensor, xs: Tensor[]): Grad[] {
  const grads = new Map<number, Grad>();
  grads.set(value.id, ones(value.shape));
  for (let n = tp.nodes.length - 1; n >= 0; n--) {
    const node = tp.nodes[n];
    let any = false;
    for (const o of node.outputs) if (grads.has(o.id)) any = true;
    if (!any) continue;
    const fn = getGradient(node.kernel);
    if (!fn) throw new Error(`gradients: no gradient registered for kernel '${node.kernel}'`);
    const dys = node.outputs.map((o) => {
      const g = grads.get(o.id);
      return g === undefined ? zeros(o.shape) : densify(g);
    });
    const needs = node.inputs.map((t) => tp.tracked.has(t.id) && t.dtype === 'float32');
    const dxs = fn(dys, { inputs: node.inputs, outputs: node.outputs, attrs: node.attrs, needs });
    for (let i = 0; i < node.inputs.length; i++) {
      const dx = dxs[i];
      if (!needs[i] || dx == null) continue;
      const id = node.inputs[i].id;
      grads.set(id, accumulate(grads.get(id), dx));
    }
  }
  return xs.map((x) => grads.get(x.id) ?? zeros(x.shape));
}

/**
 * Value of `f()` and the gradients of its sum with respect to `xs`. Gradients of embedding
 * tables come back as SparseRows (only looked-up rows); everything `f` and the backward pass
 * allocated is freed except the value and the gradients.
 */
export function valueAndGradsSparse(f: () => Tensor, xs: Tensor[]): { value: Tensor; grads: Grad[] } {
  const tp = startTape(xs);
  startScope();
  let value: Tensor | undefined;
  let grads: Grad[] = [];
  try {
    value = f();
    if (!(value instanceof Tensor)) throw new Error('gradients: the function must return a Tensor');
    tp.paused = true;
    grads = backward(tp, value, xs);
  } finally {
    endTape();
    const keepSet = collectTensors([value, grads]);
    endScope(keepSet);
    for (const t of tp.deferred) if (!keepSet.has(t)) t.dispose();
  }
  return { value, grads };
}

export function valueAndGrads(f: () => Tensor, xs: Tensor[]): { value: Tensor; grads: Tensor[] } {
  const { value, grads } = valueAndGradsSparse(f, xs);
  return { value, grads: grads.map((g) => toDense(g)) };
}

function toDense(g: Grad): Tensor {
  if (!isSparse(g)) return g;
  const d = densify(g);
  g.rows.dispose();
  g.values.dispose();
  return d;
}

export function grads(f: () => Tensor, xs: Tensor[]): Tensor[] {
  const { value, grads: gs } = valueAndGrads(f, xs);
  value.dispose();
  return gs;
}

/** `grad(f)(x)` = d sum(f(x)) / dx. */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return (x) => grads(() => f(x), [x])[0];
}

export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor) => { value: Tensor; grad: Tensor } {
  return (x) => {
    const { value, grads: gs } = valueAndGrads(() => f(x), [x]);
    return { value, grad: gs[0] };
  };
}
