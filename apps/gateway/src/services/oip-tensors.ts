// Tensors of the Open Inference Protocol v2: JSON `data` (flat or nested, row-major) and Triton's binary
// tensor data extension (little-endian, row-major, no padding; BYTES as a 4-byte length + bytes; BOOL
// one byte) decoded into flat element arrays, and output tensors encoded back. Pure functions: the
// checks here are the protocol's (shape × data, element kinds, byte sizes); the signature's value
// rules stay with the serving node.
import type { FieldError } from '../errors.js';
import type { TensorDatatype } from '../schemas/inference-v2.schemas.js';

export type Element = number | string | boolean;

export interface DecodedTensor {
  name: string;
  datatype: TensorDatatype;
  shape: number[];
  values: Element[];
}

/** Bytes per element of the fixed-size types (BYTES has none). */
const ITEM_BYTES: Partial<Record<TensorDatatype, number>> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
};

/** Bounds what a shape may ask the gateway to hold (the body limit bounds it again). */
const MAX_ELEMENTS = 50_000_000;
const MAX_NESTING = 16;

export const isNumeric = (d: TensorDatatype) => d !== 'BOOL' && d !== 'BYTES';

/** The element count of a shape, or a message when it is not one the gateway accepts. */
export function elementCount(shape: number[]): number | string {
  let n = 1;
  for (const d of shape) {
    n *= d;
    if (n > MAX_ELEMENTS) return `holds more than ${MAX_ELEMENTS} elements`;
  }
  return n;
}

/** A short description of a bad element (never the whole value: it may be a deep object). */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function elementError(datatype: TensorDatatype, v: unknown): string | null {
  if (datatype === 'BOOL') return typeof v === 'boolean' ? null : `expected true or false (BOOL), got ${describe(v)}`;
  if (datatype === 'BYTES') return typeof v === 'string' ? null : `expected a string (BYTES), got ${describe(v)}`;
  if (datatype === 'FP16') return 'FP16 has no JSON form; send FP32';
  return typeof v === 'number' && Number.isFinite(v) ? null : `expected a finite number (${datatype}), got ${describe(v)}`;
}

/** `data` (flat or nested) → its elements in row-major order; errors name `at`. */
export function flattenJsonData(data: unknown[], datatype: TensorDatatype, expected: number, at: string, errors: FieldError[]): Element[] {
  const out: Element[] = [];
  // Depth-first without recursion: a deeply nested body cannot exhaust the stack.
  const stack: Array<{ items: unknown[]; i: number }> = [{ items: data, i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.i >= top.items.length) {
      stack.pop();
      continue;
    }
    const v = top.items[top.i++];
    if (Array.isArray(v)) {
      if (stack.length >= MAX_NESTING) {
        errors.push({ field: at, message: `is nested deeper than ${MAX_NESTING} levels` });
        return out;
      }
      stack.push({ items: v, i: 0 });
      continue;
    }
    const e = elementError(datatype, v);
    if (e) {
      errors.push({ field: `${at}[${out.length}]`, message: e });
      return out;
    }
    if (out.length >= expected) {
      errors.push({ field: at, message: `holds more than the ${expected} elements its shape says` });
      return out;
    }
    out.push(v as Element);
  }
  if (out.length !== expected) errors.push({ field: at, message: `holds ${out.length} elements; its shape says ${expected}` });
  return out;
}

/** `size` bytes of binary tensor data → elements; errors name `at`. */
export function decodeBinary(bytes: Buffer, datatype: TensorDatatype, expected: number, at: string, errors: FieldError[]): Element[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (datatype === 'BYTES') {
    const out: Element[] = [];
    let o = 0;
    while (o < bytes.length) {
      if (o + 4 > bytes.length) break;
      const len = view.getUint32(o, true);
      if (o + 4 + len > bytes.length) break;
      out.push(bytes.toString('utf8', o + 4, o + 4 + len));
      o += 4 + len;
    }
    if (o !== bytes.length) errors.push({ field: at, message: 'is not a sequence of BYTES elements (each a 4-byte little-endian length, then the bytes)' });
    else if (out.length !== expected) errors.push({ field: at, message: `holds ${out.length} elements; its shape says ${expected}` });
    return out;
  }
  if (datatype === 'FP16') {
    errors.push({ field: at, message: 'FP16 is not supported; send FP32' });
    return [];
  }
  const size = ITEM_BYTES[datatype]!;
  if (bytes.length !== expected * size) {
    errors.push({ field: at, message: `is ${bytes.length} bytes; ${expected} ${datatype} elements are ${expected * size}` });
    return [];
  }
  const out: Element[] = new Array(expected);
  for (let i = 0; i < expected; i++) {
    const o = i * size;
    switch (datatype) {
      case 'BOOL':
        out[i] = view.getUint8(o) !== 0;
        break;
      case 'UINT8':
        out[i] = view.getUint8(o);
        break;
      case 'INT8':
        out[i] = view.getInt8(o);
        break;
      case 'UINT16':
        out[i] = view.getUint16(o, true);
        break;
      case 'INT16':
        out[i] = view.getInt16(o, true);
        break;
      case 'UINT32':
        out[i] = view.getUint32(o, true);
        break;
      case 'INT32':
        out[i] = view.getInt32(o, true);
        break;
      case 'FP32':
        out[i] = view.getFloat32(o, true);
        break;
      case 'FP64':
        out[i] = view.getFloat64(o, true);
        break;
      default: {
        const big = datatype === 'UINT64' ? view.getBigUint64(o, true) : view.getBigInt64(o, true);
        if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
          errors.push({ field: `${at}[${i}]`, message: `${big} is beyond what Atelier's models take exactly (±2^53)` });
          return [];
        }
        out[i] = Number(big);
      }
    }
    if (typeof out[i] === 'number' && !Number.isFinite(out[i])) {
      errors.push({ field: `${at}[${i}]`, message: 'is not a finite number' });
      return [];
    }
  }
  return out;
}

/** Output values as binary tensor data of `datatype` (FP32 unless the signature says otherwise). */
export function encodeBinary(values: ArrayLike<number>, datatype: string): Buffer {
  const size = datatype === 'FP64' || datatype === 'INT64' ? 8 : 4;
  const buf = Buffer.alloc(values.length * size);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (datatype === 'FP64') buf.writeDoubleLE(v, i * size);
    else if (datatype === 'INT64') buf.writeBigInt64LE(BigInt(Math.round(v)), i * size);
    else if (datatype === 'INT32') buf.writeInt32LE(Math.round(v), i * size);
    else buf.writeFloatLE(v, i * size);
  }
  return buf;
}
