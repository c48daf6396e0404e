// A training job's `gbdt` hyperparameters (validated by the contracts' schema) → GbdtParams. The
// job defaults differ from the engine's XGBoost defaults where a job has a validation split to stop
// on: more, smaller steps (300 trees at learning rate 0.1) cut short 20 rounds after the best one.
import type { GbdtParams } from './gbdt-trainer.js';
import type { GbdtObjectiveName } from './objectives.js';

export const GBDT_JOB_DEFAULTS = {
  numTrees: 300,
  learningRate: 0.1,
  maxDepth: 6,
  maxLeaves: 0,
  earlyStoppingRounds: 20,
} as const;

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

export function gbdtParamsFromHyperparameters(
  hyper: Record<string, unknown>,
  task: 'binary' | 'multiclass' | 'regression',
  numClasses: number,
  seed: number,
): Partial<GbdtParams> {
  const loss = hyper.loss;
  const objective: GbdtObjectiveName =
    task === 'binary' ? 'binary' : task === 'multiclass' ? 'multiclass' : loss === 'absolute' ? 'regression_l1' : loss === 'huber' ? 'huber' : 'regression_l2';
  const d = GBDT_JOB_DEFAULTS;
  const out: Partial<GbdtParams> = {
    objective,
    ...(task === 'multiclass' && { numClasses }),
    numRounds: num(hyper.numTrees) ?? d.numTrees,
    learningRate: num(hyper.learningRate) ?? d.learningRate,
    maxDepth: num(hyper.maxDepth) ?? (hyper.growPolicy === 'lossguide' && num(hyper.maxLeaves) ? 0 : d.maxDepth),
    maxLeaves: num(hyper.maxLeaves) ?? d.maxLeaves,
    earlyStoppingRounds: num(hyper.earlyStoppingRounds) ?? d.earlyStoppingRounds,
    seed,
  };
  if (hyper.growPolicy === 'lossguide' || hyper.growPolicy === 'depthwise') out.growPolicy = hyper.growPolicy;
  for (const k of ['lambda', 'alpha', 'minChildWeight', 'minSplitGain', 'subsample', 'colsampleByTree', 'maxBins', 'huberDelta'] as const) {
    const v = num(hyper[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
}
