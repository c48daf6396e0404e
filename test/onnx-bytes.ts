// ONNX models written by hand for tests that need what no exporter would write (an unknown operator,
// weights "stored" outside the model): a minimal protobuf writer and the few onnx.proto messages used.
// Field numbers from onnx.proto3: ModelProto {ir_version 1, producer_name 2, graph 7, opset_import 8},
// GraphProto {node 1, name 2, initializer 5, input 11, output 12}, NodeProto {input 1, output 2, op_type 4},
// ValueInfoProto {name 1, type 2}, TypeProto {tensor_type 1}, TypeProto.Tensor {elem_type 1, shape 2},
// TensorShapeProto {dim 1}, Dimension {dim_value 1, dim_param 2}, TensorProto {dims 1, data_type 2,
// name 8, external_data 13, data_location 14}, StringStringEntryProto {key 1, value 2}.
type Value = number | string | Uint8Array;

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

/** A protobuf message: numbers are varint fields, strings and bytes (nested messages) length-delimited. */
function message(fields: Array<[number, Value]>): Uint8Array {
  const out: number[] = [];
  for (const [no, value] of fields) {
    if (typeof value === 'number') {
      out.push(...varint(no * 8), ...varint(value));
      continue;
    }
    const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    out.push(...varint(no * 8 + 2), ...varint(bytes.length), ...bytes);
  }
  return Uint8Array.from(out);
}

const FLOAT = 1;

/** A float tensor [batch, width]. */
function tensorValue(name: string, width: number): Uint8Array {
  const shape = message([
    [1, message([[2, 'batch']])],
    [1, message([[1, width]])],
  ]);
  return message([
    [1, name],
    [2, message([[1, message([[1, FLOAT], [2, shape]])]])],
  ]);
}

function model(nodes: Uint8Array[], initializers: Uint8Array[] = []): Buffer {
  const graph = message([
    ...nodes.map((n): [number, Value] => [1, n]),
    [2, 'test_graph'],
    ...initializers.map((t): [number, Value] => [5, t]),
    [11, tensorValue('x', 4)],
    [12, tensorValue('y', 4)],
  ]);
  const opset = message([
    [1, ''],
    [2, 13],
  ]);
  return Buffer.from(message([[1, 7], [2, 'atelier-test-writer'], [7, graph], [8, opset]]));
}

const node = (op: string, inputs: string[], outputs: string[]) =>
  message([...inputs.map((i): [number, Value] => [1, i]), ...outputs.map((o): [number, Value] => [2, o]), [4, op]]);

/** y = relu(x), x and y float [batch, 4]: a model ONNX Runtime loads. */
export function reluModel(): Buffer {
  return model([node('Relu', ['x'], ['y'])]);
}

/** y = op(x) with an operator no ONNX Runtime registers. */
export function unknownOperatorModel(op = 'NoSuchOp'): Buffer {
  return model([node(op, ['x'], ['y'])]);
}

/** y = x + w, where w's 16 bytes are "stored" in the external file `location` (e.g. ../../etc/passwd). */
export function externalDataModel(location: string): Buffer {
  const w = message([
    [1, 4],
    [2, FLOAT],
    [8, 'w'],
    [13, message([[1, 'location'], [2, location]])],
    [13, message([[1, 'offset'], [2, '0']])],
    [13, message([[1, 'length'], [2, '16']])],
    [14, 1],
  ]);
  return model([node('Add', ['x', 'w'], ['y'])], [w]);
}
