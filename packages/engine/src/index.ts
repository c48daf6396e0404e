// @atelier/engine public API.
import './backends/cpu/cpu-backend.js';

export { Tensor, Variable, tensor, scalar, zeros, ones, fill, fromTyped, sizeOf, type DType, type TypedArray, type TensorLike } from './tensor.js';
export { tidy, keep, dispose, memory, type MemoryInfo } from './engine.js';
export {
  registerBackend, setBackend, getBackend, removeBackend, listBackends, noteBackendFallback, backendStatus,
  type Backend, type BackendKernel, type BackendFactory, type BackendStatus,
} from './backends/backend.js';
export { createCpuBackend } from './backends/cpu/cpu-backend.js';
export { registerKernel, getKernel, kernelNames, type KernelInfo, type HostTensor, type KernelTensor, type ReferenceKernel } from './kernels/registry.js';
export { useFloat64StorageForTests, allocFloat, releaseFloat } from './kernels/float-storage.js';
export * as ops from './ops/index.js';
export * from './ops/index.js';
export { grad, grads, valueAndGrad, valueAndGrads, valueAndGradsSparse, densify } from './gradients/backprop.js';
export { registerGradient, isSparse, type Grad, type SparseRows, type GradientFn } from './gradients/registry.js';
export * from './layers/index.js';
export * from './losses/index.js';
export * from './optimizers/index.js';
export * from './models/index.js';
export * from './training/index.js';
export { createPredictor, type Predictor } from './inference/predictor.js';
export {
  INPUT_MAPPING_FORMAT, INPUT_MAPPING_METADATA_KEY, InputMappingError, parseInputMapping, toModelInputs, type InputMapping,
} from './inference/input-mapping.js';
export {
  saveBundle, loadBundle, packBundle, unpackBundle, parseManifest, BundleFormatError,
  BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, ENGINE_VERSION, type BundleManifest, type BundleMeta, type SignatureInput,
} from './bundle/model-bundle.js';

// Modules owned alongside the core (seeded randomness, data pipeline, preprocessing, metrics, safetensors).
export * from './util/random.js';
export * from './data/index.js';
export * from './preprocessing/index.js';
export * from './metrics/index.js';
export type { Task } from './models/model.js';
export * from './bundle/safetensors.js';
export * from './evaluation/index.js';
// The reference single-threaded GEMM (benchmarks and native backends compare against it).
export { gemm } from './backends/cpu/gemm.js';
// NumPy broadcasting of two shapes (backends check binary operands with the reference's message).
export { broadcastShapes } from './backends/cpu/broadcast.js';
// ONNX export of a bundle (preprocessing + model in one graph); pure: returns bytes.
export {
  exportBundleToOnnx, exportModelToOnnx, OnnxExportError, ONNX_OPSET, ONNX_ML_OPSET, type OnnxExport, type OnnxExportProblem,
} from './onnx/onnx-export.js';
// Tuning: search spaces and the random / aging-evolution / ASHA decision functions (pure, seeded).
export * from './tuning/index.js';
// Histogram gradient-boosted trees (trainer, ensemble, the gbdt model kind).
export * from './trees/index.js';
