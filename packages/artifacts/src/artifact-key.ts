// The one set of key rules, shared by every ArtifactStore implementation so that a key that works on
// the laptop (filesystem) works in production (S3) and the other way round.
import { InvalidArtifactKeyError } from './errors.js';

export const MAX_ARTIFACT_KEY_BYTES = 1024;
/** Keys under this first segment are the stores' own bookkeeping (S3 staging uploads); callers cannot use it. */
export const RESERVED_ARTIFACT_KEY_SEGMENT = '.atelier';

/** Most filesystems cap one path component at 255 bytes; S3 has no such limit, so we hold both to it. */
export const MAX_ARTIFACT_KEY_SEGMENT_BYTES = 255;

// C0 controls, DEL and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function characterProblem(value: string): string | null {
  if (value.includes('\\')) return 'it contains a backslash (use / to separate folders)';
  const control = CONTROL_CHARS.exec(value);
  if (control) {
    const hex = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    return `it contains the control character U+${hex} at index ${control.index}`;
  }
  if (LONE_SURROGATE.test(value)) return 'it is not well-formed Unicode (a lone surrogate)';
  return null;
}

function segmentProblem(segment: string, index: number): string | null {
  if (segment === '') return `segment ${index} is empty (no leading '/', no '//', no trailing '/')`;
  if (segment === '.' || segment === '..') return `segment ${index} is '${segment}' (relative path segments are not allowed)`;
  const bytes = Buffer.byteLength(segment, 'utf8');
  if (bytes > MAX_ARTIFACT_KEY_SEGMENT_BYTES) {
    return `segment ${index} is ${bytes} bytes long (at most ${MAX_ARTIFACT_KEY_SEGMENT_BYTES} per segment)`;
  }
  return null;
}

/** Why `key` is not a valid artifact key, or null when it is. */
export function artifactKeyProblem(key: unknown): string | null {
  if (typeof key !== 'string') return `it is a ${key === null ? 'null' : typeof key}, not a string`;
  if (key === '') return 'it is empty';
  if (key.startsWith('/')) return "it starts with '/' (keys are relative)";
  const chars = characterProblem(key);
  if (chars) return chars;
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > MAX_ARTIFACT_KEY_BYTES) return `it is ${bytes} bytes long (at most ${MAX_ARTIFACT_KEY_BYTES} UTF-8 bytes)`;
  const segments = key.split('/');
  for (let i = 0; i < segments.length; i++) {
    const problem = segmentProblem(segments[i], i);
    if (problem) return problem;
  }
  if (segments[0] === RESERVED_ARTIFACT_KEY_SEGMENT) return RESERVED_PROBLEM;
  return null;
}

const RESERVED_PROBLEM = `its first segment '${RESERVED_ARTIFACT_KEY_SEGMENT}' is reserved for the store's own bookkeeping`;

/** Throws InvalidArtifactKeyError (ATL_INVALID_ARTIFACT_KEY) naming the key and the reason. */
export function assertValidArtifactKey(key: unknown): asserts key is string {
  const problem = artifactKeyProblem(key);
  if (problem) throw new InvalidArtifactKeyError(String(key), problem);
}

/**
 * Why `prefix` cannot be a list/deletePrefix prefix, or null. A prefix is '' (everything) or the start
 * of a key: every complete segment follows the key rules, and the last one may be partial or empty
 * ('models/' lists the folder, 'models/v' also matches 'models/v1' and 'models/v2/…').
 */
export function artifactPrefixProblem(prefix: unknown): string | null {
  if (typeof prefix !== 'string') return `it is a ${prefix === null ? 'null' : typeof prefix}, not a string`;
  if (prefix === '') return null;
  if (prefix.startsWith('/')) return "it starts with '/' (keys are relative)";
  const chars = characterProblem(prefix);
  if (chars) return chars;
  const bytes = Buffer.byteLength(prefix, 'utf8');
  if (bytes > MAX_ARTIFACT_KEY_BYTES) return `it is ${bytes} bytes long (at most ${MAX_ARTIFACT_KEY_BYTES} UTF-8 bytes)`;
  const segments = prefix.split('/');
  for (let i = 0; i < segments.length - 1; i++) {
    const problem = segmentProblem(segments[i], i);
    if (problem) return problem;
  }
  if (segments.length > 1 && segments[0] === RESERVED_ARTIFACT_KEY_SEGMENT) return RESERVED_PROBLEM;
  const last = segments[segments.length - 1];
  if (Buffer.byteLength(last, 'utf8') > MAX_ARTIFACT_KEY_SEGMENT_BYTES) {
    return `its last segment is longer than ${MAX_ARTIFACT_KEY_SEGMENT_BYTES} bytes`;
  }
  return null;
}

export function assertValidArtifactPrefix(prefix: unknown): asserts prefix is string {
  const problem = artifactPrefixProblem(prefix);
  if (problem) throw new InvalidArtifactKeyError(String(prefix), `as a prefix, ${problem}`);
}

/** Byte-wise (UTF-8) key order: what S3 listings use, and what every store's list() yields. */
export function compareArtifactKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
