// Learning-rate schedules as plain JSON (they travel in checkpoints and job specs).
export type Schedule =
  | { kind: 'constant' }
  | { kind: 'step'; stepSize: number; gamma: number }
  | { kind: 'exponential'; decaySteps: number; decayRate: number }
  | { kind: 'cosine'; totalSteps: number; minLr?: number };

export interface ScheduleConfig {
  schedule?: Schedule;
  /** Linear warm-up from 0 over this many steps, then the schedule (counted from the end of warm-up). */
  warmupSteps?: number;
}

/** Learning rate for 0-based optimizer step `step`. */
export function learningRateAt(baseLr: number, step: number, cfg: ScheduleConfig = {}): number {
  const warm = cfg.warmupSteps ?? 0;
  if (warm > 0 && step < warm) return (baseLr * (step + 1)) / warm;
  const t = step - warm;
  const s = cfg.schedule ?? { kind: 'constant' };
  switch (s.kind) {
    case 'constant':
      return baseLr;
    case 'step':
      return baseLr * Math.pow(s.gamma, Math.floor(t / s.stepSize));
    case 'exponential':
      return baseLr * Math.pow(s.decayRate, t / s.decaySteps);
    case 'cosine': {
      const minLr = s.minLr ?? 0;
      const p = Math.min(1, t / Math.max(1, s.totalSteps));
      return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * p));
    }
    default:
      throw new Error(`unknown schedule '${(s as { kind: string }).kind}'`);
  }
}
