/**
 * The blessing gate: does a candidate's metrics clear fixed limits, and has it not regressed against a
 * baseline (usually the model's current production version) by more than allowed? Pure compute.
 */

export type MetricDirection = 'higher_is_better' | 'lower_is_better';

export interface GateThreshold {
  metric: string;
  direction: MetricDirection;
  /** An absolute limit on the candidate: a floor (higher_is_better) or a ceiling (lower_is_better). */
  minAbsolute?: number;
  /** Allowed absolute worsening vs the baseline (e.g. 0.01 AUC). */
  maxRegression?: number;
  /** Allowed worsening vs the baseline as a fraction of |baseline| (e.g. 0.02 = 2 %). */
  maxRelativeRegression?: number;
}

export type GateCheckKind = 'min_absolute' | 'max_regression' | 'max_relative_regression';

export interface GateCheck {
  metric: string;
  kind: GateCheckKind;
  /** The limit this check applied. */
  limit: number;
  candidate: number | null;
  baseline: number | null;
  passed: boolean;
  reason: string;
}

export type GateVerdict = 'blessed' | 'rejected' | 'no_baseline';

export interface GateResult {
  /** rejected: a check failed; no_baseline: every check that could run passed but there was nothing to compare with; blessed: all passed against a baseline. */
  verdict: GateVerdict;
  checks: GateCheck[];
}

const present = (m: Record<string, number> | null, k: string): number | null => {
  if (!m || !Object.prototype.hasOwnProperty.call(m, k)) return null;
  const v = m[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

const fmt = (v: number) => String(Number(v.toPrecision(6)));

function assertThreshold(t: GateThreshold, i: number): void {
  if (typeof t.metric !== 'string' || t.metric === '') throw new Error(`blessing gate: threshold ${i} has no metric name`);
  if (t.direction !== 'higher_is_better' && t.direction !== 'lower_is_better') {
    throw new Error(`blessing gate: threshold "${t.metric}" has direction ${JSON.stringify(t.direction)}; use higher_is_better or lower_is_better`);
  }
  const limits = ['minAbsolute', 'maxRegression', 'maxRelativeRegression'] as const;
  if (limits.every((k) => t[k] === undefined)) {
    throw new Error(`blessing gate: threshold "${t.metric}" sets none of minAbsolute, maxRegression, maxRelativeRegression`);
  }
  for (const k of limits) {
    const v = t[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) throw new Error(`blessing gate: threshold "${t.metric}" ${k} must be a finite number`);
    if (v !== undefined && k !== 'minAbsolute' && v < 0) throw new Error(`blessing gate: threshold "${t.metric}" ${k} must be >= 0`);
  }
}

export function applyBlessingGate(
  candidate: Record<string, number>,
  baseline: Record<string, number> | null,
  thresholds: GateThreshold[],
): GateResult {
  thresholds.forEach(assertThreshold);
  const checks: GateCheck[] = [];
  for (const t of thresholds) {
    const higher = t.direction === 'higher_is_better';
    const c = present(candidate, t.metric);
    const b = present(baseline, t.metric);
    const missingCandidate = (kind: GateCheckKind, limit: number): GateCheck => ({
      metric: t.metric,
      kind,
      limit,
      candidate: null,
      baseline: b,
      passed: false,
      reason: `the candidate has no value for '${t.metric}'`,
    });

    if (t.minAbsolute !== undefined) {
      const limit = t.minAbsolute;
      if (c === null) checks.push(missingCandidate('min_absolute', limit));
      else {
        const passed = higher ? c >= limit : c <= limit;
        checks.push({
          metric: t.metric,
          kind: 'min_absolute',
          limit,
          candidate: c,
          baseline: b,
          passed,
          reason: `${t.metric} ${fmt(c)} ${passed ? 'meets' : 'does not meet'} the ${higher ? 'floor' : 'ceiling'} ${fmt(limit)}`,
        });
      }
    }

    for (const kind of ['max_regression', 'max_relative_regression'] as const) {
      const limit = kind === 'max_regression' ? t.maxRegression : t.maxRelativeRegression;
      if (limit === undefined || baseline === null) continue; // no baseline: absolute checks only
      if (c === null) {
        checks.push(missingCandidate(kind, limit));
        continue;
      }
      if (b === null) {
        checks.push({
          metric: t.metric,
          kind,
          limit,
          candidate: c,
          baseline: null,
          passed: false,
          reason: `the baseline has no value for '${t.metric}', so the regression cannot be measured`,
        });
        continue;
      }
      const worsening = higher ? b - c : c - b;
      // max_regression limits the absolute drop; max_relative_regression the drop as a share of the baseline.
      const relative = worsening <= 0 ? 0 : b === 0 ? Infinity : worsening / Math.abs(b);
      const absolute = kind === 'max_regression';
      const passed = absolute ? worsening <= limit : relative <= limit;
      const by = absolute ? fmt(worsening) : Number.isFinite(relative) ? `${fmt(relative * 100)} %` : 'infinitely';
      const allowed = absolute ? fmt(limit) : `${fmt(limit * 100)} %`;
      checks.push({
        metric: t.metric,
        kind,
        limit,
        candidate: c,
        baseline: b,
        passed,
        reason:
          worsening <= 0
            ? `${t.metric} ${fmt(c)} is no worse than the baseline ${fmt(b)}`
            : `${t.metric} ${fmt(c)} is ${by} worse than the baseline ${fmt(b)} (allowed: ${allowed})`,
      });
    }
  }
  const verdict: GateVerdict = checks.some((x) => !x.passed) ? 'rejected' : baseline === null ? 'no_baseline' : 'blessed';
  return { verdict, checks };
}
