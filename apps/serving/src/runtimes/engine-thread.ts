// A compute thread for one engine bundle: loads it once, then answers { id, numRows, inputs } with
// { id, out } (or { id, error }), transferring the typed arrays both ways.
import { parentPort, workerData } from 'node:worker_threads';
import { createPredictor, loadBundle } from '@atelier/engine';

const { bundle } = workerData as { bundle: Uint8Array };
const { model } = loadBundle(bundle);
const predictor = createPredictor(model);

parentPort!.on('message', (msg: { id: number; numRows: number; inputs: Record<string, Float32Array | Int32Array> } | { close: true }) => {
  if ('close' in msg) {
    model.dispose();
    parentPort!.close();
    return;
  }
  try {
    const out = predictor.predict({ numRows: msg.numRows, inputs: msg.inputs });
    parentPort!.postMessage({ id: msg.id, out }, [out.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, error: (err as Error).message });
  }
});
parentPort!.postMessage({ ready: true });
