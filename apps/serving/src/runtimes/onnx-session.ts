// One ONNX Runtime session, as the runtime (inline) and its compute threads both use it: created with
// the same options everywhere, and run from plain data (what can cross to a thread) to plain data.
import * as ort from 'onnxruntime-node';

type FeedData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | string[];
/** Input tensors as plain data. */
export type OnnxFeeds = Record<string, { type: string; data: FeedData; dims: number[] }>;
/** The named outputs as plain data. */
export type OnnxOutputs = Record<string, { data: ArrayLike<number | bigint>; dims: number[] }>;

/** CPU session; `intraOpNumThreads` 1 by default (batching, not threads, is how a node scales). */
export function createOnnxSession(bytes: Uint8Array, intraOpNumThreads = 1): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
}

/** One forward pass: the named outputs' data and dims. */
export async function runOnnxSession(session: ort.InferenceSession, feeds: OnnxFeeds, outputs: string[]): Promise<OnnxOutputs> {
  const tensors: Record<string, ort.Tensor> = {};
  for (const [name, f] of Object.entries(feeds)) tensors[name] = new ort.Tensor(f.type as 'float32', f.data as Float32Array, f.dims);
  const results = await session.run(tensors, outputs);
  const out: OnnxOutputs = {};
  for (const name of outputs) {
    const t = results[name];
    out[name] = { data: t.data as ArrayLike<number | bigint>, dims: [...t.dims] };
  }
  return out;
}
