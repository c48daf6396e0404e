import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from './safetensors.js';

function hex(s: string): number[] {
  return s
    .replace(/\s+/g, '')
    .match(/../g)!
    .map((b) => parseInt(b, 16));
}

/**
 * Hand-built from the format description (no Python `safetensors` package was available to write a
 * reference file): u64 LE header length 208 = 204 JSON bytes + 4 spaces of padding to a multiple of 8,
 * tensors ordered F64 first, then the 4-byte dtypes by name, data little-endian and contiguous.
 */
const HEADER =
  '{"__metadata__":{"format":"pt"},' +
  '"bias":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},' +
  '"ids":{"dtype":"I32","shape":[3],"data_offsets":[8,20]},' +
  '"weight":{"dtype":"F32","shape":[2],"data_offsets":[20,28]}}';
const FIXTURE = Uint8Array.from([
  ...hex('d000000000000000'), // 208
  ...new TextEncoder().encode(HEADER),
  0x20, 0x20, 0x20, 0x20,
  ...hex('000000000000e03f'), // bias: 0.5 (f64)
  ...hex('01000000 02000000 03000000'), // ids: 1, 2, 3 (i32)
  ...hex('0000803f 000000c0'), // weight: 1.0, -2.0 (f32)
]);

const sample = (): Record<string, SafetensorsTensor> => ({
  weight: { dtype: 'F32', shape: [2], data: new Float32Array([1, -2]) },
  ids: { dtype: 'I32', shape: [3], data: new Int32Array([1, 2, 3]) },
  bias: { dtype: 'F64', shape: [1], data: new Float64Array([0.5]) },
});

function withHeader(header: string, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

describe('safetensors', () => {
  it('decodes the hand-built spec fixture', () => {
    expect(HEADER.length).toBe(204);
    const { tensors, metadata } = decodeSafetensors(FIXTURE);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.bias).toEqual({ dtype: 'F64', shape: [1], data: new Float64Array([0.5]) });
    expect(tensors.ids).toEqual({ dtype: 'I32', shape: [3], data: new Int32Array([1, 2, 3]) });
    expect(tensors.weight).toEqual({ dtype: 'F32', shape: [2], data: new Float32Array([1, -2]) });
  });

  it('encodes byte-for-byte the layout the reference writer produces', () => {
    expect(Array.from(encodeSafetensors(sample(), { format: 'pt' }))).toEqual(Array.from(FIXTURE));
  });

  it('round-trips exactly, including I64, NaN payloads, empty and scalar tensors, unaligned input', () => {
    const f32 = new Float32Array([Math.PI, -0, Infinity, NaN, 1e-45]);
    const tensors: Record<string, SafetensorsTensor> = {
      'layer.0.w': { dtype: 'F32', shape: [5, 1], data: f32 },
      step: { dtype: 'I64', shape: [], data: new BigInt64Array([9007199254740993n]) },
      empty: { dtype: 'F32', shape: [0, 3], data: new Float32Array(0) },
      odd: { dtype: 'I32', shape: [1], data: new Int32Array([-7]) },
      big: { dtype: 'F64', shape: [2], data: new Float64Array([1 / 3, -1e308]) },
    };
    const bytes = encodeSafetensors(tensors, { epoch: '3', 'unicode-é': '✓' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLen % 8).toBe(0);
    // decode from an unaligned copy to prove alignment is not assumed
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const back = decodeSafetensors(shifted);
    expect(back.metadata).toEqual({ epoch: '3', 'unicode-é': '✓' });
    for (const name of Object.keys(tensors)) {
      expect(back.tensors[name].dtype).toBe(tensors[name].dtype);
      expect(back.tensors[name].shape).toEqual(tensors[name].shape);
      const a = tensors[name].data;
      const b = back.tensors[name].data;
      expect(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)).toEqual(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    }
    // a subarray view encodes only its own elements
    const view = new Float32Array([9, 1, 2, 9]).subarray(1, 3);
    const v = decodeSafetensors(encodeSafetensors({ v: { dtype: 'F32', shape: [2], data: view } }));
    expect(Array.from(v.tensors.v.data as Float32Array)).toEqual([1, 2]);
    expect(decodeSafetensors(encodeSafetensors({})).tensors).toEqual({});
  });

  it('decodes from a Node Buffer that is a view into a larger pool', () => {
    const bytes = encodeSafetensors({ w: { dtype: 'F32', shape: [5], data: Float32Array.from([1, 2, 3, 4, 5]) } });
    const pool = Buffer.alloc(bytes.length + 4096, 7);
    pool.set(bytes, 1024);
    const view = pool.subarray(1024, 1024 + bytes.length); // like ArtifactStore.getBytes() may return
    const { tensors } = decodeSafetensors(view);
    expect(Array.from(tensors.w.data as Float32Array)).toEqual([1, 2, 3, 4, 5]);
    expect((tensors.w.data as Float32Array).buffer.byteLength).toBe(20);
  });

  it('rejects bad tensors on encode', () => {
    expect(() => encodeSafetensors({ a: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(/has 3 elements, data has 2/);
    expect(() => encodeSafetensors({ a: { dtype: 'I32', shape: [2], data: new Float32Array(2) } })).toThrow(/needs a Int32Array/);
    expect(() => encodeSafetensors({ a: { dtype: 'BF16' as 'F32', shape: [1], data: new Float32Array(1) } })).toThrow(/unknown dtype "BF16"/);
  });

  it('gives clear errors for truncated or corrupt input', () => {
    expect(() => decodeSafetensors(new Uint8Array(5))).toThrow(/truncated file/);
    const hugeLen = new Uint8Array(16);
    new DataView(hugeLen.buffer).setBigUint64(0, 1000n, true);
    expect(() => decodeSafetensors(hugeLen)).toThrow(/header length 1000 runs past the end/);
    expect(() => decodeSafetensors(FIXTURE.subarray(0, FIXTURE.length - 3))).toThrow(/"weight": data_offsets \[20, 28\] run past the data section \(25 bytes\)/);
    expect(() => decodeSafetensors(withHeader('[1,2]', 0))).toThrow(/starting with "\{"/);
    expect(() => decodeSafetensors(withHeader('{"a":', 0))).toThrow(/not valid UTF-8 JSON/);
    expect(() => decodeSafetensors(withHeader('{"a":{"dtype":"Q8","shape":[1],"data_offsets":[0,1]}}', 1))).toThrow(/tensor "a": unknown dtype "Q8"/);
    expect(() =>
      decodeSafetensors(withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', 8)),
    ).toThrow(/"b" overlaps/);
    expect(() => decodeSafetensors(withHeader('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', 8))).toThrow(/gap in the data section before tensor "a"/);
    expect(() => decodeSafetensors(withHeader('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 8))).toThrow(/data section has 8 bytes but tensors cover 4/);
    expect(() => decodeSafetensors(withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', 4))).toThrow(/span 4 bytes, but F32 \[2\] needs 8/);
    expect(() => decodeSafetensors(withHeader('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}', 4))).toThrow(/data_offsets must be \[begin, end\]/);
    expect(() => decodeSafetensors(withHeader('{"__metadata__":{"k":1}}', 0))).toThrow(/__metadata__ "k" must be a string/);
  });
});
