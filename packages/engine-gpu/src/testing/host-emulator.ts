// HOST EMULATOR OF THE GPU ADDON — a fake, for tests only. This machine has no GPU (no driver, no
// libcuda), so the executor, allocator, staging and backend logic are tested against this
// implementation of `GpuAddon` on host memory. It is the only fake allowed in engine-gpu and it is
// never loaded in production: the loader returns the compiled addon or a reason, never this.
//
// What it models, because the code under test depends on it:
// - Device memory: fake 256-byte-aligned addresses, one ArrayBuffer per allocation, bounds checks that
//   throw like an illegal address, "CUDA out of memory" above `totalMemory`, fresh memory poisoned
//   (0xff bytes: NaN floats, -1 ints) since cudaMalloc does not zero it.
// - One stream. `stream: 'immediate'` (default) runs each operation at its call; `'deferred'` queues
//   them until a synchronising call or `advance()`, so pinned-buffer reuse is tested against a
//   device that really runs behind the host.
// - CUDA Graph capture: kernels, async copies, memset and event records are recorded, not run;
//   synchronising calls and frees invalidate the capture (malloc is allowed: the addon captures in
//   relaxed mode); a replay reads pinned memory at replay time.
// - Kernels follow native/kernels.h and the .cu kernels: float32 math (Math.fround where float32
//   rounding matters), double where the kernel uses double (optimizer updates).
// - Device errors (label/id/row out of range) are recorded and thrown by download/synchronize.
import type { CublasLtStatus, GemmPrecision, GpuAddon, GpuProbe } from '../gpu-addon.js';
import { philoxUniforms } from '../philox.js';

export interface HostEmulatorOptions {
  name?: string;
  /** Fake device memory size in bytes (default 16 GiB). */
  totalMemory?: number;
  /** 'immediate' runs operations at their call; 'deferred' queues them until a sync or advance(). */
  stream?: 'immediate' | 'deferred';
}

export interface EmulatorStats {
  /** Kernels (and gemm) called outside capture: each one a launch on the stream. */
  kernelLaunches: number;
  /** Async copies / memsets called outside capture. */
  copies: number;
  /** Operations recorded into graphs by capture. */
  capturedOps: number;
  graphLaunches: number;
  /** Operations run as nodes of a replayed graph. */
  graphNodesRun: number;
  /** Synchronising calls: synchronize, download, takeDeviceErrors, eventSynchronize, upload. */
  syncs: number;
  mallocs: number;
  frees: number;
}

export interface HostEmulator extends GpuAddon {
  emulatorStats(): EmulatorStats;
  /** Deferred stream: run up to `ops` queued operations (all when omitted), as the device would. */
  advance(ops?: number): void;
  /** Operations queued and not yet run (always 0 for the immediate stream). */
  pending(): number;
}

const DEVICE_BASE = 0x7f0000000000;
const PINNED_BASE = 0x7e0000000000;
const ALIGN = 256;

type Op = { kind: 'kernel' | 'copy' | 'event'; name: string; run: () => void; event?: number };

interface Region { base: number; bytes: number; buffer: ArrayBuffer }

function illegal(what: string, ptr: number, bytes: number): Error {
  return new Error(`CUDA error: an illegal memory access was encountered (cudaErrorIllegalAddress): ${what} touches 0x${ptr.toString(16)} + ${bytes} bytes outside any allocation`);
}

function captureUnsupported(what: string): Error {
  return new Error(`CUDA error: operation not permitted when stream is capturing (cudaErrorStreamCaptureUnsupported): ${what}`);
}

function intArg(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new TypeError(`${fn}: ${name} must be an integer ≥ 0, got ${String(v)}`);
  return v;
}

function numArg(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${fn}: ${name} must be a number, got ${String(v)}`);
  return v;
}

function shapeArg(fn: string, name: string, v: unknown, rank?: number): number[] {
  if (!Array.isArray(v) || v.length > 6 || (rank !== undefined && v.length !== rank)) {
    throw new TypeError(`${fn}: ${name} must be an array of rank ≤ 6${rank !== undefined ? ` and length ${rank}` : ''}`);
  }
  return v.map((x, i) => intArg(fn, `${name}[${i}]`, x));
}

/** float32 → bfloat16 bits, round to nearest even (NaN stays a quiet NaN). */
export function f32ToBf16Bits(v: number): number {
  const f = new Float32Array([v]);
  const u = new Uint32Array(f.buffer)[0];
  if ((u & 0x7fffffff) > 0x7f800000) return ((u >>> 16) | 0x40) & 0xffff;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

export function bf16BitsToF32(b: number): number {
  const u = new Uint32Array([(b & 0xffff) << 16]);
  return new Float32Array(u.buffer)[0];
}

const roundBuf = new Float32Array(1);
const roundBits = new Uint32Array(roundBuf.buffer);
/** Round to bf16 precision (8-bit mantissa), as a float. */
function roundBf16(v: number): number {
  return bf16BitsToF32(f32ToBf16Bits(v));
}
/** Round to TF32 (10-bit mantissa, round to nearest even), as the tensor cores read float32 inputs. */
function roundTf32(v: number): number {
  roundBuf[0] = v;
  const u = roundBits[0];
  if ((u & 0x7fffffff) >= 0x7f800000) return roundBuf[0];
  roundBits[0] = ((u + 0xfff + ((u >>> 13) & 1)) & 0xffffe000) >>> 0;
  return roundBuf[0];
}

const fr = Math.fround;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

function unaryFn(op: number): (v: number) => number {
  switch (op) {
    case 0: return (v) => (v <= 0 ? 0 : v);
    case 1: return (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
    case 2: return Math.tanh;
    case 3: return (v) => -v;
    case 4: return (v) => v * v;
    case 5: return Math.exp;
    case 6: return Math.log;
    case 7: return Math.sqrt;
    case 8: return Math.abs;
    case 9: return (v) => 1 / v;
    case 10: return (v) => (v > 0 ? 1 : v < 0 ? -1 : 0);
    case 11: return (v) => (v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));
    case 12: return (v) => 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)));
    case 13: return (v) => (v > 0 ? 1 : 0);
    case 14: return (v) => (Number.isFinite(v) ? 1 : 0);
    default: throw new TypeError(`unary: unknown op ${op} (0..14)`);
  }
}

function binaryFn(op: number): (a: number, b: number) => number {
  switch (op) {
    case 0: return (a, b) => a + b;
    case 1: return (a, b) => a - b;
    case 2: return (a, b) => a * b;
    case 3: return (a, b) => a / b;
    case 4: return (a, b) => (a >= b ? a : b);
    case 5: return (a, b) => (a <= b ? a : b);
    case 6: return Math.pow;
    case 7: return (a, b) => (a === b ? 1 : 0);
    case 8: return (a, b) => (a > b ? 1 : 0);
    case 9: return (a, b) => (a >= b ? 1 : 0);
    default: throw new TypeError(`binary: unknown op ${op} (0..9)`);
  }
}

function actFn(fn: string, act: number): (v: number) => number {
  switch (act) {
    case 0: return (v) => v;
    case 1: return unaryFn(0);
    case 2: return unaryFn(1);
    case 3: return unaryFn(2);
    default: throw new TypeError(`${fn}: act must be 0 none, 1 relu, 2 sigmoid or 3 tanh, got ${act}`);
  }
}

/** Element index into an input with `strides` for each flat index of `shape` (row-major). */
function stridedIndex(shape: readonly number[], strides: readonly number[]): Int32Array {
  let n = 1;
  for (const d of shape) n *= d;
  const idx = new Int32Array(n);
  const rank = shape.length;
  const counter = new Array<number>(rank).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = off;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      off += strides[d];
      if (counter[d] < shape[d]) break;
      off -= strides[d] * counter[d];
      counter[d] = 0;
    }
  }
  return idx;
}

function extent(shape: readonly number[], strides: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  if (n === 0) return 0;
  let e = 1;
  for (let i = 0; i < shape.length; i++) e += (shape[i] - 1) * strides[i];
  return e;
}

const DEV_LABEL_RANGE = 1, DEV_ID_RANGE = 2, DEV_ROW_RANGE = 3;

/** The real addon's message (native/runtime.cc deviceErrorMessage). */
function deviceErrorMessage(rec: Int32Array): string {
  const [code, index, value, limit] = rec;
  const [name, what, where] = code === DEV_LABEL_RANGE ? ['label-range', 'label', 'row']
    : code === DEV_ID_RANGE ? ['id-range', 'id', 'position']
      : code === DEV_ROW_RANGE ? ['row-range', 'row', 'position'] : ['unknown', 'value', 'index'];
  return `engine-gpu device error ${name} (code ${code}): ${what} ${value} at ${where} ${index} is outside [0, ${limit})`;
}

/** Element counts of x and y for a binary launch's mode (kernels.h: 0 same, 1 y scalar, 2 x scalar, 3 y row, 4 y per row). */
function binaryOperandLengths(fn: string, mode: number, n: number, inner: number): [number, number] {
  if (n === 0) return [0, 0];
  switch (mode) {
    case 0: return [n, n];
    case 1: return [n, 1];
    case 2: return [1, n];
    case 3: case 4:
      if (inner === 0 || n % inner !== 0) throw new TypeError(`${fn}: n (${n}) is not a multiple of inner (${inner})`);
      return [n, mode === 3 ? inner : n / inner];
    default: throw new TypeError(`${fn}: mode must be 0..4, got ${mode}`);
  }
}

/** A host implementation of the addon (see the header: a test fake, this machine has no GPU). */
export function createHostEmulator(opts: HostEmulatorOptions = {}): HostEmulator {
  const name = opts.name ?? 'Atelier host emulator';
  const totalMemory = opts.totalMemory ?? 16 * 1024 ** 3;
  const deferred = opts.stream === 'deferred';

  const device: Region[] = []; // ascending base (bump allocation)
  let nextDevice = DEVICE_BASE;
  let usedDevice = 0;
  const pinned: Region[] = [];
  let nextPinned = PINNED_BASE;

  const queue: Op[] = [];
  let capture: { ops: Op[]; invalid: string | null } | null = null;
  const graphs = new Map<number, Op[]>();
  let nextGraph = 1;
  const events = new Map<number, { recorded: number; done: number }>();
  let nextEvent = 1;
  let recordSeq = 0;
  const deviceErrors = new Int32Array(4);

  const stats: EmulatorStats = { kernelLaunches: 0, copies: 0, capturedOps: 0, graphLaunches: 0, graphNodesRun: 0, syncs: 0, mallocs: 0, frees: 0 };

  function find(regions: Region[], ptr: number): Region | null {
    let lo = 0, hi = regions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = regions[mid];
      if (ptr < r.base) hi = mid - 1;
      else if (ptr >= r.base + Math.max(r.bytes, 1)) lo = mid + 1;
      else return r;
    }
    return null;
  }

  function bytesAt(what: string, ptr: number, bytes: number, regions: Region[] = device): { buffer: ArrayBuffer; offset: number } {
    const r = find(regions, ptr);
    if (!r || ptr + bytes > r.base + r.bytes) throw illegal(what, ptr, bytes);
    return { buffer: r.buffer, offset: ptr - r.base };
  }

  function recordDeviceError(code: number, index: number, value: number, limit: number): void {
    if (deviceErrors[0] !== 0) return;
    deviceErrors.set([code, index, value, limit]);
  }

  // A device operand: checked at the call (an illegal address throws there), resolved again when the
  // operation runs (so a graph replayed after a free touches freed memory and throws).
  interface Operand<T> { get(): T }
  function operand<T>(what: string, ptr: number, count: number, size: number, make: (b: ArrayBuffer, off: number, n: number) => T): Operand<T> {
    intArg(what, 'pointer', ptr);
    const bytes = count * size;
    const resolve = (): T => {
      const { buffer, offset } = bytesAt(what, ptr, bytes);
      if (offset % size !== 0) throw new Error(`CUDA error: misaligned address (cudaErrorMisalignedAddress): ${what} at 0x${ptr.toString(16)}`);
      return make(buffer, offset, count);
    };
    if (count > 0) resolve();
    return { get: () => (count > 0 ? resolve() : make(new ArrayBuffer(0), 0, 0)) };
  }
  const f32 = (what: string, ptr: number, n: number) => operand(what, ptr, n, 4, (b, o, c) => new Float32Array(b, o, c));
  const i32 = (what: string, ptr: number, n: number) => operand(what, ptr, n, 4, (b, o, c) => new Int32Array(b, o, c));
  const u32 = (what: string, ptr: number, n: number) => operand(what, ptr, n, 4, (b, o, c) => new Uint32Array(b, o, c));
  const u16 = (what: string, ptr: number, n: number) => operand(what, ptr, n, 2, (b, o, c) => new Uint16Array(b, o, c));
  const u8 = (what: string, ptr: number, n: number) => operand(what, ptr, n, 1, (b, o, c) => new Uint8Array(b, o, c));
  /** Nullable operand (pointer 0 = absent). */
  const optF32 = (what: string, ptr: number, n: number): Operand<Float32Array | null> => {
    if (ptr === 0) return { get: () => null };
    return f32(what, ptr, n);
  };

  function runOp(op: Op): void {
    op.run();
  }

  function flush(limit = Infinity): void {
    let k = 0;
    while (queue.length > 0 && k < limit) {
      const op = queue.shift() as Op;
      k++;
      runOp(op);
    }
  }

  function submit(op: Op): void {
    if (capture) {
      stats.capturedOps++;
      capture.ops.push(op);
      return;
    }
    if (op.kind === 'kernel') stats.kernelLaunches++;
    else if (op.kind === 'copy') stats.copies++;
    enqueue(op);
  }

  function enqueue(op: Op): void {
    if (deferred) queue.push(op);
    else runOp(op);
  }

  function kernel(name: string, run: () => void): void {
    submit({ kind: 'kernel', name, run });
  }

  /** A call that needs the stream idle (or allocates): not allowed while capturing, and invalidates it. */
  function noCapture(what: string): void {
    if (capture) {
      capture.invalid ??= what;
      throw captureUnsupported(what);
    }
  }

  function sync(what: string): void {
    noCapture(what);
    stats.syncs++;
    flush();
  }

  function throwDeviceErrors(): void {
    if (deviceErrors[0] === 0) return;
    const msg = deviceErrorMessage(deviceErrors);
    deviceErrors.fill(0);
    throw new Error(msg);
  }

  function eventState(fn: string, e: number): { recorded: number; done: number } {
    const s = events.get(e);
    if (!s) throw new Error(`CUDA error: invalid resource handle (cudaErrorInvalidResourceHandle): ${fn} of event ${e}`);
    return s;
  }

  function eventRecordOp(e: number): Op {
    const op: Op = { kind: 'event', name: 'eventRecord', event: e, run: () => undefined };
    return op;
  }

  // An event record runs as an operation: the event completes when the stream reaches it.
  function enqueueEventRecord(e: number): void {
    const s = eventState('eventRecord', e);
    const seq = ++recordSeq;
    s.recorded = seq;
    enqueue({ kind: 'event', name: 'eventRecord', event: e, run: () => { s.done = Math.max(s.done, seq); } });
  }

  function rows(fn: string, a: number, b: number): void {
    intArg(fn, 'rows', a);
    intArg(fn, 'cols', b);
  }

  const emu: HostEmulator = {
    probe(): GpuProbe {
      return {
        ok: true,
        devices: [{ index: 0, name, totalMemory, computeCapability: '9.0', multiProcessors: 132 }],
        driverVersion: 13000,
        runtimeVersion: 13000,
      };
    },
    init(dev: number): void {
      intArg('init', 'device', dev);
      if (dev !== 0) throw new Error(`CUDA error: invalid device ordinal (cudaErrorInvalidDevice): device ${dev} of 1`);
    },
    loadCublasLt(): CublasLtStatus {
      return { loaded: true, path: 'host emulator (no cuBLASLt: GEMM runs on the host)', version: 0 };
    },

    // -------------------------------------------------------------- memory
    malloc(bytes: number): number {
      intArg('malloc', 'bytes', bytes); // allowed while capturing: the addon captures in relaxed mode
      if (bytes === 0) return 0;
      const rounded = Math.ceil(bytes / ALIGN) * ALIGN;
      if (usedDevice + rounded > totalMemory) {
        throw new Error(`CUDA out of memory: cudaMalloc of ${bytes} bytes failed (${totalMemory - usedDevice} of ${totalMemory} free)`);
      }
      let buffer: ArrayBuffer;
      try {
        buffer = new ArrayBuffer(bytes);
      } catch {
        throw new Error(`CUDA out of memory: cudaMalloc of ${bytes} bytes failed (the emulator's host allocation failed)`);
      }
      new Uint8Array(buffer).fill(0xff);
      const base = nextDevice;
      nextDevice += rounded;
      device.push({ base, bytes, buffer });
      usedDevice += rounded;
      stats.mallocs++;
      return base;
    },
    free(ptr: number): void {
      intArg('free', 'ptr', ptr);
      noCapture('free');
      if (ptr === 0) return;
      flush(); // cudaFree waits for the device
      const r = find(device, ptr);
      if (!r || r.base !== ptr) throw new Error(`CUDA error: invalid argument (cudaErrorInvalidValue): free of 0x${ptr.toString(16)}, not an allocation`);
      device.splice(device.indexOf(r), 1);
      usedDevice -= Math.ceil(r.bytes / ALIGN) * ALIGN;
      stats.frees++;
    },
    memGetInfo() {
      return { free: totalMemory - usedDevice, total: totalMemory };
    },
    allocPinned(bytes: number) {
      intArg('allocPinned', 'bytes', bytes);
      const buffer = new ArrayBuffer(bytes);
      const ptr = nextPinned;
      nextPinned += Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
      pinned.push({ base: ptr, bytes, buffer });
      return { ptr, buffer };
    },
    freePinned(ptr: number): void {
      intArg('freePinned', 'ptr', ptr);
      noCapture('freePinned');
      flush();
      const r = find(pinned, ptr);
      if (!r || r.base !== ptr) throw new Error(`CUDA error: invalid argument (cudaErrorInvalidValue): freePinned of 0x${ptr.toString(16)}, not a pinned allocation`);
      pinned.splice(pinned.indexOf(r), 1);
    },
    copyFromPinned(dst: number, src: number, bytes: number): void {
      intArg('copyFromPinned', 'bytes', bytes);
      const d = u8('copyFromPinned', dst, bytes);
      bytesAt('copyFromPinned (pinned source)', src, bytes, pinned);
      submit({
        kind: 'copy', name: 'copyFromPinned', run: () => {
          const s = bytesAt('copyFromPinned (pinned source)', src, bytes, pinned);
          d.get().set(new Uint8Array(s.buffer, s.offset, bytes));
        },
      });
    },
    copyToPinned(dst: number, src: number, bytes: number): void {
      intArg('copyToPinned', 'bytes', bytes);
      const s = u8('copyToPinned', src, bytes);
      bytesAt('copyToPinned (pinned destination)', dst, bytes, pinned);
      submit({
        kind: 'copy', name: 'copyToPinned', run: () => {
          const d = bytesAt('copyToPinned (pinned destination)', dst, bytes, pinned);
          new Uint8Array(d.buffer, d.offset, bytes).set(s.get());
        },
      });
    },
    upload(dst: number, src: Float32Array | Int32Array | Uint16Array, srcOffset = 0, count?: number): void {
      noCapture('upload (pageable memory)');
      intArg('upload', 'srcOffset', srcOffset);
      const n = count ?? src.length - srcOffset;
      intArg('upload', 'count', n);
      if (srcOffset + n > src.length) throw new TypeError(`upload: srcOffset + count (${srcOffset + n}) exceeds the array's ${src.length} elements`);
      const bytes = n * src.BYTES_PER_ELEMENT;
      const d = u8('upload', dst, bytes);
      // Staged: the host array may change once upload returns.
      const copy = new Uint8Array(src.buffer.slice(src.byteOffset + srcOffset * src.BYTES_PER_ELEMENT, src.byteOffset + srcOffset * src.BYTES_PER_ELEMENT + bytes));
      stats.copies++;
      enqueue({ kind: 'copy', name: 'upload', run: () => d.get().set(copy) });
      stats.syncs++;
      flush();
    },
    download(src: number, dst: Float32Array | Int32Array | Uint16Array): void {
      sync('download');
      const s = u8('download', src, dst.byteLength);
      throwDeviceErrors();
      new Uint8Array(dst.buffer, dst.byteOffset, dst.byteLength).set(s.get());
    },
    copyDeviceToDevice(dst: number, src: number, bytes: number): void {
      intArg('copyDeviceToDevice', 'bytes', bytes);
      const d = u8('copyDeviceToDevice', dst, bytes), s = u8('copyDeviceToDevice', src, bytes);
      submit({ kind: 'copy', name: 'copyDeviceToDevice', run: () => d.get().set(s.get().slice()) });
    },
    memsetZero(ptr: number, bytes: number): void {
      intArg('memsetZero', 'bytes', bytes);
      const d = u8('memsetZero', ptr, bytes);
      submit({ kind: 'copy', name: 'memsetZero', run: () => d.get().fill(0) });
    },
    synchronize(): void {
      sync('synchronize');
      throwDeviceErrors();
    },
    takeDeviceErrors(): Int32Array {
      sync('takeDeviceErrors');
      const out = deviceErrors.slice();
      deviceErrors.fill(0);
      return out;
    },

    // -------------------------------------------------------------- events
    eventCreate(): number {
      const e = nextEvent++;
      events.set(e, { recorded: 0, done: 0 });
      return e;
    },
    eventRecord(e: number): void {
      eventState('eventRecord', e);
      if (capture) {
        stats.capturedOps++;
        capture.ops.push(eventRecordOp(e));
        return;
      }
      enqueueEventRecord(e);
    },
    eventQuery(e: number): boolean {
      const s = eventState('eventQuery', e);
      return s.done >= s.recorded;
    },
    eventSynchronize(e: number): void {
      const s = eventState('eventSynchronize', e);
      noCapture('eventSynchronize');
      stats.syncs++;
      while (s.done < s.recorded && queue.length > 0) flush(1);
    },
    eventDestroy(e: number): void {
      eventState('eventDestroy', e);
      events.delete(e);
    },

    // -------------------------------------------------------------- GEMM
    gemm(M, N, K, a, transA, b, transB, c, bias, act, precision: GemmPrecision, workspace, workspaceBytes, scratch): void {
      const fn = 'gemm';
      intArg(fn, 'M', M); intArg(fn, 'N', N); intArg(fn, 'K', K);
      if (precision !== 0 && precision !== 1 && precision !== 2) throw new TypeError(`gemm: precision must be 0, 1 or 2, got ${String(precision)}`);
      const actf = actFn(fn, act);
      const A = f32('gemm A', a, M * K), B = f32('gemm B', b, K * N), C = f32('gemm C', c, M * N), bs = optF32('gemm bias', bias, N);
      if (workspace !== 0) u8('gemm workspace', workspace, intArg(fn, 'workspaceBytes', workspaceBytes));
      if (precision === 1 && M * N * K > 0) {
        if (scratch === 0) throw new TypeError('gemm: bf16 precision needs a scratch buffer of 2·(M·K + K·N) bytes');
        u8('gemm scratch', scratch, 2 * (M * K + K * N));
      }
      const round = precision === 0 ? roundTf32 : precision === 1 ? roundBf16 : (v: number) => v;
      kernel('gemm', () => {
        const av = A.get(), bv = B.get(), cv = C.get(), biasv = bs.get();
        // Inputs as the tensor cores read them, row-major [M,K] and [K,N].
        const ar = new Float32Array(M * K), br = new Float32Array(K * N);
        for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) ar[i * K + k] = round(transA ? av[k * M + i] : av[i * K + k]);
        for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) br[k * N + j] = round(transB ? bv[j * K + k] : bv[k * N + j]);
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            let s = 0;
            for (let k = 0; k < K; k++) s = fr(s + fr(ar[i * K + k] * br[k * N + j]));
            if (biasv) s = fr(s + biasv[j]);
            cv[i * N + j] = actf(s);
          }
        }
      });
    },
    gemmBf16(M, N, K, a, b, c, workspace, workspaceBytes): void {
      const fn = 'gemmBf16';
      intArg(fn, 'M', M); intArg(fn, 'N', N); intArg(fn, 'K', K);
      const A = u16('gemmBf16 A', a, M * K), B = u16('gemmBf16 B', b, K * N), C = f32('gemmBf16 C', c, M * N);
      if (workspace !== 0) u8('gemmBf16 workspace', workspace, intArg(fn, 'workspaceBytes', workspaceBytes));
      kernel('gemmBf16', () => {
        const av = A.get(), bv = B.get(), cv = C.get();
        const bf = new Float32Array(K * N);
        for (let i = 0; i < K * N; i++) bf[i] = bf16BitsToF32(bv[i]);
        for (let i = 0; i < M; i++) {
          const ar = new Float32Array(K);
          for (let k = 0; k < K; k++) ar[k] = bf16BitsToF32(av[i * K + k]);
          for (let j = 0; j < N; j++) {
            let s = 0;
            for (let k = 0; k < K; k++) s = fr(s + ar[k] * bf[k * N + j]);
            cv[i * N + j] = s;
          }
        }
      });
    },

    // -------------------------------------------------------------- elementwise
    unary(op, x, out, n): void {
      intArg('unary', 'n', n);
      const f = unaryFn(op);
      const X = f32('unary x', x, n), O = f32('unary out', out, n);
      kernel('unary', () => {
        const xv = X.get(), ov = O.get();
        for (let i = 0; i < n; i++) ov[i] = f(xv[i]);
      });
    },
    binary(op, mode, x, y, out, n, inner): void {
      const fn = 'binary';
      intArg(fn, 'n', n); intArg(fn, 'inner', inner);
      const f = binaryFn(op);
      const [xn, yn] = binaryOperandLengths(fn, mode, n, inner);
      const X = f32('binary x', x, xn), Y = f32('binary y', y, yn), O = f32('binary out', out, n);
      kernel('binary', () => {
        const xv = X.get(), yv = Y.get(), ov = O.get();
        // Read both inputs first: out may alias x or y.
        for (let i = 0; i < n; i++) {
          const a = mode === 2 ? xv[0] : xv[i];
          const b = mode === 0 ? yv[i] : mode === 1 ? yv[0] : mode === 2 ? yv[i] : mode === 3 ? yv[i % inner] : yv[Math.floor(i / inner)];
          ov[i] = f(a, b);
        }
      });
    },
    binaryI32(op, mode, x, y, out, n, inner): void {
      const fn = 'binaryI32';
      intArg(fn, 'n', n); intArg(fn, 'inner', inner);
      if (![0, 1, 2, 4, 5, 7, 8, 9].includes(op)) throw new TypeError(`binaryI32: op must be one of 0, 1, 2, 4, 5, 7, 8, 9, got ${op}`);
      const [xn, yn] = binaryOperandLengths(fn, mode, n, inner);
      const compare = op >= 7;
      const X = i32('binaryI32 x', x, xn), Y = i32('binaryI32 y', y, yn);
      const OF = compare ? f32('binaryI32 out', out, n) : null, OI = compare ? null : i32('binaryI32 out', out, n);
      kernel(fn, () => {
        const xv = X.get(), yv = Y.get(), of = OF?.get(), oi = OI?.get();
        for (let i = 0; i < n; i++) {
          const a = mode === 2 ? xv[0] : xv[i];
          const b = mode === 0 ? yv[i] : mode === 1 ? yv[0] : mode === 2 ? yv[i] : mode === 3 ? yv[i % inner] : yv[Math.floor(i / inner)];
          if (of) of[i] = op === 7 ? +(a === b) : op === 8 ? +(a > b) : +(a >= b);
          else oi![i] = op === 0 ? (a + b) | 0 : op === 1 ? (a - b) | 0 : op === 2 ? Math.imul(a, b) : op === 4 ? Math.max(a, b) : Math.min(a, b);
        }
      });
    },
    binaryStrided(op, x, y, out, shape, xStrides, yStrides): void {
      const fn = 'binaryStrided';
      const sh = shapeArg(fn, 'shape', shape);
      const xs = shapeArg(fn, 'xStrides', xStrides, sh.length), ys = shapeArg(fn, 'yStrides', yStrides, sh.length);
      const f = binaryFn(op);
      let n = 1;
      for (const d of sh) n *= d;
      const X = f32('binaryStrided x', x, extent(sh, xs)), Y = f32('binaryStrided y', y, extent(sh, ys)), O = f32('binaryStrided out', out, n);
      kernel(fn, () => {
        const xv = X.get(), yv = Y.get(), ov = O.get();
        const ix = stridedIndex(sh, xs), iy = stridedIndex(sh, ys);
        const res = new Float32Array(n);
        for (let i = 0; i < n; i++) res[i] = f(xv[ix[i]], yv[iy[i]]);
        ov.set(res);
      });
    },
    reluGrad(dy, y, out, n): void {
      intArg('reluGrad', 'n', n);
      const D = f32('reluGrad dy', dy, n), Y = f32('reluGrad y', y, n), O = f32('reluGrad out', out, n);
      kernel('reluGrad', () => {
        const dv = D.get(), yv = Y.get(), ov = O.get();
        for (let i = 0; i < n; i++) ov[i] = yv[i] > 0 ? dv[i] : 0;
      });
    },
    biasAct(c, bias, r, cols, act): void {
      rows('biasAct', r, cols);
      const f = actFn('biasAct', act);
      const C = f32('biasAct c', c, r * cols), B = optF32('biasAct bias', bias, cols);
      kernel('biasAct', () => {
        const cv = C.get(), bv = B.get();
        for (let i = 0; i < r; i++) for (let j = 0; j < cols; j++) cv[i * cols + j] = f(bv ? fr(cv[i * cols + j] + bv[j]) : cv[i * cols + j]);
      });
    },
    fillF32(out, value, n): void {
      intArg('fillF32', 'n', n);
      numArg('fillF32', 'value', value);
      const O = f32('fillF32 out', out, n);
      kernel('fillF32', () => O.get().fill(value));
    },
    fillI32(out, value, n): void {
      intArg('fillI32', 'n', n);
      numArg('fillI32', 'value', value);
      const O = i32('fillI32 out', out, n);
      kernel('fillI32', () => O.get().fill(value | 0));
    },
    castF32I32(x, out, n): void {
      intArg('castF32I32', 'n', n);
      const X = f32('castF32I32 x', x, n), O = i32('castF32I32 out', out, n);
      kernel('castF32I32', () => {
        const xv = X.get(), ov = O.get();
        // Like the kernel: JS's ToInt32 (truncate, wrap mod 2³², NaN/±Inf → 0), which an Int32Array store does.
        for (let i = 0; i < n; i++) ov[i] = xv[i];
      });
    },
    castI32F32(x, out, n): void {
      intArg('castI32F32', 'n', n);
      const X = i32('castI32F32 x', x, n), O = f32('castI32F32 out', out, n);
      kernel('castI32F32', () => {
        const xv = X.get(), ov = O.get();
        for (let i = 0; i < n; i++) ov[i] = xv[i];
      });
    },
    f32ToBf16(x, out, n): void {
      intArg('f32ToBf16', 'n', n);
      const X = f32('f32ToBf16 x', x, n), O = u16('f32ToBf16 out', out, n);
      kernel('f32ToBf16', () => {
        const xv = X.get(), ov = O.get();
        for (let i = 0; i < n; i++) ov[i] = f32ToBf16Bits(xv[i]);
      });
    },
    bf16ToF32(x, out, n): void {
      intArg('bf16ToF32', 'n', n);
      const X = u16('bf16ToF32 x', x, n), O = f32('bf16ToF32 out', out, n);
      kernel('bf16ToF32', () => {
        const xv = X.get(), ov = O.get();
        for (let i = 0; i < n; i++) ov[i] = bf16BitsToF32(xv[i]);
      });
    },

    // -------------------------------------------------------------- reductions
    sumLast(x, r, cols, out): void {
      rows('sumLast', r, cols);
      const X = f32('sumLast x', x, r * cols), O = f32('sumLast out', out, r);
      kernel('sumLast', () => {
        const xv = X.get(), ov = O.get();
        for (let i = 0; i < r; i++) {
          let s = 0;
          for (let j = 0; j < cols; j++) s = fr(s + xv[i * cols + j]);
          ov[i] = s;
        }
      });
    },
    sumRows(x, r, cols, out): void {
      rows('sumRows', r, cols);
      const X = f32('sumRows x', x, r * cols), O = f32('sumRows out', out, cols);
      kernel('sumRows', () => {
        const xv = X.get(), ov = O.get();
        const acc = new Float32Array(cols);
        for (let i = 0; i < r; i++) for (let j = 0; j < cols; j++) acc[j] += xv[i * cols + j];
        ov.set(acc);
      });
    },
    reduceMid(op, x, outer, len, inner, out): void {
      const fn = 'reduceMid';
      intArg(fn, 'outer', outer); intArg(fn, 'len', len); intArg(fn, 'inner', inner);
      if (op !== 0 && op !== 1) throw new TypeError(`reduceMid: op must be 0 sum or 1 max, got ${op}`);
      const X = f32('reduceMid x', x, outer * len * inner), O = f32('reduceMid out', out, outer * inner);
      kernel(fn, () => {
        const xv = X.get(), ov = O.get();
        const res = new Float32Array(outer * inner);
        for (let o = 0; o < outer; o++) {
          for (let i = 0; i < inner; i++) {
            let s = op === 0 ? 0 : -Infinity;
            for (let l = 0; l < len; l++) {
              const v = xv[(o * len + l) * inner + i];
              if (op === 0) s = fr(s + v);
              else if (v > s || Number.isNaN(v)) s = v;
              if (Number.isNaN(s) && op === 1) break;
            }
            res[o * inner + i] = s;
          }
        }
        ov.set(res);
      });
    },
    argmaxLast(x, r, cols, out): void {
      rows('argmaxLast', r, cols);
      const X = f32('argmaxLast x', x, r * cols), O = i32('argmaxLast out', out, r);
      kernel('argmaxLast', () => {
        const xv = X.get(), ov = O.get();
        for (let i = 0; i < r; i++) {
          let best = 0;
          for (let j = 1; j < cols; j++) if (xv[i * cols + j] > xv[i * cols + best]) best = j;
          ov[i] = best;
        }
      });
    },
    reluGradBiasSum(dy, y, r, cols, g, db): void {
      rows('reluGradBiasSum', r, cols);
      const D = f32('reluGradBiasSum dy', dy, r * cols), Y = f32('reluGradBiasSum y', y, r * cols);
      const G = f32('reluGradBiasSum g', g, r * cols), DB = f32('reluGradBiasSum db', db, cols);
      kernel('reluGradBiasSum', () => {
        const dv = D.get(), yv = Y.get(), gv = G.get(), dbv = DB.get();
        const acc = new Float32Array(cols);
        for (let i = 0; i < r; i++) {
          for (let j = 0; j < cols; j++) {
            const k = i * cols + j;
            const v = yv[k] > 0 ? dv[k] : 0;
            gv[k] = v;
            acc[j] += v;
          }
        }
        dbv.set(acc);
      });
    },
    sumSquares(x, n, out): void {
      intArg('sumSquares', 'n', n);
      const X = f32('sumSquares x', x, n), O = f32('sumSquares out', out, 1);
      kernel('sumSquares', () => {
        const xv = X.get();
        let s = 0;
        for (let i = 0; i < n; i++) s = fr(s + fr(xv[i] * xv[i]));
        O.get()[0] = s;
      });
    },

    // -------------------------------------------------------------- softmax and losses
    softmax(x, r, m, out, log): void {
      rows('softmax', r, m);
      const X = f32('softmax x', x, r * m), O = f32('softmax out', out, r * m);
      kernel('softmax', () => {
        const xv = X.get(), ov = O.get();
        for (let i = 0; i < r; i++) {
          const o = i * m;
          let mx = -Infinity;
          for (let j = 0; j < m; j++) if (xv[o + j] > mx) mx = xv[o + j];
          let s = 0;
          for (let j = 0; j < m; j++) s = fr(s + fr(Math.exp(xv[o + j] - mx)));
          if (log) {
            const lse = fr(mx + Math.log(s));
            for (let j = 0; j < m; j++) ov[o + j] = xv[o + j] - lse;
          } else {
            for (let j = 0; j < m; j++) ov[o + j] = fr(Math.exp(xv[o + j] - mx)) / s;
          }
        }
      });
    },
    sparseSoftmaxCrossEntropy(logits, labels, n, c, loss, probs): void {
      rows('sparseSoftmaxCrossEntropy', n, c);
      const X = f32('sparseSoftmaxCrossEntropy logits', logits, n * c), L = i32('sparseSoftmaxCrossEntropy labels', labels, n);
      const LO = f32('sparseSoftmaxCrossEntropy loss', loss, n), P = f32('sparseSoftmaxCrossEntropy probs', probs, n * c);
      kernel('sparseSoftmaxCrossEntropy', () => {
        const xv = X.get(), lv = L.get(), lov = LO.get(), pv = P.get();
        for (let i = 0; i < n; i++) {
          const o = i * c;
          let mx = -Infinity;
          for (let j = 0; j < c; j++) if (xv[o + j] > mx) mx = xv[o + j];
          let s = 0;
          for (let j = 0; j < c; j++) s = fr(s + fr(Math.exp(xv[o + j] - mx)));
          const lse = fr(mx + Math.log(s));
          for (let j = 0; j < c; j++) pv[o + j] = Math.exp(xv[o + j] - lse);
          const y = lv[i];
          if (y < 0 || y >= c) {
            recordDeviceError(DEV_LABEL_RANGE, i, y, c);
            lov[i] = NaN;
          } else lov[i] = lse - xv[o + y];
        }
      });
    },
    bceWithLogits(x, z, out, n): void {
      intArg('bceWithLogits', 'n', n);
      const X = f32('bceWithLogits x', x, n), Z = f32('bceWithLogits z', z, n), O = f32('bceWithLogits out', out, n);
      kernel('bceWithLogits', () => {
        const xv = X.get(), zv = Z.get(), ov = O.get();
        for (let i = 0; i < n; i++) {
          const v = xv[i];
          ov[i] = (v > 0 ? v : 0) - fr(v * zv[i]) + fr(Math.log1p(Math.exp(-Math.abs(v))));
        }
      });
    },
    oneHot(ids, n, depth, onValue, offValue, out): void {
      rows('oneHot', n, depth);
      numArg('oneHot', 'onValue', onValue); numArg('oneHot', 'offValue', offValue);
      const I = i32('oneHot ids', ids, n), O = f32('oneHot out', out, n * depth);
      kernel('oneHot', () => {
        const iv = I.get(), ov = O.get();
        for (let i = 0; i < n; i++) {
          const id = iv[i];
          for (let j = 0; j < depth; j++) ov[i * depth + j] = j === id ? onValue : offValue; // an id out of range: all off
        }
      });
    },

    // -------------------------------------------------------------- layernorm
    layerNormForward(x, gamma, beta, r, d, eps, y, mean, rstd): void {
      rows('layerNormForward', r, d);
      numArg('layerNormForward', 'eps', eps);
      const X = f32('layerNorm x', x, r * d), G = optF32('layerNorm gamma', gamma, d), B = optF32('layerNorm beta', beta, d);
      const Y = f32('layerNorm y', y, r * d), MU = f32('layerNorm mean', mean, r), RS = f32('layerNorm rstd', rstd, r);
      const e = fr(eps);
      kernel('layerNormForward', () => {
        const xv = X.get(), gv = G.get(), bv = B.get(), yv = Y.get(), mv = MU.get(), rv = RS.get();
        for (let i = 0; i < r; i++) {
          const o = i * d;
          let s = 0;
          for (let j = 0; j < d; j++) s = fr(s + xv[o + j]);
          const mu = fr(s / d);
          let q = 0;
          for (let j = 0; j < d; j++) { const c = fr(xv[o + j] - mu); q = fr(q + fr(c * c)); }
          const rs = fr(1 / Math.sqrt(fr(fr(q / d) + e)));
          mv[i] = mu;
          rv[i] = rs;
          for (let j = 0; j < d; j++) {
            const xh = fr(fr(xv[o + j] - mu) * rs);
            yv[o + j] = fr(xh * (gv ? gv[j] : 1)) + (bv ? bv[j] : 0);
          }
        }
      });
    },
    layerNormBackward(dy, x, gamma, mean, rstd, r, d, dx, dgamma, dbeta): void {
      rows('layerNormBackward', r, d);
      const DY = f32('layerNormBackward dy', dy, r * d), X = f32('layerNormBackward x', x, r * d), G = optF32('layerNormBackward gamma', gamma, d);
      const MU = f32('layerNormBackward mean', mean, r), RS = f32('layerNormBackward rstd', rstd, r);
      const DX = f32('layerNormBackward dx', dx, r * d), DG = optF32('layerNormBackward dgamma', dgamma, d), DB = optF32('layerNormBackward dbeta', dbeta, d);
      kernel('layerNormBackward', () => {
        const dyv = DY.get(), xv = X.get(), gv = G.get(), mv = MU.get(), rv = RS.get(), dxv = DX.get(), dgv = DG.get(), dbv = DB.get();
        const accG = new Float32Array(d), accB = new Float32Array(d);
        const res = new Float32Array(r * d);
        for (let i = 0; i < r; i++) {
          const o = i * d;
          const mu = mv[i], rs = rv[i];
          let sg = 0, sgx = 0;
          for (let j = 0; j < d; j++) {
            const xh = fr(fr(xv[o + j] - mu) * rs);
            const g = fr(dyv[o + j] * (gv ? gv[j] : 1));
            sg = fr(sg + g);
            sgx = fr(sgx + fr(g * xh));
            accG[j] += fr(dyv[o + j] * xh);
            accB[j] += dyv[o + j];
          }
          const mg = fr(sg / d), mgx = fr(sgx / d);
          for (let j = 0; j < d; j++) {
            const xh = fr(fr(xv[o + j] - mu) * rs);
            const g = fr(dyv[o + j] * (gv ? gv[j] : 1));
            res[o + j] = fr(rs * fr(fr(g - mg) - fr(xh * mgx)));
          }
        }
        dxv.set(res);
        if (dgv) dgv.set(accG);
        if (dbv) dbv.set(accB);
      });
    },

    // -------------------------------------------------------------- dropout
    dropout(x, out, mask, n, keep, seed, offset): void {
      const fn = 'dropout';
      intArg(fn, 'n', n); intArg(fn, 'seed', seed); intArg(fn, 'offset', offset);
      numArg(fn, 'keep', keep);
      if (!(keep > 0 && keep <= 1)) throw new TypeError(`dropout: keep must be in (0, 1], got ${keep}`);
      if (out === 0 && mask === 0) throw new TypeError('dropout: needs out or mask');
      const X = optF32('dropout x', x, n), O = optF32('dropout out', out, n), MK = optF32('dropout mask', mask, n);
      const k = fr(keep), scale = fr(1 / k);
      kernel(fn, () => {
        const xv = X.get(), ov = O.get(), mv = MK.get();
        const u = philoxUniforms(seed, offset, n); // the kernel's CPU twin (src/philox.ts)
        for (let i = 0; i < n; i++) {
          const m = u[i] < k ? scale : 0;
          if (mv) mv[i] = m;
          if (ov) ov[i] = xv ? xv[i] * m : m; // no x: the mask only
        }
      });
    },

    // -------------------------------------------------------------- embedding
    gather(table, v, d, ids, n, out): void {
      const fn = 'gather';
      intArg(fn, 'v', v); intArg(fn, 'd', d); intArg(fn, 'n', n);
      // Bit copies (Uint32Array views): the launcher also moves int32 tables, whose -1 is a NaN pattern as a float.
      const T = u32('gather table', table, v * d), I = i32('gather ids', ids, n), O = u32('gather out', out, n * d);
      kernel(fn, () => {
        const tv = T.get(), iv = I.get(), ov = O.get();
        for (let i = 0; i < n; i++) {
          const id = iv[i];
          if (id < 0 || id >= v) {
            if (id >= v) recordDeviceError(DEV_ID_RANGE, i, id, v); // negative: padding, a zero row
            ov.fill(0, i * d, i * d + d);
          } else ov.set(tv.subarray(id * d, id * d + d), i * d);
        }
      });
    },
    scatterAdd(values, d, rowsPtr, k, numRows, out): void {
      const fn = 'scatterAdd';
      intArg(fn, 'd', d); intArg(fn, 'k', k); intArg(fn, 'numRows', numRows);
      const V = f32('scatterAdd values', values, k * d), R = i32('scatterAdd rows', rowsPtr, k), O = f32('scatterAdd out', out, numRows * d);
      kernel(fn, () => {
        const vv = V.get(), rv = R.get(), ov = O.get();
        ov.fill(0);
        for (let i = 0; i < k; i++) {
          const r = rv[i];
          if (r < 0) continue; // padding
          if (r >= numRows) { recordDeviceError(DEV_ROW_RANGE, i, r, numRows); continue; }
          for (let j = 0; j < d; j++) ov[r * d + j] += vv[i * d + j];
        }
      });
    },
    coalesceScratchBytes(k: number, d: number): number {
      intArg('coalesceScratchBytes', 'k', k);
      intArg('coalesceScratchBytes', 'd', d);
      // Sort keys and values (2 int32 per row, twice for the radix sort's double buffer) + a row of flags.
      return Math.ceil((16 * k + 4 * (k + 1)) / ALIGN) * ALIGN + ALIGN;
    },
    coalesceRows(rowsPtr, values, k, d, uniq, out, count, scratch): void {
      const fn = 'coalesceRows';
      intArg(fn, 'k', k); intArg(fn, 'd', d);
      const R = i32('coalesceRows rows', rowsPtr, k), V = f32('coalesceRows values', values, k * d), U = i32('coalesceRows uniq', uniq, k);
      const O = f32('coalesceRows out', out, k * d), C = i32('coalesceRows count', count, 1);
      if (k > 0) u8('coalesceRows scratch', scratch, emu.coalesceScratchBytes(k, d));
      kernel(fn, () => {
        const rv = R.get(), vv = V.get(), uv = U.get(), ov = O.get();
        const order: number[] = [];
        for (let i = 0; i < k; i++) if (rv[i] >= 0) order.push(i);
        order.sort((a, b) => rv[a] - rv[b] || a - b);
        const resU = new Int32Array(k).fill(-1), resO = new Float32Array(k * d);
        let u = -1;
        for (let q = 0; q < order.length; q++) {
          const i = order[q];
          if (q === 0 || rv[i] !== rv[order[q - 1]]) resU[++u] = rv[i];
          for (let j = 0; j < d; j++) resO[u * d + j] += vv[i * d + j];
        }
        uv.set(resU);
        ov.set(resO);
        C.get()[0] = u + 1;
      });
    },

    // -------------------------------------------------------------- copies
    copyRows(src, srcOff, srcStride, dst, dstOff, dstStride, r, width): void {
      const fn = 'copyRows';
      for (const [k, v] of Object.entries({ srcOff, srcStride, dstOff, dstStride, rows: r, width })) intArg(fn, k, v);
      const srcN = r === 0 || width === 0 ? 0 : srcOff + (r - 1) * srcStride + width;
      const dstN = r === 0 || width === 0 ? 0 : dstOff + (r - 1) * dstStride + width;
      const S = i32('copyRows src', src, srcN), D = i32('copyRows dst', dst, dstN);
      kernel(fn, () => {
        const sv = S.get(), dv = D.get();
        for (let i = 0; i < r; i++) dv.set(sv.subarray(srcOff + i * srcStride, srcOff + i * srcStride + width), dstOff + i * dstStride);
      });
    },
    transpose(x, out, inShape, perm): void {
      const fn = 'transpose';
      const sh = shapeArg(fn, 'inShape', inShape);
      const p = shapeArg(fn, 'perm', perm, sh.length);
      if ([...p].sort((a, b) => a - b).some((v, i) => v !== i)) throw new TypeError(`transpose: perm [${p}] is not a permutation of 0..${sh.length - 1}`);
      let n = 1;
      for (const d of sh) n *= d;
      const X = i32('transpose x', x, n), O = i32('transpose out', out, n);
      const inStr = new Array<number>(sh.length);
      let acc = 1;
      for (let i = sh.length - 1; i >= 0; i--) { inStr[i] = acc; acc *= sh[i]; }
      const outShape = p.map((k) => sh[k]), srcStr = p.map((k) => inStr[k]);
      kernel(fn, () => {
        const xv = X.get(), ov = O.get();
        const idx = stridedIndex(outShape, srcStr);
        for (let i = 0; i < n; i++) ov[i] = xv[idx[i]];
      });
    },
    broadcastTo(x, out, shape, xStrides): void {
      const fn = 'broadcastTo';
      const sh = shapeArg(fn, 'shape', shape), xs = shapeArg(fn, 'xStrides', xStrides, sh.length);
      let n = 1;
      for (const d of sh) n *= d;
      const X = i32('broadcastTo x', x, extent(sh, xs)), O = i32('broadcastTo out', out, n);
      kernel(fn, () => {
        const xv = X.get(), ov = O.get();
        const idx = stridedIndex(sh, xs);
        for (let i = 0; i < n; i++) ov[i] = xv[idx[i]];
      });
    },

    // -------------------------------------------------------------- optimizers
    adam(param, grad, m, v, rowsPtr, k, rowWidth, n, scalars, decoupled): void {
      const fn = 'adam';
      intArg(fn, 'k', k); intArg(fn, 'rowWidth', rowWidth); intArg(fn, 'n', n);
      const sparse = rowsPtr !== 0;
      const P = f32('adam param', param, n), G = f32('adam grad', grad, sparse ? k * rowWidth : n);
      const Mo = f32('adam m', m, n), Vo = f32('adam v', v, n), R = sparse ? i32('adam rows', rowsPtr, k) : null, S = f32('adam scalars', scalars, 9);
      kernel(fn, () => {
        const pv = P.get(), gv = G.get(), mv = Mo.get(), vv = Vo.get(), s = S.get();
        // In double, stored as float32, like optimizer.cu (formula for formula the reference's).
        const [lr, beta1, beta2, eps, bc1, bc2, l2, wd] = s;
        const stepSize = lr / bc1, sqrtBc2 = Math.sqrt(bc2);
        const decay = decoupled ? 1 - lr * wd : 1;
        const c1 = 1 - beta1, c2 = 1 - beta2;
        const update = (i: number, g: number): void => {
          let p = pv[i];
          const gi = g + l2 * p;
          p *= decay;
          const mi = beta1 * mv[i] + c1 * gi;
          const vi = beta2 * vv[i] + c2 * gi * gi;
          mv[i] = mi;
          vv[i] = vi;
          pv[i] = p - (stepSize * mi) / (Math.sqrt(vi) / sqrtBc2 + eps);
        };
        rowsLoop(R, k, rowWidth, n, gv, update);
      });
    },
    sgd(param, grad, velocity, rowsPtr, k, rowWidth, n, scalars, nesterov): void {
      const fn = 'sgd';
      intArg(fn, 'k', k); intArg(fn, 'rowWidth', rowWidth); intArg(fn, 'n', n);
      const sparse = rowsPtr !== 0;
      const P = f32('sgd param', param, n), G = f32('sgd grad', grad, sparse ? k * rowWidth : n);
      const Ve = f32('sgd velocity', velocity, n), R = sparse ? i32('sgd rows', rowsPtr, k) : null, S = f32('sgd scalars', scalars, 9);
      kernel(fn, () => {
        const pv = P.get(), gv = G.get(), vel = Ve.get(), s = S.get();
        const lr = s[0], l2 = s[6], momentum = s[8];
        rowsLoop(R, k, rowWidth, n, gv, (i, g) => {
          const gi = g + l2 * pv[i];
          const vi = momentum * vel[i] + gi;
          vel[i] = vi;
          pv[i] = pv[i] - lr * (nesterov ? gi + momentum * vi : vi);
        });
      });
    },
    adagrad(param, grad, acc, rowsPtr, k, rowWidth, n, scalars): void {
      const fn = 'adagrad';
      intArg(fn, 'k', k); intArg(fn, 'rowWidth', rowWidth); intArg(fn, 'n', n);
      const sparse = rowsPtr !== 0;
      const P = f32('adagrad param', param, n), G = f32('adagrad grad', grad, sparse ? k * rowWidth : n);
      const A = f32('adagrad acc', acc, n), R = sparse ? i32('adagrad rows', rowsPtr, k) : null, S = f32('adagrad scalars', scalars, 9);
      kernel(fn, () => {
        const pv = P.get(), gv = G.get(), av = A.get(), s = S.get();
        const lr = s[0], eps = s[3], l2 = s[6];
        rowsLoop(R, k, rowWidth, n, gv, (i, g) => {
          const gi = g + l2 * pv[i];
          const si = av[i] + gi * gi;
          av[i] = si;
          pv[i] = pv[i] - (lr * gi) / (Math.sqrt(si) + eps);
        });
      });
    },

    // -------------------------------------------------------------- CUDA Graphs
    captureBegin(): void {
      if (capture) throw new Error('CUDA error: operation not permitted when stream is capturing (cudaErrorStreamCaptureUnsupported): captureBegin while capturing');
      capture = { ops: [], invalid: null };
    },
    captureEnd(): number {
      if (!capture) throw new Error('CUDA error: operation not permitted (cudaErrorIllegalState): captureEnd without captureBegin');
      const c = capture;
      capture = null;
      if (c.invalid !== null) throw new Error(`CUDA error: operation failed due to a previous error during capture (cudaErrorStreamCaptureInvalidated): ${c.invalid} during capture`);
      const g = nextGraph++;
      graphs.set(g, c.ops);
      return g;
    },
    capturing(): boolean {
      return capture !== null;
    },
    graphLaunch(g: number): void {
      const ops = graphs.get(g);
      if (!ops) throw new Error(`CUDA error: invalid resource handle (cudaErrorInvalidResourceHandle): graphLaunch of graph ${g}`);
      if (capture) {
        noCapture('graphLaunch');
      }
      stats.graphLaunches++;
      for (const op of ops) {
        if (op.kind === 'event' && op.event !== undefined) {
          enqueueEventRecord(op.event);
          continue;
        }
        enqueue({ ...op, run: () => { stats.graphNodesRun++; op.run(); } });
      }
    },
    graphDestroy(g: number): void {
      if (!graphs.delete(g)) throw new Error(`CUDA error: invalid resource handle (cudaErrorInvalidResourceHandle): graphDestroy of graph ${g}`);
    },

    utilization() {
      return null;
    },

    // -------------------------------------------------------------- emulator extras
    emulatorStats(): EmulatorStats {
      return { ...stats };
    },
    advance(ops?: number): void {
      flush(ops ?? Infinity);
    },
    pending(): number {
      return queue.length;
    },
  };

  function rowsLoop(R: Operand<Int32Array> | null, k: number, rowWidth: number, n: number, g: Float32Array, update: (i: number, g: number) => void): void {
    if (!R) {
      for (let i = 0; i < n; i++) update(i, g[i]);
      return;
    }
    const rv = R.get();
    for (let r = 0; r < k; r++) {
      const row = rv[r];
      if (row < 0) continue; // padding
      if ((row + 1) * rowWidth > n) { recordDeviceError(DEV_ROW_RANGE, r, row, rowWidth === 0 ? 0 : n / rowWidth); continue; }
      for (let j = 0; j < rowWidth; j++) update(row * rowWidth + j, g[r * rowWidth + j]);
    }
  }

  return emu;
}

/** Stats of an emulator created by createHostEmulator (throws for the real addon). */
export function emulatorStats(addon: GpuAddon): EmulatorStats {
  const e = addon as Partial<HostEmulator>;
  if (typeof e.emulatorStats !== 'function') throw new Error('emulatorStats: this addon is not the host emulator');
  return e.emulatorStats();
}
