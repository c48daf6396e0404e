// A compute thread for one ONNX version: creates its own session once, then answers
// { id, feeds, outputs } with { id, out } (or { id, error }): the named outputs' data and dims, their
// buffers transferred back. ONNX Runtime's `run` computes on the calling thread, so this is what keeps
// a batch off the event loop.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import type { OnnxFeeds, OnnxOutputs } from './onnx-runtime.js';

const { bytes, intraOpNumThreads } = workerData as { bytes: Uint8Array; intraOpNumThreads: number };
const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });

parentPort!.on('message', (msg: { id: number; feeds: OnnxFeeds; outputs: string[] }) => {
  const tensors: Record<string, ort.Tensor> = {};
  for (const [name, f] of Object.entries(msg.feeds)) tensors[name] = new ort.Tensor(f.type as 'float32', f.data as Float32Array, f.dims);
  session.run(tensors, msg.outputs).then(
    (results) => {
      const out: OnnxOutputs = {};
      const transfer: ArrayBuffer[] = [];
      for (const name of msg.outputs) {
        const t = results[name];
        out[name] = { data: t.data as OnnxOutputs[string]['data'], dims: [...t.dims] };
        if (ArrayBuffer.isView(t.data)) transfer.push(t.data.buffer as ArrayBuffer);
      }
      parentPort!.postMessage({ id: msg.id, out }, transfer);
    },
    (err: Error) => parentPort!.postMessage({ id: msg.id, error: err.message }),
  );
});
parentPort!.postMessage({ ready: true });
