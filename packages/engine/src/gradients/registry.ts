// One gradient function per kernel, written in ops so it runs on any backend.
import type { KernelAttrs } from '../kernels/registry.js';
import type { Tensor } from '../tensor.js';

/**
 * A gradient that is non-zero only in some rows of a [V, ...] tensor (embedding tables).
 * `rows` may repeat and may contain -1 (ignored); `values` is [rows.length, ...].
 */
export interface SparseRows {
  kind: 'sparse-rows';
  rows: Tensor;
  values: Tensor;
  shape: number[];
}

export type Grad = Tensor | SparseRows;

export function isSparse(g: Grad): g is SparseRows {
  return (g as SparseRows).kind === 'sparse-rows';
}

export interface GradContext {
  inputs: Tensor[];
  outputs: Tensor[];
  attrs: KernelAttrs;
  /** needs[i]: input i needs a gradient (skip work otherwise). */
  needs: boolean[];
}

export type GradientFn = (dys: Tensor[], ctx: GradContext) => (Grad | null)[];

const gradients = new Map<string, GradientFn>();

export function registerGradient(kernel: string, fn: GradientFn): void {
  gradients.set(kernel, fn);
}

export function getGradient(kernel: string): GradientFn | undefined {
  return gradients.get(kernel);
}

export function gradientKernels(): string[] {
  return [...gradients.keys()].sort();
}
