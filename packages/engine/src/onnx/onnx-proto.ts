// The few onnx.proto messages the exporter writes, encoded by hand in the protobuf wire format (a
// dependency for five message types is not worth it). Field numbers from onnx/onnx.proto (IR v8):
//   ModelProto {ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7, opset_import 8, metadata_props 14}
//   OperatorSetIdProto {domain 1, version 2}      StringStringEntryProto {key 1, value 2}
//   GraphProto {node 1, name 2, initializer 5, doc_string 10, input 11, output 12}
//   NodeProto {input 1, output 2, name 3, op_type 4, attribute 5, domain 7}
//   AttributeProto {name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, strings 9, type 20}
//   TensorProto {dims 1, data_type 2, string_data 6, name 8, raw_data 9}
//   ValueInfoProto {name 1, type 2}   TypeProto {tensor_type 1}   TypeProto.Tensor {elem_type 1, shape 2}
//   TensorShapeProto {dim 1}   TensorShapeProto.Dimension {dim_value 1, dim_param 2}

/** TensorProto.DataType values the exporter uses. */
export const DT = { FLOAT: 1, INT32: 6, INT64: 7, STRING: 8, BOOL: 9, DOUBLE: 11 } as const;
export type DataType = (typeof DT)[keyof typeof DT];

const AT = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** Growable byte sink with the protobuf primitives. */
class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Unsigned or negative int64 as a varint (negatives take 10 bytes, two's complement). */
  varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    this.ensure(10);
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x > 0n) b |= 0x80;
      this.buf[this.len++] = b;
    } while (x > 0n);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  tag(field: number, wire: 0 | 2 | 5): void {
    this.varint(field * 8 + wire);
  }

  int(field: number, v: number | bigint): void {
    this.tag(field, 0);
    this.varint(v);
  }

  lengthDelimited(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.bytes(b);
  }

  string(field: number, s: string): void {
    this.lengthDelimited(field, utf8(s));
  }

  float32(field: number, v: number): void {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.bytes(b);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

const encoder = new TextEncoder();
const utf8 = (s: string): Uint8Array => encoder.encode(s);

function message(write: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  write(w);
  return w.finish();
}

function packedVarints(values: ArrayLike<number | bigint>): Uint8Array {
  return message((w) => {
    for (let i = 0; i < values.length; i++) w.varint(values[i]);
  });
}

/** A constant tensor (initializer or Constant value). Numeric data goes in raw_data, little-endian. */
export interface TensorValue {
  name: string;
  dataType: DataType;
  dims: number[];
  /** FLOAT: Float32Array; DOUBLE: Float64Array; INT64: BigInt64Array; INT32: Int32Array; BOOL: Uint8Array; STRING: string[] */
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | string[];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function littleEndianBytes(data: Exclude<TensorValue['data'], string[]>): Uint8Array {
  // Typed arrays are platform-endian: on little-endian hosts (all the platform runs on) their bytes
  // are the file's bytes; elsewhere write through DataView so the file is right regardless.
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const dv = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  else if (data instanceof Float64Array) data.forEach((v, i) => dv.setFloat64(i * 8, v, true));
  else if (data instanceof BigInt64Array) data.forEach((v, i) => dv.setBigInt64(i * 8, v, true));
  else if (data instanceof Int32Array) data.forEach((v, i) => dv.setInt32(i * 4, v, true));
  else out.set(data);
  return out;
}

export function encodeTensor(t: TensorValue): Uint8Array {
  return message((w) => {
    if (t.dims.length > 0) w.lengthDelimited(1, packedVarints(t.dims));
    w.int(2, t.dataType);
    if (Array.isArray(t.data)) for (const s of t.data) w.string(6, s);
    w.string(8, t.name);
    if (!Array.isArray(t.data)) w.lengthDelimited(9, littleEndianBytes(t.data));
  });
}

export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: number[] }
  | { kind: 'floats'; value: number[] }
  | { kind: 'strings'; value: string[] }
  | { kind: 'tensor'; value: TensorValue };

function encodeAttribute(name: string, a: AttributeValue): Uint8Array {
  return message((w) => {
    w.string(1, name);
    switch (a.kind) {
      case 'float':
        w.float32(2, a.value);
        w.int(20, AT.FLOAT);
        break;
      case 'int':
        w.int(3, a.value);
        w.int(20, AT.INT);
        break;
      case 'string':
        w.string(4, a.value);
        w.int(20, AT.STRING);
        break;
      case 'tensor':
        w.lengthDelimited(5, encodeTensor(a.value));
        w.int(20, AT.TENSOR);
        break;
      case 'floats':
        for (const v of a.value) w.float32(7, v);
        w.int(20, AT.FLOATS);
        break;
      case 'ints':
        w.lengthDelimited(8, packedVarints(a.value));
        w.int(20, AT.INTS);
        break;
      case 'strings':
        for (const s of a.value) w.string(9, s);
        w.int(20, AT.STRINGS);
        break;
    }
  });
}

export interface NodeValue {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  domain?: string;
  attributes?: Record<string, AttributeValue>;
}

function encodeNode(n: NodeValue): Uint8Array {
  return message((w) => {
    for (const i of n.inputs) w.string(1, i);
    for (const o of n.outputs) w.string(2, o);
    w.string(3, n.name);
    w.string(4, n.opType);
    for (const [k, a] of Object.entries(n.attributes ?? {})) w.lengthDelimited(5, encodeAttribute(k, a));
    if (n.domain) w.string(7, n.domain);
  });
}

/** A graph input/output: a tensor of `elemType` whose dims are numbers or symbolic names ('N'). */
export interface ValueInfo {
  name: string;
  elemType: DataType;
  dims: Array<number | string>;
}

function encodeValueInfo(v: ValueInfo): Uint8Array {
  const shape = message((w) => {
    for (const d of v.dims) w.lengthDelimited(1, message((dw) => (typeof d === 'number' ? dw.int(1, d) : dw.string(2, d))));
  });
  const tensorType = message((w) => {
    w.int(1, v.elemType);
    w.lengthDelimited(2, shape);
  });
  return message((w) => {
    w.string(1, v.name);
    w.lengthDelimited(2, message((tw) => tw.lengthDelimited(1, tensorType)));
  });
}

export interface ModelValue {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  opsets: Array<{ domain: string; version: number }>;
  metadata: Record<string, string>;
  graph: {
    name: string;
    nodes: NodeValue[];
    initializers: TensorValue[];
    inputs: ValueInfo[];
    outputs: ValueInfo[];
  };
}

export function encodeModel(m: ModelValue): Uint8Array {
  const graph = message((w) => {
    for (const n of m.graph.nodes) w.lengthDelimited(1, encodeNode(n));
    w.string(2, m.graph.name);
    for (const t of m.graph.initializers) w.lengthDelimited(5, encodeTensor(t));
    for (const i of m.graph.inputs) w.lengthDelimited(11, encodeValueInfo(i));
    for (const o of m.graph.outputs) w.lengthDelimited(12, encodeValueInfo(o));
  });
  return message((w) => {
    w.int(1, m.irVersion);
    w.string(2, m.producerName);
    w.string(3, m.producerVersion);
    if (m.docString) w.string(6, m.docString);
    w.lengthDelimited(7, graph);
    for (const o of m.opsets) {
      w.lengthDelimited(
        8,
        message((ow) => {
          if (o.domain) ow.string(1, o.domain);
          ow.int(2, o.version);
        }),
      );
    }
    for (const [k, v] of Object.entries(m.metadata)) {
      w.lengthDelimited(
        14,
        message((ew) => {
          ew.string(1, k);
          ew.string(2, v);
        }),
      );
    }
  });
}
