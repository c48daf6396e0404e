// Tuning jobs: a base training spec plus a search space over paths into it, a search strategy
// (random, or aging evolution — Real et al. 2019), optional ASHA early stopping of bad trials on their
// per-epoch (per boosting round) validation metrics, an objective, a budget. The gateway validates
// it at submit; the orchestrator's tuning controller runs it; trials are training jobs.
import { Type, type Static } from 'typebox';
import { literalUnion } from './model-tasks.contract.js';
import { TrainingJobRequest } from './training-job.contract.js';

/**
 * A JSON pointer into the training spec (`/model/hyperparameters/hiddenUnits`, `/optimizer/lr`,
 * `/batchSize`). Generic over the spec: any field the base spec's schema accepts may be searched.
 */
export const SpecPath = Type.String({
  pattern: '^(/[A-Za-z0-9_]+)+$',
  maxLength: 200,
  description: 'a JSON pointer into the training spec, e.g. /model/hyperparameters/dropout or /optimizer/lr',
});

const Condition = Type.Object(
  {
    path: { ...SpecPath, description: 'another search parameter, listed before this one' },
    in: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 100, description: 'this parameter is active only while that one takes one of these values' }),
  },
  { additionalProperties: false },
);
const common = {
  path: SpecPath,
  when: Type.Optional(Condition),
};

export const SearchParameter = Type.Union([
  Type.Object(
    {
      ...common,
      type: Type.Literal('float'),
      min: Type.Number(),
      max: Type.Number(),
      scale: Type.Optional(Type.Union([Type.Literal('linear'), Type.Literal('log')], { description: 'default linear; log needs min > 0' })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      ...common,
      type: Type.Literal('int'),
      min: Type.Integer({ minimum: -(2 ** 31), maximum: 2 ** 31 - 1 }),
      max: Type.Integer({ minimum: -(2 ** 31), maximum: 2 ** 31 - 1 }),
      scale: Type.Optional(Type.Union([Type.Literal('linear'), Type.Literal('log')], { description: 'default linear; log needs min > 0' })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      ...common,
      type: Type.Literal('choice'),
      values: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 100, description: 'any JSON values (numbers, strings, arrays such as hidden layer lists)' }),
    },
    { additionalProperties: false },
  ),
]);
export type SearchParameter = Static<typeof SearchParameter>;

export const SearchSpace = Type.Array(SearchParameter, { minItems: 1, maxItems: 50, description: 'parameters in order; a conditional one names an earlier one' });
export type SearchSpace = Static<typeof SearchSpace>;

export const TuningStrategy = Type.Union([
  Type.Object({ kind: Type.Literal('random') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('aging_evolution'),
      populationSize: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, description: 'P: the population (default 8); the first P trials are random' })),
      sampleSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'S: the tournament sample (default 3; at most P); its best is mutated' })),
    },
    { additionalProperties: false },
  ),
]);
export type TuningStrategy = Static<typeof TuningStrategy>;

export const TuningEarlyStopping = Type.Object(
  {
    kind: Type.Literal('asha'),
    minEpochs: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'the first rung, in epochs (boosting rounds); default 1' })),
    reductionFactor: Type.Optional(Type.Integer({ minimum: 2, maximum: 100, description: 'η: the top 1/η of a rung go on (default 3)' })),
    maxEpochs: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'no rung beyond this epoch (default: the base spec’s maxEpochs, else 300)' })),
  },
  { additionalProperties: false, description: 'successive halving (ASHA): a trial reaching a rung continues only if it is in the top 1/η of the trials seen at that rung' },
);
export type TuningEarlyStopping = Static<typeof TuningEarlyStopping>;

export const TUNING_DIRECTIONS = ['maximize', 'minimize'] as const;
export type TuningDirection = (typeof TUNING_DIRECTIONS)[number];

export const TuningObjective = Type.Object(
  {
    metric: Type.String({ minLength: 1, maxLength: 100, description: 'a validation metric without the val_ prefix: auc, accuracy, log_loss, rmse, loss…' }),
    direction: Type.Optional(literalUnion(TUNING_DIRECTIONS, { description: 'default: from the metric (loss, log_loss, rmse, mse, mae, brier, ece: minimize)' })),
  },
  { additionalProperties: false },
);
export type TuningObjective = Static<typeof TuningObjective>;

/** POST /v1/projects/{p}/tuning-jobs. */
export const TuningJobRequest = Type.Object(
  {
    base: { ...TrainingJobRequest, description: 'the training job every trial starts from (modelName: the model the best trial registers)' },
    searchSpace: SearchSpace,
    strategy: Type.Optional({ ...TuningStrategy, description: 'default random' }),
    earlyStopping: Type.Optional(TuningEarlyStopping),
    objective: Type.Optional({ ...TuningObjective, description: 'default from the task: binary auc, multiclass accuracy, regression rmse, retrieval loss' }),
    maxTrials: Type.Integer({ minimum: 1, maximum: 1000 }),
    parallelism: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: 'trials at once (default 1); never more than the live workers can run' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, description: 'the study’s randomness (default 0); trials keep the base seed' })),
  },
  { title: 'TuningJobRequest', additionalProperties: false },
);
export type TuningJobRequest = Static<typeof TuningJobRequest>;

/** tuning_jobs.spec: the request with defaults resolved (what the controller runs). */
export interface TuningJobSpec {
  base: Record<string, unknown>;
  searchSpace: SearchSpace;
  strategy: TuningStrategy;
  earlyStopping?: TuningEarlyStopping;
  objective: { metric: string; direction: TuningDirection };
  maxTrials: number;
  parallelism: number;
  seed: number;
}

const LOWER_IS_BETTER = new Set(['loss', 'log_loss', 'rmse', 'mse', 'mae', 'brier', 'ece']);
/** The objective's direction when the client names none. */
export function defaultDirection(metric: string): TuningDirection {
  return LOWER_IS_BETTER.has(metric.replace(/^val_/, '')) ? 'minimize' : 'maximize';
}
/** The objective metric of a task when the client names none. */
export function defaultObjectiveMetric(task: string): string {
  return task === 'binary' ? 'auc' : task === 'multiclass' ? 'accuracy' : task === 'regression' ? 'rmse' : 'loss';
}

export const TUNING_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type TuningStatus = (typeof TUNING_STATUSES)[number];

/** A trial's state as the study sees it: its training job's status, or `stopped` when ASHA stopped it. */
export const TRIAL_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'stopped'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

export const TUNING_EVENT_TYPES = ['state', 'trial', 'population', 'best', 'log'] as const;
export type TuningEventType = (typeof TUNING_EVENT_TYPES)[number];

/** Event payloads: open objects (new fields may appear, none disappear). */
export interface TuningEventPayloads {
  state: { status: TuningStatus; worker?: string; attempt?: number; error?: string; bestTrial?: number; modelVersionId?: string; modelVersion?: number };
  trial: { trial: number; state: TrialState; trainingJobId: string; params?: Record<string, unknown>; objective?: number | null; parentTrial?: number | null; rung?: number; epoch?: number; error?: string | null };
  population: { members: number[]; joined?: number; died?: number | null };
  best: { trial: number; objective: number; params: Record<string, unknown> };
  log: { level: 'info' | 'warn' | 'error'; message: string };
}
