// Model kinds and task names: one vocabulary for the gateway (submit checks, the registry's `task`),
// the orchestrator (what a job trains) and the engine (which implements the same names structurally;
// test/contracts-coverage.test.ts keeps the two equal, since the engine imports nothing of ours).
import { Type, type TSchemaOptions } from 'typebox';

/** A union of string literals (the JSON schema stays `anyOf` of consts) typed as the literals themselves. */
export function literalUnion<const T extends readonly string[]>(values: T, options?: TSchemaOptions) {
  return Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v)), options));
}

/** The canned model kinds a training job can build. */
export const MODEL_KINDS = ['linear', 'logistic', 'softmax', 'mlp', 'wide_deep', 'two_tower', 'gbdt'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/**
 * What a model predicts; decides its metrics. `ranking`: a scorer of candidates within a group
 * (NDCG@k, MAP); `retrieval`: a two-tower model matching users to items (in-batch negatives).
 */
export const MODEL_TASKS = ['binary', 'multiclass', 'regression', 'ranking', 'retrieval'] as const;
export type ModelTaskName = (typeof MODEL_TASKS)[number];
export const ModelTask = literalUnion(MODEL_TASKS, {
  title: 'ModelTask',
  description: 'what the model predicts; decides its metrics (ranking: scored candidates per group; retrieval: a two-tower model)',
});

/** The tasks a canned kind trains for (no canned kind trains `ranking`). */
export const TRAINING_TASKS = ['binary', 'multiclass', 'regression', 'retrieval'] as const satisfies readonly ModelTaskName[];
export type TrainingTask = (typeof TRAINING_TASKS)[number];

/** The tasks `mlp`, `wide_deep` and `gbdt` may be told to train for (hyperparameters.task). */
export const CONFIGURABLE_TASKS = ['binary', 'multiclass', 'regression'] as const satisfies readonly TrainingTask[];
export type ConfigurableTask = (typeof CONFIGURABLE_TASKS)[number];

