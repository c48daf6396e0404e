// Worker thread of model-onnx-export.service.ts: exports one bundle to ONNX off the event loop (the
// export is synchronous and takes seconds for the largest models the platform allows). Registers
// tsx's loader here, as serving's compute threads do, because @atelier/engine is TypeScript source.
// Posts { bytes } (transferred: that detaches only this thread's copy), { problems }, { corrupt } or { error }.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { exportBundleToOnnx, OnnxExportError, BundleFormatError } = await import('@atelier/engine');
try {
  // A plain copy: the bundle may arrive as a view over a larger buffer (a Node Buffer's pool).
  const { bytes } = exportBundleToOnnx(new Uint8Array(workerData.bundle));
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  parentPort.postMessage({ bytes: own }, [own.buffer]);
} catch (err) {
  if (err instanceof OnnxExportError) parentPort.postMessage({ problems: err.problems });
  else if (err instanceof BundleFormatError) parentPort.postMessage({ corrupt: err.message });
  else parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
