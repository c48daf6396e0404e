/**
 * Ranking metrics per query, averaged over queries. Rows of a query are identified by a group id (rows
 * need not be contiguous); listsToGroups() converts per-query arrays.
 *
 * - NDCG@k follows scikit-learn's ndcg_score: linear gain by default, tied scores share the average
 *   gain of their tie group, and a query with no relevant item scores 0 (it is still averaged).
 * - MAP@k and recall@k use binary relevance (label > 0), rank by score descending with ties broken by
 *   row order, and skip queries without any relevant item (NaN when no query has one).
 *   AP@k = Σ_{i≤k, rel_i} precision@i / min(k, #relevant).
 */
import { checkSameLength, type Numbers } from './binary-counts.js';

export interface RankingOptions {
  /** 'linear' (rel, scikit-learn) or 'exponential' (2^rel − 1). */
  gain?: 'linear' | 'exponential';
}

/** Row indices of each query, in row order. */
export function groupRows(groups: Numbers): Int32Array[] {
  const n = groups.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const g = Float64Array.from(groups);
  order.sort((a, b) => g[a] - g[b] || a - b);
  const out: Int32Array[] = [];
  let start = 0;
  for (let r = 1; r <= n; r++) {
    if (r === n || g[order[r]] !== g[order[start]]) {
      out.push(order.slice(start, r));
      start = r;
    }
  }
  return out;
}

/** Flattens per-query arrays into (yTrue, yScore, groups). */
export function listsToGroups(trueLists: Numbers[], scoreLists: Numbers[]): { yTrue: Float64Array; yScore: Float64Array; groups: Int32Array } {
  if (trueLists.length !== scoreLists.length) throw new Error('listsToGroups: different numbers of queries');
  let n = 0;
  for (let q = 0; q < trueLists.length; q++) {
    checkSameLength(trueLists[q], scoreLists[q], `query ${q}`);
    n += trueLists[q].length;
  }
  const yTrue = new Float64Array(n);
  const yScore = new Float64Array(n);
  const groups = new Int32Array(n);
  let o = 0;
  for (let q = 0; q < trueLists.length; q++) {
    for (let i = 0; i < trueLists[q].length; i++, o++) {
      yTrue[o] = trueLists[q][i];
      yScore[o] = scoreLists[q][i];
      groups[o] = q;
    }
  }
  return { yTrue, yScore, groups };
}

/** Query rows sorted by score descending, ties by row order. */
function rankRows(rows: Int32Array, yScore: Numbers): Int32Array {
  const r = rows.slice();
  r.sort((a, b) => yScore[b] - yScore[a] || a - b);
  return r;
}

function ndcgOne(rows: Int32Array, yTrue: Numbers, yScore: Numbers, k: number, exp: boolean): number {
  const n = rows.length;
  const kk = Math.min(k, n);
  const cum = new Float64Array(n); // cumulative discount, zero beyond k
  let acc = 0;
  for (let i = 0; i < n; i++) {
    if (i < kk) acc += 1 / Math.log2(i + 2);
    cum[i] = acc;
  }
  const gain = (rel: number) => (exp ? 2 ** rel - 1 : rel);
  const ranked = rankRows(rows, yScore);
  let dcg = 0;
  let s = 0;
  while (s < n) {
    let e = s + 1;
    while (e < n && yScore[ranked[e]] === yScore[ranked[s]]) e++;
    let g = 0;
    for (let i = s; i < e; i++) g += gain(yTrue[ranked[i]]);
    dcg += (g / (e - s)) * (cum[e - 1] - (s > 0 ? cum[s - 1] : 0));
    s = e;
  }
  const ideal = Float64Array.from(rows, (i) => gain(yTrue[i])).sort().reverse();
  let idcg = 0;
  for (let i = 0; i < kk; i++) idcg += ideal[i] / Math.log2(i + 2);
  return idcg > 0 ? dcg / idcg : 0;
}

function checkInputs(yTrue: Numbers, yScore: Numbers, groups: Numbers, k: number, what: string): void {
  checkSameLength(yTrue, yScore, what);
  if (groups.length !== yTrue.length) throw new Error(`${what}: groups has ${groups.length} entries, expected ${yTrue.length}`);
  if (!(k >= 1)) throw new Error(`${what}: k must be >= 1`);
}

export function ndcgAtK(yTrue: Numbers, yScore: Numbers, groups: Numbers, k = Infinity, opts: RankingOptions = {}): number {
  checkInputs(yTrue, yScore, groups, k, 'ndcg');
  const qs = groupRows(groups);
  if (qs.length === 0) return NaN;
  let s = 0;
  for (const rows of qs) s += ndcgOne(rows, yTrue, yScore, k, opts.gain === 'exponential');
  return s / qs.length;
}

function hitsAtK(rows: Int32Array, yTrue: Numbers, yScore: Numbers, k: number): { ap: number; recall: number } | null {
  let relevant = 0;
  for (const i of rows) if (yTrue[i] > 0) relevant++;
  if (relevant === 0) return null;
  const ranked = rankRows(rows, yScore);
  const kk = Math.min(k, ranked.length);
  let hits = 0;
  let sumPrec = 0;
  for (let r = 0; r < kk; r++) {
    if (yTrue[ranked[r]] > 0) {
      hits++;
      sumPrec += hits / (r + 1);
    }
  }
  return { ap: sumPrec / Math.min(k, relevant), recall: hits / relevant };
}

function meanOver(yTrue: Numbers, yScore: Numbers, groups: Numbers, k: number, pickAp: boolean): number {
  let s = 0;
  let q = 0;
  for (const rows of groupRows(groups)) {
    const h = hitsAtK(rows, yTrue, yScore, k);
    if (!h) continue;
    s += pickAp ? h.ap : h.recall;
    q++;
  }
  return q > 0 ? s / q : NaN;
}

export function mapAtK(yTrue: Numbers, yScore: Numbers, groups: Numbers, k = Infinity): number {
  checkInputs(yTrue, yScore, groups, k, 'map');
  return meanOver(yTrue, yScore, groups, k, true);
}

export function recallAtK(yTrue: Numbers, yScore: Numbers, groups: Numbers, k: number): number {
  checkInputs(yTrue, yScore, groups, k, 'recall@k');
  return meanOver(yTrue, yScore, groups, k, false);
}
