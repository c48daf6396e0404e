// TypeScript twin of native/kernels/philox.h: Philox4x32-10 and the dropout stream built on it, so the
// GPU's dropout masks can be checked (and reproduced) on the host. Same layout as the kernel: key =
// {seed low 32 bits, seed high 32 bits}; stream position p is word p % 4 of the block with counter
// {c low, c high, 0, 0}, c = p / 4; uniform = (bits >>> 8) · 2⁻²⁴.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const MASK32 = 0xffffffffn;

/** High 32 bits of the 64-bit product a·b (both uint32), from 16-bit halves so every step is exact. */
function mulhi32(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (hh + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 0x10000)) >>> 0;
}

/** Philox4x32-10 of a 4-word counter and 2-word key (uint32 words). */
export function philox4x32_10(counter: readonly number[], key: readonly number[]): [number, number, number, number] {
  let [c0, c1, c2, c3] = counter.map((w) => w >>> 0);
  let k0 = key[0] >>> 0, k1 = key[1] >>> 0;
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi32(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi32(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
  }
  return [c0, c1, c2, c3];
}

function toU64(v: bigint | number, what: string): bigint {
  const b = typeof v === 'bigint' ? v : Number.isSafeInteger(v) ? BigInt(v) : NaN;
  if (typeof b !== 'bigint' || b < 0n || b > 0xffffffffffffffffn) throw new Error(`philox: ${what} must be an integer in [0, 2^64), got ${v}`);
  return b;
}

/** The four words of block `c` of the stream keyed by `seed`. */
export function philoxBlock(seed: bigint | number, c: bigint | number): [number, number, number, number] {
  const s = toU64(seed, 'seed'), k = toU64(c, 'counter');
  return philox4x32_10([Number(k & MASK32), Number(k >> 32n), 0, 0], [Number(s & MASK32), Number(s >> 32n)]);
}

/** 24 random bits scaled to [0, 1) (exact in float32). */
export function philoxUniform(bits: number): number {
  return (bits >>> 8) / 16777216;
}

/** Uniforms at stream positions [offset, offset + n). */
export function philoxUniforms(seed: bigint | number, offset: bigint | number, n: number): Float32Array {
  const out = new Float32Array(n);
  const off = toU64(offset, 'offset');
  let block = -1n;
  let words: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = off + BigInt(i);
    const c = p >> 2n;
    if (c !== block) {
      block = c;
      words = philoxBlock(seed, c);
    }
    out[i] = philoxUniform(words[Number(p & 3n)]);
  }
  return out;
}

/** The mask atl_dropout writes: u < keep ? 1/keep : 0, with keep and 1/keep in float32 like the kernel. */
export function dropoutMask(n: number, keep: number, seed: bigint | number, offset: bigint | number): Float32Array {
  const keepF = Math.fround(keep);
  if (!(keepF > 0 && keepF <= 1)) throw new Error(`dropout: keep must be in (0, 1], got ${keep}`);
  const scale = Math.fround(1 / keepF);
  const u = philoxUniforms(seed, offset, n);
  const mask = new Float32Array(n);
  for (let i = 0; i < n; i++) mask[i] = u[i] < keepF ? scale : 0;
  return mask;
}
