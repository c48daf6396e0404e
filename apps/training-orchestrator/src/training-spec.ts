// The job spec as the gateway stores it in training_jobs.spec (the gateway validates it against the
// dataset version's schema before the row exists), and the defaults the orchestrator fills in. The
// orchestrator re-checks what it depends on at run time and fails the job naming the problem.
import { cannedTask, type CannedTask, type FeatureSpec, type ModelKind, type OptimizerConfig } from '@atelier/engine';

export type SplitSpec =
  | { method: 'random'; fractions?: SplitFractions; seed?: number }
  | { method: 'time'; fractions?: SplitFractions; timeColumn: string };

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

export type TrainTask = CannedTask;

export interface TrainingJobSpec {
  type?: 'train';
  modelName: string;
  data: { dataset: string; version: number };
  /** Required except for two_tower (retrieval trains on (user, item) pairs with in-batch negatives). */
  label?: string;
  features: FeatureSpec[];
  model: { kind: ModelKind; hyperparameters?: Record<string, unknown> };
  split?: SplitSpec;
  device?: 'cpu' | 'gpu' | 'auto';
  maxEpochs?: number;
  batchSize?: number;
  optimizer?: { kind: OptimizerConfig['kind']; lr: number; l2?: number; clipNorm?: number };
  earlyStopping?: { metric?: string; patience: number; minDelta?: number };
  seed?: number;
  resources?: { cores?: number };
}

/**
 * An on-demand evaluation of a registered version, queued by the registry (gateway evaluations
 * service) as a job with spec.type 'evaluate'.
 */
export interface EvaluateJobSpec {
  type: 'evaluate';
  modelVersionId: string;
  /** The dataset version to evaluate on; absent: the training run's holdout split (from the version's lineage). */
  datasetVersionId?: string | null;
  sliceColumn?: string | null;
  /** null: the label the version was trained with. */
  labelColumn?: string | null;
  /** Blessing-gate thresholds; empty: the task's primary metric may not regress vs production. */
  gate?: unknown[];
  seed?: number;
  resources?: { cores?: number };
}

export const DEFAULT_FRACTIONS: SplitFractions = { train: 0.7, validation: 0.15, test: 0.15 };
export const DEFAULTS = { maxEpochs: 10, batchSize: 128, lr: 0.01, optimizer: 'adam' as const, seed: 0, cores: 1 };

/**
 * Without `maxEpochs`, train for a number of optimizer steps rather than epochs: small tables get
 * enough updates to converge (10 epochs of a 400-row table are ~30 Adam steps), large ones stop at
 * 10 epochs. Early stopping on the validation loss (best weights restored) ends it sooner.
 */
export const DEFAULT_TARGET_STEPS = 2000;
export const DEFAULT_MAX_EPOCHS_CAP = 300;
export const DEFAULT_EARLY_STOPPING: { metric?: string; patience: number; minDelta?: number } = { patience: 10, minDelta: 0 };

/**
 * Linear regression fits an unscaled target (the bias starts at its mean, but the weights must grow to
 * the target's scale): a larger default step gets there within the default step budget.
 */
export function defaultLearningRate(kind: ModelKind): number {
  return kind === 'linear' ? 0.1 : DEFAULTS.lr;
}

export function defaultEpochs(trainRows: number, batchSize: number): number {
  const stepsPerEpoch = Math.max(1, Math.ceil(trainRows / batchSize));
  return Math.min(DEFAULT_MAX_EPOCHS_CAP, Math.max(DEFAULTS.maxEpochs, Math.ceil(DEFAULT_TARGET_STEPS / stepsPerEpoch)));
}

/** The task a job trains for: the engine's rule, shared with the gateway's submit-time checks. */
export const taskOf = cannedTask;

/** Cores the job asks for (default 1). */
export function coresOf(spec: { resources?: { cores?: number } }): number {
  const c = spec.resources?.cores;
  return typeof c === 'number' && Number.isInteger(c) && c > 0 ? c : DEFAULTS.cores;
}

export function isEvaluateSpec(spec: Record<string, unknown>): boolean {
  return spec.type === 'evaluate';
}
