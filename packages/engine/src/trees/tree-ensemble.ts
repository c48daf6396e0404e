// A trained ensemble as flat typed arrays (all trees' nodes in one set of arrays), evaluated
// batch-wise: rows in blocks, every tree over a block while the block's values stay in cache.
// Node n: feature[n] (−1 = leaf), a split on raw values — numeric: x ≤ threshold[n] goes left;
// categorical: bin(x) in the node's 256-bit set (catOffset[n] into catBits) goes left — missing
// (NaN, or a negative id) follows defaultLeft[n]. Children are adjacent: right = left + 1.
// Leaf values are float32 numbers (as XGBoost's) so a checkpoint in float32 resumes bit-exactly.

export interface TreeEnsembleArrays {
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  defaultLeft: Uint8Array;
  /** Offset into catBits (8 words) for categorical splits, −1 otherwise. */
  catOffset: Int32Array;
  /** Leaf value (0 for inner nodes). */
  value: Float32Array;
  /** Hessian sum of the training rows that reached the node (TreeSHAP weights; "cover"). */
  cover: Float32Array;
  /** Split gain (inner nodes), for importance. */
  gain: Float32Array;
  catBits: Uint32Array;
  /** Root node of each tree. */
  roots: Int32Array;
  /** Output column of each tree (multiclass: the class). */
  treeOutput: Int32Array;
}

export interface NodeSpec {
  feature: number;
  threshold: number;
  defaultLeft: boolean;
  catBits: Uint32Array | null;
  /** Local index of the left child (right is left + 1); −1 for a leaf. */
  left: number;
  value: number;
  cover: number;
  gain: number;
}

/** A growable ensemble; `append` adds one tree, `truncate` keeps the first trees (early stopping). */
export class TreeEnsemble {
  private n = 0;
  private nCat = 0;
  private nTrees = 0;
  a: TreeEnsembleArrays;

  constructor(
    readonly numFeatures: number,
    /** Value bins per feature (categorical bin mapping: 1 + min(id, numBins − 1)). */
    readonly featureNumBins: Int32Array,
    readonly categorical: Uint8Array,
    readonly outputWidth: number,
    /** Starting margin per output column. */
    readonly baseScore: Float64Array,
  ) {
    this.a = emptyArrays(64, 8, 16);
  }

  get numNodes(): number {
    return this.n;
  }
  get numTrees(): number {
    return this.nTrees;
  }

  append(nodes: NodeSpec[], output: number): void {
    this.reserve(this.n + nodes.length, this.nCat + nodes.filter((x) => x.catBits).length * 8, this.nTrees + 1);
    const a = this.a;
    const base = this.n;
    for (let k = 0; k < nodes.length; k++) {
      const s = nodes[k];
      const i = base + k;
      a.feature[i] = s.left < 0 ? -1 : s.feature;
      a.threshold[i] = s.threshold;
      a.left[i] = s.left < 0 ? -1 : base + s.left;
      a.defaultLeft[i] = s.defaultLeft ? 1 : 0;
      a.value[i] = s.value;
      a.cover[i] = s.cover;
      a.gain[i] = s.gain;
      if (s.catBits && s.left >= 0) {
        a.catOffset[i] = this.nCat;
        a.catBits.set(s.catBits, this.nCat);
        this.nCat += 8;
      } else a.catOffset[i] = -1;
    }
    this.packed = null;
    a.roots[this.nTrees] = base;
    a.treeOutput[this.nTrees] = output;
    this.nTrees++;
    this.n += nodes.length;
  }

  truncate(numTrees: number): void {
    if (numTrees >= this.nTrees) return;
    this.packed = null;
    this.n = this.a.roots[numTrees];
    let cat = 0;
    for (let i = 0; i < this.n; i++) if (this.a.catOffset[i] >= 0) cat = this.a.catOffset[i] + 8;
    this.nCat = cat;
    this.nTrees = numTrees;
  }

  /** Trimmed copies of the arrays. */
  arrays(): TreeEnsembleArrays {
    const a = this.a;
    return {
      feature: a.feature.slice(0, this.n),
      threshold: a.threshold.slice(0, this.n),
      left: a.left.slice(0, this.n),
      defaultLeft: a.defaultLeft.slice(0, this.n),
      catOffset: a.catOffset.slice(0, this.n),
      value: a.value.slice(0, this.n),
      cover: a.cover.slice(0, this.n),
      gain: a.gain.slice(0, this.n),
      catBits: a.catBits.slice(0, this.nCat),
      roots: a.roots.slice(0, this.nTrees),
      treeOutput: a.treeOutput.slice(0, this.nTrees),
    };
  }

  static fromArrays(
    numFeatures: number,
    featureNumBins: Int32Array,
    categorical: Uint8Array,
    outputWidth: number,
    baseScore: Float64Array,
    arrays: TreeEnsembleArrays,
  ): TreeEnsemble {
    const e = new TreeEnsemble(numFeatures, featureNumBins, categorical, outputWidth, baseScore);
    e.a = arrays;
    e.n = arrays.feature.length;
    e.nCat = arrays.catBits.length;
    e.nTrees = arrays.roots.length;
    return e;
  }

  private reserve(nodes: number, cats: number, trees: number): void {
    const a = this.a;
    if (nodes <= a.feature.length && cats <= a.catBits.length && trees <= a.roots.length) return;
    const grown = emptyArrays(Math.max(nodes, a.feature.length * 2), Math.max(cats, a.catBits.length * 2), Math.max(trees, a.roots.length * 2));
    for (const k of Object.keys(a) as (keyof TreeEnsembleArrays)[]) (grown[k] as Int32Array).set(a[k] as Int32Array);
    this.a = grown;
  }

  /**
   * Raw margins for row-major `x` (N × numFeatures, NaN = missing) into `out` (N × outputWidth),
   * starting from the base score, trees [0, numTrees) added in order in float64.
   */
  predictRaw(x: Float32Array, numRows: number, out: Float64Array, numTrees = this.nTrees): Float64Array {
    const K = this.outputWidth;
    for (let i = 0; i < numRows; i++) for (let k = 0; k < K; k++) out[i * K + k] = this.baseScore[k];
    this.addTrees(x, numRows, out, 0, numTrees);
    return out;
  }

  /** Packed nodes for the numeric-only path (built on first use, dropped when trees change). */
  private packed: { i: Int32Array; f: Float32Array; trees: number } | null = null;

  /**
   * Nodes packed 4 × 32 bits each in one buffer — [feature, threshold (float32; the value at a
   * leaf), left, 1 − defaultLeft] — so one walk step touches one cache line instead of four arrays.
   */
  private packedNodes(): { i: Int32Array; f: Float32Array } {
    if (this.packed && this.packed.trees === this.nTrees) return this.packed;
    const buf = new ArrayBuffer(this.n * 16);
    const i32 = new Int32Array(buf);
    const f32 = new Float32Array(buf);
    const a = this.a;
    for (let n = 0; n < this.n; n++) {
      const b = n << 2;
      i32[b] = a.feature[n];
      f32[b + 1] = a.feature[n] < 0 ? a.value[n] : a.threshold[n];
      i32[b + 2] = a.left[n];
      i32[b + 3] = 1 - a.defaultLeft[n];
    }
    this.packed = { i: i32, f: f32, trees: this.nTrees };
    return this.packed;
  }

  /** out += trees [from, to) for every row. */
  addTrees(x: Float32Array, numRows: number, out: Float64Array, from: number, to: number): void {
    if (this.nCat === 0) return this.addNumericTrees(x, numRows, out, from, to);
    const { feature, threshold, left, defaultLeft, catOffset, value, catBits, roots, treeOutput } = this.a;
    const F = this.numFeatures;
    const K = this.outputWidth;
    const nb = this.featureNumBins;
    const BLOCK = 128;
    for (let r0 = 0; r0 < numRows; r0 += BLOCK) {
      const r1 = Math.min(numRows, r0 + BLOCK);
      for (let t = from; t < to; t++) {
        const root = roots[t];
        const col = treeOutput[t];
        for (let i = r0; i < r1; i++) {
          const rowBase = i * F;
          let n = root;
          let f = feature[n];
          while (f >= 0) {
            const v = x[rowBase + f];
            const co = catOffset[n];
            let goRight: number;
            if (co < 0) {
              goRight = v <= threshold[n] ? 0 : v !== v ? 1 - defaultLeft[n] : 1;
            } else if (v !== v || v < 0) {
              goRight = 1 - defaultLeft[n];
            } else {
              const last = nb[f] - 1;
              const b = 1 + (v < last ? Math.floor(v) : last);
              goRight = (catBits[co + (b >>> 5)] >>> (b & 31)) & 1 ? 0 : 1;
            }
            n = left[n] + goRight;
            f = feature[n];
          }
          out[i * K + col] += value[n];
        }
      }
    }
  }

  /** addTrees for ensembles without categorical splits: the packed nodes, one branch-light walk. */
  private addNumericTrees(x: Float32Array, numRows: number, out: Float64Array, from: number, to: number): void {
    const { i: node, f: val } = this.packedNodes();
    const roots = this.a.roots;
    const treeOutput = this.a.treeOutput;
    const F = this.numFeatures;
    const K = this.outputWidth;
    const BLOCK = 64;
    for (let r0 = 0; r0 < numRows; r0 += BLOCK) {
      const r1 = Math.min(numRows, r0 + BLOCK);
      for (let t = from; t < to; t++) {
        const root = roots[t] << 2;
        const col = treeOutput[t];
        for (let i = r0; i < r1; i++) {
          const rowBase = i * F;
          let b = root;
          let f = node[b];
          while (f >= 0) {
            const v = x[rowBase + f];
            b = (node[b + 2] + (v <= val[b + 1] ? 0 : v !== v ? node[b + 3] : 1)) << 2;
            f = node[b];
          }
          out[i * K + col] += val[b + 1];
        }
      }
    }
  }

  /** Leaf index reached by each row in tree t (TreeSHAP, tests). */
  leafOf(x: Float32Array, row: number, t: number): number {
    const { feature, threshold, left, defaultLeft, catOffset, catBits, roots } = this.a;
    let n = roots[t];
    while (feature[n] >= 0) n = left[n] + (this.goesRight(n, x[row * this.numFeatures + feature[n]], feature, threshold, defaultLeft, catOffset, catBits) ? 1 : 0);
    return n;
  }

  /** Whether value v goes right at inner node n. */
  goesRight(
    n: number,
    v: number,
    feature = this.a.feature,
    threshold = this.a.threshold,
    defaultLeft = this.a.defaultLeft,
    catOffset = this.a.catOffset,
    catBits = this.a.catBits,
  ): boolean {
    const co = catOffset[n];
    if (co < 0) return v <= threshold[n] ? false : v !== v ? defaultLeft[n] === 0 : true;
    if (v !== v || v < 0) return defaultLeft[n] === 0;
    const last = this.featureNumBins[feature[n]] - 1;
    const b = 1 + (v < last ? Math.floor(v) : last);
    return ((catBits[co + (b >>> 5)] >>> (b & 31)) & 1) === 0;
  }
}

function emptyArrays(nodes: number, cats: number, trees: number): TreeEnsembleArrays {
  return {
    feature: new Int32Array(nodes),
    threshold: new Float32Array(nodes),
    left: new Int32Array(nodes),
    defaultLeft: new Uint8Array(nodes),
    catOffset: new Int32Array(nodes),
    value: new Float32Array(nodes),
    cover: new Float32Array(nodes),
    gain: new Float32Array(nodes),
    catBits: new Uint32Array(cats),
    roots: new Int32Array(trees),
    treeOutput: new Int32Array(trees),
  };
}
