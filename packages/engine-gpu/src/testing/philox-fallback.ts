// Philox4x32-10 for the host emulator's dropout, until src/philox.ts (the kernel's CPU twin, written
// with dropout.cu) lands; the emulator then imports that one. Layout per native/kernels.h: key =
// seed (lo, hi 32 bits), counter = (offset + i) / 4 as (lo, hi, 0, 0), lane = (offset + i) % 4,
// uniform = (bits >> 8) · 2⁻²⁴.
const M0 = 0xd2511f53, M1 = 0xcd9e8d57, W0 = 0x9e3779b9, W1 = 0xbb67ae85;
const TWO32 = 4294967296;

function mulhi(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const lh = al * bh, hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 65536)) >>> 0;
}

/** The four 32-bit outputs of Philox4x32-10 for a counter and key. */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): [number, number, number, number] {
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  return [c0, c1, c2, c3];
}

/** The uniform float in [0, 1) at position `index` (< 2^53) of the stream keyed by `seed` (< 2^53). */
export function philoxUniform(seed: number, index: number): number {
  const ctr = Math.floor(index / 4);
  const out = philox4x32(ctr % TWO32, Math.floor(ctr / TWO32), 0, 0, seed % TWO32, Math.floor(seed / TWO32));
  return (out[index % 4] >>> 8) * 2 ** -24;
}
