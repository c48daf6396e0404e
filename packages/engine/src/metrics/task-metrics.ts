/**
 * One call per task that returns the flat metric record stored with a model version and compared by the
 * blessing gate. Names: binary → auc, pr_auc, log_loss, accuracy, precision, recall, f1, brier, ece,
 * positive_rate, count; multiclass → accuracy, log_loss, precision, recall, f1 (macro), count;
 * regression → rmse, mse, mae, r2, count; ranking → ndcg, ndcg@k, map, map@k, recall@k, count, queries.
 */
import type { Numbers } from './binary-counts.js';
import { calibrationBins } from './calibration.js';
import {
  accuracy,
  argmaxRows,
  averagePrecision,
  binaryPrecisionRecallF1,
  logLoss,
  macroPrecisionRecallF1,
  rocAuc,
  thresholdLabels,
} from './classification.js';
import { groupRows, mapAtK, ndcgAtK, recallAtK } from './ranking.js';
import { mae, mse, r2 } from './regression.js';

export type Task = 'binary' | 'multiclass' | 'regression' | 'ranking';

export interface TaskMetricOptions {
  /** binary: decision threshold for accuracy / precision / recall / F1 (p >= threshold). Default 0.5. */
  threshold?: number;
  /** multiclass: columns of the row-major probability matrix yPred (inferred from lengths if absent). */
  numClasses?: number;
  /** ranking: query id per row (required). */
  groups?: Numbers;
  /** ranking: cutoffs. Default [5, 10]. */
  ks?: number[];
  /** binary: calibration bins for ece. Default 10. */
  calibrationBins?: number;
}

export function computeTaskMetrics(task: Task, yTrue: Numbers, yPred: Numbers, opts: TaskMetricOptions = {}): Record<string, number> {
  const n = yTrue.length;
  switch (task) {
    case 'binary': {
      const hard = thresholdLabels(yPred, opts.threshold ?? 0.5);
      const prf = binaryPrecisionRecallF1(yTrue, hard);
      let brier = 0;
      let pos = 0;
      for (let i = 0; i < n; i++) {
        const y = yTrue[i] > 0 ? 1 : 0;
        brier += (yPred[i] - y) ** 2;
        pos += y;
      }
      return {
        auc: rocAuc(yTrue, yPred),
        pr_auc: averagePrecision(yTrue, yPred),
        log_loss: logLoss(yTrue, yPred),
        accuracy: accuracy(Int32Array.from(yTrue, (y) => (y > 0 ? 1 : 0)), hard),
        precision: prf.precision,
        recall: prf.recall,
        f1: prf.f1,
        brier: n > 0 ? brier / n : NaN,
        ece: calibrationBins(yTrue, yPred, opts.calibrationBins ?? 10).ece,
        positive_rate: n > 0 ? pos / n : NaN,
        count: n,
      };
    }
    case 'multiclass': {
      const k = opts.numClasses ?? (n > 0 ? yPred.length / n : 0);
      if (!Number.isInteger(k) || k < 2 || yPred.length !== n * k) {
        throw new Error(`multiclass metrics: yPred must be ${n} × numClasses probabilities (got ${yPred.length} values, numClasses ${opts.numClasses})`);
      }
      const hard = argmaxRows(yPred, k);
      const m = macroPrecisionRecallF1(yTrue, hard, k);
      return {
        accuracy: accuracy(yTrue, hard),
        log_loss: logLoss(yTrue, yPred, k),
        precision: m.precision,
        recall: m.recall,
        f1: m.f1,
        count: n,
      };
    }
    case 'regression': {
      const e = mse(yTrue, yPred);
      return { rmse: Math.sqrt(e), mse: e, mae: mae(yTrue, yPred), r2: r2(yTrue, yPred), count: n };
    }
    case 'ranking': {
      if (!opts.groups) throw new Error('ranking metrics: opts.groups (query id per row) is required');
      const g = opts.groups;
      const out: Record<string, number> = {
        ndcg: ndcgAtK(yTrue, yPred, g),
        map: mapAtK(yTrue, yPred, g),
        count: n,
        queries: groupRows(g).length,
      };
      for (const k of opts.ks ?? [5, 10]) {
        out[`ndcg@${k}`] = ndcgAtK(yTrue, yPred, g, k);
        out[`map@${k}`] = mapAtK(yTrue, yPred, g, k);
        out[`recall@${k}`] = recallAtK(yTrue, yPred, g, k);
      }
      return out;
    }
    default:
      throw new Error(`computeTaskMetrics: unknown task "${task as string}"`);
  }
}
