// Worker thread of onnx-model-check.ts: loads one ONNX model in ONNX Runtime, posts the graph's inputs
// and outputs (or why it does not load), and releases the session. Plain JavaScript so the thread
// needs no TypeScript loader. onnxruntime-node builds a session synchronously inside the native
// binding, so a large model would otherwise hold the gateway's event loop for as long as it loads.
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

const { bytes, externalDataDir } = workerData;

/** @param {import('onnxruntime-node').InferenceSession.ValueMetadata} m */
const describe = (m) => (m.isTensor ? { name: m.name, type: m.type, shape: [...m.shape] } : { name: m.name, type: null, shape: [] });

let session;
try {
  session = await ort.InferenceSession.create(bytes, {
    // The options serving loads with, so what loads here loads there (the optimizer runs too).
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    // The reason goes back to the client; ONNX Runtime's own log would only repeat it on stderr.
    logSeverityLevel: 4,
    // External data refused: it may only come from this folder, which is empty (and ONNX Runtime
    // refuses absolute paths and paths that leave it).
    extra: { session: { model_external_initializers_file_folder_path: externalDataDir } },
  });
  parentPort.postMessage({ graph: { inputs: session.inputMetadata.map(describe), outputs: session.outputMetadata.map(describe) } });
} catch (err) {
  parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
} finally {
  await session?.release();
}
