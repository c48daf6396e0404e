// Whether ONNX Runtime loads a model, decided by ONNX Runtime itself: a session is created from the
// bytes on a worker thread (creation is synchronous inside onnxruntime-node) with external data
// refused, and released right after. What serving could not load (unknown operators, weights in
// external files, truncated or foreign bytes) is refused at registration, naming ONNX Runtime's reason.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const THREAD_URL = new URL('./onnx-model-check.thread.mjs', import.meta.url);

/** A graph input or output as ONNX Runtime sees it. */
export interface OnnxGraphValue {
  name: string;
  /** Element type ('float32', 'int64', 'string'…); null for a value that is not a tensor. */
  type: string | null;
  /** Dimensions, batch first; a string is a symbolic dimension; [] when the model does not say. */
  shape: Array<number | string>;
}

export interface OnnxGraph {
  inputs: OnnxGraphValue[];
  outputs: OnnxGraphValue[];
}

/** ONNX Runtime refused the model; the message is its reason. */
export class OnnxModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxModelError';
  }
}

const MAX_REASON_CHARS = 1000;

/**
 * Loads `bytes` in ONNX Runtime and returns the graph's inputs and outputs, or throws OnnxModelError
 * with the reason it does not load. `bytes` must own its whole ArrayBuffer: it is transferred to the
 * thread (and detached here), not copied. `tempRoot` is where the check's empty folder is made.
 */
export async function inspectOnnxModel(bytes: Uint8Array, tempRoot: string = tmpdir()): Promise<OnnxGraph> {
  if (bytes.byteLength === 0) throw new OnnxModelError('the file is empty');
  // An empty folder of our own as the only place external data may come from: any reference fails.
  const externalDataDir = await mkdtemp(join(tempRoot, 'atelier-onnx-check-'));
  const worker = new Worker(THREAD_URL, { workerData: { bytes, externalDataDir }, transferList: [bytes.buffer as ArrayBuffer] });
  try {
    const answer = await new Promise<{ graph?: OnnxGraph; error?: string }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the ONNX check thread exited (code ${code}) without an answer`)));
    });
    if (answer.error !== undefined) {
      const reason = answer.error.split(externalDataDir).join('<model folder>');
      throw new OnnxModelError(reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}…` : reason);
    }
    return answer.graph!;
  } finally {
    await worker.terminate();
    await rm(externalDataDir, { recursive: true, force: true });
  }
}
