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
  /** Epochs without improvement (explicit specs); `patienceSteps` counts optimizer steps instead. */
  patience?: number;
  patienceSteps?: number;
  minDelta?: number;
}

/** Early stopping as the fit loop runs it: patience in whole epochs for this table. */
export interface ResolvedEarlyStopping {
  metric?: string;
  patience: number;
  minDelta: number;
}

export interface LrScheduleSettings {
  kind: 'constant' | 'cosine';
  warmupSteps?: number;
  minLrFraction?: number;
}

/** The engine's schedule config (optimizer steps), as plain JSON. */
export interface ResolvedLrSchedule {
  schedule: { kind: 'constant' } | { kind: 'cosine'; totalSteps: number; minLr: number };
  warmupSteps: number;
}

/** Default transforms of a feature that names none. */
export const DEFAULT_TRANSFORMS = { numeric: 'robust', categorical: 'vocabulary' } as const;
/** The robust transform clips (x − median) / (IQR / 1.349) to ±ROBUST_CLIP unless options.clip says otherwise. */
export const ROBUST_CLIP = 5;

/** A feature's transform, or the default for its type. */
export function featureTransform(f: { type: 'numeric' | 'categorical'; transform?: string }): string {
  return f.transform ?? DEFAULT_TRANSFORMS[f.type];
}

// Chosen from `npm run bench -- quality` (5 scikit-learn datasets + 3 synthetic tasks, 3 seeds; the
// figures are in docs/training-defaults.md).
export const TRAINING_DEFAULTS = {
  device: 'auto',
  /** The least epochs a job without maxEpochs trains (before early stopping). */
  minEpochs: 10,
  /** Without maxEpochs: train for about this many optimizer steps… */
  targetSteps: 3000,
  /** …but never more epochs than this. */
  maxEpochsCap: 1000,
  /**
   * Without maxEpochs, one reported epoch (a validation, a checkpoint, an epoch event) covers at least
   * this many optimizer steps: a 150-row table makes 1 step a pass, and validating and checkpointing
   * after every pass would cost more than the training. Such an epoch is several passes over the data.
   * Not many more: with 100 steps between validations a small regression MLP overfit before the first
   * one (diabetes RMSE 63 ± 12 against 55 ± 3 at 20; docs/training-defaults.md).
   */
  minStepsPerEpoch: 20,
  batchSize: 128,
  optimizer: 'adam',
  lr: 0.01,
  /** Linear regression fits an unscaled target: a larger step reaches its scale within the step budget. */
  linearLr: 0.1,
  seed: 0,
  cores: 1,
  maxAttempts: 3,
  fractions: { train: 0.7, validation: 0.15, test: 0.15 } satisfies SplitFractions,
  /**
   * Without maxEpochs (or with an earlyStopping that names no patience): stop after this many optimizer
   * steps without a better validation loss, rounded up to whole epochs and never under
   * minPatienceEpochs; the best weights are restored at the end either way.
   */
  earlyStopping: { patienceSteps: 1000, minPatienceEpochs: 3, minDelta: 0 },
  /** Without maxEpochs: cosine decay over the planned optimizer steps to minLrFraction × lr. */
  lrSchedule: { kind: 'cosine', warmupSteps: 0, minLrFraction: 0.05 },
} as const;

export function defaultLearningRate(kind: ModelKind): number {
  return kind === 'linear' ? TRAINING_DEFAULTS.linearLr : TRAINING_DEFAULTS.lr;
}

function stepsPerEpoch(trainRows: number, batchSize: number): number {
  return Math.max(1, Math.ceil(trainRows / batchSize));
}

/**
 * Without `maxEpochs`, train for a number of optimizer steps rather than epochs: small tables get
 * enough updates to converge (10 epochs of a 400-row table are ~30 Adam steps), large ones stop at
 * 10 epochs. Early stopping on the validation loss (best weights restored) ends it sooner.
 */
export function defaultEpochs(trainRows: number, batchSize: number): number {
  return Math.min(TRAINING_DEFAULTS.maxEpochsCap, Math.max(TRAINING_DEFAULTS.minEpochs, Math.ceil(TRAINING_DEFAULTS.targetSteps / stepsPerEpoch(trainRows, batchSize))));
}

/** Passes over the train split per reported epoch without maxEpochs: at least minStepsPerEpoch steps. */
export function defaultPassesPerEpoch(trainRows: number, batchSize: number): number {
  return Math.max(1, Math.ceil(TRAINING_DEFAULTS.minStepsPerEpoch / stepsPerEpoch(trainRows, batchSize)));
}

/** Patience in optimizer steps → whole epochs of `stepsEach` steps (at least minPatienceEpochs). */
export function patienceEpochs(patienceSteps: number, trainRows: number, batchSize: number, passesPerEpoch = 1): number {
  return Math.max(TRAINING_DEFAULTS.earlyStopping.minPatienceEpochs, Math.ceil(patienceSteps / (passesPerEpoch * stepsPerEpoch(trainRows, batchSize))));
}

/** What a train spec leaves open, as `resolveTrainingSettings` reads it. */
export interface TrainingSettingsInput {
  model: { kind: ModelKind };
  split?: { method: 'random'; fractions?: SplitFractions; seed?: number } | { method: 'time'; fractions?: SplitFractions; timeColumn: string };
  maxEpochs?: number;
  batchSize?: number;
  optimizer?: { kind: 'sgd' | 'adam' | 'adamw' | 'adagrad'; lr: number; l2?: number; clipNorm?: number };
  earlyStopping?: EarlyStoppingSettings;
  lrSchedule?: LrScheduleSettings;
  seed?: number;
  resources?: { cores?: number };
}

export interface TrainingSettings {
  seed: number;
  /** The split's own seed, or the job's. */
  splitSeed: number;
  fractions: SplitFractions;
  batchSize: number;
  /** `maxEpochs`, or `defaultEpochs` for the rows of the train split (known after the split), in epochs of passesPerEpoch passes. */
  epochs(trainRows: number): number;
  /** Passes over the train split in one epoch: 1 with maxEpochs, else enough for minStepsPerEpoch steps. */
  passesPerEpoch(trainRows: number): number;
  /** Early stopping for a train split of this many rows (patience in epochs), or none. */
  earlyStopping(trainRows: number): ResolvedEarlyStopping | undefined;
  /** The learning-rate schedule over this run's optimizer steps. */
  lrSchedule(trainRows: number): ResolvedLrSchedule;
  optimizer: { kind: 'sgd' | 'adam' | 'adamw' | 'adagrad'; lr: number; l2?: number; clipNorm?: number };
  cores: number;
}

/** Every default of a train spec applied: what the orchestrator trains with. */
export function resolveTrainingSettings(spec: TrainingSettingsInput): TrainingSettings {
  const seed = spec.seed ?? TRAINING_DEFAULTS.seed;
  const batchSize = spec.batchSize ?? TRAINING_DEFAULTS.batchSize;
  const passesPerEpoch = (trainRows: number) => (spec.maxEpochs === undefined ? defaultPassesPerEpoch(trainRows, batchSize) : 1);
  const epochs = (trainRows: number) => spec.maxEpochs ?? Math.ceil(defaultEpochs(trainRows, batchSize) / passesPerEpoch(trainRows));
  const optimizer = { ...spec.optimizer, kind: spec.optimizer?.kind ?? TRAINING_DEFAULTS.optimizer, lr: spec.optimizer?.lr ?? defaultLearningRate(spec.model.kind) };
  const es = spec.earlyStopping ?? (spec.maxEpochs === undefined ? {} : undefined);
  const d = TRAINING_DEFAULTS;
  const scheduleSpec: LrScheduleSettings = spec.lrSchedule ?? (spec.maxEpochs === undefined ? d.lrSchedule : { kind: 'constant' });
  return {
    seed,
    splitSeed: (spec.split?.method === 'random' ? spec.split.seed : undefined) ?? seed,
    fractions: spec.split?.fractions ?? { ...d.fractions },
    batchSize,
    epochs,
    passesPerEpoch,
    earlyStopping: (trainRows) => {
      if (!es) return undefined;
      const patience = es.patience ?? patienceEpochs(es.patienceSteps ?? d.earlyStopping.patienceSteps, trainRows, batchSize, passesPerEpoch(trainRows));
      return { ...(es.metric !== undefined && { metric: es.metric }), patience, minDelta: es.minDelta ?? d.earlyStopping.minDelta };
    },
    lrSchedule: (trainRows) => {
      const warmupSteps = scheduleSpec.warmupSteps ?? (spec.lrSchedule ? 0 : d.lrSchedule.warmupSteps);
      if (scheduleSpec.kind === 'constant') return { schedule: { kind: 'constant' }, warmupSteps };
      const total = epochs(trainRows) * passesPerEpoch(trainRows) * stepsPerEpoch(trainRows, batchSize);
      const fraction = scheduleSpec.minLrFraction ?? d.lrSchedule.minLrFraction;
      return { schedule: { kind: 'cosine', totalSteps: Math.max(1, total - warmupSteps), minLr: optimizer.lr * fraction }, warmupSteps };
    },
    optimizer,
    cores: coresOf(spec),
  };
}

/** Cores a job asks for (default 1). */
export function coresOf(spec: { resources?: { cores?: number } }): number {
  const c = spec.resources?.cores;
  return typeof c === 'number' && Number.isInteger(c) && c > 0 ? c : TRAINING_DEFAULTS.cores;
}
