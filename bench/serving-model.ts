// The benchmark's model: one MLP (64 → 256 → 256 → 1, ReLU, regression) built by the engine with a
// fixed seed, saved as an engine bundle, and exported with the very same weights to ONNX (Gemm/Relu,
// written by Debian's python3-onnx) so every server computes the same function.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModel, createPredictor, packBundle, saveBundle, snapshotWeights } from '@atelier/engine';

export const INPUTS = 64;
export const HIDDEN = [256, 256];

const PY = `
import json, sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
d = sys.argv[1]
layers = json.load(open(d + '/layers.json'))
nodes, inits, x = [], [], 'features'
for i, l in enumerate(layers):
    w = np.fromfile(d + '/k%d.bin' % i, dtype=np.float32).reshape(l['shape'])
    b = np.fromfile(d + '/b%d.bin' % i, dtype=np.float32)
    inits += [numpy_helper.from_array(w, 'w%d' % i), numpy_helper.from_array(b, 'b%d' % i)]
    y = 'prediction' if i == len(layers) - 1 else 'h%d' % i
    nodes.append(helper.make_node('Gemm', [x, 'w%d' % i, 'b%d' % i], [y if i == len(layers) - 1 else y + 'pre']))
    if i < len(layers) - 1:
        nodes.append(helper.make_node('Relu', [y + 'pre'], [y]))
    x = y
g = helper.make_graph(nodes, 'bench_mlp', [helper.make_tensor_value_info('features', TensorProto.FLOAT, ['batch', ${INPUTS}])],
    [helper.make_tensor_value_info('prediction', TensorProto.FLOAT, ['batch', 1])], initializer=inits)
m = helper.make_model(g, producer_name='atelier-bench', opset_imports=[helper.make_opsetid('', 13)])
m.ir_version = 7
onnx.checker.check_model(m)
onnx.save(m, d + '/mlp.onnx')
`;

export interface BenchModel {
  onnx: Uint8Array;
  bundle: Uint8Array;
  /** The engine's answer for `features` (to check the ONNX export). */
  reference(features: number[]): number;
}

export function buildBenchModel(python = process.env.PYTHON ?? '/usr/bin/python3'): BenchModel {
  const model = createModel({
    kind: 'mlp',
    config: { inputs: [{ name: 'features', kind: 'dense', width: INPUTS }], hiddenUnits: HIDDEN, task: 'regression', seed: 11 },
  });
  const weights = Object.entries(snapshotWeights(model));
  const kernels = weights.filter(([k]) => k.endsWith('kernel'));
  const biases = weights.filter(([k]) => k.endsWith('bias'));
  if (kernels.length !== HIDDEN.length + 1 || biases.length !== kernels.length) throw new Error(`unexpected MLP weights: ${weights.map(([k]) => k).join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'atelier-bench-mlp-'));
  try {
    const dims = [INPUTS, ...HIDDEN, 1];
    kernels.forEach(([, w], i) => writeFileSync(join(dir, `k${i}.bin`), Buffer.from(w.buffer, w.byteOffset, w.byteLength)));
    biases.forEach(([, b], i) => writeFileSync(join(dir, `b${i}.bin`), Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
    writeFileSync(join(dir, 'layers.json'), JSON.stringify(dims.slice(1).map((out, i) => ({ shape: [dims[i], out] }))));
    execFileSync(python, ['-c', PY, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const onnx = new Uint8Array(readFileSync(join(dir, 'mlp.onnx')));
    const bundle = packBundle(saveBundle(model, { outputNames: ['prediction'] }));
    const predictor = createPredictor(model);
    return { onnx, bundle, reference: (features) => predictor.predict({ numRows: 1, inputs: { features: Float32Array.from(features) } })[0] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One request's body: one instance of 64 features (fixed, so every server gets the same input). */
export function benchInstance(): number[] {
  return Array.from({ length: INPUTS }, (_, i) => Math.round(Math.sin(i + 1) * 1000) / 1000);
}
