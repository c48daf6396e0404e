// A registered ONNX version's signature against the graph ONNX Runtime loaded, by the rules serving
// feeds it with (apps/serving README, "Runtimes"): when every signature input names a graph input,
// each is its own tensor [N, ...shape]; otherwise the graph has one float32 input [N, F] the numeric
// fields are packed into, in order. Outputs must be the graph's. A signature serving cannot feed is
// refused here, naming each field, instead of a version that loads but never answers.
import type { FieldError } from '../errors.js';
import type { OnnxSignatureT } from '../schemas/registry.schemas.js';
import type { OnnxGraph, OnnxGraphValue } from './onnx-model-check.js';

type Field = OnnxSignatureT['inputs'][number];

/** The tensor type serving feeds for each signature dtype. */
const FEED_TYPE: Record<Field['dtype'], string> = { float32: 'float32', float64: 'float32', int32: 'int32', int64: 'int64', bool: 'bool', string: 'string' };

const width = (shape: number[]) => shape.reduce((a, b) => a * Math.max(1, b), 1);
const typeOf = (g: OnnxGraphValue) => g.type ?? 'not a tensor';
const shapeOf = (g: OnnxGraphValue) => `[${g.shape.join(', ')}]`;

export function signatureProblems(signature: OnnxSignatureT, graph: OnnxGraph): FieldError[] {
  const errors: FieldError[] = [];
  const graphInputs = new Map(graph.inputs.map((g) => [g.name, g]));
  const inputNames = graph.inputs.map((g) => `'${g.name}'`).join(', ');
  if (signature.inputs.every((f) => graphInputs.has(f.name))) {
    signature.inputs.forEach((f, i) => {
      const g = graphInputs.get(f.name)!;
      if (g.type !== FEED_TYPE[f.dtype]) {
        errors.push({ field: `/body/signature/inputs/${i}/dtype`, message: `${f.dtype} is fed as ${FEED_TYPE[f.dtype]}, but the graph input '${g.name}' is ${typeOf(g)}` });
      } else if (g.shape.length > 0) {
        const dims = g.shape.slice(1);
        const fixedMismatch = dims.some((d, j) => typeof d === 'number' && f.shape[j] !== -1 && Math.max(1, f.shape[j]) !== d);
        if (dims.length !== f.shape.length || fixedMismatch) {
          errors.push({ field: `/body/signature/inputs/${i}/shape`, message: `[${f.shape.join(', ')}] per row does not fit the graph input '${g.name}' of shape ${shapeOf(g)} (batch first)` });
        }
      }
    });
    for (const g of graph.inputs) {
      if (!signature.inputs.some((f) => f.name === g.name)) errors.push({ field: '/body/signature/inputs', message: `has no field for the graph input '${g.name}'` });
    }
  } else if (graph.inputs.length !== 1) {
    signature.inputs.forEach((f, i) => {
      if (!graphInputs.has(f.name)) {
        errors.push({
          field: `/body/signature/inputs/${i}/name`,
          message: `'${f.name}' is not an input of the graph (its inputs: ${inputNames}); name every graph input, or pack the fields into a graph with one input`,
        });
      }
    });
  } else {
    const g = graph.inputs[0];
    if (g.type !== 'float32') errors.push({ field: '/body/signature/inputs', message: `the fields are packed into the graph's one input '${g.name}' as float32, but it is ${typeOf(g)}` });
    signature.inputs.forEach((f, i) => {
      if (f.dtype === 'string' || f.dtype === 'bool') errors.push({ field: `/body/signature/inputs/${i}/dtype`, message: `${f.dtype} cannot be packed into the graph's one float32 input '${g.name}'` });
    });
    const packed = signature.inputs.reduce((a, f) => a + width(f.shape), 0);
    if (g.shape.length > 0 && (g.shape.length !== 2 || (typeof g.shape[1] === 'number' && g.shape[1] !== packed))) {
      errors.push({ field: '/body/signature/inputs', message: `the fields pack into ${packed} values per row, which does not fit the graph input '${g.name}' of shape ${shapeOf(g)} (batch first)` });
    }
  }
  const outputNames = graph.outputs.map((g) => `'${g.name}'`).join(', ');
  signature.outputs.forEach((o, i) => {
    if (!graph.outputs.some((g) => g.name === o.name)) errors.push({ field: `/body/signature/outputs/${i}/name`, message: `'${o.name}' is not an output of the graph (its outputs: ${outputNames})` });
  });
  return errors;
}
