/**
 * A fitted preprocessor: the exact transform training applied, serialized into the model bundle and
 * replayed by serving. Numeric features become columns of one row-major Float32 matrix; categorical
 * and bucketized features become Int32 ids in [0, cardinality).
 */
import { validateSpecs, type MissingRule } from './feature-spec.js';
import type { FeatureState, FittedFeature } from './fitted-feature.js';
import { fnv1a32 } from './fnv1a.js';
import { PreprocessingError, readCategory, readNumber, requireColumn, type RawColumns } from './raw-column.js';
import type { SignatureField } from './signature.js';

export const PREPROCESSOR_FORMAT = 'atelier.preprocessor';
export const PREPROCESSOR_VERSION = 1;

export interface PreprocessorJSON {
  format: typeof PREPROCESSOR_FORMAT;
  version: number;
  /** Training rows the statistics were fitted on (lineage). */
  fittedRows: number;
  features: FittedFeature[];
}

export interface TransformOutput {
  numRows: number;
  /** numRows × denseNames.length, row-major. */
  dense: Float32Array;
  denseNames: string[];
  categorical: Record<string, Int32Array>;
  cardinalities: Record<string, number>;
}

/** Index of the first boundary > x, i.e. the count of boundaries <= x. */
function bucketOf(boundaries: Float64Array, x: number): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (boundaries[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Preprocessor {
  readonly denseNames: string[];
  readonly categoricalNames: string[];
  readonly cardinalities: Record<string, number>;
  private readonly lookups = new Map<string, Map<string, number>>();
  private readonly bounds = new Map<string, Float64Array>();

  constructor(
    readonly features: FittedFeature[],
    readonly fittedRows = 0,
  ) {
    this.denseNames = features.filter((f) => f.state.kind === 'dense').map((f) => f.spec.name);
    this.categoricalNames = features.filter((f) => f.state.kind !== 'dense').map((f) => f.spec.name);
    this.cardinalities = {};
    for (const f of features) {
      const st = f.state;
      if (st.kind === 'bucketize') {
        this.cardinalities[f.spec.name] = st.boundaries.length + 1;
        this.bounds.set(f.spec.name, Float64Array.from(st.boundaries));
      } else if (st.kind === 'vocabulary') {
        this.cardinalities[f.spec.name] = st.numOovBuckets + st.vocabulary.length;
        const m = new Map<string, number>();
        st.vocabulary.forEach((v, k) => m.set(v, st.numOovBuckets + k));
        this.lookups.set(f.spec.name, m);
      } else if (st.kind === 'hash') {
        this.cardinalities[f.spec.name] = st.hashBuckets;
      }
    }
  }

  get denseWidth(): number {
    return this.denseNames.length;
  }

  /** Applies the fitted transform. Throws PreprocessingError (column + row) under the 'error' rule. */
  transform(columns: RawColumns, numRows: number): TransformOutput {
    const width = this.denseNames.length;
    const dense = new Float32Array(numRows * width);
    const categorical: Record<string, Int32Array> = {};
    let j = 0;
    for (const f of this.features) {
      const name = f.spec.name;
      const col = requireColumn(columns, name, numRows);
      const st = f.state;
      if (st.kind === 'dense' || st.kind === 'bucketize') {
        const fill = st.fill;
        const isTyped = !Array.isArray(col);
        const typed = col as Float64Array;
        const b = st.kind === 'bucketize' ? this.bounds.get(name)! : null;
        const ids = b ? new Int32Array(numRows) : null;
        const shift = st.kind === 'dense' ? st.shift : 0;
        const scale = st.kind === 'dense' ? st.scale : 1;
        const clip = st.kind === 'dense' && st.clip !== undefined ? st.clip : Infinity;
        for (let i = 0; i < numRows; i++) {
          let x = isTyped ? typed[i] : readNumber(col, i, name);
          if (x !== x) {
            if (fill === null) throw new PreprocessingError(name, i, `missing value (rule 'error')`);
            x = fill;
          }
          if (ids) ids[i] = bucketOf(b!, x);
          else {
            const z = (x - shift) * scale;
            dense[i * width + j] = z > clip ? clip : z < -clip ? -clip : z;
          }
        }
        if (ids) categorical[name] = ids;
        else j++;
      } else {
        categorical[name] = this.categoricalIds(f, st, col, numRows);
      }
    }
    return { numRows, dense, denseNames: this.denseNames.slice(), categorical, cardinalities: { ...this.cardinalities } };
  }

  private categoricalIds(f: FittedFeature, st: FeatureState, col: RawColumns[string], numRows: number): Int32Array {
    const name = f.spec.name;
    const ids = new Int32Array(numRows);
    const fill = typeof f.spec.constant === 'string' ? f.spec.constant : '';
    const lookup = this.lookups.get(name);
    for (let i = 0; i < numRows; i++) {
      let v = readCategory(col, i);
      if (v === null) {
        if (f.missing === 'error') throw new PreprocessingError(name, i, `missing value (rule 'error')`);
        if (f.missing === 'oov') {
          ids[i] = 0;
          continue;
        }
        v = fill;
      }
      if (st.kind === 'hash') {
        ids[i] = fnv1a32(v) % st.hashBuckets;
      } else if (st.kind === 'vocabulary') {
        const id = lookup!.get(v);
        ids[i] = id !== undefined ? id : st.numOovBuckets === 1 ? 0 : fnv1a32(v) % st.numOovBuckets;
      }
    }
    return ids;
  }

  /** The input signature the bundle stores and serving validates against. */
  signature(): SignatureField[] {
    return this.features.map((f) => ({
      name: f.spec.name,
      dtype: f.spec.type === 'numeric' ? 'float32' : (f.spec.inputDtype ?? 'string'),
      nullable: f.missing !== 'error',
    }));
  }

  toJSON(): PreprocessorJSON {
    return {
      format: PREPROCESSOR_FORMAT,
      version: PREPROCESSOR_VERSION,
      fittedRows: this.fittedRows,
      features: this.features.map((f) => structuredClone(f)),
    };
  }

  static fromJSON(json: unknown): Preprocessor {
    const j = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<PreprocessorJSON>;
    if (!j || j.format !== PREPROCESSOR_FORMAT) throw new Error(`preprocessor JSON: expected format "${PREPROCESSOR_FORMAT}", got ${JSON.stringify(j?.format)}`);
    if (j.version !== PREPROCESSOR_VERSION) throw new Error(`preprocessor JSON: unsupported version ${j.version} (this engine reads version ${PREPROCESSOR_VERSION})`);
    if (!Array.isArray(j.features)) throw new Error('preprocessor JSON: features must be an array');
    validateSpecs(j.features.map((f) => f.spec));
    for (const f of j.features) checkState(f);
    return new Preprocessor(j.features.map((f) => structuredClone(f)), j.fittedRows ?? 0);
  }
}

const MISSING: MissingRule[] = ['mean', 'median', 'zero', 'constant', 'error', 'oov'];

function checkState(f: FittedFeature): void {
  const where = `preprocessor JSON: feature "${f.spec.name}"`;
  if (!MISSING.includes(f.missing)) throw new Error(`${where}: bad missing rule ${JSON.stringify(f.missing)}`);
  const st = f.state as FeatureState | undefined;
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const fillOk = (v: unknown) => (f.missing === 'error' ? v === null : num(v));
  switch (st?.kind) {
    case 'dense':
      if (f.spec.type !== 'numeric' || !fillOk(st.fill) || !num(st.shift) || !num(st.scale) || (st.clip !== undefined && !(num(st.clip) && st.clip > 0))) {
        throw new Error(`${where}: invalid dense state`);
      }
      return;
    case 'bucketize':
      if (f.spec.type !== 'numeric' || !fillOk(st.fill) || !Array.isArray(st.boundaries) || !st.boundaries.every(num)) throw new Error(`${where}: invalid bucketize state`);
      return;
    case 'vocabulary':
      if (f.spec.type !== 'categorical' || !Array.isArray(st.vocabulary) || !st.vocabulary.every((v) => typeof v === 'string') || !(Number.isInteger(st.numOovBuckets) && st.numOovBuckets > 0)) {
        throw new Error(`${where}: invalid vocabulary state`);
      }
      return;
    case 'hash':
      if (f.spec.type !== 'categorical' || !(Number.isInteger(st.hashBuckets) && st.hashBuckets > 0)) throw new Error(`${where}: invalid hash state`);
      return;
    default:
      throw new Error(`${where}: unknown state kind ${JSON.stringify((st as unknown as { kind?: unknown } | undefined)?.kind)}`);
  }
}
