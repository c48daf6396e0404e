// Base for layers and models: named variables (trainable + state) collected recursively, so
// optimizers, checkpoints and bundles address every weight by a stable path like "deep/0/kernel".
import type { Variable } from '../tensor.js';

export abstract class Module {
  private readonly ownVars = new Map<string, Variable>();
  private readonly children = new Map<string, Module>();

  protected addVariable(name: string, v: Variable): Variable {
    if (this.ownVars.has(name)) throw new Error(`variable '${name}' already defined`);
    this.ownVars.set(name, v);
    return v;
  }

  protected addChild<M extends Module>(name: string, m: M): M {
    if (this.children.has(name)) throw new Error(`child '${name}' already defined`);
    this.children.set(name, m);
    return m;
  }

  /** Every variable (trainable and state), keyed by path. Order is deterministic. */
  namedVariables(prefix = ''): [string, Variable][] {
    const out: [string, Variable][] = [];
    for (const [k, v] of this.ownVars) out.push([prefix + k, v]);
    for (const [k, c] of this.children) out.push(...c.namedVariables(`${prefix}${k}/`));
    return out;
  }

  /** Trainable variables. */
  parameters(): Variable[] {
    return this.namedVariables().filter(([, v]) => v.trainable).map(([, v]) => v);
  }

  dispose(): void {
    for (const [, v] of this.namedVariables()) v.dispose();
  }
}
