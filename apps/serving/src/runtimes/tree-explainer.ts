// TreeSHAP contributions for a gbdt bundle, whichever runtime serves its predictions (the engine's
// tree predictor or the bundle's ONNX export): the engine's model and input builder, feature names
// from the input mapping (the dense block's columns, then the id features), `__bias` the expected margin.
import { GbdtModel, INPUT_MAPPING_METADATA_KEY, loadBundle, parseInputMapping, treeShap, type BundleManifest } from '@atelier/engine';
import { engineInputBuilder, type EngineInputBuilder } from './engine-inputs.js';

export type Contribution = Record<string, number> | Record<string, Record<string, number>>;

export class TreeExplainer {
  private readonly builder: EngineInputBuilder;
  private readonly names: string[];

  constructor(
    private readonly model: GbdtModel,
    private readonly manifest: BundleManifest,
  ) {
    this.builder = engineInputBuilder(manifest);
    const raw = manifest.metadata[INPUT_MAPPING_METADATA_KEY];
    const dense = raw ? parseInputMapping(raw).dense : {};
    this.names = [];
    for (const f of model.features) {
      if (f.kind === 'dense') for (let j = 0; j < f.width; j++) this.names.push(dense[f.name]?.[j] ?? `${f.name}[${j}]`);
      else this.names.push(f.name);
    }
  }

  /** An explainer for a bundle's bytes, or null when the bundle is not a gbdt model. */
  static fromBundle(bytes: Uint8Array): TreeExplainer | null {
    const { model, manifest } = loadBundle(new Uint8Array(bytes));
    return model instanceof GbdtModel ? new TreeExplainer(model, manifest) : null;
  }

  explain(instances: Array<Record<string, unknown>>): Contribution[] {
    const n = instances.length;
    const shap = treeShap(this.model.ensemble, this.model.matrix(this.builder.build(instances), n), n);
    const F = this.names.length;
    const K = shap.outputWidth;
    const outputs = this.manifest.output.names;
    const one = (row: number, k: number): Record<string, number> => {
      const o: Record<string, number> = {};
      const base = (row * K + k) * (F + 1);
      for (let f = 0; f < F; f++) o[this.names[f]] = (o[this.names[f]] ?? 0) + shap.values[base + f];
      o.__bias = shap.values[base + F];
      return o;
    };
    return Array.from({ length: n }, (_, i) => {
      if (K === 1) return one(i, 0);
      const byOutput: Record<string, Record<string, number>> = {};
      for (let k = 0; k < K; k++) byOutput[outputs[k] ?? `class_${k}`] = one(i, k);
      return byOutput;
    });
  }
}
