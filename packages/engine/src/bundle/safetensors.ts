/**
 * The safetensors format (github.com/huggingface/safetensors), byte for byte:
 *   [8 bytes: u64 little-endian N][N bytes: UTF-8 JSON header, space-padded to a multiple of 8][data]
 * The header maps each tensor name to { dtype, shape, data_offsets: [begin, end] } (offsets relative
 * to the start of the data section) plus an optional "__metadata__" object of string → string.
 * Tensors are contiguous, without gaps or overlap, and the last one ends at the end of the file.
 * Like the reference writer, tensors are laid out by dtype size (largest first) then name, so every
 * tensor starts aligned to its element size, and "__metadata__" is written first in the header.
 */

export type SafetensorsDtype = 'F32' | 'I32' | 'F64' | 'I64';
export type SafetensorsData = Float32Array | Int32Array | Float64Array | BigInt64Array;

export interface SafetensorsTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  data: SafetensorsData;
}

export interface DecodedSafetensors {
  tensors: Record<string, SafetensorsTensor>;
  metadata: Record<string, string>;
}

const DTYPES: Record<SafetensorsDtype, { bytes: number; ctor: new (buf: ArrayBuffer) => SafetensorsData }> = {
  F32: { bytes: 4, ctor: Float32Array },
  I32: { bytes: 4, ctor: Int32Array },
  F64: { bytes: 8, ctor: Float64Array },
  I64: { bytes: 8, ctor: BigInt64Array },
};

/** The reference implementation refuses headers above 100 MB; so do we (a corrupt length would OOM). */
const MAX_HEADER_BYTES = 100_000_000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function assertLittleEndian(): void {
  // Typed-array views are host-endian; every platform Node supports in practice is little-endian.
  if (!LITTLE_ENDIAN) throw new Error('safetensors: big-endian hosts are not supported');
}

function numel(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function checkShape(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return shape as number[];
}

export function encodeSafetensors(tensors: Record<string, SafetensorsTensor>, metadata?: Record<string, string>): Uint8Array {
  assertLittleEndian();
  const names = Object.keys(tensors);
  for (const name of names) {
    const t = tensors[name];
    const where = `safetensors: tensor "${name}"`;
    if (name === '__metadata__' || name === '') throw new Error(`safetensors: invalid tensor name ${JSON.stringify(name)}`);
    const info = DTYPES[t.dtype];
    if (!info) throw new Error(`${where}: unknown dtype ${JSON.stringify(t.dtype)} (supported: ${Object.keys(DTYPES).join(', ')})`);
    if (!(t.data instanceof info.ctor)) throw new Error(`${where}: dtype ${t.dtype} needs a ${info.ctor.name}, got ${t.data?.constructor?.name}`);
    const shape = checkShape(t.shape, where);
    if (numel(shape) !== t.data.length) throw new Error(`${where}: shape [${shape.join(', ')}] has ${numel(shape)} elements, data has ${t.data.length}`);
  }
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`safetensors: metadata "${k}" must be a string, got ${typeof v}`);
    }
  }
  names.sort((a, b) => DTYPES[tensors[b].dtype].bytes - DTYPES[tensors[a].dtype].bytes || (a < b ? -1 : a > b ? 1 : 0));

  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const size = t.data.byteLength;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let pos = 8 + padded;
  for (const name of names) {
    const d = tensors[name].data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), pos);
    pos += d.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  assertLittleEndian();
  if (bytes.length < 8) throw new Error(`safetensors: truncated file (${bytes.length} bytes, the header length alone needs 8)`);
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n64 > BigInt(bytes.length - 8)) throw new Error(`safetensors: header length ${n64} runs past the end of the file (${bytes.length} bytes)`);
  if (n64 > BigInt(MAX_HEADER_BYTES)) throw new Error(`safetensors: header length ${n64} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const n = Number(n64);
  if (n === 0 || bytes[8] !== 0x7b) throw new Error('safetensors: header must be a JSON object starting with "{"');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new Error(`safetensors: header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new Error('safetensors: header must be a JSON object');

  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('safetensors: __metadata__ must be an object');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') throw new Error(`safetensors: __metadata__ "${k}" must be a string`);
        metadata[k] = v;
      }
      continue;
    }
    const where = `safetensors: tensor "${name}"`;
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (info === null || typeof info !== 'object') throw new Error(`${where}: entry must be an object`);
    const dtype = info.dtype as SafetensorsDtype;
    if (typeof dtype !== 'string' || !Object.hasOwn(DTYPES, dtype)) {
      throw new Error(`${where}: unknown dtype ${JSON.stringify(info.dtype)} (supported: ${Object.keys(DTYPES).join(', ')})`);
    }
    const shape = checkShape(info.shape, where);
    const off = info.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((v) => Number.isSafeInteger(v) && v >= 0) || off[0] > off[1]) {
      throw new Error(`${where}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(off)}`);
    }
    const [begin, end] = off as [number, number];
    if (end > dataLen) throw new Error(`${where}: data_offsets [${begin}, ${end}] run past the data section (${dataLen} bytes); the file is truncated or corrupt`);
    const expected = numel(shape) * DTYPES[dtype].bytes;
    if (end - begin !== expected) throw new Error(`${where}: data_offsets span ${end - begin} bytes, but ${dtype} [${shape.join(', ')}] needs ${expected}`);
    entries.push({ name, dtype, shape, begin, end });
  }

  // Tensors must tile the data section exactly: no overlap, no gap, nothing trailing.
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin < cursor) throw new Error(`safetensors: tensor "${e.name}" overlaps the previous tensor (begins at ${e.begin}, previous ends at ${cursor})`);
    if (e.begin > cursor) throw new Error(`safetensors: gap in the data section before tensor "${e.name}" (bytes ${cursor}..${e.begin})`);
    cursor = e.end;
  }
  if (cursor !== dataLen) throw new Error(`safetensors: data section has ${dataLen} bytes but tensors cover ${cursor}`);

  const tensors: Record<string, SafetensorsTensor> = {};
  for (const e of entries) {
    // Copy into a fresh buffer: aligned for the typed array, and independent of the input bytes.
    // Uint8Array's slice copies; a Node Buffer's `slice` is a view into its (shared) pool, whose
    // `.buffer` would be the whole pool. Copy explicitly so the tensor owns exactly its bytes.
    const buf = Uint8Array.prototype.slice.call(bytes, dataStart + e.begin, dataStart + e.end).buffer;
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data: new DTYPES[e.dtype].ctor(buf) };
  }
  return { tensors, metadata };
}
