// The engine's Checkpoint (weights, optimizer slots + step, completed epochs, RNG state, early-stopping
// state, history) as one safetensors file: tensors under `w/`, `opt/`, `best/`; everything else as JSON
// in the `__metadata__` entry 'atelier.checkpoint'. Lossless: a decoded checkpoint resumes bit-exactly.
import { decodeSafetensors, encodeSafetensors, type Checkpoint, type SafetensorsTensor } from '@atelier/engine';

export const CHECKPOINT_CODEC = 'atelier.checkpoint.v1';

interface CheckpointHeader {
  codec: typeof CHECKPOINT_CODEC;
  formatVersion: number;
  kind: string;
  epoch: number;
  step: number;
  optimizer: { kind: Checkpoint['optimizer']['kind']; step: number };
  rngState: number[];
  earlyStopping: { best: number | null; bestEpoch: number; wait: number; hasBestWeights: boolean } | null;
  history: Checkpoint['history'];
  /** Mid-epoch stream position (batches trained in the epoch in progress). */
  position?: Checkpoint['position'];
  /** Caller's extra state (e.g. the job's spec hash), opaque here. */
  extra?: Record<string, unknown>;
}

const f32 = (data: Float32Array): SafetensorsTensor => ({ dtype: 'F32', shape: [data.length], data });

export function encodeCheckpoint(c: Checkpoint, extra?: Record<string, unknown>): Uint8Array {
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [k, v] of Object.entries(c.weights)) tensors[`w/${k}`] = f32(v);
  for (const [k, v] of Object.entries(c.optimizer.slots)) tensors[`opt/${k}`] = f32(v);
  const best = c.earlyStopping?.bestWeights;
  if (best) for (const [k, v] of Object.entries(best)) tensors[`best/${k}`] = f32(v);
  const header: CheckpointHeader = {
    codec: CHECKPOINT_CODEC,
    formatVersion: c.formatVersion,
    kind: c.kind,
    epoch: c.epoch,
    step: c.step,
    optimizer: { kind: c.optimizer.kind, step: c.optimizer.step },
    rngState: c.rngState,
    earlyStopping: c.earlyStopping && {
      best: c.earlyStopping.best,
      bestEpoch: c.earlyStopping.bestEpoch,
      wait: c.earlyStopping.wait,
      hasBestWeights: !!best,
    },
    history: c.history,
    ...(c.position && { position: c.position }),
    ...(extra && { extra }),
  };
  return encodeSafetensors(tensors, { 'atelier.checkpoint': JSON.stringify(header) });
}

export function decodeCheckpoint(bytes: Uint8Array): { checkpoint: Checkpoint; extra?: Record<string, unknown> } {
  // A copy when given a Node Buffer: the decoder slices its input, and Buffer#slice shares memory.
  const { tensors, metadata } = decodeSafetensors(Buffer.isBuffer(bytes) ? new Uint8Array(bytes) : bytes);
  const raw = metadata['atelier.checkpoint'];
  if (!raw) throw new Error('not an Atelier checkpoint (no atelier.checkpoint metadata)');
  const h = JSON.parse(raw) as CheckpointHeader;
  if (h.codec !== CHECKPOINT_CODEC) throw new Error(`unknown checkpoint codec '${String(h.codec)}'`);
  const weights: Record<string, Float32Array> = {};
  const slots: Record<string, Float32Array> = {};
  const best: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(tensors)) {
    const data = t.data as Float32Array;
    if (name.startsWith('w/')) weights[name.slice(2)] = data;
    else if (name.startsWith('opt/')) slots[name.slice(4)] = data;
    else if (name.startsWith('best/')) best[name.slice(5)] = data;
  }
  const checkpoint: Checkpoint = {
    formatVersion: h.formatVersion,
    kind: h.kind,
    epoch: h.epoch,
    step: h.step,
    weights,
    optimizer: { kind: h.optimizer.kind, step: h.optimizer.step, slots },
    rngState: h.rngState,
    earlyStopping: h.earlyStopping && {
      best: h.earlyStopping.best,
      bestEpoch: h.earlyStopping.bestEpoch,
      wait: h.earlyStopping.wait,
      bestWeights: h.earlyStopping.hasBestWeights ? best : null,
    },
    history: h.history,
    ...(h.position && { position: h.position }),
  };
  return { checkpoint, ...(h.extra && { extra: h.extra }) };
}
