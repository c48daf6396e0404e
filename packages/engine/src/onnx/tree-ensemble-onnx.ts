// A GbdtModel as ai.onnx.ml TreeEnsembleRegressor (n_targets = output columns, SUM, base values =
// the base score): the raw margins, to which the exporter adds the task's Sigmoid/Softmax as for
// every kind. Features: the dense block(s) as float and the id inputs cast to float, concatenated in
// ensemble order. Numeric nodes are BRANCH_LEQ with the missing-value direction
// (nodes_missing_value_tracks_true = default left); a category-set node becomes a chain of BRANCH_EQ
// nodes (one per category, the last shared bin as BRANCH_GTE) whose true branches all lead to the
// same left subtree.
import { DT } from './onnx-proto.js';
import { ML_DOMAIN, type OnnxGraphBuilder } from './onnx-graph-builder.js';
import type { GbdtModel } from '../trees/gbdt-model.js';

export function treeEnsembleForward(g: OnnxGraphBuilder, model: GbdtModel, x: Map<string, string>, missing: (name: string) => Error): string {
  const parts = model.features.map((f) => {
    const v = x.get(f.name);
    if (!v) throw missing(f.name);
    if (f.kind === 'dense') return v;
    return g.op('Unsqueeze', [g.cast(v, DT.FLOAT), g.int64s('axes', [1], [1])], {}, { stem: `${f.name}_f` });
  });
  const X = parts.length === 1 ? parts[0] : g.op('Concat', parts, { axis: { kind: 'int', value: 1 } }, { stem: 'tree_features' });

  const e = model.ensemble;
  const a = e.arrays();
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const thresholds: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missingTrue: number[] = [];
  const targetTree: number[] = [];
  const targetNode: number[] = [];
  const targetIds: number[] = [];
  const weights: number[] = [];
  for (let t = 0; t < a.roots.length; t++) {
    const root = a.roots[t];
    const end = t + 1 < a.roots.length ? a.roots[t + 1] : a.feature.length;
    // ONNX ids: our nodes keep (index − root); chain nodes of category sets get ids after them.
    let next = end - root;
    const push = (id: number, feature: number, mode: string, thr: number, tId: number, fId: number, mTrue: number) => {
      treeIds.push(t);
      nodeIds.push(id);
      featureIds.push(feature);
      modes.push(mode);
      thresholds.push(thr);
      trueIds.push(tId);
      falseIds.push(fId);
      missingTrue.push(mTrue);
    };
    for (let n = root; n < end; n++) {
      const id = n - root;
      const f = a.feature[n];
      if (f < 0) {
        push(id, 0, 'LEAF', 0, 0, 0, 0);
        targetTree.push(t);
        targetNode.push(id);
        targetIds.push(a.treeOutput[t]);
        weights.push(a.value[n]);
        continue;
      }
      const left = a.left[n] - root;
      const right = left + 1;
      const co = a.catOffset[n];
      if (co < 0) {
        push(id, f, 'BRANCH_LEQ', a.threshold[n], left, right, a.defaultLeft[n]);
        continue;
      }
      // Category set: bins b (id b − 1; the last bin holds every id ≥ numBins − 1) going left.
      const nb = e.featureNumBins[f];
      const cats: number[] = [];
      for (let b = 1; b <= nb; b++) if ((a.catBits[co + (b >>> 5)] >>> (b & 31)) & 1) cats.push(b);
      if (cats.length === 0) {
        push(id, f, 'BRANCH_LT', -1e30, left, right, a.defaultLeft[n]);
        continue;
      }
      let current = id;
      cats.forEach((b, k) => {
        const last = k === cats.length - 1;
        const falseTo = last ? right : next++;
        if (b === nb) push(current, f, 'BRANCH_GTE', nb - 1, left, falseTo, a.defaultLeft[n]);
        else push(current, f, 'BRANCH_EQ', b - 1, left, falseTo, a.defaultLeft[n]);
        current = falseTo;
      });
    }
  }
  const ints = (value: number[]) => ({ kind: 'ints' as const, value });
  const floats = (value: number[]) => ({ kind: 'floats' as const, value });
  return g.op(
    'TreeEnsembleRegressor',
    [X],
    {
      n_targets: { kind: 'int', value: e.outputWidth },
      aggregate_function: { kind: 'string', value: 'SUM' },
      post_transform: { kind: 'string', value: 'NONE' },
      base_values: floats(Array.from(e.baseScore)),
      nodes_treeids: ints(treeIds),
      nodes_nodeids: ints(nodeIds),
      nodes_featureids: ints(featureIds),
      nodes_modes: { kind: 'strings', value: modes },
      nodes_values: floats(thresholds),
      nodes_truenodeids: ints(trueIds),
      nodes_falsenodeids: ints(falseIds),
      nodes_missing_value_tracks_true: ints(missingTrue),
      target_treeids: ints(targetTree),
      target_nodeids: ints(targetNode),
      target_ids: ints(targetIds),
      target_weights: floats(weights),
    },
    { domain: ML_DOMAIN, stem: 'margins' },
  );
}
