// A TreeEnsemble as float32 tensors — what bundles (safetensors F32) and checkpoints store. Lossless:
// integers (< 2^24) and float32 values are exact in float32; the 32-bit category sets are split into
// 16-bit halves; the base score is a float32 value (the trainer rounds it, as XGBoost keeps it).
import { TreeEnsemble, type TreeEnsembleArrays } from './tree-ensemble.js';

const f32 = (a: ArrayLike<number>) => Float32Array.from(a);

export function encodeEnsemble(e: TreeEnsemble): Record<string, Float32Array> {
  const a = e.arrays();
  const bits = new Float32Array(a.catBits.length * 2);
  for (let i = 0; i < a.catBits.length; i++) {
    bits[2 * i] = a.catBits[i] & 0xffff;
    bits[2 * i + 1] = a.catBits[i] >>> 16;
  }
  return {
    'trees/feature': f32(a.feature),
    'trees/threshold': a.threshold,
    'trees/left': f32(a.left),
    'trees/default_left': f32(a.defaultLeft),
    'trees/cat_offset': f32(a.catOffset),
    'trees/value': a.value,
    'trees/cover': a.cover,
    'trees/gain': a.gain,
    'trees/cat_bits': bits,
    'trees/roots': f32(a.roots),
    'trees/tree_output': f32(a.treeOutput),
    'trees/feature_num_bins': f32(e.featureNumBins),
    'trees/categorical': f32(e.categorical),
    'trees/base_score': Float32Array.from(e.baseScore),
  };
}

export class EnsembleFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnsembleFormatError';
  }
}

export const ENSEMBLE_TENSORS = [
  'trees/feature', 'trees/threshold', 'trees/left', 'trees/default_left', 'trees/cat_offset', 'trees/value', 'trees/cover', 'trees/gain',
  'trees/cat_bits', 'trees/roots', 'trees/tree_output', 'trees/feature_num_bins', 'trees/categorical', 'trees/base_score',
] as const;

export function decodeEnsemble(t: Record<string, Float32Array>): TreeEnsemble {
  for (const k of ENSEMBLE_TENSORS) if (!t[k]) throw new EnsembleFormatError(`tree ensemble is missing tensor '${k}'`);
  const n = t['trees/feature'].length;
  for (const k of ['trees/threshold', 'trees/left', 'trees/default_left', 'trees/cat_offset', 'trees/value', 'trees/cover', 'trees/gain']) {
    if (t[k].length !== n) throw new EnsembleFormatError(`tree tensor '${k}' has ${t[k].length} values, expected ${n}`);
  }
  const i32 = (a: Float32Array) => Int32Array.from(a);
  const raw = t['trees/cat_bits'];
  const catBits = new Uint32Array(raw.length / 2);
  for (let i = 0; i < catBits.length; i++) catBits[i] = (raw[2 * i] | (raw[2 * i + 1] << 16)) >>> 0;
  const arrays: TreeEnsembleArrays = {
    feature: i32(t['trees/feature']),
    threshold: Float32Array.from(t['trees/threshold']),
    left: i32(t['trees/left']),
    defaultLeft: Uint8Array.from(t['trees/default_left']),
    catOffset: i32(t['trees/cat_offset']),
    value: Float32Array.from(t['trees/value']),
    cover: Float32Array.from(t['trees/cover']),
    gain: Float32Array.from(t['trees/gain']),
    catBits,
    roots: i32(t['trees/roots']),
    treeOutput: i32(t['trees/tree_output']),
  };
  const numBins = i32(t['trees/feature_num_bins']);
  const F = numBins.length;
  const K = t['trees/base_score'].length;
  for (let i = 0; i < n; i++) {
    const f = arrays.feature[i];
    if (f >= F || (f >= 0 && (arrays.left[i] <= i || arrays.left[i] + 1 >= n)) || (arrays.catOffset[i] >= 0 && arrays.catOffset[i] + 8 > catBits.length)) {
      throw new EnsembleFormatError(`tree node ${i} is malformed (feature ${f}, left ${arrays.left[i]})`);
    }
  }
  for (let j = 0; j < arrays.roots.length; j++) {
    if (arrays.roots[j] < 0 || arrays.roots[j] >= n || arrays.treeOutput[j] < 0 || arrays.treeOutput[j] >= K) throw new EnsembleFormatError(`tree ${j} is malformed`);
  }
  const base = Float64Array.from(t['trees/base_score']);
  return TreeEnsemble.fromArrays(F, numBins, Uint8Array.from(t['trees/categorical']), K, base, arrays);
}
