// The job spec as the gateway stores it in training_jobs.spec (the gateway validates it against the
// dataset version's schema before the row exists), and the defaults the orchestrator fills in. The
// orchestrator re-checks what it depends on at run time and fails the job naming the problem.
import type { FeatureSpec, ModelKind, OptimizerConfig } from '@atelier/engine';

export type SplitSpec =
  | { method: 'random'; fractions?: SplitFractions; seed?: number }
  | { method: 'time'; fractions?: SplitFractions; timeColumn: string };

export interface SplitFractions {
  train: number;
  validation: number;
  test: number;
}

export type TrainTask = 'binary' | 'multiclass' | 'regression' | 'retrieval';

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

export function taskOf(kind: ModelKind, hyper: Record<string, unknown> = {}): TrainTask {
  switch (kind) {
    case 'linear':
      return 'regression';
    case 'logistic':
      return 'binary';
    case 'softmax':
      return 'multiclass';
    case 'two_tower':
      return 'retrieval';
    default: {
      const t = hyper.task;
      return t === 'multiclass' || t === 'regression' ? t : 'binary';
    }
  }
}

/** Cores the job asks for (default 1). */
export function coresOf(spec: { resources?: { cores?: number } }): number {
  const c = spec.resources?.cores;
  return typeof c === 'number' && Number.isInteger(c) && c > 0 ? c : DEFAULTS.cores;
}

export function isEvaluateSpec(spec: Record<string, unknown>): boolean {
  return spec.type === 'evaluate';
}
