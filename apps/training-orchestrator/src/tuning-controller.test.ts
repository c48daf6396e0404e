import { describe, expect, it } from 'vitest';
import type { TrainingJob, Worker } from '@atelier/catalog';
import { completionOrder, trialCurve, trialObjective, trialView, workerCapacity } from './tuning-controller.js';

const job = (over: Partial<TrainingJob>): TrainingJob =>
  ({
    id: 'j',
    status: 'running',
    metrics: {},
    trialIndex: 0,
    trialParams: {},
    trialRung: -1,
    trialStop: null,
    finishedAt: null,
    ...over,
  }) as TrainingJob;

const worker = (cores: number, concurrency: number): Worker => ({ id: 'w', hostname: 'h', capabilities: { cores, gpus: 0, concurrency }, startedAt: new Date(), lastHeartbeatAt: new Date() });

describe('tuning controller pieces', () => {
  it('reads the per-epoch curve of the objective metric, gaps as NaN', () => {
    const j = job({ metrics: { epochs: [{ epoch: 1, validation: { val_auc: 0.6 } }, { epoch: 3, validation: { val_auc: 0.7 } }] } });
    const curve = trialCurve(j, 'auc');
    expect(curve).toHaveLength(3);
    expect(curve[0]).toBe(0.6);
    expect(Number.isNaN(curve[1])).toBe(true);
    expect(curve[2]).toBe(0.7);
    expect(trialCurve(job({ metrics: { epochs: [{ epoch: 1, validation: { val_loss: 0.4 } }] } }), 'loss')).toEqual([0.4]);
  });

  it('takes the objective of a succeeded trial from validation, the holdout when there is none', () => {
    expect(trialObjective(job({ status: 'succeeded', metrics: { validation: { val_auc: 0.8 }, test: { auc: 0.7 } } }), 'auc')).toBe(0.8);
    expect(trialObjective(job({ status: 'succeeded', metrics: { validation: {}, test: { rmse: 2 } } }), 'rmse')).toBe(2);
    expect(trialObjective(job({ status: 'cancelled', metrics: { validation: { val_auc: 0.8 } } }), 'auc')).toBeNull();
  });

  it('a trial ASHA stopped reads as stopped once its job settled', () => {
    expect(trialView(job({ status: 'cancelled', trialStop: { rung: 0 } }), 'auc').state).toBe('stopped');
    expect(trialView(job({ status: 'running', trialStop: { rung: 0 } }), 'auc').state).toBe('running');
  });

  it('sizes parallelism by what the live workers can run', () => {
    expect(workerCapacity([worker(8, 2), worker(4, 4)], 1)).toBe(6);
    expect(workerCapacity([worker(8, 4)], 4)).toBe(2); // 8 cores / 4 per trial
    expect(workerCapacity([worker(2, 4)], 8)).toBe(1); // a trial wanting more cores than a worker has gets the worker
    expect(workerCapacity([], 1)).toBe(0);
  });

  it('orders completed trials by when they finished (the aging queue)', () => {
    const t = (index: number, at: number, status: TrainingJob['status'] = 'succeeded') =>
      trialView(job({ trialIndex: index, status, finishedAt: new Date(at), metrics: { validation: { val_auc: index / 10 } } }), 'auc');
    expect(completionOrder([t(0, 300), t(1, 100), t(2, 200), t(3, 50, 'failed')]).map((c) => c.index)).toEqual([1, 2, 0]);
  });
});
