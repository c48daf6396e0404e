// How a fitted preprocessor's output becomes a canned model's named inputs. Training writes the
// mapping into the bundle (metadata 'atelier.inputs'); serving and evaluation replay it, so all three
// feed the model exactly the same arrays:
//   - each dense group is one float32 input [N, columns.length] gathered (in order) from
//     TransformOutput.dense by `TransformOutput.denseNames`;
//   - each categorical feature (vocabulary, hash, bucketize) is an int32 input [N] named after the feature.
import type { TransformOutput } from '../preprocessing/index.js';

export const INPUT_MAPPING_FORMAT = 'atelier.inputs.v1';
/** The bundle metadata key that holds the JSON mapping. */
export const INPUT_MAPPING_METADATA_KEY = 'atelier.inputs';

export interface InputMapping {
  format: typeof INPUT_MAPPING_FORMAT;
  /** dense input name → the dense feature names, in column order */
  dense: Record<string, string[]>;
  /** categorical feature names (each an int32 input of its own name) */
  categorical: string[];
}

export class InputMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputMappingError';
  }
}

/** Parse the mapping stored in bundle metadata; an unknown format is refused, not guessed. */
export function parseInputMapping(raw: string): InputMapping {
  const mapping = JSON.parse(raw) as InputMapping;
  if (mapping.format !== INPUT_MAPPING_FORMAT) {
    throw new InputMappingError(`unknown input mapping format '${mapping.format}' (this engine reads ${INPUT_MAPPING_FORMAT})`);
  }
  return mapping;
}

export function toModelInputs(mapping: InputMapping, out: TransformOutput): Record<string, Float32Array | Int32Array> {
  const n = out.numRows;
  const width = out.denseNames.length;
  const index = new Map(out.denseNames.map((name, j) => [name, j]));
  const inputs: Record<string, Float32Array | Int32Array> = {};
  for (const [input, names] of Object.entries(mapping.dense)) {
    const cols = names.map((name) => {
      const j = index.get(name);
      if (j === undefined) throw new InputMappingError(`dense feature '${name}' is not in the preprocessor output`);
      return j;
    });
    const w = cols.length;
    const dst = new Float32Array(n * w);
    for (let r = 0; r < n; r++) for (let k = 0; k < w; k++) dst[r * w + k] = out.dense[r * width + cols[k]];
    inputs[input] = dst;
  }
  for (const name of mapping.categorical) {
    const ids = out.categorical[name];
    if (!ids) throw new InputMappingError(`categorical feature '${name}' is not in the preprocessor output`);
    inputs[name] = ids;
  }
  return inputs;
}
