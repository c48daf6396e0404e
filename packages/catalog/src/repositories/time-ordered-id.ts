import { randomBytes } from 'node:crypto';

// UUIDv7 (RFC 9562 §5.7) with a per-process counter in rand_a (§6.2 method 1), so ids made in the same
// millisecond still sort in creation order. Rows listed "newest first" break created_at ties by id, and
// PGlite's clock can give several inserts the same created_at.
let lastMs = 0;
let counter = 0;

export function timeOrderedId(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = randomBytes(2).readUInt16BE(0) & 0x3ff; // start low in the 12-bit field to leave room to count up
  } else if (++counter > 0xfff) {
    lastMs += 1; // the counter ran out within one millisecond: borrow the next one, as §6.2 allows
    counter = 0;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
