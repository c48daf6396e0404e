// Worker thread of model-onnx-export.service.ts: exports one bundle to ONNX off the event loop (the
// export is synchronous and takes seconds for the largest models the platform allows). From source it
// starts through onnx-export.thread.mjs (which registers tsx's loader first); compiled, directly.
// Posts { bytes } (transferred: that detaches only this thread's copy), { problems }, { corrupt } or { error }.
import { parentPort, workerData } from 'node:worker_threads';
import { BundleFormatError, exportBundleToOnnx, OnnxExportError } from '@atelier/engine';

const port = parentPort!;
try {
  // A plain copy: the bundle may arrive as a view over a larger buffer (a Node Buffer's pool).
  const { bytes } = exportBundleToOnnx(new Uint8Array((workerData as { bundle: Uint8Array }).bundle));
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  port.postMessage({ bytes: own }, [own.buffer as ArrayBuffer]);
} catch (err) {
  if (err instanceof OnnxExportError) port.postMessage({ problems: err.problems });
  else if (err instanceof BundleFormatError) port.postMessage({ corrupt: err.message });
  else port.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
