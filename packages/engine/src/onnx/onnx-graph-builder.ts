// Accumulates nodes and constant initializers with unique value names; the exporter speaks in ops.
import { DT, type AttributeValue, type DataType, type NodeValue, type TensorValue } from './onnx-proto.js';

export const ML_DOMAIN = 'ai.onnx.ml';

export class OnnxGraphBuilder {
  readonly nodes: NodeValue[] = [];
  readonly initializers: TensorValue[] = [];
  private counter = 0;

  /** A fresh value name with a readable stem. */
  fresh(stem: string): string {
    return `${stem.replace(/[^A-Za-z0-9_./-]/g, '_')}__${this.counter++}`;
  }

  /** One node with one output; returns the output name. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, opts: { domain?: string; output?: string; stem?: string } = {}): string {
    const out = opts.output ?? this.fresh(opts.stem ?? opType.toLowerCase());
    this.nodes.push({ opType, inputs, outputs: [out], name: `${opType}_${this.nodes.length}`, attributes, ...(opts.domain && { domain: opts.domain }) });
    return out;
  }

  constant(stem: string, dataType: DataType, dims: number[], data: TensorValue['data']): string {
    const name = this.fresh(stem);
    this.initializers.push({ name, dataType, dims, data });
    return name;
  }

  floats(stem: string, dims: number[], data: ArrayLike<number>): string {
    return this.constant(stem, DT.FLOAT, dims, Float32Array.from(data));
  }

  doubles(stem: string, dims: number[], data: ArrayLike<number>): string {
    return this.constant(stem, DT.DOUBLE, dims, Float64Array.from(data));
  }

  int64s(stem: string, dims: number[], data: number[]): string {
    return this.constant(stem, DT.INT64, dims, BigInt64Array.from(data.map((v) => BigInt(v))));
  }

  cast(x: string, to: DataType, stem = 'cast'): string {
    return this.op('Cast', [x], { to: { kind: 'int', value: to } }, { stem });
  }

  /** Reshape to the given shape (-1 infers, 0 copies). */
  reshape(x: string, shape: number[], stem = 'reshape'): string {
    return this.op('Reshape', [x, this.int64s('shape', [shape.length], shape)], {}, { stem });
  }
}
