// Boosting rounds: gradients from the objective → one tree per output column (grown on binned rows
// with a random row subset and column subset) → training and validation margins updated → the
// validation metric for early stopping. Resumable bit-for-bit: a GbdtCheckpoint holds the trees, the
// RNG state and the early-stopping state; margins are recomputed from the trees in the same order.
import { Random } from '../util/random.js';
import { QuantileBinner } from './binning.js';
import { buildHistogramTs, histogramSize, type HistogramKernel } from './histogram.js';
import { createObjective, type GbdtObjectiveName, type Objective, type ObjectiveData } from './objectives.js';
import { TreeBuilder, type GrowPolicy } from './tree-builder.js';
import { TreeEnsemble } from './tree-ensemble.js';
import { decodeEnsemble, encodeEnsemble } from './ensemble-codec.js';

export interface GbdtParams {
  objective: GbdtObjectiveName;
  /** Multiclass: the number of classes. */
  numClasses?: number;
  /** Boosting rounds (trees per output column). */
  numRounds: number;
  maxDepth: number;
  /** 0 = unlimited. */
  maxLeaves: number;
  growPolicy: GrowPolicy;
  learningRate: number;
  /** L2 on leaf values. */
  lambda: number;
  /** L1 on leaf values. */
  alpha: number;
  minChildWeight: number;
  /** XGBoost's gamma. */
  minSplitGain: number;
  subsample: number;
  colsampleByTree: number;
  maxBins: number;
  /** 0 = off. */
  earlyStoppingRounds: number;
  huberDelta: number;
  /** NDCG cut-off for the ranking metric (0 = whole list). */
  ndcgAt: number;
  seed: number;
}

/** XGBoost's defaults (hist), LightGBM's where XGBoost has none. */
export const GBDT_DEFAULTS: GbdtParams = {
  objective: 'binary',
  numRounds: 100,
  maxDepth: 6,
  maxLeaves: 0,
  growPolicy: 'depthwise',
  learningRate: 0.3,
  lambda: 1,
  alpha: 0,
  minChildWeight: 1,
  minSplitGain: 0,
  subsample: 1,
  colsampleByTree: 1,
  maxBins: 255,
  earlyStoppingRounds: 0,
  huberDelta: 1,
  ndcgAt: 0,
  seed: 0,
};

export interface GbdtDataset {
  numRows: number;
  /** Row-major N × numFeatures, NaN = missing (categoricals: integer ids, negative = missing). */
  values: Float32Array;
  labels: Float32Array | Int32Array;
  /** Ranking: query-group id per row. */
  groups?: Int32Array;
}

export interface GbdtInput {
  numFeatures: number;
  categorical: readonly boolean[];
  train: GbdtDataset;
  validation?: GbdtDataset;
  params: Partial<GbdtParams>;
  /** Histogram kernel (default: the TypeScript one). */
  kernel?: HistogramKernel;
}

export interface RoundLog {
  /** 0-based round. */
  round: number;
  train: number;
  validation?: number;
  durationMs: number;
}

export interface GbdtCheckpoint {
  rounds: number;
  rngState: number[];
  earlyStopping: { best: number | null; bestRound: number; wait: number };
  history: RoundLog[];
  /** The ensemble as float32 tensors (ensemble-codec.ts). */
  trees: Record<string, Float32Array>;
}

export class GbdtTrainer {
  readonly params: GbdtParams;
  readonly objective: Objective;
  readonly binner: QuantileBinner;
  readonly ensemble: TreeEnsemble;
  rounds = 0;
  stopped = false;
  readonly history: RoundLog[] = [];
  private best: number | null = null;
  private bestRound = -1;
  private wait = 0;
  private readonly rng: Random;
  private readonly bins: Uint8Array;
  private readonly trainData: ObjectiveData;
  private readonly valData?: ObjectiveData;
  private readonly margins: Float64Array;
  private readonly valMargins?: Float64Array;
  private readonly grad: Float64Array[];
  private readonly hess: Float64Array[];
  private readonly builder: TreeBuilder;
  private readonly rows: Int32Array;
  private readonly inBag: Int32Array;

  constructor(
    private readonly input: GbdtInput,
    resume?: GbdtCheckpoint,
  ) {
    const p = (this.params = { ...GBDT_DEFAULTS, ...input.params });
    validateParams(p);
    const { train, numFeatures: F } = input;
    const N = train.numRows;
    this.objective = createObjective(p.objective, { numClasses: p.numClasses, huberDelta: p.huberDelta, ndcgAt: p.ndcgAt });
    const K = this.objective.outputWidth;
    this.binner = QuantileBinner.fit(train.values, N, F, input.categorical, p.maxBins);
    this.bins = this.binner.transform(train.values, N);
    this.trainData = { numRows: N, labels: train.labels, ...(train.groups && { groups: train.groups }) };
    const v = input.validation;
    if (v && v.numRows > 0) this.valData = { numRows: v.numRows, labels: v.labels, ...(v.groups && { groups: v.groups }) };
    const numBins = Int32Array.from(this.binner.features, (f) => f.numBins);
    const cat = Uint8Array.from(input.categorical, (c) => (c ? 1 : 0));
    const base = this.objective.baseScore(this.trainData).map(Math.fround);
    this.ensemble = resume ? decodeEnsemble(resume.trees) : new TreeEnsemble(F, numBins, cat, K, base);
    this.rng = new Random(p.seed);
    if (resume) {
      this.rounds = resume.rounds;
      this.rng.setState(resume.rngState);
      this.best = resume.earlyStopping.best;
      this.bestRound = resume.earlyStopping.bestRound;
      this.wait = resume.earlyStopping.wait;
      this.history.push(...resume.history);
      this.stopped = p.earlyStoppingRounds > 0 && this.wait >= p.earlyStoppingRounds;
    }
    this.margins = this.ensemble.predictRaw(train.values, N, new Float64Array(N * K));
    if (this.valData) this.valMargins = this.ensemble.predictRaw(v!.values, v!.numRows, new Float64Array(v!.numRows * K));
    this.grad = Array.from({ length: K }, () => new Float64Array(N));
    this.hess = Array.from({ length: K }, () => new Float64Array(N));
    this.builder = new TreeBuilder(input.kernel ?? buildHistogramTs, histogramSize(F));
    this.rows = new Int32Array(N);
    this.inBag = new Int32Array(N);
  }

  get done(): boolean {
    return this.stopped || this.rounds >= this.params.numRounds;
  }

  /** Validation margins after the rounds so far (N × outputWidth), when there is a validation set. */
  get validationMargins(): Float64Array | undefined {
    return this.valMargins;
  }

  /** The round (0-based) with the best validation metric so far; −1 without validation. */
  get bestIteration(): number {
    return this.bestRound;
  }

  /** One boosting round; returns its log. */
  step(): RoundLog {
    const t0 = performance.now();
    const p = this.params;
    const K = this.objective.outputWidth;
    const N = this.input.train.numRows;
    const F = this.input.numFeatures;
    this.objective.gradients(this.trainData, this.margins, this.grad, this.hess);
    // Row subsample (Bernoulli per row) and column subsample, drawn in a fixed order from the RNG.
    let m = 0;
    if (p.subsample < 1) {
      for (let i = 0; i < N; i++) if (this.rng.next() < p.subsample) this.inBag[m++] = i;
    } else for (; m < N; m++) this.inBag[m] = m;
    const features = this.sampleColumns(F);
    const firstTree = this.ensemble.numTrees;
    for (let k = 0; k < K; k++) {
      this.rows.set(this.inBag.subarray(0, m));
      const refit = this.objective.refit
        ? (rows: Int32Array, s: number, e: number) => this.objective.refit!(this.trainData, this.margins, rows, s, e)
        : undefined;
      const tree = this.builder.grow({ bins: this.bins, numFeatures: F, featureBins: this.binner.features, grad: this.grad[k], hess: this.hess[k] }, this.rows, m, features, p, refit);
      this.ensemble.append(tree.nodes, k);
      if (m === N) {
        for (const leaf of tree.leaves) {
          const v = tree.nodes[leaf.node].value;
          for (let i = leaf.start; i < leaf.end; i++) this.margins[this.rows[i] * K + k] += v;
        }
      }
    }
    if (m < N) this.ensemble.addTrees(this.input.train.values, N, this.margins, firstTree, this.ensemble.numTrees);
    if (this.valMargins) this.ensemble.addTrees(this.input.validation!.values, this.input.validation!.numRows, this.valMargins, firstTree, this.ensemble.numTrees);
    const log: RoundLog = { round: this.rounds, train: this.objective.evaluate(this.trainData, this.margins), durationMs: 0 };
    if (this.valData) {
      const v = this.objective.evaluate(this.valData, this.valMargins!);
      log.validation = v;
      const improved = this.best === null || (this.objective.higherIsBetter ? v > this.best : v < this.best);
      if (improved) {
        this.best = v;
        this.bestRound = this.rounds;
        this.wait = 0;
      } else this.wait++;
      if (p.earlyStoppingRounds > 0 && this.wait >= p.earlyStoppingRounds) this.stopped = true;
    }
    this.rounds++;
    log.durationMs = performance.now() - t0;
    this.history.push(log);
    return log;
  }

  /** Train to the end (or early stop); the ensemble keeps the best round's trees when early stopping. */
  fit(onRound?: (log: RoundLog) => void): TreeEnsemble {
    while (!this.done) {
      const log = this.step();
      onRound?.(log);
    }
    return this.finish();
  }

  /** The final ensemble: truncated to the best round when early stopping ran on a validation split. */
  finish(): TreeEnsemble {
    if (this.params.earlyStoppingRounds > 0 && this.bestRound >= 0) this.ensemble.truncate((this.bestRound + 1) * this.objective.outputWidth);
    return this.ensemble;
  }

  checkpoint(): GbdtCheckpoint {
    return {
      rounds: this.rounds,
      rngState: this.rng.getState(),
      earlyStopping: { best: this.best, bestRound: this.bestRound, wait: this.wait },
      history: this.history.map((h) => ({ ...h })),
      trees: encodeEnsemble(this.ensemble),
    };
  }

  private sampleColumns(F: number): Int32Array {
    const all = new Int32Array(F);
    for (let f = 0; f < F; f++) all[f] = f;
    if (this.params.colsampleByTree >= 1) return all;
    const k = Math.max(1, Math.floor(F * this.params.colsampleByTree));
    for (let i = 0; i < k; i++) {
      const j = i + this.rng.nextInt(F - i);
      const t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return all.slice(0, k).sort();
  }
}

/** Parameter problems as {field, message}; trainGbdt throws a RangeError naming them all. */
export function gbdtParamProblems(p: GbdtParams): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const check = (field: keyof GbdtParams, ok: boolean, message: string) => {
    if (!ok) out.push({ field, message });
  };
  const int = (v: number) => Number.isInteger(v);
  check('numRounds', int(p.numRounds) && p.numRounds >= 1, 'must be an integer ≥ 1');
  check('maxDepth', int(p.maxDepth) && p.maxDepth >= 0 && p.maxDepth <= 30, 'must be an integer in [0, 30] (0 = unlimited, leaf-wise only)');
  check('maxLeaves', int(p.maxLeaves) && p.maxLeaves >= 0, 'must be an integer ≥ 0 (0 = unlimited)');
  check('maxDepth', !(p.maxDepth === 0 && p.maxLeaves === 0), 'maxDepth 0 needs maxLeaves > 0');
  check('learningRate', p.learningRate > 0 && p.learningRate <= 1, 'must be in (0, 1]');
  check('lambda', p.lambda >= 0, 'must be ≥ 0');
  check('alpha', p.alpha >= 0, 'must be ≥ 0');
  check('minChildWeight', p.minChildWeight >= 0, 'must be ≥ 0');
  check('minSplitGain', p.minSplitGain >= 0, 'must be ≥ 0');
  check('subsample', p.subsample > 0 && p.subsample <= 1, 'must be in (0, 1]');
  check('colsampleByTree', p.colsampleByTree > 0 && p.colsampleByTree <= 1, 'must be in (0, 1]');
  check('maxBins', int(p.maxBins) && p.maxBins >= 2 && p.maxBins <= 255, 'must be an integer in [2, 255]');
  check('earlyStoppingRounds', int(p.earlyStoppingRounds) && p.earlyStoppingRounds >= 0, 'must be an integer ≥ 0');
  check('huberDelta', p.huberDelta > 0, 'must be > 0');
  return out;
}

function validateParams(p: GbdtParams): void {
  const problems = gbdtParamProblems(p);
  if (problems.length) throw new RangeError(`invalid GBDT parameters: ${problems.map((x) => `${x.field} ${x.message}`).join('; ')}`);
}

/** Train to completion (tests, benchmarks): the final ensemble and the trainer. */
export function trainGbdt(input: GbdtInput): { ensemble: TreeEnsemble; trainer: GbdtTrainer } {
  const trainer = new GbdtTrainer(input);
  return { ensemble: trainer.fit(), trainer };
}
