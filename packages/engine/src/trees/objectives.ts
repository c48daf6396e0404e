// Boosting objectives: the starting margin, per-row gradients and hessians of the loss in the margin,
// and the metric early stopping watches. Formulas follow XGBoost (binary:logistic, multi:softprob,
// reg:squarederror, reg:absoluteerror with leaf refit to the median residual, rank:ndcg LambdaMART);
// Huber is LightGBM's (clipped gradient, unit hessian).

export type GbdtObjectiveName = 'binary' | 'multiclass' | 'regression_l2' | 'regression_l1' | 'huber' | 'lambdarank';

export interface ObjectiveData {
  numRows: number;
  /** binary: 0/1; multiclass: class ids; regression: values; ranking: relevance ≥ 0. */
  labels: Float32Array | Int32Array;
  /** Ranking: query-group id per row. */
  groups?: Int32Array;
}

export interface Objective {
  readonly name: GbdtObjectiveName;
  /** Margin columns (trees per round). */
  readonly outputWidth: number;
  /** Metric name and direction for early stopping. */
  readonly metric: string;
  readonly higherIsBetter: boolean;
  baseScore(d: ObjectiveData): Float64Array;
  /** grad[k][i], hess[k][i] for every row, from margins (N × outputWidth). */
  gradients(d: ObjectiveData, margins: Float64Array, grad: Float64Array[], hess: Float64Array[]): void;
  evaluate(d: ObjectiveData, margins: Float64Array): number;
  /** Leaf value from the leaf's rows (before shrinkage), when the objective refits leaves. */
  refit?(d: ObjectiveData, margins: Float64Array, rows: Int32Array, start: number, end: number): number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function median(v: Float64Array): number {
  if (v.length === 0) return 0;
  v.sort();
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function createObjective(name: GbdtObjectiveName, opts: { numClasses?: number; huberDelta?: number; ndcgAt?: number } = {}): Objective {
  switch (name) {
    case 'binary':
      return {
        name,
        outputWidth: 1,
        metric: 'log_loss',
        higherIsBetter: false,
        baseScore(d) {
          let s = 0;
          for (let i = 0; i < d.numRows; i++) s += d.labels[i];
          const p = Math.min(1 - 1e-6, Math.max(1e-6, d.numRows ? s / d.numRows : 0.5));
          return Float64Array.of(Math.log(p / (1 - p)));
        },
        gradients(d, m, grad, hess) {
          const g = grad[0];
          const h = hess[0];
          const y = d.labels;
          for (let i = 0; i < d.numRows; i++) {
            const p = sigmoid(m[i]);
            g[i] = p - y[i];
            h[i] = Math.max(p * (1 - p), 1e-16);
          }
        },
        evaluate(d, m) {
          let s = 0;
          for (let i = 0; i < d.numRows; i++) {
            const p = Math.min(1 - 1e-15, Math.max(1e-15, sigmoid(m[i])));
            s -= d.labels[i] > 0 ? Math.log(p) : Math.log(1 - p);
          }
          return s / Math.max(1, d.numRows);
        },
      };
    case 'multiclass': {
      const K = opts.numClasses ?? 0;
      if (K < 2) throw new RangeError('multiclass objective needs numClasses ≥ 2');
      const p = new Float64Array(K);
      const softmaxRow = (m: Float64Array, i: number) => {
        let mx = -Infinity;
        for (let k = 0; k < K; k++) mx = Math.max(mx, m[i * K + k]);
        let z = 0;
        for (let k = 0; k < K; k++) z += p[k] = Math.exp(m[i * K + k] - mx);
        for (let k = 0; k < K; k++) p[k] /= z;
      };
      return {
        name,
        outputWidth: K,
        metric: 'log_loss',
        higherIsBetter: false,
        baseScore: () => new Float64Array(K),
        gradients(d, m, grad, hess) {
          for (let i = 0; i < d.numRows; i++) {
            softmaxRow(m, i);
            const y = d.labels[i];
            for (let k = 0; k < K; k++) {
              grad[k][i] = p[k] - (k === y ? 1 : 0);
              hess[k][i] = Math.max(2 * p[k] * (1 - p[k]), 1e-16);
            }
          }
        },
        evaluate(d, m) {
          let s = 0;
          for (let i = 0; i < d.numRows; i++) {
            softmaxRow(m, i);
            s -= Math.log(Math.max(1e-15, p[d.labels[i]]));
          }
          return s / Math.max(1, d.numRows);
        },
      };
    }
    case 'regression_l2':
      return {
        name,
        outputWidth: 1,
        metric: 'rmse',
        higherIsBetter: false,
        baseScore(d) {
          let s = 0;
          for (let i = 0; i < d.numRows; i++) s += d.labels[i];
          return Float64Array.of(d.numRows ? s / d.numRows : 0);
        },
        gradients(d, m, grad, hess) {
          for (let i = 0; i < d.numRows; i++) {
            grad[0][i] = m[i] - d.labels[i];
            hess[0][i] = 1;
          }
        },
        evaluate(d, m) {
          let s = 0;
          for (let i = 0; i < d.numRows; i++) s += (m[i] - d.labels[i]) ** 2;
          return Math.sqrt(s / Math.max(1, d.numRows));
        },
      };
    case 'regression_l1':
      return {
        name,
        outputWidth: 1,
        metric: 'mae',
        higherIsBetter: false,
        baseScore: (d) => Float64Array.of(median(Float64Array.from(d.labels.subarray(0, d.numRows)))),
        gradients(d, m, grad, hess) {
          for (let i = 0; i < d.numRows; i++) {
            const r = m[i] - d.labels[i];
            grad[0][i] = r > 0 ? 1 : r < 0 ? -1 : 0;
            hess[0][i] = 1;
          }
        },
        evaluate(d, m) {
          let s = 0;
          for (let i = 0; i < d.numRows; i++) s += Math.abs(m[i] - d.labels[i]);
          return s / Math.max(1, d.numRows);
        },
        refit(d, m, rows, start, end) {
          const r = new Float64Array(end - start);
          for (let i = start; i < end; i++) r[i - start] = d.labels[rows[i]] - m[rows[i]];
          return median(r);
        },
      };
    case 'huber': {
      const delta = opts.huberDelta ?? 1;
      return {
        name,
        outputWidth: 1,
        metric: 'huber',
        higherIsBetter: false,
        baseScore: (d) => Float64Array.of(median(Float64Array.from(d.labels.subarray(0, d.numRows)))),
        gradients(d, m, grad, hess) {
          for (let i = 0; i < d.numRows; i++) {
            const r = m[i] - d.labels[i];
            grad[0][i] = r > delta ? delta : r < -delta ? -delta : r;
            hess[0][i] = 1;
          }
        },
        evaluate(d, m) {
          let s = 0;
          for (let i = 0; i < d.numRows; i++) {
            const a = Math.abs(m[i] - d.labels[i]);
            s += a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
          }
          return s / Math.max(1, d.numRows);
        },
      };
    }
    case 'lambdarank':
      return lambdaRank(opts.ndcgAt ?? 0);
    default:
      throw new RangeError(`unknown GBDT objective '${String(name)}'`);
  }
}

/** Row indices per query group, in first-appearance order. */
export function queryGroups(groups: Int32Array, numRows: number): Int32Array[] {
  const byId = new Map<number, number[]>();
  for (let i = 0; i < numRows; i++) {
    let l = byId.get(groups[i]);
    if (!l) byId.set(groups[i], (l = []));
    l.push(i);
  }
  return [...byId.values()].map((l) => Int32Array.from(l));
}

const gainOf = (rel: number) => 2 ** rel - 1;
const discount = (pos: number) => 1 / Math.log2(pos + 2);

/** LambdaMART: pairwise lambdas weighted by the |ΔNDCG| of swapping the pair (exponential gain). */
function lambdaRank(at: number): Objective {
  let cache: { groups: Int32Array; list: Int32Array[] } | null = null;
  const groupsOf = (d: ObjectiveData) => {
    if (!d.groups) throw new Error('lambdarank needs query groups');
    if (!cache || cache.groups !== d.groups) cache = { groups: d.groups, list: queryGroups(d.groups, d.numRows) };
    return cache.list;
  };
  const order = (g: Int32Array, m: Float64Array) => Array.from(g).sort((a, b) => m[b] - m[a] || a - b);
  const idcg = (g: Int32Array, y: Float32Array | Int32Array, k: number) => {
    const rels = Array.from(g, (i) => y[i]).sort((a, b) => b - a);
    let s = 0;
    for (let p = 0; p < Math.min(k, rels.length); p++) s += gainOf(rels[p]) * discount(p);
    return s;
  };
  return {
    name: 'lambdarank',
    outputWidth: 1,
    metric: 'ndcg',
    higherIsBetter: true,
    baseScore: () => new Float64Array(1),
    gradients(d, m, grad, hess) {
      const g = grad[0];
      const h = hess[0];
      g.fill(0, 0, d.numRows);
      h.fill(0, 0, d.numRows);
      const y = d.labels;
      for (const grp of groupsOf(d)) {
        const n = grp.length;
        const ideal = idcg(grp, y, n);
        if (n < 2 || ideal <= 0) continue;
        const ranked = order(grp, m);
        for (let a = 0; a < n; a++) {
          for (let b = a + 1; b < n; b++) {
            let i = ranked[a];
            let j = ranked[b];
            let pi = a;
            let pj = b;
            if (y[i] === y[j]) continue;
            if (y[i] < y[j]) {
              [i, j] = [j, i];
              [pi, pj] = [pj, pi];
            }
            // i is more relevant than j.
            const delta = (Math.abs(gainOf(y[i]) - gainOf(y[j])) * Math.abs(discount(pi) - discount(pj))) / ideal;
            const rho = 1 / (1 + Math.exp(m[i] - m[j]));
            g[i] -= rho * delta;
            g[j] += rho * delta;
            const w = Math.max(rho * (1 - rho) * delta, 1e-16);
            h[i] += w;
            h[j] += w;
          }
        }
      }
      for (let i = 0; i < d.numRows; i++) if (h[i] === 0) h[i] = 1e-16;
    },
    evaluate(d, m) {
      const y = d.labels;
      let sum = 0;
      let count = 0;
      for (const grp of groupsOf(d)) {
        const k = at > 0 ? Math.min(at, grp.length) : grp.length;
        const ideal = idcg(grp, y, k);
        if (ideal <= 0) continue;
        const ranked = order(grp, m);
        let dcg = 0;
        for (let p = 0; p < k; p++) dcg += gainOf(y[ranked[p]]) * discount(p);
        sum += dcg / ideal;
        count++;
      }
      return count ? sum / count : 0;
    },
  };
}
