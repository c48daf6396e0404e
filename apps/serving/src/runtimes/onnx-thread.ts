// A compute thread for one ONNX version: creates its own session once, then answers
// { id, feeds, outputs } with { id, out } (or { id, error }): the named outputs' data and dims, their
// buffers transferred back. ONNX Runtime's `run` computes on the calling thread, so this is what keeps
// a batch off the event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { createOnnxSession, runOnnxSession, type OnnxFeeds } from './onnx-session.js';

const { bytes, intraOpNumThreads } = workerData as { bytes: Uint8Array; intraOpNumThreads: number };
const session = await createOnnxSession(bytes, intraOpNumThreads);

parentPort!.on('message', (msg: { id: number; feeds: OnnxFeeds; outputs: string[] }) => {
  runOnnxSession(session, msg.feeds, msg.outputs).then(
    (out) => {
      const transfer: ArrayBuffer[] = [];
      for (const o of Object.values(out)) if (ArrayBuffer.isView(o.data)) transfer.push(o.data.buffer as ArrayBuffer);
      parentPort!.postMessage({ id: msg.id, out }, transfer);
    },
    (err: Error) => parentPort!.postMessage({ id: msg.id, error: err.message }),
  );
});
parentPort!.postMessage({ ready: true });
