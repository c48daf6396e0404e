// Typed facade of the compiled addon (build/Release/atelier_engine_gpu.node). Device pointers are
// plain numbers (CUDA's unified address space stays below 2^53). Every call re-checks its
// arguments in C++ and throws a TypeError on a bad call; a CUDA failure throws an Error whose
// message names the CUDA error, the source file and line. Data-dependent kernel errors (a label
// outside [0, classes)) are recorded on the device and thrown by the next synchronising call
// (`download`, `synchronize`, `takeDeviceErrors`).

export interface GpuDeviceInfo {
  index: number;
  name: string;
  /** Total device memory, bytes. */
  totalMemory: number;
  /** "9.0" for Hopper. */
  computeCapability: string;
  multiProcessors: number;
}

export type GpuProbe =
  | { ok: true; devices: GpuDeviceInfo[]; driverVersion: number; runtimeVersion: number }
  | { ok: false; reason: string };

export interface CublasLtStatus {
  loaded: boolean;
  /** The shared object that was opened. */
  path?: string;
  /** Why it is not loaded (every path tried). */
  reason?: string;
  version?: number;
}

/** GEMM precision: 0 float32 with TF32 tensor cores, 1 bf16 inputs with float32 accumulation (the
 *  addon casts float32 inputs to bf16 scratch), 2 strict float32 (no TF32: parity tests). */
export type GemmPrecision = 0 | 1 | 2;

export interface GpuAddon {
  /** Never throws: the devices, or why there are none ("no CUDA driver", "no device"). */
  probe(): GpuProbe;
  /** Select `device`, create the stream, the device error word and the pinned staging area. Idempotent for the same device. */
  init(device: number): void;
  /** dlopen libcublasLt on first call: `path` (a file or folder) first, then ATELIER_CUBLASLT_PATH, then the loader's search path. */
  loadCublasLt(path?: string): CublasLtStatus;

  // ------------------------------------------------------------ memory
  /** cudaMalloc; throws an Error whose message starts with "CUDA out of memory" when it fails. */
  malloc(bytes: number): number;
  free(ptr: number): void;
  memGetInfo(): { free: number; total: number };
  /** Page-locked host memory (cudaHostAlloc) as an ArrayBuffer that aliases it; freed with freePinned. */
  allocPinned(bytes: number): { ptr: number; buffer: ArrayBuffer };
  freePinned(ptr: number): void;
  /** Async H2D copy on the stream from pinned memory (capturable in a CUDA Graph). */
  copyFromPinned(dst: number, pinnedSrc: number, bytes: number): void;
  /** Async D2H copy into pinned memory; complete after `synchronize` or the returned event. */
  copyToPinned(pinnedDst: number, src: number, bytes: number): void;
  /** H2D from any typed array (staged by the driver; synchronous for the host array). */
  upload(dst: number, src: Float32Array | Int32Array | Uint16Array, srcOffset?: number, count?: number): void;
  /** D2H into any typed array: synchronises the stream, then throws any recorded device error. */
  download(src: number, dst: Float32Array | Int32Array | Uint16Array): void;
  copyDeviceToDevice(dst: number, src: number, bytes: number): void;
  memsetZero(ptr: number, bytes: number): void;
  synchronize(): void;
  /** Device error record {code, index, value, limit} (code 0 = none), cleared; synchronises. */
  takeDeviceErrors(): Int32Array;

  // ------------------------------------------------------------ events (pinned-buffer reuse)
  eventCreate(): number;
  eventRecord(event: number): void;
  eventQuery(event: number): boolean;
  eventSynchronize(event: number): void;
  eventDestroy(event: number): void;

  // ------------------------------------------------------------ GEMM (cuBLASLt)
  /** Row-major C[M,N] = op(A)·op(B) (+ bias[N]) then act (0 none, 1 relu, 2 sigmoid, 3 tanh); relu and
   *  bias run in cuBLASLt's epilogue, sigmoid/tanh in atl_bias_act. `workspace` is a device buffer of
   *  `workspaceBytes` (≥ 32 MiB recommended on Hopper) and `scratch` (bf16 only) ≥ 2·(M·K + K·N) bytes, or 0. */
  gemm(M: number, N: number, K: number, a: number, transA: boolean, b: number, transB: boolean, c: number, bias: number, act: number,
    precision: GemmPrecision, workspace: number, workspaceBytes: number, scratch: number): void;
  /** bf16 × bf16 → float32 C (row-major), float32 accumulation: the benchmark's bf16 GEMM. */
  gemmBf16(M: number, N: number, K: number, a: number, b: number, c: number, workspace: number, workspaceBytes: number): void;

  // ------------------------------------------------------------ kernels (native/kernels.h; pointers are device pointers)
  unary(op: number, x: number, out: number, n: number): void;
  binary(op: number, mode: number, x: number, y: number, out: number, n: number, inner: number): void;
  /** int32 x and y (modes as binary): op 0 add, 1 sub, 2 mul (wrapping), 4 maximum, 5 minimum → int32 out; 7 equal, 8 greater, 9 greater_equal → float32 1/0 out. */
  binaryI32(op: number, mode: number, x: number, y: number, out: number, n: number, inner: number): void;
  binaryStrided(op: number, x: number, y: number, out: number, shape: number[], xStrides: number[], yStrides: number[]): void;
  reluGrad(dy: number, y: number, out: number, n: number): void;
  biasAct(c: number, bias: number, rows: number, cols: number, act: number): void;
  fillF32(out: number, value: number, n: number): void;
  fillI32(out: number, value: number, n: number): void;
  castF32I32(x: number, out: number, n: number): void;
  castI32F32(x: number, out: number, n: number): void;
  f32ToBf16(x: number, out: number, n: number): void;
  bf16ToF32(x: number, out: number, n: number): void;
  sumLast(x: number, rows: number, cols: number, out: number): void;
  sumRows(x: number, rows: number, cols: number, out: number): void;
  /** op 0 sum, 1 max over the middle axis of [outer, len, inner]. */
  reduceMid(op: number, x: number, outer: number, len: number, inner: number, out: number): void;
  argmaxLast(x: number, rows: number, cols: number, out: number): void;
  reluGradBiasSum(dy: number, y: number, rows: number, cols: number, g: number, db: number): void;
  sumSquares(x: number, n: number, out: number): void;
  softmax(x: number, rows: number, m: number, out: number, log: boolean): void;
  sparseSoftmaxCrossEntropy(logits: number, labels: number, n: number, c: number, loss: number, probs: number): void;
  bceWithLogits(x: number, z: number, out: number, n: number): void;
  oneHot(ids: number, n: number, depth: number, onValue: number, offValue: number, out: number): void;
  layerNormForward(x: number, gamma: number, beta: number, rows: number, d: number, eps: number, y: number, mean: number, rstd: number): void;
  layerNormBackward(dy: number, x: number, gamma: number, mean: number, rstd: number, rows: number, d: number, dx: number, dgamma: number, dbeta: number): void;
  /** seed and offset as numbers < 2^53. */
  dropout(x: number, out: number, mask: number, n: number, keep: number, seed: number, offset: number): void;
  gather(table: number, v: number, d: number, ids: number, n: number, out: number): void;
  scatterAdd(values: number, d: number, rows: number, k: number, numRows: number, out: number): void;
  coalesceScratchBytes(k: number, d: number): number;
  coalesceRows(rows: number, values: number, k: number, d: number, uniq: number, out: number, count: number, scratch: number): void;
  copyRows(src: number, srcOff: number, srcStride: number, dst: number, dstOff: number, dstStride: number, rows: number, width: number): void;
  transpose(x: number, out: number, inShape: number[], perm: number[]): void;
  broadcastTo(x: number, out: number, shape: number[], xStrides: number[]): void;
  /** scalars: device pointer to an AtlOptScalars struct (9 float32: lr, beta1, beta2, eps, bc1, bc2, l2, weightDecay, momentum). rows 0 = dense. */
  adam(param: number, grad: number, m: number, v: number, rows: number, k: number, rowWidth: number, n: number, scalars: number, decoupled: boolean): void;
  sgd(param: number, grad: number, velocity: number, rows: number, k: number, rowWidth: number, n: number, scalars: number, nesterov: boolean): void;
  adagrad(param: number, grad: number, acc: number, rows: number, k: number, rowWidth: number, n: number, scalars: number): void;

  // ------------------------------------------------------------ CUDA Graphs
  /** cudaStreamBeginCapture on the addon's stream, in relaxed mode: the caching allocator may cudaMalloc while a step is captured. */
  captureBegin(): void;
  /** End the capture and instantiate it: a graph handle for graphLaunch. Throws (and leaves no capture open) when the capture was invalidated. */
  captureEnd(): number;
  /** True between captureBegin and captureEnd. */
  capturing(): boolean;
  graphLaunch(graph: number): void;
  graphDestroy(graph: number): void;

  // ------------------------------------------------------------ telemetry
  /** NVML (libnvidia-ml, dlopen'd): utilisation % of the GPU and its memory controller over the last sample period, or null without NVML. */
  utilization(): { gpu: number; memory: number } | null;
}

/** Names of every function the loader expects (a stale build misses some). */
export const GPU_ADDON_FUNCTIONS = [
  'probe', 'init', 'loadCublasLt', 'malloc', 'free', 'memGetInfo', 'allocPinned', 'freePinned', 'copyFromPinned', 'copyToPinned', 'upload',
  'download', 'copyDeviceToDevice', 'memsetZero', 'synchronize', 'takeDeviceErrors', 'eventCreate', 'eventRecord', 'eventQuery',
  'eventSynchronize', 'eventDestroy', 'gemm', 'gemmBf16', 'unary', 'binary', 'binaryI32', 'binaryStrided', 'reluGrad', 'biasAct', 'fillF32', 'fillI32',
  'castF32I32', 'castI32F32', 'f32ToBf16', 'bf16ToF32', 'sumLast', 'sumRows', 'reduceMid', 'argmaxLast', 'reluGradBiasSum', 'sumSquares',
  'softmax', 'sparseSoftmaxCrossEntropy', 'bceWithLogits', 'oneHot', 'layerNormForward', 'layerNormBackward', 'dropout', 'gather',
  'scatterAdd', 'coalesceScratchBytes', 'coalesceRows', 'copyRows', 'transpose', 'broadcastTo', 'adam', 'sgd', 'adagrad', 'captureBegin',
  'captureEnd', 'capturing', 'graphLaunch', 'graphDestroy', 'utilization',
] as const satisfies readonly (keyof GpuAddon)[];
