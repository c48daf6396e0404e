// The tuning strategies as pure decision functions (like serving's dynamic batcher: state in, decision
// out, randomness injected). The controller that calls them keeps all state in the catalog, so a study
// resumed after a crash asks the same questions and gets the same answers.
//
// - random search: each trial's point is drawn from the priors.
// - aging (regularized) evolution, Real et al. 2019: the population is the P most recently completed
//   trials (a queue: when a trial completes, it joins and the oldest member dies). The first P trials
//   are random; after that each new trial samples S members uniformly, takes the best of the sample and
//   mutates it (one parameter changes).
// - ASHA (asynchronous successive halving, Li et al. 2020) as a stopping rule: rungs at
//   minEpochs·η^k; a trial reaching rung k goes on only if its value there is in the top ⌊n/η⌋ (at least
//   1) of the n trials that have reached rung k so far, itself included.
import { Random, hashSeed } from '../util/random.js';
import { mutateParams, sampleParams, type Rng, type SpaceParameter, type TrialParams } from './search-space.js';

export type Direction = 'maximize' | 'minimize';

export type StrategySpec = { kind: 'random' } | { kind: 'aging_evolution'; populationSize?: number; sampleSize?: number };

export const AGING_DEFAULTS = { populationSize: 8, sampleSize: 3 } as const;

/** A finished trial as the strategies see it. */
export interface CompletedTrial {
  index: number;
  params: TrialParams;
  /** The objective (finite), or null when it has none (failed, stopped, no such metric). */
  objective: number | null;
}

/** Is `a` better than `b` in this direction (NaN and null are worst; ties go to the lower index). */
export function better(direction: Direction, a: number | null, b: number | null): boolean {
  const fa = a !== null && Number.isFinite(a);
  const fb = b !== null && Number.isFinite(b);
  if (!fa) return false;
  if (!fb) return true;
  return direction === 'maximize' ? a! > b! : a! < b!;
}

/** The best trial of `trials` (first in order on ties), or undefined when none has an objective. */
export function bestTrial<T extends { index: number; objective: number | null }>(trials: readonly T[], direction: Direction): T | undefined {
  let best: T | undefined;
  for (const t of trials) {
    if (t.objective === null || !Number.isFinite(t.objective)) continue;
    if (!best || better(direction, t.objective, best.objective) || (t.objective === best.objective && t.index < best.index)) best = t;
  }
  return best;
}

/**
 * The population: the last `size` trials with an objective, in completion order (`completed` must be
 * in that order; oldest first). The one that falls out of the window is the one that died.
 */
export function agingPopulation<T extends CompletedTrial>(completed: readonly T[], size: number): T[] {
  const alive = completed.filter((t) => t.objective !== null && Number.isFinite(t.objective));
  return alive.slice(Math.max(0, alive.length - size));
}

/** The randomness of trial `index` of a study: the same trial draws the same numbers on every replay. */
export function trialRng(seed: number, index: number): Random {
  return new Random(hashSeed(seed, 'tuning-trial', index));
}

export interface Proposal {
  params: TrialParams;
  /** How the point was made. */
  origin: 'random' | 'mutation';
  /** Mutation: the parent trial and the members sampled for the tournament. */
  parent?: number;
  sample?: number[];
  mutated?: string;
}

/**
 * The point of trial `index`. `completed`: finished trials in completion order (oldest first).
 * `rng`: this trial's randomness (`trialRng(seed, index)` in production).
 */
export function proposeTrial(input: {
  space: readonly SpaceParameter[];
  strategy: StrategySpec;
  direction: Direction;
  index: number;
  completed: readonly CompletedTrial[];
  rng: Rng;
}): Proposal {
  const { space, strategy, direction, index, completed, rng } = input;
  if (strategy.kind === 'random') return { params: sampleParams(space, rng), origin: 'random' };
  const size = strategy.populationSize ?? AGING_DEFAULTS.populationSize;
  const population = agingPopulation(completed, size);
  if (index < size || population.length === 0) return { params: sampleParams(space, rng), origin: 'random' };
  const sampleSize = Math.min(strategy.sampleSize ?? AGING_DEFAULTS.sampleSize, population.length);
  // S members without replacement (a partial Fisher–Yates over positions).
  const positions = population.map((_, i) => i);
  for (let i = 0; i < sampleSize; i++) {
    const j = i + rng.nextInt(positions.length - i);
    [positions[i], positions[j]] = [positions[j], positions[i]];
  }
  const sample = positions.slice(0, sampleSize).map((i) => population[i]);
  const parent = bestTrial(sample, direction)!;
  const { params, mutated } = mutateParams(space, parent.params, rng);
  return { params, origin: 'mutation', parent: parent.index, sample: sample.map((t) => t.index).sort((a, b) => a - b), ...(mutated && { mutated }) };
}

/** ASHA's rungs (epochs): minEpochs·η^k below maxEpochs (a trial reaching maxEpochs ends anyway). */
export function ashaRungs(minEpochs: number, reductionFactor: number, maxEpochs: number): number[] {
  const rungs: number[] = [];
  for (let r = minEpochs; r < maxEpochs; r *= reductionFactor) rungs.push(r);
  return rungs;
}

/** A trial's validation curve: value[e - 1] is its objective metric after epoch (round) e. */
export interface TrialCurve {
  index: number;
  values: readonly number[];
}

export type AshaDecision = { action: 'continue'; rung?: number } | { action: 'stop'; rung: number; epoch: number; value: number; cutoff: number; competitors: number };

/**
 * Decide rung `rung` (an index into `rungs`) for `trial`, which has reached it: the top ⌊n/η⌋ (≥ 1) of
 * the `n` trials whose curves reached that rung (the trial included) continue. Missing or NaN values
 * rank last.
 */
export function ashaDecide(input: {
  rungs: readonly number[];
  rung: number;
  reductionFactor: number;
  direction: Direction;
  trial: TrialCurve;
  others: readonly TrialCurve[];
}): AshaDecision {
  const { rungs, rung, reductionFactor, direction, trial, others } = input;
  const epoch = rungs[rung];
  const valueAt = (c: TrialCurve) => {
    const v = c.values[epoch - 1];
    return v !== undefined && Number.isFinite(v) ? v : direction === 'maximize' ? -Infinity : Infinity;
  };
  const mine = valueAt(trial);
  const field = [mine, ...others.filter((c) => c.index !== trial.index && c.values.length >= epoch).map(valueAt)];
  field.sort((a, b) => (direction === 'maximize' ? b - a : a - b));
  const keep = Math.max(1, Math.floor(field.length / reductionFactor));
  const cutoff = field[keep - 1];
  const promoted = direction === 'maximize' ? mine >= cutoff : mine <= cutoff;
  return promoted ? { action: 'continue', rung } : { action: 'stop', rung, epoch, value: mine, cutoff, competitors: field.length };
}

/** The next rung `trial` must pass: rungs it reached above `passed` (the highest rung already decided, −1 for none). */
export function pendingRung(rungs: readonly number[], passed: number, epochsDone: number): number | undefined {
  const next = passed + 1;
  return next < rungs.length && epochsDone >= rungs[next] ? next : undefined;
}
