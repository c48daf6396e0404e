// The defaults of a training job, in one place: the request schema's descriptions are written from
// these constants, and the orchestrator resolves a stored spec with `resolveTrainingSettings`.
import type { ModelKind } from './model-tasks.contract.js';

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

export interface EarlyStoppingSettings {
  metric?: string;
  patience: number;
  minDelta?: number;
}

export const TRAINING_DEFAULTS = {
  device: 'auto',
  /** The least epochs a job without maxEpochs trains (before early stopping). */
  minEpochs: 10,
  /** Without maxEpochs: train for about this many optimizer steps… */
  targetSteps: 2000,
  /** …but never more epochs than this. */
  maxEpochsCap: 300,
  batchSize: 128,
  optimizer: 'adam',
  lr: 0.01,
  /** Linear regression fits an unscaled target: a larger step reaches its scale within the step budget. */
  linearLr: 0.1,
  seed: 0,
  cores: 1,
  maxAttempts: 3,
  fractions: { train: 0.7, validation: 0.15, test: 0.15 } satisfies SplitFractions,
  /** Applied only when maxEpochs is absent: patience on the validation loss, best weights restored. */
  earlyStopping: { patience: 10, minDelta: 0 } satisfies EarlyStoppingSettings,
} as const;

export function defaultLearningRate(kind: ModelKind): number {
  return kind === 'linear' ? TRAINING_DEFAULTS.linearLr : TRAINING_DEFAULTS.lr;
}

/**
 * Without `maxEpochs`, train for a number of optimizer steps rather than epochs: small tables get
 * enough updates to converge (10 epochs of a 400-row table are ~30 Adam steps), large ones stop at
 * 10 epochs. Early stopping on the validation loss (best weights restored) ends it sooner.
 */
export function defaultEpochs(trainRows: number, batchSize: number): number {
  const stepsPerEpoch = Math.max(1, Math.ceil(trainRows / batchSize));
  return Math.min(TRAINING_DEFAULTS.maxEpochsCap, Math.max(TRAINING_DEFAULTS.minEpochs, Math.ceil(TRAINING_DEFAULTS.targetSteps / stepsPerEpoch)));
}

/** What a train spec leaves open, as `resolveTrainingSettings` reads it. */
export interface TrainingSettingsInput {
  model: { kind: ModelKind };
  split?: { method: 'random'; fractions?: SplitFractions; seed?: number } | { method: 'time'; fractions?: SplitFractions; timeColumn: string };
  maxEpochs?: number;
  batchSize?: number;
  optimizer?: { kind: 'sgd' | 'adam' | 'adamw' | 'adagrad'; lr: number; l2?: number; clipNorm?: number };
  earlyStopping?: EarlyStoppingSettings;
  seed?: number;
  resources?: { cores?: number };
}

export interface TrainingSettings {
  seed: number;
  /** The split's own seed, or the job's. */
  splitSeed: number;
  fractions: SplitFractions;
  batchSize: number;
  /** `maxEpochs`, or `defaultEpochs` for the rows of the train split (known after the split). */
  epochs(trainRows: number): number;
  earlyStopping: EarlyStoppingSettings | undefined;
  optimizer: { kind: 'sgd' | 'adam' | 'adamw' | 'adagrad'; lr: number; l2?: number; clipNorm?: number };
  cores: number;
}

/** Every default of a train spec applied: what the orchestrator trains with. */
export function resolveTrainingSettings(spec: TrainingSettingsInput): TrainingSettings {
  const seed = spec.seed ?? TRAINING_DEFAULTS.seed;
  const batchSize = spec.batchSize ?? TRAINING_DEFAULTS.batchSize;
  return {
    seed,
    splitSeed: (spec.split?.method === 'random' ? spec.split.seed : undefined) ?? seed,
    fractions: spec.split?.fractions ?? { ...TRAINING_DEFAULTS.fractions },
    batchSize,
    epochs: (trainRows) => spec.maxEpochs ?? defaultEpochs(trainRows, batchSize),
    earlyStopping: spec.earlyStopping ?? (spec.maxEpochs === undefined ? { ...TRAINING_DEFAULTS.earlyStopping } : undefined),
    optimizer: { ...spec.optimizer, kind: spec.optimizer?.kind ?? TRAINING_DEFAULTS.optimizer, lr: spec.optimizer?.lr ?? defaultLearningRate(spec.model.kind) },
    cores: coresOf(spec),
  };
}

/** Cores a job asks for (default 1). */
export function coresOf(spec: { resources?: { cores?: number } }): number {
  const c = spec.resources?.cores;
  return typeof c === 'number' && Number.isInteger(c) && c > 0 ? c : TRAINING_DEFAULTS.cores;
}
