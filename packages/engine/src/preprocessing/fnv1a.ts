/**
 * FNV-1a 32-bit over the UTF-8 bytes of a string: offset basis 0x811c9dc5, prime 0x01000193.
 * This is the documented, stable hash behind 'hash' categorical features; any runtime that hashes the
 * UTF-8 bytes the same way reproduces the ids (id = fnv1a32(value) mod buckets, unsigned).
 * Encodes UTF-8 inline so hashing allocates nothing per value. Lone surrogates encode as U+FFFD,
 * as TextEncoder does.
 */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd;
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) {
      h = Math.imul(h ^ c, 0x01000193);
    } else if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), 0x01000193);
      h = Math.imul(h ^ (0x80 | (c & 63)), 0x01000193);
    } else if (c < 0x10000) {
      h = Math.imul(h ^ (0xe0 | (c >> 12)), 0x01000193);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 63)), 0x01000193);
      h = Math.imul(h ^ (0x80 | (c & 63)), 0x01000193);
    } else {
      h = Math.imul(h ^ (0xf0 | (c >> 18)), 0x01000193);
      h = Math.imul(h ^ (0x80 | ((c >> 12) & 63)), 0x01000193);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 63)), 0x01000193);
      h = Math.imul(h ^ (0x80 | (c & 63)), 0x01000193);
    }
  }
  return h >>> 0;
}
