// Float storage allocation. Production runs float32. Gradient checks switch the whole reference
// path to float64 storage (`useFloat64StorageForTests`) so that finite differences are meaningful;
// dtype labels stay 'float32' and Float64Array indexes exactly like Float32Array.
let FloatCtor: Float32ArrayConstructor = Float32Array;

// Free lists of engine-allocated float buffers keyed by length: steady-state training and
// inference reuse the same buffers instead of allocating per op. Only arrays allocFloat made are
// pooled (never arrays a caller handed in), and a reused buffer is zeroed like a fresh one.
const pool = new Map<number, Float32Array[]>();
const owned = new WeakSet<object>();
let pooledBytes = 0;
const MAX_POOLED_BYTES = 256 * 1024 * 1024;
const MAX_PER_SIZE = 16;

export function allocFloat(n: number): Float32Array {
  const free = pool.get(n);
  if (free && free.length > 0) {
    const a = free.pop()!;
    pooledBytes -= a.byteLength;
    if (a.constructor === FloatCtor) {
      a.fill(0);
      return a;
    }
  }
  const a = new FloatCtor(n);
  if (n >= 64) owned.add(a);
  return a;
}

/** Give a buffer back once no tensor references it (called by the CPU backend's dispose). */
export function releaseFloat(a: ArrayLike<number>): void {
  if (!owned.has(a as object)) return;
  const arr = a as Float32Array;
  if (pooledBytes + arr.byteLength > MAX_POOLED_BYTES) return;
  let free = pool.get(arr.length);
  if (!free) pool.set(arr.length, (free = []));
  if (free.length >= MAX_PER_SIZE) return;
  free.push(arr);
  pooledBytes += arr.byteLength;
}

export function toFloatArray(values: ArrayLike<number>): Float32Array {
  const out = new FloatCtor(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

export function isFloatStorage(values: unknown): values is Float32Array {
  return values instanceof Float32Array || values instanceof Float64Array;
}

/** Test-only: run every float kernel in float64. Not for production use. */
export function useFloat64StorageForTests(on: boolean): void {
  FloatCtor = (on ? Float64Array : Float32Array) as unknown as Float32ArrayConstructor;
}

export function float64StorageActive(): boolean {
  return (FloatCtor as unknown) === Float64Array;
}
