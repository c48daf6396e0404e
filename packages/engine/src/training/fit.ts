// The training loop: seeded, cancellable, checkpointable, with early stopping and a divergence
// guard. Each step runs inside tidy, so it leaves no tensors behind.
import { getBackend } from '../backends/backend.js';
import { tidy } from '../engine.js';
import { valueAndGradsSparse } from '../gradients/backprop.js';
import { inputsToTensors, type Batch, type CannedModel } from '../models/model.js';
import { Optimizer, type OptimizerConfig, type StepInfo } from '../optimizers/optimizer.js';
import type { Variable } from '../tensor.js';
import { Random } from '../util/random.js';
import { CHECKPOINT_FORMAT_VERSION, restoreWeights, snapshotWeights, type Checkpoint, type EarlyStoppingState, type EpochLog } from './checkpoint.js';
import { DivergenceError } from './errors.js';
import { defaultLoss, type LossFn } from './model-loss.js';

export type BatchSource = Iterable<Batch> | AsyncIterable<Batch>;

export interface StepEvent {
  epoch: number;
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
}

export interface FitOptions {
  epochs: number;
  /** Batches for an epoch; must be deterministic in `epoch` for exact resume. */
  data: (epoch: number) => BatchSource;
  optimizer: Optimizer | OptimizerConfig;
  /** Seed for dropout; default 0. */
  seed?: number;
  loss?: LossFn;
  validation?: {
    data: () => BatchSource;
    /** Default: mean loss over the validation batches (mode 'min'). */
    metric?: (model: CannedModel) => number | Promise<number>;
    mode?: 'min' | 'max';
  };
  /** restoreBestWeights: the weights of the best validation epoch at the end (early stop or not). */
  earlyStopping?: { patience: number; minDelta?: number; restoreBestWeights?: boolean };
  callbacks?: {
    onStep?: (e: StepEvent) => void;
    onEpochEnd?: (e: EpochLog) => void | Promise<void>;
    /** Called after every epoch (when set); persist the checkpoint to resume later. */
    onCheckpoint?: (c: Checkpoint) => void | Promise<void>;
  };
  signal?: AbortSignal;
  resumeFrom?: Checkpoint;
  /**
   * Also checkpoint inside an epoch, at most this often (ms; needs callbacks.onCheckpoint): the
   * checkpoint's `position` records the batches trained in the epoch, and a resume from it replays the
   * epoch's data (deterministic in `epoch`) without training up to there. Default: epoch ends only.
   */
  checkpointIntervalMs?: number;
}

export interface FitResult {
  status: 'completed' | 'early_stopped' | 'cancelled';
  epochsCompleted: number;
  steps: number;
  history: EpochLog[];
  bestEpoch?: number;
  bestMetric?: number;
}

async function* iterate(src: BatchSource): AsyncGenerator<Batch> {
  if (Symbol.asyncIterator in src) yield* src as AsyncIterable<Batch>;
  else yield* src as Iterable<Batch>;
}

const yieldToEventLoop = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * One optimisation step on one batch, inside tidy (it leaves no tensors behind). Throws
 * DivergenceError when the loss is NaN or infinite (before the update is applied).
 */
export function trainStep(
  model: CannedModel,
  optimizer: Optimizer,
  batch: Batch,
  opts: { loss?: LossFn; rng?: Random; params?: Variable[]; epoch?: number } = {},
): { loss: number; info: StepInfo } {
  const params = opts.params ?? model.parameters();
  const lossFn = opts.loss ?? defaultLoss;
  const stepIndex = optimizer.step;
  const backend = getBackend();
  backend.beginStep?.();
  let completed = false;
  try {
    const result = tidy(() => {
      const inputs = inputsToTensors(model.features, batch.inputs, batch.numRows, batch.resident);
      const { value, grads } = valueAndGradsSparse(() => lossFn(model, inputs, batch, { training: true, rng: opts.rng }), params);
      const l = value.item();
      if (!Number.isFinite(l)) throw new DivergenceError(opts.epoch ?? 0, stepIndex, l);
      return { loss: l, info: optimizer.apply(params, grads) };
    });
    completed = true;
    return result;
  } finally {
    backend.endStep?.(completed);
  }
}

/** Mean default loss over a data source (no tape, inference mode). */
export async function evaluateLoss(model: CannedModel, data: BatchSource, loss: LossFn = defaultLoss): Promise<number> {
  let total = 0, rows = 0;
  for await (const batch of iterate(data)) {
    const l = tidy(() => loss(model, inputsToTensors(model.features, batch.inputs, batch.numRows, batch.resident), batch, { training: false }).item());
    total += l * batch.numRows;
    rows += batch.numRows;
  }
  return rows ? total / rows : NaN;
}

export async function fit(model: CannedModel, opts: FitOptions): Promise<FitResult> {
  if (opts.earlyStopping && !opts.validation) throw new Error('fit: earlyStopping needs a validation source (options.validation)');
  const optimizer = opts.optimizer instanceof Optimizer ? opts.optimizer : new Optimizer(opts.optimizer);
  const ownsOptimizer = !(opts.optimizer instanceof Optimizer);
  const lossFn = opts.loss ?? defaultLoss;
  const params = model.parameters();
  const named = model.namedVariables();
  let rng = new Random(opts.seed ?? 0);
  let startEpoch = 0;
  let history: EpochLog[] = [];
  const mode = opts.validation?.mode ?? (opts.validation?.metric ? 'max' : 'min');
  let es: EarlyStoppingState = { best: null, bestEpoch: -1, wait: 0, bestWeights: null };
  let resumeAt: Checkpoint['position'] | undefined;

  if (opts.resumeFrom) {
    const c = opts.resumeFrom;
    if (c.formatVersion > CHECKPOINT_FORMAT_VERSION) throw new Error(`checkpoint formatVersion ${c.formatVersion} is newer than supported ${CHECKPOINT_FORMAT_VERSION}`);
    if (c.kind !== model.kind) throw new Error(`checkpoint is for a '${c.kind}' model, not '${model.kind}'`);
    restoreWeights(model, c.weights);
    optimizer.setState(named, c.optimizer);
    rng = Random.fromState(c.rngState);
    startEpoch = c.epoch;
    history = [...c.history];
    if (c.earlyStopping) es = { ...c.earlyStopping };
    resumeAt = c.position;
  }
  const checkpointEvery = opts.callbacks?.onCheckpoint ? opts.checkpointIntervalMs : undefined;
  let lastCheckpointAt = performance.now();
  const checkpointNow = (completedEpochs: number, position?: Checkpoint['position']): Checkpoint => ({
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    kind: model.kind,
    epoch: completedEpochs,
    step: optimizer.step,
    weights: snapshotWeights(model),
    optimizer: optimizer.getState(named),
    rngState: rng.getState(),
    earlyStopping: opts.validation ? { ...es } : null,
    history: [...history],
    ...(position && { position }),
  });

  let status: FitResult['status'] = 'completed';
  let epoch = startEpoch;
  // Counted across epochs: with epochs shorter than the interval the loop must still yield, or an
  // abort (a message to a training thread) is never seen.
  let lastYield = performance.now();
  try {
    for (; epoch < opts.epochs; epoch++) {
      if (opts.signal?.aborted) {
        status = 'cancelled';
        break;
      }
      // A mid-epoch resume: the epoch's first `skip` batches were trained before the checkpoint.
      const skip = resumeAt?.batches ?? 0;
      const t0 = performance.now() - (resumeAt?.durationMs ?? 0);
      let lossSum = resumeAt?.lossSum ?? 0, steps = skip, seen = 0;
      resumeAt = undefined;
      for await (const batch of iterate(opts.data(epoch))) {
        if (opts.signal?.aborted) {
          status = 'cancelled';
          break;
        }
        if (seen++ < skip) continue;
        const stepIndex = optimizer.step;
        const { loss, info } = trainStep(model, optimizer, batch, { loss: lossFn, rng, params, epoch });
        lossSum += loss;
        steps++;
        opts.callbacks?.onStep?.({ epoch, step: stepIndex, loss, lr: info.lr, gradNorm: info.gradNorm });
        if (performance.now() - lastYield > 50) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
        if (checkpointEvery !== undefined && performance.now() - lastCheckpointAt >= checkpointEvery) {
          await opts.callbacks!.onCheckpoint!(checkpointNow(epoch, { batches: steps, lossSum, durationMs: performance.now() - t0 }));
          lastCheckpointAt = performance.now();
        }
      }
      if (status === 'cancelled') break;
      const log: EpochLog = { epoch, trainLoss: steps ? lossSum / steps : NaN, lr: optimizer.currentLearningRate(), steps, durationMs: performance.now() - t0 };
      let stop = false;
      if (opts.validation) {
        const v = opts.validation.metric ? await opts.validation.metric(model) : await evaluateLoss(model, opts.validation.data(), lossFn);
        log.valMetric = v;
        const minDelta = opts.earlyStopping?.minDelta ?? 0;
        const improved = es.best === null || (mode === 'min' ? v < es.best - minDelta : v > es.best + minDelta);
        if (improved) {
          es = { best: v, bestEpoch: epoch, wait: 0, bestWeights: opts.earlyStopping?.restoreBestWeights ? snapshotWeights(model) : null };
        } else {
          es.wait++;
          if (opts.earlyStopping && es.wait >= opts.earlyStopping.patience) stop = true;
        }
      }
      history.push(log);
      await opts.callbacks?.onEpochEnd?.(log);
      if (opts.callbacks?.onCheckpoint) {
        await opts.callbacks.onCheckpoint(checkpointNow(epoch + 1));
        lastCheckpointAt = performance.now();
      }
      if (stop) {
        status = 'early_stopped';
        if (opts.earlyStopping?.restoreBestWeights && es.bestWeights) restoreWeights(model, es.bestWeights);
        epoch++;
        break;
      }
    }
    // Restore the best weights when the run ends without stopping early too (the last epoch is not
    // always the best one); a cancelled run keeps what it has.
    if (status === 'completed' && opts.earlyStopping?.restoreBestWeights && es.bestWeights && es.bestEpoch !== epoch - 1) restoreWeights(model, es.bestWeights);
  } finally {
    if (ownsOptimizer) optimizer.dispose();
  }
  return {
    status,
    epochsCompleted: status === 'cancelled' ? epoch : Math.min(epoch, opts.epochs),
    steps: optimizer.step,
    history,
    bestEpoch: es.bestEpoch >= 0 ? es.bestEpoch : undefined,
    bestMetric: es.best ?? undefined,
  };
}
