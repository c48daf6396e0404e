/**
 * Input signature stored in the bundle, and the request validator serving runs before preprocessing so
 * a bad request gets one 400 listing every offending field.
 */
import type { RawColumns } from './raw-column.js';

export interface SignatureField {
  name: string;
  dtype: 'float32' | 'string' | 'int32';
  nullable: boolean;
}

export interface FieldError {
  field: string;
  message: string;
}

export interface ValidateOptions {
  /** Accept fields the signature does not name (e.g. entity keys handled elsewhere). Default false. */
  allowUnknownFields?: boolean;
  /** Stop collecting after this many errors (bounded response size). Default 100. */
  maxErrors?: number;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return String(v);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Returns every bad field as { field: 'instances[3].age', message: 'expected a number, got "abc"' }. */
export function validateInstances(signature: SignatureField[], instances: unknown, opts: ValidateOptions = {}): FieldError[] {
  const errors: FieldError[] = [];
  const max = opts.maxErrors ?? 100;
  if (!Array.isArray(instances)) return [{ field: 'instances', message: `expected an array of objects, got ${describe(instances)}` }];
  const known = new Set(signature.map((f) => f.name));
  for (let r = 0; r < instances.length && errors.length < max; r++) {
    const inst = instances[r] as unknown;
    if (inst === null || typeof inst !== 'object' || Array.isArray(inst)) {
      errors.push({ field: `instances[${r}]`, message: `expected an object, got ${describe(inst)}` });
      continue;
    }
    const obj = inst as Record<string, unknown>;
    for (const f of signature) {
      const field = `instances[${r}].${f.name}`;
      const v = obj[f.name];
      if (v === undefined || v === null) {
        if (!f.nullable) errors.push({ field, message: v === null ? 'is required, got null' : 'is required' });
        continue;
      }
      if (f.dtype === 'float32') {
        if (typeof v !== 'number' || !Number.isFinite(v)) errors.push({ field, message: `expected a number, got ${describe(v)}` });
      } else if (f.dtype === 'int32') {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) errors.push({ field, message: `expected a 32-bit integer, got ${describe(v)}` });
      } else if (typeof v !== 'string') {
        errors.push({ field, message: `expected a string, got ${describe(v)}` });
      }
    }
    if (!opts.allowUnknownFields) {
      for (const k of Object.keys(obj)) {
        if (!known.has(k)) errors.push({ field: `instances[${r}].${k}`, message: 'is not an input of this model' });
      }
    }
  }
  return errors.slice(0, max);
}

/** Turns validated instances into raw columns for Preprocessor.transform (missing → null). */
export function instancesToColumns(signature: SignatureField[], instances: Record<string, unknown>[]): RawColumns {
  const n = instances.length;
  const out: RawColumns = {};
  for (const f of signature) {
    if (f.dtype === 'string') {
      const col = new Array<string | null>(n);
      for (let i = 0; i < n; i++) {
        const v = instances[i][f.name];
        col[i] = typeof v === 'string' ? v : null;
      }
      out[f.name] = col;
    } else {
      // Float64 keeps int32 codes and doubles exact; NaN marks missing.
      const col = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = instances[i][f.name];
        col[i] = typeof v === 'number' ? v : NaN;
      }
      out[f.name] = col;
    }
  }
  return out;
}
