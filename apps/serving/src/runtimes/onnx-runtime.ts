// ONNX versions on onnxruntime-node (CPU). ONNX Runtime's `run` computes on the calling thread. With
// compute threads (for heavy models), a batch of at least `workerMinRows` rows runs on a thread holding
// its own session and the event loop keeps taking requests meanwhile; smaller batches, and every batch
// without threads (the default: for small models the hop costs more than the compute), run inline.
// Feeds are built on the event loop and copied to the thread (see compute-threads.ts).
//
// Input convention (documented in the README):
//   - when every signature input names an input of the graph, each becomes its own tensor of shape
//     [N, ...shape] (float32 for float32/float64 fields, int32/int64/bool/string as declared);
//   - otherwise the graph must have exactly one input: every signature input, in signature order, is
//     flattened into one float32 tensor [N, F] (F = the sum of the fields' widths).
// Outputs: the signature's outputs that the graph has (else all graph outputs), each row's values
// concatenated in that order. Missing values of nullable numeric fields are NaN.
import type * as ort from 'onnxruntime-node';
import { ServingError, type ServingFieldError } from '../errors.js';
import { signatureValidator, type InputField } from '../input-validation.js';
import { ComputeThreads } from './compute-threads.js';
import { createOnnxSession, runOnnxSession, type OnnxFeeds, type OnnxOutputs } from './onnx-session.js';
import type { ModelRuntime } from './runtime.js';

export interface OnnxSignature {
  inputs: Array<{ name: string; dtype: InputField['dtype']; shape: number[]; nullable?: boolean }>;
  outputs?: Array<{ name: string; dtype?: string; shape?: number[] }>;
}

export interface OnnxRuntimeOptions {
  /** ONNX Runtime intra-op threads (default 1: batching, not threads, is how a node scales). */
  intraOpNumThreads?: number;
  /** Compute threads for this version (default 0: every batch on the event loop). */
  workerThreads?: number;
  /** Batches with at least this many rows go to a compute thread (default 8). */
  workerMinRows?: number;
}

// The compiled thread module when this file runs compiled (dist/*.js), else the TypeScript source.
const THREAD_URL = new URL(import.meta.url.endsWith('.js') ? './onnx-thread.js' : './onnx-thread.ts', import.meta.url);

const width = (shape: number[]) => shape.reduce((a, b) => a * Math.max(1, b), 1);

export class OnnxModelRuntime implements ModelRuntime {
  readonly format = 'onnx' as const;
  readonly inputs: InputField[];
  readonly outputNames: string[];
  /** Every bad field of a request's instances ([] when valid), compiled for this signature. */
  readonly validate: (instances: unknown) => readonly ServingFieldError[];
  readonly task: string | null = null;
  private readonly packed: boolean;
  private readonly packedWidth: number;
  private readonly outputs: string[];
  private readonly outputWidths: number[];
  private session: ort.InferenceSession | null;
  private threads: ComputeThreads<{ feeds: OnnxFeeds; outputs: string[] }, OnnxOutputs> | null = null;
  private workerMinRows = 8;
  released = false;

  private constructor(session: ort.InferenceSession, signature: OnnxSignature) {
    this.session = session;
    this.inputs = signature.inputs.map((f) => ({ name: f.name, dtype: f.dtype, shape: f.shape ?? [], nullable: f.nullable ?? false }));
    this.validate = signatureValidator(this.inputs);
    const graphInputs = new Set(session.inputNames);
    this.packed = !this.inputs.every((f) => graphInputs.has(f.name));
    if (this.packed && session.inputNames.length !== 1) {
      throw new ServingError(
        'ATL_SIGNATURE_MISMATCH',
        400,
        `The signature's inputs (${this.inputs.map((f) => f.name).join(', ')}) are not the graph's inputs (${session.inputNames.join(', ')}), and the graph has more than one input to pack them into.`,
      );
    }
    if (this.packed && this.inputs.some((f) => f.dtype === 'string' || f.dtype === 'bool')) {
      throw new ServingError('ATL_SIGNATURE_MISMATCH', 400, 'Packing several inputs into one float32 tensor needs numeric inputs only.');
    }
    this.packedWidth = this.inputs.reduce((a, f) => a + width(f.shape), 0);
    const sigOutputs = (signature.outputs ?? []).filter((o) => session.outputNames.includes(o.name));
    this.outputs = sigOutputs.length ? sigOutputs.map((o) => o.name) : [...session.outputNames];
    this.outputWidths = this.outputs.map((name) => {
      const s = sigOutputs.find((o) => o.name === name)?.shape;
      return s ? width(s) : 1;
    });
    this.outputNames = this.outputs.flatMap((name, i) => (this.outputWidths[i] === 1 ? [name] : Array.from({ length: this.outputWidths[i] }, (_, j) => `${name}[${j}]`)));
  }

  static async load(bytes: Uint8Array, signature: OnnxSignature, opts: OnnxRuntimeOptions = {}): Promise<OnnxModelRuntime> {
    const session = await createOnnxSession(bytes, opts.intraOpNumThreads);
    let rt: OnnxModelRuntime;
    try {
      rt = new OnnxModelRuntime(session, signature);
    } catch (err) {
      await session.release();
      throw err;
    }
    rt.workerMinRows = opts.workerMinRows ?? 8;
    const threads = opts.workerThreads ?? 0;
    if (threads > 0) {
      try {
        rt.threads = await ComputeThreads.start('onnx runtime', THREAD_URL, { bytes: new Uint8Array(bytes), intraOpNumThreads: opts.intraOpNumThreads ?? 1 }, threads);
      } catch (err) {
        await rt.release();
        throw err;
      }
    }
    return rt;
  }

  /** Compute threads running (tests check that release stops them). */
  get threadCount(): number {
    return this.threads?.size ?? 0;
  }

  async run(instances: Array<Record<string, unknown>>): Promise<Float32Array> {
    const session = this.session;
    if (!session) throw new Error('onnx runtime: used after release()');
    const n = instances.length;
    const feeds: OnnxFeeds = {};
    if (this.packed) {
      const F = this.packedWidth;
      const data = new Float32Array(n * F);
      for (let r = 0; r < n; r++) {
        const inst = instances[r];
        let o = r * F;
        for (const f of this.inputs) {
          const v = inst[f.name];
          if (f.shape.length === 0) data[o++] = typeof v === 'number' ? v : NaN;
          else {
            const w = width(f.shape);
            if (Array.isArray(v)) for (let j = 0; j < w; j++) data[o + j] = v[j] as number;
            else data.fill(NaN, o, o + w);
            o += w;
          }
        }
      }
      feeds[session.inputNames[0]] = { type: 'float32', data, dims: [n, F] };
    } else {
      for (const f of this.inputs) feeds[f.name] = feedFor(f, instances);
    }
    const results = n >= this.workerMinRows && this.threads && this.threads.size > 0 ? await this.threads.run({ feeds, outputs: this.outputs }) : await runOnnxSession(session, feeds, this.outputs);
    const W = this.outputWidths.reduce((a, b) => a + b, 0);
    const out = new Float32Array(n * W);
    let col = 0;
    for (let k = 0; k < this.outputs.length; k++) {
      const w = this.outputWidths[k];
      const data = results[this.outputs[k]].data;
      if (data.length !== n * w) {
        throw new Error(`onnx runtime: output '${this.outputs[k]}' has ${data.length} values for ${n} rows; the signature says ${w} per row`);
      }
      for (let r = 0; r < n; r++) for (let j = 0; j < w; j++) out[r * W + col + j] = Number(data[r * w + j]);
      col += w;
    }
    return out;
  }

  async release(): Promise<void> {
    if (!this.session) return;
    const s = this.session;
    this.session = null;
    this.released = true;
    await this.threads?.close();
    await s.release();
  }
}

/** The float path on its own (the common one, per batch on the hot path): monomorphic stores, no closure per value. */
function floats(f: InputField, instances: Array<Record<string, unknown>>, w: number): Float32Array {
  const n = instances.length;
  const dst = new Float32Array(n * w);
  const scalar = f.shape.length === 0;
  for (let r = 0; r < n; r++) {
    const v = instances[r][f.name];
    if (scalar) dst[r] = typeof v === 'number' ? v : NaN;
    else if (Array.isArray(v)) for (let j = 0, o = r * w; j < w; j++) dst[o + j] = v[j] as number;
    else dst.fill(NaN, r * w, (r + 1) * w);
  }
  return dst;
}

function feedFor(f: InputField, instances: Array<Record<string, unknown>>): OnnxFeeds[string] {
  const n = instances.length;
  const w = width(f.shape);
  const dims = [n, ...f.shape.map((d) => Math.max(1, d))];
  const fill = <T extends { [i: number]: unknown; length: number }>(dst: T, conv: (v: unknown) => unknown, missing: unknown): T => {
    for (let r = 0; r < n; r++) {
      const v = instances[r][f.name];
      if (f.shape.length === 0) (dst as Record<number, unknown>)[r] = v === undefined || v === null ? missing : conv(v);
      else for (let j = 0; j < w; j++) (dst as Record<number, unknown>)[r * w + j] = Array.isArray(v) ? conv(v[j]) : missing;
    }
    return dst;
  };
  switch (f.dtype) {
    case 'float32':
    case 'float64':
      return { type: 'float32', data: floats(f, instances, w), dims };
    case 'int32':
      return { type: 'int32', data: fill(new Int32Array(n * w), (v) => v, 0), dims };
    case 'int64':
      return { type: 'int64', data: fill(new BigInt64Array(n * w), (v) => BigInt(v as number), 0n), dims };
    case 'bool':
      return { type: 'bool', data: fill(new Uint8Array(n * w), (v) => (v ? 1 : 0), 0), dims };
    default:
      return { type: 'string', data: fill(new Array<string>(n * w), (v) => String(v), ''), dims };
  }
}
