import { describe, expect, it } from 'vitest';
import { applyBlessingGate } from './blessing-gate.js';

describe('applyBlessingGate', () => {
  it('minAbsolute is a floor for higher_is_better and a ceiling for lower_is_better', () => {
    const pass = applyBlessingGate({ auc: 0.81, rmse: 1.9 }, null, [
      { metric: 'auc', direction: 'higher_is_better', minAbsolute: 0.8 },
      { metric: 'rmse', direction: 'lower_is_better', minAbsolute: 2 },
    ]);
    expect(pass.verdict).toBe('no_baseline');
    expect(pass.checks.map((c) => [c.metric, c.kind, c.passed])).toEqual([
      ['auc', 'min_absolute', true],
      ['rmse', 'min_absolute', true],
    ]);

    const fail = applyBlessingGate({ auc: 0.79, rmse: 2.1 }, null, [
      { metric: 'auc', direction: 'higher_is_better', minAbsolute: 0.8 },
      { metric: 'rmse', direction: 'lower_is_better', minAbsolute: 2 },
    ]);
    expect(fail.verdict).toBe('rejected');
    expect(fail.checks.every((c) => !c.passed)).toBe(true);
    expect(fail.checks[0].reason).toMatch(/auc 0\.79 does not meet the floor 0\.8/);
    expect(fail.checks[1].reason).toMatch(/ceiling 2/);
  });

  it('maxRegression compares the absolute worsening with the baseline', () => {
    const t = [{ metric: 'auc', direction: 'higher_is_better' as const, maxRegression: 0.01 }];
    expect(applyBlessingGate({ auc: 0.795 }, { auc: 0.8 }, t).verdict).toBe('blessed');
    expect(applyBlessingGate({ auc: 0.85 }, { auc: 0.8 }, t).verdict).toBe('blessed');
    const rejected = applyBlessingGate({ auc: 0.78 }, { auc: 0.8 }, t);
    expect(rejected.verdict).toBe('rejected');
    expect(rejected.checks[0]).toMatchObject({ metric: 'auc', kind: 'max_regression', candidate: 0.78, baseline: 0.8, passed: false, limit: 0.01 });
    expect(rejected.checks[0].reason).toMatch(/0\.02 worse than the baseline 0\.8/);

    const lower = [{ metric: 'log_loss', direction: 'lower_is_better' as const, maxRegression: 0.05 }];
    expect(applyBlessingGate({ log_loss: 0.34 }, { log_loss: 0.3 }, lower).verdict).toBe('blessed');
    expect(applyBlessingGate({ log_loss: 0.36 }, { log_loss: 0.3 }, lower).verdict).toBe('rejected');
  });

  it('maxRelativeRegression compares the worsening as a fraction of the baseline', () => {
    const t = [{ metric: 'rmse', direction: 'lower_is_better' as const, maxRelativeRegression: 0.1 }];
    expect(applyBlessingGate({ rmse: 10.9 }, { rmse: 10 }, t).verdict).toBe('blessed');
    const rejected = applyBlessingGate({ rmse: 11.5 }, { rmse: 10 }, t);
    expect(rejected.verdict).toBe('rejected');
    expect(rejected.checks[0].reason).toMatch(/15 % worse than the baseline 10 \(allowed: 10 %\)/);
    // A zero baseline: any worsening is infinitely relative.
    expect(applyBlessingGate({ rmse: 0.1 }, { rmse: 0 }, t).verdict).toBe('rejected');
    expect(applyBlessingGate({ rmse: 0 }, { rmse: 0 }, t).verdict).toBe('blessed');
  });

  it('without a baseline only the absolute checks run', () => {
    const t = [{ metric: 'auc', direction: 'higher_is_better' as const, minAbsolute: 0.7, maxRegression: 0 }];
    const r = applyBlessingGate({ auc: 0.75 }, null, t);
    expect(r.verdict).toBe('no_baseline');
    expect(r.checks.map((c) => c.kind)).toEqual(['min_absolute']);
    expect(applyBlessingGate({ auc: 0.65 }, null, t).verdict).toBe('rejected');
    // With one, both run.
    expect(applyBlessingGate({ auc: 0.75 }, { auc: 0.76 }, t).checks.map((c) => [c.kind, c.passed])).toEqual([
      ['min_absolute', true],
      ['max_regression', false],
    ]);
  });

  it('a metric missing from the candidate (or the baseline, for a comparison) rejects with a reason', () => {
    const missing = applyBlessingGate({ accuracy: 0.9 }, { auc: 0.8 }, [
      { metric: 'auc', direction: 'higher_is_better', minAbsolute: 0.5, maxRegression: 0.1 },
    ]);
    expect(missing.verdict).toBe('rejected');
    expect(missing.checks).toHaveLength(2);
    for (const c of missing.checks) {
      expect(c.passed).toBe(false);
      expect(c.candidate).toBeNull();
      expect(c.reason).toBe("the candidate has no value for 'auc'");
    }
    const noBaselineValue = applyBlessingGate({ auc: 0.9 }, { accuracy: 0.8 }, [{ metric: 'auc', direction: 'higher_is_better', maxRegression: 0.1 }]);
    expect(noBaselineValue.verdict).toBe('rejected');
    expect(noBaselineValue.checks[0].reason).toMatch(/baseline has no value for 'auc'/);
    // NaN counts as missing.
    expect(applyBlessingGate({ auc: NaN }, null, [{ metric: 'auc', direction: 'higher_is_better', minAbsolute: 0.5 }]).verdict).toBe('rejected');
  });

  it('no thresholds: blessed against a baseline, no_baseline without', () => {
    expect(applyBlessingGate({ auc: 0.5 }, { auc: 0.9 }, [])).toEqual({ verdict: 'blessed', checks: [] });
    expect(applyBlessingGate({ auc: 0.5 }, null, [])).toEqual({ verdict: 'no_baseline', checks: [] });
  });

  it('refuses thresholds that set no limit or a negative allowance', () => {
    expect(() => applyBlessingGate({ auc: 1 }, null, [{ metric: 'auc', direction: 'higher_is_better' }])).toThrow(/sets none of/);
    expect(() => applyBlessingGate({ auc: 1 }, null, [{ metric: 'auc', direction: 'higher_is_better', maxRegression: -1 }])).toThrow(/>= 0/);
    expect(() => applyBlessingGate({ auc: 1 }, null, [{ metric: 'auc', direction: 'up' as never, minAbsolute: 1 }])).toThrow(/direction/);
  });
});
