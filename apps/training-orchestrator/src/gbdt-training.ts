// A `gbdt` training job: boosting rounds instead of optimizer epochs. Each round is reported as an
// epoch (train loss, validation loss and task metrics) and checkpointed (the trees so far, the RNG
// and early-stopping state, in the engine's Checkpoint shape with kind 'gbdt'), so a killed worker's
// job resumes at the next round and ends with the same trees, bit for bit.
import {
  computeTaskMetrics,
  createPredictor,
  featureKinds,
  featureMatrix,
  GbdtModel,
  GbdtTrainer,
  packBundle,
  saveBundle,
  type BundleMeta,
  type Checkpoint,
  type EpochLog,
  type GbdtCheckpoint,
  type GbdtModelConfig,
  type Preprocessor,
  type SignatureInput,
} from '@atelier/engine';
import type { TrainingTask } from '@atelier/contracts';
import { prefixed, sanitize, type Prepared, type TrainingHooks, type TrainingOutcome } from './training-core.js';

export interface BoostingRun {
  config: GbdtModelConfig;
  pre: Preprocessor;
  task: TrainingTask;
  classes: string[] | null;
  numClasses: number;
  rows: TrainingOutcome['rows'];
  train: Prepared;
  validation: Prepared;
  test: Prepared;
  bundleMeta(signature: SignatureInput[]): BundleMeta;
  hooks: TrainingHooks;
  resumeFrom?: Checkpoint;
}

function toEngineCheckpoint(c: GbdtCheckpoint, learningRate: number, trees: number): Checkpoint {
  return {
    formatVersion: 1,
    kind: 'gbdt',
    epoch: c.rounds,
    step: c.rounds * trees,
    weights: c.trees,
    optimizer: { kind: 'sgd', step: 0, slots: {} },
    rngState: c.rngState,
    earlyStopping: { best: c.earlyStopping.best, bestEpoch: c.earlyStopping.bestRound, wait: c.earlyStopping.wait, bestWeights: null },
    history: c.history.map(
      (h): EpochLog => ({ epoch: h.round, trainLoss: h.train, ...(h.validation !== undefined && { valMetric: h.validation }), lr: learningRate, steps: trees, durationMs: h.durationMs }),
    ),
  };
}

function fromEngineCheckpoint(c: Checkpoint): GbdtCheckpoint {
  if (c.kind !== 'gbdt') throw new Error(`checkpoint is of a '${c.kind}' model, not gbdt`);
  return {
    rounds: c.epoch,
    rngState: c.rngState,
    earlyStopping: { best: c.earlyStopping?.best ?? null, bestRound: c.earlyStopping?.bestEpoch ?? -1, wait: c.earlyStopping?.wait ?? 0 },
    history: c.history.map((h) => ({ round: h.epoch, train: h.trainLoss, ...(h.valMetric !== undefined && { validation: h.valMetric }), durationMs: h.durationMs })),
    trees: c.weights,
  };
}

/** Margins → what the predictor returns (probabilities or values), float32. */
function transform(task: TrainingTask, margins: Float64Array, K: number): Float32Array {
  const out = new Float32Array(margins.length);
  if (task === 'binary') for (let i = 0; i < margins.length; i++) out[i] = 1 / (1 + Math.exp(-margins[i]));
  else if (task === 'multiclass') {
    for (let i = 0; i < margins.length / K; i++) {
      let mx = -Infinity;
      for (let k = 0; k < K; k++) mx = Math.max(mx, margins[i * K + k]);
      let z = 0;
      for (let k = 0; k < K; k++) z += Math.exp(margins[i * K + k] - mx);
      for (let k = 0; k < K; k++) out[i * K + k] = Math.exp(margins[i * K + k] - mx) / z;
    }
  } else for (let i = 0; i < margins.length; i++) out[i] = margins[i];
  return out;
}

export async function runBoosting(r: BoostingRun): Promise<TrainingOutcome> {
  const { config, task, hooks } = r;
  const metricOpts = task === 'multiclass' ? { numClasses: r.numClasses } : {};
  const categorical = featureKinds(config.inputs);
  const dataset = (p: Prepared) => ({ numRows: p.numRows, values: featureMatrix(config.inputs, p.inputs, p.numRows), labels: p.labels! });
  const hasValidation = r.validation.numRows > 0;
  const trainer = new GbdtTrainer(
    {
      numFeatures: categorical.length,
      categorical,
      train: dataset(r.train),
      ...(hasValidation && { validation: dataset(r.validation) }),
      params: config.params,
    },
    r.resumeFrom && fromEngineCheckpoint(r.resumeFrom),
  );
  const K = trainer.objective.outputWidth;
  const lr = trainer.params.learningRate;
  if (r.resumeFrom) hooks.onLog?.(`resuming boosting at round ${trainer.rounds + 1} with ${trainer.ensemble.numTrees} trees`);
  hooks.onLog?.(
    `gbdt: ${trainer.params.objective}, ${trainer.params.numRounds} rounds, depth ${trainer.params.maxDepth}, ${trainer.params.growPolicy}, ` +
      `${categorical.length} features (${categorical.filter(Boolean).length} categorical), ${trainer.binner.features.reduce((a, f) => a + f.numBins, 0)} bins`,
  );
  let cancelled = false;
  while (!trainer.done) {
    if (hooks.signal?.aborted) {
      cancelled = true;
      break;
    }
    const log = trainer.step();
    let validation: Record<string, number> | undefined;
    if (hasValidation) {
      const pred = transform(task, trainer.validationMargins!, K);
      validation = prefixed(sanitize({ loss: log.validation!, ...computeTaskMetrics(task as 'binary', r.validation.labels!, pred, metricOpts) }));
    }
    await hooks.onEpoch?.({ epoch: log.round + 1, trainLoss: log.train, lr, steps: K, durationMs: Math.round(log.durationMs), ...(validation && { validation }) });
    await hooks.onCheckpoint?.(toEngineCheckpoint(trainer.checkpoint(), lr, K));
  }
  const base = {
    epochsCompleted: trainer.rounds,
    signature: r.pre.signature().map((s) => ({ ...s, shape: [] })),
    task,
    labelClasses: r.classes,
    rows: r.rows,
    ...(hasValidation && trainer.params.earlyStoppingRounds > 0 && trainer.bestIteration >= 0 && { bestEpoch: trainer.bestIteration + 1 }),
  };
  if (cancelled) return { ...base, status: 'cancelled', testMetrics: {}, validationMetrics: {} };

  const model = new GbdtModel(config, trainer.finish(), trainer.binner);
  const predictor = createPredictor(model);
  const metricsOf = (p: Prepared) =>
    p.numRows === 0 ? {} : sanitize(computeTaskMetrics(task as 'binary', p.labels!, predictor.predict({ numRows: p.numRows, inputs: p.inputs }), metricOpts));
  const testMetrics = metricsOf(r.test);
  const validationMetrics = hasValidation ? prefixed(metricsOf(r.validation)) : {};
  const bundle = packBundle(saveBundle(model, r.bundleMeta(base.signature)));
  return { ...base, status: trainer.stopped ? 'early_stopped' : 'completed', testMetrics, validationMetrics, bundle };
}
