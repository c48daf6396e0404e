// A search space over a training spec: parameters addressed by JSON pointers into the spec, sampled
// (uniform, log-uniform, integer, choice), mutated one at a time, and applied to a base spec. Pure and
// deterministic: all randomness comes from the `Rng` passed in (the engine's seeded `Random`). The
// shapes mirror @atelier/contracts' SearchParameter structurally (the engine imports nothing of ours).

/** What the strategies draw from: [0, 1) floats, integers in [0, n), standard normals. */
export interface Rng {
  next(): number;
  nextInt(n: number): number;
  normal(): number;
}

export interface SpaceCondition {
  /** An earlier parameter's path. */
  path: string;
  /** Active only while that parameter is active and takes one of these values (JSON equality). */
  in: unknown[];
}

export type SpaceParameter =
  | { path: string; type: 'float'; min: number; max: number; scale?: 'linear' | 'log'; when?: SpaceCondition }
  | { path: string; type: 'int'; min: number; max: number; scale?: 'linear' | 'log'; when?: SpaceCondition }
  | { path: string; type: 'choice'; values: unknown[]; when?: SpaceCondition };

/** A point of the space: the value of each ACTIVE parameter, by path (inactive ones are absent). */
export type TrialParams = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Whether `p` is active given the values chosen so far for earlier parameters. */
export function isActive(p: SpaceParameter, chosen: TrialParams): boolean {
  if (!p.when) return true;
  if (!(p.when.path in chosen)) return false;
  const v = chosen[p.when.path];
  return p.when.in.some((x) => same(x, v));
}

/** Problems of a space that no sampling can fix, as [index, field, message] (the gateway prefixes them). */
export function checkSearchSpace(space: readonly SpaceParameter[]): Array<{ index: number; field: string; message: string }> {
  const out: Array<{ index: number; field: string; message: string }> = [];
  const seen = new Map<string, number>();
  space.forEach((p, i) => {
    if (seen.has(p.path)) out.push({ index: i, field: 'path', message: `'${p.path}' is already searched by parameter ${seen.get(p.path)}` });
    for (const [other] of seen) {
      if (p.path.startsWith(`${other}/`) || other.startsWith(`${p.path}/`)) out.push({ index: i, field: 'path', message: `'${p.path}' overlaps '${other}'` });
    }
    if (p.when && !seen.has(p.when.path)) out.push({ index: i, field: 'when/path', message: `'${p.when.path}' must be a parameter listed before this one` });
    if (p.type === 'float' || p.type === 'int') {
      if (!(p.max >= p.min)) out.push({ index: i, field: 'max', message: `must be ≥ min (${p.min})` });
      if (p.scale === 'log' && !(p.min > 0)) out.push({ index: i, field: 'min', message: 'must be > 0 on a log scale' });
      if (p.type === 'int' && (!Number.isInteger(p.min) || !Number.isInteger(p.max))) out.push({ index: i, field: 'min', message: 'int bounds must be integers' });
    }
    seen.set(p.path, i);
  });
  return out;
}

/** A parameter's position in [0, 1] on its own scale (log for log parameters). */
function toUnit(p: Extract<SpaceParameter, { min: number }>, v: number): number {
  if (p.max === p.min) return 0;
  if (p.scale === 'log') return (Math.log(v) - Math.log(p.min)) / (Math.log(p.max) - Math.log(p.min));
  return (v - p.min) / (p.max - p.min);
}

function fromUnit(p: Extract<SpaceParameter, { min: number }>, u: number): number {
  const t = Math.min(1, Math.max(0, u));
  if (p.type === 'int') {
    // Integers: the unit interval split into max-min+1 equal cells (log: cells of equal log width).
    if (p.scale === 'log') {
      const v = Math.floor(Math.exp(Math.log(p.min) + t * (Math.log(p.max + 1) - Math.log(p.min))));
      return Math.min(p.max, Math.max(p.min, v));
    }
    return Math.min(p.max, p.min + Math.floor(t * (p.max - p.min + 1)));
  }
  if (p.scale === 'log') return Math.min(p.max, Math.max(p.min, Math.exp(Math.log(p.min) + t * (Math.log(p.max) - Math.log(p.min)))));
  return p.min + t * (p.max - p.min);
}

/** One value of `p` from its prior: uniform on its scale, or a uniformly chosen value. */
export function sampleValue(p: SpaceParameter, rng: Rng): unknown {
  if (p.type === 'choice') return p.values[rng.nextInt(p.values.length)];
  return fromUnit(p, rng.next());
}

/** A random point: parameters in order, each active one drawn from its prior. */
export function sampleParams(space: readonly SpaceParameter[], rng: Rng): TrialParams {
  const out: TrialParams = {};
  for (const p of space) if (isActive(p, out)) out[p.path] = sampleValue(p, rng);
  return out;
}

/** Whether a parameter can take another value than `v`. */
function canChange(p: SpaceParameter): boolean {
  return p.type === 'choice' ? p.values.length > 1 : p.max > p.min;
}

/**
 * Aging evolution's mutation: one active parameter (uniformly chosen among those that can change)
 * takes a different value — another choice, or a Gaussian step (σ = 0.25 of its range, on its own
 * scale) — and the conditionals are re-resolved in order: a parameter that becomes active is drawn
 * from its prior, one that becomes inactive is dropped, the others keep the parent's value.
 * Returns the child and the path that changed (undefined when nothing can change).
 */
export function mutateParams(space: readonly SpaceParameter[], parent: TrialParams, rng: Rng): { params: TrialParams; mutated?: string } {
  const candidates = space.filter((p) => p.path in parent && canChange(p));
  if (candidates.length === 0) return { params: { ...parent } };
  const target = candidates[rng.nextInt(candidates.length)];
  const old = parent[target.path];
  let value: unknown;
  if (target.type === 'choice') {
    const others = target.values.filter((v) => !same(v, old));
    value = others[rng.nextInt(others.length)];
  } else {
    const u = toUnit(target, Number(old));
    value = fromUnit(target, u + 0.25 * rng.normal());
    if (value === old) {
      // An integer step that rounded to the same value (or a clamp): move one unit inward.
      const v = Number(old);
      value = target.type === 'int' ? (v >= target.max ? v - 1 : v + 1) : u >= 0.5 ? fromUnit(target, u - 0.05) : fromUnit(target, u + 0.05);
    }
  }
  const child: TrialParams = {};
  for (const p of space) {
    if (!isActive(p, child)) continue;
    if (p.path === target.path) child[p.path] = value;
    else if (p.path in parent) child[p.path] = parent[p.path];
    else child[p.path] = sampleValue(p, rng);
  }
  return { params: child, mutated: target.path };
}

/** RFC 6901 pointer → keys. */
function keysOf(pointer: string): string[] {
  return pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The base spec with each parameter's value set at its pointer (objects created on the way); the base is not changed. */
export function applyParams<T extends Record<string, unknown>>(base: T, params: TrialParams): T {
  const out = structuredClone(base) as Record<string, unknown>;
  for (const [path, value] of Object.entries(params)) {
    const keys = keysOf(path);
    let node = out;
    for (const k of keys.slice(0, -1)) {
      const next = node[k];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = structuredClone(value);
  }
  return out as T;
}
