// One canonical text form of an entity key, used both when materializing and when reading: a single
// join key is its value as text; a composite key is a JSON array of the texts in join-key order.
import type { TypedColumn } from '@atelier/catalog';

/** Canonical text of one key value, or an error message when it does not fit the key's type. */
export function keyPart(key: TypedColumn, value: unknown): string | { error: string } {
  if (key.type === 'int') {
    if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) return BigInt(value).toString();
    return { error: `must be an integer` };
  }
  if (typeof value === 'string') return value;
  return { error: 'must be a string' };
}

export function encodeParts(parts: string[]): string {
  return parts.length === 1 ? parts[0] : JSON.stringify(parts);
}
