// Instances → the engine model's named input arrays, exactly as training fed it:
//   - bundles with preprocessing replay the fitted Preprocessor (missing values and NaN follow its
//     rules), then map its output to model inputs with the bundle's 'atelier.inputs' mapping
//     (format atelier.inputs.v1, written by the training orchestrator: dense groups gathered by name,
//     categorical features as int32 ids), or the engine's default (one 'dense' block) without one;
//   - bundles without preprocessing take each model input raw: a dense input [width] is a number
//     array per instance, a categorical input an integer id.
import {
  INPUT_MAPPING_METADATA_KEY,
  Preprocessor,
  batchFromTransform,
  instancesToColumns,
  parseInputMapping,
  toModelInputs,
  type BundleManifest,
} from '@atelier/engine';
import type { InputField } from '../input-validation.js';

export type ModelInputs = Record<string, Float32Array | Int32Array>;

export interface EngineInputBuilder {
  fields: InputField[];
  build(instances: Array<Record<string, unknown>>): ModelInputs;
}

export function engineInputBuilder(manifest: BundleManifest): EngineInputBuilder {
  const fields: InputField[] = manifest.signature.inputs.map((s) => ({
    name: s.name,
    dtype: s.dtype,
    shape: s.shape ?? [],
    nullable: s.nullable ?? false,
  }));
  if (manifest.preprocessing) {
    const pre = Preprocessor.fromJSON(manifest.preprocessing);
    const raw = manifest.metadata?.[INPUT_MAPPING_METADATA_KEY];
    const mapping = raw ? parseInputMapping(raw) : null;
    const sig = fields.map((f) => ({ name: f.name, dtype: f.dtype as 'float32' | 'int32' | 'string', nullable: f.nullable }));
    return {
      fields,
      build(instances) {
        const out = pre.transform(instancesToColumns(sig, instances), instances.length);
        return mapping ? toModelInputs(mapping, out) : batchFromTransform(out).inputs;
      },
    };
  }
  return {
    fields,
    build(instances) {
      const n = instances.length;
      const inputs: ModelInputs = {};
      for (const f of fields) {
        const w = f.shape.reduce((a, b) => a * Math.max(1, b), 1);
        const dst = f.dtype === 'int32' ? new Int32Array(n * w) : new Float32Array(n * w);
        for (let r = 0; r < n; r++) {
          const v = instances[r][f.name];
          if (Array.isArray(v)) for (let j = 0; j < w; j++) dst[r * w + j] = v[j] as number;
          else dst[r * w] = typeof v === 'number' ? v : f.dtype === 'int32' ? 0 : NaN;
        }
        inputs[f.name] = dst;
      }
      return inputs;
    },
  };
}
