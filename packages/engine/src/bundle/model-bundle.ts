// Model bundles: a versioned JSON manifest plus weights in safetensors.
//
// Two-part form: { manifest: UTF-8 JSON bytes, weights: safetensors bytes }.
// Single-file form (what `packBundle` writes and `loadBundle` reads), all integers little-endian:
//   magic "ATLBNDL\0" (8 bytes) | u32 manifest byte length | manifest JSON | weights (safetensors, rest of file)
import type { FeatureInput } from '../layers/feature-inputs.js';
import { createModel, MODEL_KINDS, type ModelSpec } from '../models/create-model.js';
import type { CannedModel, Task } from '../models/model.js';
import { readSync } from '../engine.js';
import { restoreWeights } from '../training/checkpoint.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from './safetensors.js';
import { GbdtModel, type GbdtModelConfig } from '../trees/gbdt-model.js';

export const BUNDLE_FORMAT = 'atelier.model-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
export const ENGINE_VERSION = '0.1.0';
const MAGIC = new Uint8Array([0x41, 0x54, 0x4c, 0x42, 0x4e, 0x44, 0x4c, 0x00]); // "ATLBNDL\0"

export interface SignatureInput {
  name: string;
  dtype: 'float32' | 'int32' | 'string';
  /** Per-row shape ([] = scalar per row; [-1] = variable length). */
  shape: number[];
  nullable: boolean;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  kind: string;
  /** The model's typed config, enough to rebuild it with createModel. */
  architecture: unknown;
  /** Opaque preprocessing state from the preprocessing module (null when inputs are raw tensors). */
  preprocessing: unknown;
  signature: { inputs: SignatureInput[] };
  output: { task: Task; names: string[] };
  engineVersion: string;
  /** Weight tensor names and shapes (a checksum-free index; the bytes live in safetensors). */
  weights: { format: 'safetensors'; tensors: Record<string, number[]> };
  metadata: Record<string, string>;
  createdAt?: string;
}

export interface BundleMeta {
  preprocessing?: unknown;
  /** Raw input signature; defaults to the model's tensor inputs. */
  signature?: SignatureInput[];
  outputNames?: string[];
  metadata?: Record<string, string>;
}

export class BundleFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleFormatError';
  }
}

function defaultSignature(features: FeatureInput[]): SignatureInput[] {
  return features.map((f) => ({
    name: f.name,
    dtype: f.kind === 'dense' ? 'float32' : 'int32',
    shape: f.kind === 'dense' ? [f.width] : f.kind === 'multi_hot' ? [f.maxIds] : [],
    nullable: false,
  }));
}

function defaultOutputNames(model: CannedModel): string[] {
  switch (model.task) {
    case 'binary':
      return ['probability'];
    case 'multiclass':
      return Array.from({ length: (model.config as { numClasses: number }).numClasses }, (_, i) => `class_${i}`);
    case 'regression':
      return ['prediction'];
    default:
      return ['score'];
  }
}

export function saveBundle(model: CannedModel, meta: BundleMeta = {}): { manifest: Uint8Array; weights: Uint8Array } {
  const tensors: Record<string, SafetensorsTensor> = {};
  const index: Record<string, number[]> = {};
  for (const [path, v] of model.namedVariables()) {
    tensors[path] = { dtype: 'F32', shape: [...v.shape], data: Float32Array.from(readSync(v)) };
    index[path] = [...v.shape];
  }
  // Boosted trees have no variables: the ensemble's node arrays and the fitted bins are the weights.
  if (model instanceof GbdtModel) {
    for (const [path, data] of Object.entries(model.tensors())) {
      tensors[path] = { dtype: 'F32', shape: [data.length], data };
      index[path] = [data.length];
    }
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    kind: model.kind,
    architecture: model.config,
    preprocessing: meta.preprocessing ?? null,
    signature: { inputs: meta.signature ?? defaultSignature(model.features) },
    output: { task: model.task, names: meta.outputNames ?? defaultOutputNames(model) },
    engineVersion: ENGINE_VERSION,
    weights: { format: 'safetensors', tensors: index },
    metadata: meta.metadata ?? {},
  };
  return {
    manifest: new TextEncoder().encode(JSON.stringify(manifest, null, 2)),
    weights: encodeSafetensors(tensors, { format: 'pt', kind: model.kind }),
  };
}

export function packBundle(parts: { manifest: Uint8Array; weights: Uint8Array }): Uint8Array {
  const out = new Uint8Array(MAGIC.length + 4 + parts.manifest.length + parts.weights.length);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, parts.manifest.length, true);
  out.set(parts.manifest, MAGIC.length + 4);
  out.set(parts.weights, MAGIC.length + 4 + parts.manifest.length);
  return out;
}

export function unpackBundle(bytes: Uint8Array): { manifest: Uint8Array; weights: Uint8Array } {
  if (bytes.length < MAGIC.length + 4 || MAGIC.some((b, i) => bytes[i] !== b)) throw new BundleFormatError('not an Atelier model bundle (bad magic bytes)');
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  const start = MAGIC.length + 4;
  if (start + len > bytes.length) throw new BundleFormatError(`truncated bundle: manifest claims ${len} bytes, file has ${bytes.length - start}`);
  return { manifest: bytes.subarray(start, start + len), weights: bytes.subarray(start + len) };
}

export function parseManifest(bytes: Uint8Array): BundleManifest {
  let m: BundleManifest;
  try {
    m = JSON.parse(new TextDecoder().decode(bytes)) as BundleManifest;
  } catch (e) {
    throw new BundleFormatError(`bundle manifest is not valid JSON: ${(e as Error).message}`);
  }
  if (m.format !== BUNDLE_FORMAT) throw new BundleFormatError(`bundle manifest format is '${String(m.format)}', expected '${BUNDLE_FORMAT}'`);
  if (typeof m.formatVersion !== 'number' || m.formatVersion > BUNDLE_FORMAT_VERSION) {
    throw new BundleFormatError(`bundle formatVersion ${m.formatVersion} is newer than this engine supports (${BUNDLE_FORMAT_VERSION}, engine ${ENGINE_VERSION}); upgrade the engine`);
  }
  if (!MODEL_KINDS.includes(m.kind as never)) throw new BundleFormatError(`bundle has unknown model kind '${m.kind}' (this engine knows: ${MODEL_KINDS.join(', ')})`);
  return m;
}

/** Load a bundle (single-file bytes or the two parts) into a ready model. */
export function loadBundle(source: Uint8Array | { manifest: Uint8Array; weights: Uint8Array }): { model: CannedModel; manifest: BundleManifest } {
  const parts = source instanceof Uint8Array ? unpackBundle(source) : source;
  const manifest = parseManifest(parts.manifest);
  const { tensors } = decodeSafetensors(parts.weights);
  if (manifest.kind === 'gbdt') {
    const t: Record<string, Float32Array> = {};
    for (const [name, x] of Object.entries(tensors)) {
      if (x.dtype !== 'F32') throw new BundleFormatError(`weight '${name}' has dtype ${x.dtype}; expected F32`);
      t[name] = x.data as Float32Array;
    }
    try {
      return { model: GbdtModel.fromTensors(manifest.architecture as GbdtModelConfig, t), manifest };
    } catch (e) {
      throw new BundleFormatError(`bundle trees do not match its architecture: ${(e as Error).message}`);
    }
  }
  const model = createModel({ kind: manifest.kind, config: manifest.architecture } as ModelSpec);
  const weights: Record<string, Float32Array> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'F32') throw new BundleFormatError(`weight '${name}' has dtype ${t.dtype}; expected F32`);
    weights[name] = t.data as Float32Array;
  }
  try {
    restoreWeights(model, weights);
  } catch (e) {
    model.dispose();
    throw new BundleFormatError(`bundle weights do not match its architecture: ${(e as Error).message}`);
  }
  return { model, manifest };
}
