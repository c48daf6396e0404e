import type { ArtifactByteRange } from './artifact-store.js';
import { InvalidArtifactRangeError } from './errors.js';

/** Checks a requested inclusive range against the object size; clamps `end` to the last byte. */
export function resolveRange(key: string, range: ArtifactByteRange, size: number): { start: number; end: number } {
  checkRangeShape(key, range);
  if (range.start >= size) {
    throw new InvalidArtifactRangeError(key, range, `start ${range.start} is not before the object's size ${size}`);
  }
  const end = Math.min(range.end ?? size - 1, size - 1);
  return { start: range.start, end };
}

/** The checks that need no size: integers, start >= 0, end >= start. */
export function checkRangeShape(key: string, range: ArtifactByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new InvalidArtifactRangeError(key, range, 'start must be a non-negative integer');
  }
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new InvalidArtifactRangeError(key, range, 'end must be an integer no smaller than start');
  }
}
