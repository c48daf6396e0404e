/**
 * Seeded pseudo-random numbers for everything stochastic in the engine (init, dropout, shuffling,
 * splits). xoshiro128** (Blackman & Vigna) seeded through splitmix32: small state (4 × uint32), fast in
 * 32-bit integer math, and good statistical quality. The whole state is exportable so a training job
 * resumed from a checkpoint draws exactly the numbers it would have drawn without the interruption.
 */

const TWO_POW_32 = 4294967296;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** splitmix32 step: turns any 32-bit seed (even 0) into well-mixed words for xoshiro's state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** 32-bit finalizer (murmur3 fmix32): avalanches all input bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds any finite JS number (including > 2^32 and fractions) into 32 bits without dropping high bits. */
function foldSeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new Error(`Random: seed must be a finite number, got ${seed}`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  const frac = Math.floor((seed - Math.floor(seed)) * TWO_POW_32) >>> 0;
  return (lo ^ fmix32(hi ^ 0x6a09e667) ^ fmix32(frac ^ 0xbb67ae85)) >>> 0;
}

export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  // Box–Muller makes normals in pairs; the spare is part of the state so resume is exact.
  private hasSpare = false;
  private spare = 0;

  constructor(seed: number) {
    const sm = { s: foldSeed(seed) };
    this.s0 = splitmix32(sm);
    this.s1 = splitmix32(sm);
    this.s2 = splitmix32(sm);
    this.s3 = splitmix32(sm);
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2;
    const s3 = this.s3;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    this.s1 = s1 ^ n2;
    this.s0 = s0 ^ n3;
    this.s2 = n2 ^ t;
    this.s3 = rotl(n3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling), for 1 <= n <= 2^32. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new Error(`Random.nextInt: n must be an integer in [1, 2^32], got ${n}`);
    }
    if (n === 1) return 0;
    // Reject the top partial block of 2^32 so every residue is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Standard normal N(0, 1) via the Box–Muller transform. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    while (u === 0) u = this.next(); // log(0) guard
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * v;
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle(arr: Int32Array | Uint32Array | Float32Array | Float64Array | number[]): void {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }

  /**
   * An independent child stream. The child is seeded from four fresh parent outputs mixed through
   * splitmix32, so parent and child sequences are decorrelated; the parent advances by four draws.
   */
  fork(): Random {
    const a = this.nextUint32();
    const b = this.nextUint32();
    const c = this.nextUint32();
    const d = this.nextUint32();
    const child = new Random(0);
    const sm = { s: fmix32(a ^ fmix32(b ^ fmix32(c ^ fmix32(d ^ 0x3c6ef372)))) };
    child.s0 = splitmix32(sm) ^ a;
    child.s1 = splitmix32(sm) ^ b;
    child.s2 = splitmix32(sm) ^ c;
    child.s3 = splitmix32(sm) ^ d;
    if ((child.s0 | child.s1 | child.s2 | child.s3) === 0) child.s0 = 1; // all-zero is a fixed point
    return child;
  }

  /** Serializable state: [s0, s1, s2, s3, hasSpare (0|1), spare]. JSON round-trips it exactly. */
  getState(): number[] {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0, this.hasSpare ? 1 : 0, this.spare];
  }

  setState(s: number[]): void {
    if (!Array.isArray(s) || (s.length !== 4 && s.length !== 6)) {
      throw new Error(`Random.setState: expected 4 or 6 numbers, got ${Array.isArray(s) ? s.length : typeof s}`);
    }
    for (let i = 0; i < 4; i++) {
      if (!Number.isInteger(s[i]) || s[i] < 0 || s[i] >= TWO_POW_32) {
        throw new Error(`Random.setState: word ${i} must be a uint32, got ${s[i]}`);
      }
    }
    if ((s[0] | s[1] | s[2] | s[3]) === 0) throw new Error('Random.setState: all-zero state is invalid');
    this.s0 = s[0] | 0;
    this.s1 = s[1] | 0;
    this.s2 = s[2] | 0;
    this.s3 = s[3] | 0;
    this.hasSpare = s.length === 6 && s[4] === 1;
    this.spare = s.length === 6 ? Number(s[5]) : 0;
  }

  /** Restores a generator from getState() output. */
  static fromState(s: number[]): Random {
    const r = new Random(0);
    r.setState(s);
    return r;
  }
}

/**
 * Stable 32-bit seed from parts, e.g. hashSeed(jobSeed, 'shuffle', epoch). FNV-1a over the UTF-8 bytes
 * of each part (numbers via String()), with a separator byte between parts so ('ab','c') ≠ ('a','bc'),
 * then an fmix32 avalanche.
 */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const enc = new TextEncoder();
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    const bytes = enc.encode((typeof part === 'number' ? 'n' : 's') + String(part));
    for (let i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h >>> 0);
}
