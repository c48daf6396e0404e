import { describe, expect, it } from 'vitest';
import { Random } from '../util/random.js';
import { applyParams, checkSearchSpace, isActive, mutateParams, sampleParams, sampleValue, type Rng, type SpaceParameter } from './search-space.js';
import { agingPopulation, ashaDecide, ashaRungs, bestTrial, pendingRung, proposeTrial, trialRng, type CompletedTrial } from './strategies.js';

/** An Rng that replays fixed draws (next / nextInt / normal), so a decision's inputs are exact. */
function scripted(draws: { next?: number[]; nextInt?: number[]; normal?: number[] }): Rng {
  const n = [...(draws.next ?? [])];
  const i = [...(draws.nextInt ?? [])];
  const g = [...(draws.normal ?? [])];
  return {
    next: () => (n.length ? n.shift()! : 0.5),
    nextInt: (k) => {
      const v = i.length ? i.shift()! : 0;
      if (v >= k) throw new Error(`scripted nextInt ${v} ≥ ${k}`);
      return v;
    },
    normal: () => (g.length ? g.shift()! : 0),
  };
}

const space: SpaceParameter[] = [
  { path: '/model/kind', type: 'choice', values: ['logistic', 'mlp'] },
  { path: '/optimizer/lr', type: 'float', min: 1e-4, max: 1e-1, scale: 'log' },
  { path: '/model/hyperparameters/hiddenUnits', type: 'choice', values: [[16], [32, 16], [64, 32]], when: { path: '/model/kind', in: ['mlp'] } },
  { path: '/model/hyperparameters/dropout', type: 'float', min: 0, max: 0.5, when: { path: '/model/kind', in: ['mlp'] } },
  { path: '/batchSize', type: 'int', min: 16, max: 256, scale: 'log' },
];

describe('search space', () => {
  it('samples log-uniformly: the log of a log-scale float is uniform, its median the geometric mean', () => {
    const p: SpaceParameter = { path: '/optimizer/lr', type: 'float', min: 1e-4, max: 1, scale: 'log' };
    const rng = new Random(1);
    const logs = Array.from({ length: 20000 }, () => Math.log10(sampleValue(p, rng) as number));
    expect(Math.min(...logs)).toBeGreaterThanOrEqual(-4);
    expect(Math.max(...logs)).toBeLessThanOrEqual(0);
    // Each decade holds a quarter of the draws (uniform in log space), not 90% in the top one.
    for (let d = -4; d < 0; d++) {
      const share = logs.filter((l) => l >= d && l < d + 1).length / logs.length;
      expect(share).toBeGreaterThan(0.23);
      expect(share).toBeLessThan(0.27);
    }
    expect(sampleValue(p, scripted({ next: [0.5] }))).toBeCloseTo(1e-2, 12);
  });

  it('samples integers over every value in range, log-scaled ints included', () => {
    const lin: SpaceParameter = { path: '/a', type: 'int', min: 2, max: 5 };
    const rng = new Random(3);
    const seen = new Set(Array.from({ length: 400 }, () => sampleValue(lin, rng)));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
    const log: SpaceParameter = { path: '/b', type: 'int', min: 1, max: 1000, scale: 'log' };
    const draws = Array.from({ length: 5000 }, () => sampleValue(log, rng) as number);
    expect(draws.every((v) => Number.isInteger(v) && v >= 1 && v <= 1000)).toBe(true);
    expect(draws.filter((v) => v < 32).length / draws.length).toBeGreaterThan(0.45); // half the log range
    expect(sampleValue(log, scripted({ next: [0.999999999] }))).toBe(1000);
  });

  it('respects conditionals: an mlp-only parameter appears exactly when the kind is mlp', () => {
    const rng = new Random(7);
    let mlp = 0;
    for (let i = 0; i < 300; i++) {
      const p = sampleParams(space, rng);
      const isMlp = p['/model/kind'] === 'mlp';
      mlp += isMlp ? 1 : 0;
      expect('/model/hyperparameters/hiddenUnits' in p).toBe(isMlp);
      expect('/model/hyperparameters/dropout' in p).toBe(isMlp);
      expect(p['/optimizer/lr']).toBeGreaterThanOrEqual(1e-4);
    }
    expect(mlp).toBeGreaterThan(100);
    expect(mlp).toBeLessThan(200);
    expect(isActive(space[2], { '/model/kind': 'logistic' })).toBe(false);
  });

  it('names what no sampling can fix: duplicate and overlapping paths, forward conditions, bounds', () => {
    const problems = checkSearchSpace([
      { path: '/a', type: 'float', min: 1, max: 0 },
      { path: '/a', type: 'int', min: 0, max: 3, scale: 'log' },
      { path: '/b', type: 'choice', values: [1], when: { path: '/c', in: [1] } },
      { path: '/a/x', type: 'choice', values: [1] },
    ]);
    expect(problems.map((p) => `${p.index}:${p.field}`)).toEqual(['0:max', '1:path', '1:min', '2:when/path', '3:path']);
    expect(checkSearchSpace(space)).toEqual([]);
  });

  it('applies a point to a copy of the base spec, creating objects on the way', () => {
    const base = { modelName: 'm', model: { kind: 'logistic' }, optimizer: { kind: 'adam', lr: 0.01 } };
    const spec = applyParams(base, { '/model/kind': 'mlp', '/model/hyperparameters/hiddenUnits': [32, 16], '/optimizer/lr': 0.003 });
    expect(spec).toEqual({ modelName: 'm', model: { kind: 'mlp', hyperparameters: { hiddenUnits: [32, 16] } }, optimizer: { kind: 'adam', lr: 0.003 } });
    expect(base.model).toEqual({ kind: 'logistic' });
  });

  it('mutates exactly one active parameter and re-resolves conditionals', () => {
    const parent = { '/model/kind': 'logistic', '/optimizer/lr': 0.01, '/batchSize': 64 };
    // Mutate /model/kind (candidate 0 of three): to mlp; the newly active parameters are drawn from their priors.
    const { params, mutated } = mutateParams(space, parent, scripted({ nextInt: [0, 0, 1], next: [0.4] }));
    expect(mutated).toBe('/model/kind');
    expect(params).toEqual({ '/model/kind': 'mlp', '/optimizer/lr': 0.01, '/model/hyperparameters/hiddenUnits': [32, 16], '/model/hyperparameters/dropout': 0.2, '/batchSize': 64 });
    // Back to logistic: the mlp-only parameters are dropped.
    const back = mutateParams(space, params, scripted({ nextInt: [0, 0] }));
    expect(back.params).toEqual(parent);
    // A numeric mutation changes only that value, within bounds.
    const rng = new Random(11);
    for (let i = 0; i < 200; i++) {
      const child = mutateParams(space, parent, rng);
      const changed = Object.keys({ ...parent, ...child.params }).filter((k) => JSON.stringify(parent[k as keyof typeof parent]) !== JSON.stringify(child.params[k]));
      if (child.mutated !== '/model/kind') expect(changed).toEqual([child.mutated]);
      expect(child.params['/optimizer/lr']).toBeGreaterThanOrEqual(1e-4);
      expect(child.params['/optimizer/lr']).toBeLessThanOrEqual(1e-1);
      expect(child.params['/batchSize']).toBeGreaterThanOrEqual(16);
      expect(child.params['/batchSize']).toBeLessThanOrEqual(256);
    }
  });
});

const trial = (index: number, objective: number | null, params: Record<string, unknown> = { '/x': index }): CompletedTrial => ({ index, params, objective });

describe('aging evolution', () => {
  const xSpace: SpaceParameter[] = [{ path: '/x', type: 'int', min: 0, max: 100 }];

  it('keeps the population at P: the newest completed trials, the oldest dying first; failures never join', () => {
    const done = [trial(0, 0.5), trial(1, 0.9), trial(2, null), trial(3, 0.1), trial(4, 0.7)];
    expect(agingPopulation(done, 3).map((t) => t.index)).toEqual([1, 3, 4]);
    expect(agingPopulation([...done, trial(5, 0.2)], 3).map((t) => t.index)).toEqual([3, 4, 5]); // 1 died although it is the best
    expect(agingPopulation(done.slice(0, 2), 3)).toHaveLength(2);
  });

  it('the first P trials are random; then the best of a sample of S is mutated', () => {
    const strategy = { kind: 'aging_evolution' as const, populationSize: 4, sampleSize: 2 };
    const done = [trial(0, 0.6), trial(1, 0.8), trial(2, 0.3), trial(3, 0.7)];
    expect(proposeTrial({ space: xSpace, strategy, direction: 'maximize', index: 3, completed: done.slice(0, 3), rng: new Random(1) }).origin).toBe('random');
    // Sample positions 1 and 2 (trials 1 and 2): trial 1 (0.8) wins and is mutated (x: 1 → something else).
    const p = proposeTrial({ space: xSpace, strategy, direction: 'maximize', index: 4, completed: done, rng: scripted({ nextInt: [1, 1, 0], normal: [0.1] }) });
    expect(p).toMatchObject({ origin: 'mutation', parent: 1, sample: [1, 2], mutated: '/x' });
    expect(p.params['/x']).not.toBe(1);
    // Minimizing, the same sample picks trial 2.
    const q = proposeTrial({ space: xSpace, strategy, direction: 'minimize', index: 4, completed: done, rng: scripted({ nextInt: [1, 1, 0], normal: [0.1] }) });
    expect(q.parent).toBe(2);
  });

  it('tournaments only ever pick from the living population, and the best of each sample', () => {
    const strategy = { kind: 'aging_evolution' as const, populationSize: 5, sampleSize: 3 };
    const done = Array.from({ length: 12 }, (_, i) => trial(i, Math.sin(i * 7.3)));
    const living = new Set(agingPopulation(done, 5).map((t) => t.index));
    for (let k = 0; k < 50; k++) {
      const p = proposeTrial({ space: xSpace, strategy, direction: 'maximize', index: 12 + k, completed: done, rng: trialRng(9, 12 + k) });
      expect(p.sample).toHaveLength(3);
      for (const s of p.sample!) expect(living.has(s)).toBe(true);
      const best = bestTrial(p.sample!.map((i) => done[i]), 'maximize')!;
      expect(p.parent).toBe(best.index);
    }
  });

  it('is deterministic per (seed, trial): a resumed study proposes the same point', () => {
    const strategy = { kind: 'aging_evolution' as const, populationSize: 3, sampleSize: 2 };
    const done = [trial(0, 0.6), trial(1, 0.8), trial(2, 0.3)];
    const a = proposeTrial({ space, strategy, direction: 'maximize', index: 5, completed: done.map((t) => ({ ...t, params: sampleParams(space, trialRng(1, t.index)) })), rng: trialRng(1, 5) });
    const b = proposeTrial({ space, strategy, direction: 'maximize', index: 5, completed: done.map((t) => ({ ...t, params: sampleParams(space, trialRng(1, t.index)) })), rng: trialRng(1, 5) });
    expect(a).toEqual(b);
    const c = proposeTrial({ space, strategy: { kind: 'random' }, direction: 'maximize', index: 5, completed: [], rng: trialRng(2, 5) });
    expect(c.params).not.toEqual(proposeTrial({ space, strategy: { kind: 'random' }, direction: 'maximize', index: 5, completed: [], rng: trialRng(3, 5) }).params);
  });

  it('regularized evolution climbs a 1-D objective faster than its random start', () => {
    const strategy = { kind: 'aging_evolution' as const, populationSize: 6, sampleSize: 3 };
    const f = (x: number) => -Math.abs(x - 73);
    const done: CompletedTrial[] = [];
    for (let i = 0; i < 60; i++) {
      const p = proposeTrial({ space: xSpace, strategy, direction: 'maximize', index: i, completed: done, rng: trialRng(4, i) });
      done.push(trial(i, f(p.params['/x'] as number), p.params));
    }
    const firstBest = Math.max(...done.slice(0, 6).map((t) => t.objective!));
    expect(bestTrial(done, 'maximize')!.objective).toBeGreaterThanOrEqual(firstBest);
    expect(bestTrial(done, 'maximize')!.objective).toBeGreaterThanOrEqual(-2);
  });
});

describe('ASHA', () => {
  it('puts rungs at minEpochs·η^k below the last epoch', () => {
    expect(ashaRungs(1, 3, 30)).toEqual([1, 3, 9, 27]);
    expect(ashaRungs(2, 2, 16)).toEqual([2, 4, 8]);
    expect(ashaRungs(5, 3, 5)).toEqual([]);
  });

  it('promotes the top ⌊n/η⌋ (at least one) of the trials at a rung, by direction', () => {
    const rungs = [1, 3, 9];
    const c = (index: number, values: number[]) => ({ index, values });
    // The first trial at a rung always continues (n = 1, keep 1).
    expect(ashaDecide({ rungs, rung: 0, reductionFactor: 3, direction: 'maximize', trial: c(0, [0.6]), others: [] }).action).toBe('continue');
    // n = 2 → keep 1: the worse one stops.
    expect(ashaDecide({ rungs, rung: 0, reductionFactor: 3, direction: 'maximize', trial: c(1, [0.5]), others: [c(0, [0.6])] })).toEqual({
      action: 'stop', rung: 0, epoch: 1, value: 0.5, cutoff: 0.6, competitors: 2,
    });
    // n = 6 → keep 2: the second best continues, the third stops.
    const field = [c(0, [0.9]), c(1, [0.8]), c(2, [0.7]), c(3, [0.6]), c(4, [0.5])];
    expect(ashaDecide({ rungs, rung: 0, reductionFactor: 3, direction: 'maximize', trial: c(5, [0.85]), others: field }).action).toBe('continue');
    expect(ashaDecide({ rungs, rung: 0, reductionFactor: 3, direction: 'maximize', trial: c(5, [0.75]), others: field }).action).toBe('stop');
    // Minimizing a loss: low is good.
    expect(ashaDecide({ rungs, rung: 0, reductionFactor: 2, direction: 'minimize', trial: c(2, [0.1]), others: [c(0, [0.3]), c(1, [0.2])] }).action).toBe('continue');
    // Rung 1 (epoch 3) compares values at epoch 3, among trials that reached epoch 3 only.
    const at3 = ashaDecide({ rungs, rung: 1, reductionFactor: 2, direction: 'maximize', trial: c(3, [0.1, 0.2, 0.5]), others: [c(0, [0.9]), c(1, [0.2, 0.3, 0.6])] });
    expect(at3).toMatchObject({ action: 'stop', epoch: 3, competitors: 2, cutoff: 0.6 });
    // A NaN metric ranks last.
    expect(ashaDecide({ rungs, rung: 0, reductionFactor: 2, direction: 'maximize', trial: c(1, [NaN]), others: [c(0, [0.1])] }).action).toBe('stop');
  });

  it('asks for the next undecided rung once the trial has reached it', () => {
    expect(pendingRung([1, 3, 9], -1, 0)).toBeUndefined();
    expect(pendingRung([1, 3, 9], -1, 2)).toBe(0);
    expect(pendingRung([1, 3, 9], 0, 2)).toBeUndefined();
    expect(pendingRung([1, 3, 9], 0, 5)).toBe(1);
    expect(pendingRung([1, 3, 9], 2, 50)).toBeUndefined();
  });
});
