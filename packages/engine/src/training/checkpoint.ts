// Checkpoints: everything needed to continue training exactly where it stopped — weights,
// optimizer slots + step, completed epochs, the dropout RNG state and early-stopping state.
import { readSync } from '../engine.js';
import type { CannedModel } from '../models/model.js';
import type { OptimizerState } from '../optimizers/optimizer.js';

export const CHECKPOINT_FORMAT_VERSION = 1;

export interface EarlyStoppingState {
  best: number | null;
  bestEpoch: number;
  wait: number;
  bestWeights: Record<string, Float32Array> | null;
}

export interface Checkpoint {
  formatVersion: number;
  kind: string;
  /** Epochs fully completed. */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  weights: Record<string, Float32Array>;
  optimizer: OptimizerState;
  rngState: number[];
  earlyStopping: EarlyStoppingState | null;
  history: EpochLog[];
  /**
   * Set on a checkpoint taken inside an epoch (fit's checkpointIntervalMs): the position in the stream
   * of epoch `epoch` (0-based: the epoch in progress) — batches already trained and their summed loss.
   * A resume replays that epoch's batches deterministically and trains from batch `batches` on.
   */
  position?: { batches: number; lossSum: number; durationMs: number };
}

export interface EpochLog {
  epoch: number;
  trainLoss: number;
  valMetric?: number;
  lr: number;
  steps: number;
  durationMs: number;
}

export function snapshotWeights(model: CannedModel): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [path, v] of model.namedVariables()) out[path] = Float32Array.from(readSync(v));
  return out;
}

export function restoreWeights(model: CannedModel, weights: Record<string, Float32Array>): void {
  const named = model.namedVariables();
  for (const [path, v] of named) {
    const w = weights[path];
    if (!w) throw new Error(`restoreWeights: missing weight '${path}'`);
    if (w.length !== v.size) throw new Error(`restoreWeights: '${path}' has ${w.length} values, model expects [${v.shape}]`);
    v.assign(w);
  }
  const known = new Set(named.map(([p]) => p));
  const extra = Object.keys(weights).filter((k) => !known.has(k));
  if (extra.length) throw new Error(`restoreWeights: unknown weights ${extra.join(', ')}`);
}
