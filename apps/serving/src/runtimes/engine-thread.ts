// A compute thread for one engine bundle: loads it once, then answers { id, numRows, inputs } with
// { id, out } (or { id, error }). Inputs arrive copied (see compute-threads.ts); the output is
// transferred back. The pool terminates the thread on release, which frees the model with it.
import { parentPort, workerData } from 'node:worker_threads';
import { createPredictor, loadBundle } from '@atelier/engine';

const { bundle } = workerData as { bundle: Uint8Array };
const { model } = loadBundle(bundle);
const predictor = createPredictor(model);

parentPort!.on('message', (msg: { id: number; numRows: number; inputs: Record<string, Float32Array | Int32Array> }) => {
  try {
    const out = predictor.predict({ numRows: msg.numRows, inputs: msg.inputs });
    parentPort!.postMessage({ id: msg.id, out }, [out.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
parentPort!.postMessage({ ready: true });
