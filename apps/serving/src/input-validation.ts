// Request validation against a version's input signature, before anything is queued: one 400 that
// names every bad field (`instances[3].age: expected a number, got "abc"`).
import type { ServingFieldError } from './errors.js';

export interface InputField {
  name: string;
  dtype: 'float32' | 'float64' | 'int32' | 'int64' | 'string' | 'bool';
  /** Per-row shape: [] a scalar, [n] a vector of n values (-1: any length). */
  shape: number[];
  nullable: boolean;
}

const MAX_ERRORS = 100;

/** The largest finite float32: a float32 input beyond it would become ±Infinity in the tensor and answer null. */
export const FLOAT32_MAX = 3.4028234663852886e38;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function scalarError(dtype: InputField['dtype'], v: unknown): string | null {
  switch (dtype) {
    case 'float32':
      if (typeof v === 'number' && Number.isFinite(v) && (v > FLOAT32_MAX || v < -FLOAT32_MAX)) return `${v} is outside the float32 range (±${FLOAT32_MAX})`;
      return typeof v === 'number' && Number.isFinite(v) ? null : `expected a number, got ${describe(v)}`;
    case 'float64':
      return typeof v === 'number' && Number.isFinite(v) ? null : `expected a number, got ${describe(v)}`;
    case 'int32':
      return typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? null : `expected a 32-bit integer, got ${describe(v)}`;
    case 'int64':
      return typeof v === 'number' && Number.isSafeInteger(v) ? null : `expected an integer, got ${describe(v)}`;
    case 'bool':
      return typeof v === 'boolean' ? null : `expected true or false, got ${describe(v)}`;
    default:
      return typeof v === 'string' ? null : `expected a string, got ${describe(v)}`;
  }
}

/** Every bad field of `instances` (at most 100), or [] when all are good. */
export function validateAgainstSignature(fields: InputField[], instances: unknown, allowUnknown = false): ServingFieldError[] {
  if (!Array.isArray(instances)) return [{ field: 'instances', message: `expected an array of objects, got ${describe(instances)}` }];
  if (instances.length === 0) return [{ field: 'instances', message: 'must hold at least one instance' }];
  const errors: ServingFieldError[] = [];
  const known = new Set(fields.map((f) => f.name));
  for (let r = 0; r < instances.length && errors.length < MAX_ERRORS; r++) {
    const inst = instances[r] as unknown;
    if (inst === null || typeof inst !== 'object' || Array.isArray(inst)) {
      errors.push({ field: `instances[${r}]`, message: `expected an object, got ${describe(inst)}` });
      continue;
    }
    const obj = inst as Record<string, unknown>;
    for (const f of fields) {
      const field = `instances[${r}].${f.name}`;
      const v = obj[f.name];
      // Absent is a mistake (a typo, a field the client forgot); null asks for the model's missing-value rule.
      if (v === undefined) {
        errors.push({ field, message: f.nullable ? "is required: send null to apply the model's missing-value rule" : 'is required' });
        continue;
      }
      if (v === null) {
        if (!f.nullable) errors.push({ field, message: 'is required, got null' });
        continue;
      }
      if (f.shape.length === 0) {
        const e = scalarError(f.dtype, v);
        if (e) errors.push({ field, message: e });
        continue;
      }
      const width = f.shape.reduce((a, b) => a * b, 1);
      if (!Array.isArray(v)) {
        errors.push({ field, message: `expected an array of ${width > 0 ? width : 'any number of'} values, got ${describe(v)}` });
        continue;
      }
      if (width > 0 && v.length !== width) {
        errors.push({ field, message: `expected ${width} values, got ${v.length}` });
        continue;
      }
      for (let j = 0; j < v.length; j++) {
        const e = scalarError(f.dtype, v[j]);
        if (e) {
          errors.push({ field: `${field}[${j}]`, message: e });
          if (errors.length >= MAX_ERRORS) break;
        }
      }
    }
    if (!allowUnknown) {
      for (const k of Object.keys(obj)) if (!known.has(k)) errors.push({ field: `instances[${r}].${k}`, message: 'is not an input of this model' });
    }
  }
  return errors.slice(0, MAX_ERRORS);
}

const NO_ERRORS: readonly ServingFieldError[] = Object.freeze([]);

/**
 * `validateAgainstSignature` for one signature, built once per loaded version: a request that is
 * valid (nearly all of them) is checked without building a field name or an error; only a bad one
 * takes the full pass that names every bad field.
 */
export function signatureValidator(fields: InputField[], allowUnknown = false): (instances: unknown) => readonly ServingFieldError[] {
  const names = fields.map((f) => f.name);
  const known = new Set(names);
  const widths = fields.map((f) => (f.shape.length === 0 ? 0 : f.shape.reduce((a, b) => a * b, 1)));
  const numeric = fields.map((f) => f.dtype === 'float32' || f.dtype === 'float64');
  const float32 = fields.map((f) => f.dtype === 'float32');
  const valid = (instances: unknown): boolean => {
    if (!Array.isArray(instances) || instances.length === 0) return false;
    for (let r = 0; r < instances.length; r++) {
      const obj = instances[r] as Record<string, unknown>;
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return false;
      for (let k = 0; k < fields.length; k++) {
        const v = obj[names[k]];
        if (v === undefined) return false;
        if (v === null) {
          if (!fields[k].nullable) return false;
          continue;
        }
        if (widths[k] === 0) {
          if (scalarError(fields[k].dtype, v) !== null) return false;
          continue;
        }
        if (!Array.isArray(v) || (widths[k] > 0 && v.length !== widths[k])) return false;
        if (numeric[k]) {
          const limit = float32[k] ? FLOAT32_MAX : Infinity;
          for (let j = 0; j < v.length; j++) {
            const x = v[j];
            if (typeof x !== 'number' || x - x !== 0 || x > limit || x < -limit) return false; // x - x is NaN for NaN and ±Infinity
          }
        } else {
          for (let j = 0; j < v.length; j++) if (scalarError(fields[k].dtype, v[j]) !== null) return false;
        }
      }
      if (!allowUnknown) {
        // Every own key must be a known field: count them instead of allocating Object.keys.
        let keys = 0;
        for (const key in obj) {
          if (!known.has(key)) return false;
          keys++;
        }
        if (keys !== fields.length) return false;
      }
    }
    return true;
  };
  return (instances) => (valid(instances) ? NO_ERRORS : validateAgainstSignature(fields, instances, allowUnknown));
}

/** A valid instance made of zeros / empty strings: the warm-up input when a version has no example. */
export function exampleFromSignature(fields: InputField[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const zero = f.dtype === 'string' ? '' : f.dtype === 'bool' ? false : 0;
    if (f.shape.length === 0) out[f.name] = zero;
    else out[f.name] = new Array(Math.max(1, f.shape.reduce((a, b) => a * Math.max(1, b), 1))).fill(zero);
  }
  return out;
}
