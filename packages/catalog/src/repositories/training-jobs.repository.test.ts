import { setTimeout as sleep } from 'node:timers/promises';
import { beforeEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../../../test/database.js';
import { NotFoundError } from '../errors.js';
import type { Catalog } from '../catalog.js';
import type { ClaimOptions, NewTrainingJob } from './training-jobs.repository.js';

const GPU: ClaimOptions = { leaseMs: 60_000, capabilities: { gpus: 1 } };
const CPU: ClaimOptions = { leaseMs: 60_000, capabilities: { gpus: 0 } };

/** Poll `fn` until it returns something, or fail at the deadline. */
async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describeEachDatabase('training jobs repository', ({ catalog, database, kind }) => {
  let projectId: string;
  let n = 0;
  beforeEach(async () => {
    const c = catalog();
    // The queue is global: settle what earlier tests left so each test sees only its own jobs.
    await c.db
      .updateTable('training_jobs')
      .set({ status: 'cancelled' })
      .where('status', 'in', ['queued', 'running'])
      .execute();
    projectId = (await c.projects.create({ name: `jobs-${++n}` })).id;
  });

  const job = (extra: Partial<NewTrainingJob> = {}): NewTrainingJob => ({
    projectId,
    modelName: 'ctr',
    spec: { model: { kind: 'mlp', hidden: [64, 32] }, epochs: 3 },
    ...extra,
  });

  /** Create jobs one transaction apart, so created_at orders them. */
  async function createJobs(c: Catalog, count: number, extra: Partial<NewTrainingJob> = {}) {
    const jobs = [];
    for (let i = 0; i < count; i++) jobs.push(await c.trainingJobs.create(job(extra)));
    return jobs;
  }

  it('creates queued jobs and lists a project newest first, filtered by status and paged', async () => {
    const c = catalog();
    const [a, b, third] = await createJobs(c, 3);
    expect(a).toMatchObject({ status: 'queued', device: 'auto', attempts: 0, maxAttempts: 3, priority: 0, startedAt: null });
    expect(a.spec).toEqual({ model: { kind: 'mlp', hidden: [64, 32] }, epochs: 3 });
    expect((await c.trainingJobs.get(b.id)).id).toBe(b.id);
    await expect(c.trainingJobs.get('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({
      code: 'ATL_TRAINING_JOB_NOT_FOUND',
    });

    expect((await c.trainingJobs.list(projectId)).map((j) => j.id)).toEqual([third.id, b.id, a.id]);
    const page1 = await c.trainingJobs.list(projectId, { limit: 2 });
    const page2 = await c.trainingJobs.list(projectId, { limit: 2, before: page1[1].id });
    expect([...page1, ...page2].map((j) => j.id)).toEqual([third.id, b.id, a.id]);

    await c.trainingJobs.requestCancel(b.id);
    expect((await c.trainingJobs.list(projectId, { status: 'queued' })).map((j) => j.id)).toEqual([third.id, a.id]);
    expect((await c.trainingJobs.list(projectId, { status: ['cancelled', 'failed'] })).map((j) => j.id)).toEqual([b.id]);
  });

  it('never hands one job to two workers when two processes claim 20 jobs concurrently', async () => {
    const first = catalog();
    const second = kind === 'postgres' ? await database().openCatalog() : first; // a second pool
    const jobs = await createJobs(first, 20);
    const claimers = Array.from({ length: 8 }, async (_, w) => {
      const c = w % 2 ? second : first;
      const claimed: string[] = [];
      for (;;) {
        const got = await c.trainingJobs.claimNext(`worker-${w}`, GPU);
        if (!got) return claimed;
        expect(got).toMatchObject({ status: 'running', leaseOwner: `worker-${w}`, attempts: 1 });
        claimed.push(got.id);
      }
    });
    const claimed = (await Promise.all(claimers)).flat();
    expect(claimed.length).toBe(20);
    expect(new Set(claimed).size).toBe(20);
    expect(new Set(claimed)).toEqual(new Set(jobs.map((j) => j.id)));
    const rows = await first.trainingJobs.list(projectId, { limit: 50 });
    expect(rows.every((j) => j.status === 'running' && j.attempts === 1)).toBe(true);
  });

  it('claims by priority, then age; places gpu jobs on GPU workers only', async () => {
    const c = catalog();
    const [old] = await createJobs(c, 1, { device: 'cpu' });
    const [urgent] = await createJobs(c, 1, { device: 'cpu', priority: 5 });
    const [gpu] = await createJobs(c, 1, { device: 'gpu', priority: 10 });

    // A CPU worker never takes the gpu job, whatever its priority.
    expect((await c.trainingJobs.claimNext('cpu-1', CPU))?.id).toBe(urgent.id);
    expect((await c.trainingJobs.claimNext('cpu-1', CPU))?.id).toBe(old.id);
    expect(await c.trainingJobs.claimNext('cpu-1', CPU)).toBeUndefined();
    expect((await c.trainingJobs.get(gpu.id)).status).toBe('queued');
    expect((await c.trainingJobs.claimNext('gpu-1', GPU))?.id).toBe(gpu.id);
  });

  it('lets GPU workers prefer gpu/auto jobs and CPU workers prefer cpu jobs; auto runs anywhere', async () => {
    const c = catalog();
    const [cpuA] = await createJobs(c, 1, { device: 'cpu', priority: 9 });
    const [autoA] = await createJobs(c, 1, { device: 'auto' });
    expect((await c.trainingJobs.claimNext('gpu-1', GPU))?.id).toBe(autoA.id); // over a higher-priority cpu job
    expect((await c.trainingJobs.claimNext('gpu-1', GPU))?.id).toBe(cpuA.id); // then cpu work, rather than idle

    const [autoB] = await createJobs(c, 1, { device: 'auto', priority: 9 });
    const [cpuB] = await createJobs(c, 1, { device: 'cpu' });
    expect((await c.trainingJobs.claimNext('cpu-1', CPU))?.id).toBe(cpuB.id);
    expect((await c.trainingJobs.claimNext('cpu-1', CPU))?.id).toBe(autoB.id);
  });

  it('reclaims a dead worker’s job once its lease expires; the old owner has lost it', async () => {
    const c = catalog();
    const [j] = await createJobs(c, 1, { device: 'cpu' });
    const first = await c.trainingJobs.claimNext('dead', { leaseMs: 300, capabilities: { gpus: 0 } });
    expect(first?.id).toBe(j.id);
    expect(await c.trainingJobs.recordCheckpoint(j.id, 'dead', 'checkpoints/j/epoch-1', 1)).toBe(true);
    expect(await c.trainingJobs.claimNext('alive', CPU)).toBeUndefined(); // lease still valid

    const second = await eventually(() => c.trainingJobs.claimNext('alive', CPU), 'the expired lease to be reclaimed');
    expect(second).toMatchObject({ id: j.id, status: 'running', leaseOwner: 'alive', attempts: 2 });
    expect(second.startedAt?.getTime()).toBe(first!.startedAt!.getTime()); // started once
    expect(second).toMatchObject({ checkpointKey: 'checkpoints/j/epoch-1', checkpointEpoch: 1 }); // resume from here
    expect(second.leaseExpiresAt!.getTime()).toBeGreaterThan(first!.leaseExpiresAt!.getTime());

    expect(await c.trainingJobs.renewLease(j.id, 'dead', 60_000)).toBe(false);
    expect(await c.trainingJobs.recordCheckpoint(j.id, 'dead', 'checkpoints/j/epoch-2', 2)).toBe(false);
    expect(await c.trainingJobs.finish(j.id, 'dead', { status: 'succeeded' })).toBeUndefined();
    expect(await c.trainingJobs.renewLease(j.id, 'alive', 60_000)).toBe(true);
    expect((await c.trainingJobs.get(j.id)).status).toBe('running');
  });

  it('fails a job whose last allowed lease expired, with the reason and a state event', async () => {
    const c = catalog();
    const [j] = await createJobs(c, 1, { maxAttempts: 1 });
    expect((await c.trainingJobs.claimNext('dies', { leaseMs: 200, capabilities: { gpus: 1 } }))?.id).toBe(j.id);
    const failed = await eventually(async () => {
      const other = await c.trainingJobs.claimNext('other', GPU);
      expect(other).toBeUndefined(); // never run a fourth time
      const now = await c.trainingJobs.get(j.id);
      return now.status === 'failed' && now;
    }, 'the exhausted job to be failed');
    expect(failed).toMatchObject({ attempts: 1, error: 'exceeded max_attempts (1): last lease expired', leaseExpiresAt: null });
    expect(failed.finishedAt).toBeInstanceOf(Date);
    const events = await c.trainingJobs.listEvents(j.id);
    expect(events.map((e) => [e.type, e.payload])).toEqual([
      ['state', { status: 'failed', error: 'exceeded max_attempts (1): last lease expired' }],
    ]);
    expect(await c.trainingJobs.failExhausted()).toEqual([]); // settled once
  });

  it('cancels queued jobs at once and running ones through their worker', async () => {
    const c = catalog();
    const [queued, running] = await createJobs(c, 2, { device: 'cpu' });
    const cancelled = await c.trainingJobs.requestCancel(queued.id);
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(cancelled.finishedAt).toBeInstanceOf(Date);

    expect((await c.trainingJobs.claimNext('w', { leaseMs: 200, capabilities: { gpus: 0 } }))?.id).toBe(running.id);
    const asked = await c.trainingJobs.requestCancel(running.id);
    expect(asked.status).toBe('running');
    expect(asked.cancelRequestedAt).toBeInstanceOf(Date);
    expect((await c.trainingJobs.requestCancel(running.id)).cancelRequestedAt?.getTime()).toBe(asked.cancelRequestedAt!.getTime());
    const done = await c.trainingJobs.finish(running.id, 'w', { status: 'cancelled' });
    expect(done).toMatchObject({ status: 'cancelled', leaseExpiresAt: null });
    expect((await c.trainingJobs.requestCancel(running.id)).status).toBe('cancelled'); // finished: unchanged
  });

  it('settles a cancel-requested job as cancelled, not re-run, when its worker dies', async () => {
    const c = catalog();
    const [j] = await createJobs(c, 1, { device: 'cpu' });
    await c.trainingJobs.claimNext('dies', { leaseMs: 200, capabilities: { gpus: 0 } });
    await c.trainingJobs.requestCancel(j.id);
    const settled = await eventually(async () => {
      expect(await c.trainingJobs.claimNext('other', CPU)).toBeUndefined();
      const now = await c.trainingJobs.get(j.id);
      return now.status !== 'running' && now;
    }, 'the cancelled job to settle');
    expect(settled.status).toBe('cancelled');
    expect(settled.attempts).toBe(1);
  });

  it('finishes only for the lease owner, merging metrics; records waiting reasons and metrics', async () => {
    const c = catalog();
    const [j] = await createJobs(c, 1);
    await c.trainingJobs.setWaitingReason(j.id, 'no GPU worker is live');
    expect((await c.trainingJobs.get(j.id)).waitingReason).toBe('no GPU worker is live');
    await c.trainingJobs.claimNext('w', GPU);
    expect((await c.trainingJobs.get(j.id)).waitingReason).toBeNull(); // running: no longer waiting

    await c.trainingJobs.updateMetrics(j.id, { epoch: 1, loss: [0.9] });
    await c.trainingJobs.updateMetrics(j.id, { epoch: 2, loss: [0.9, 0.5] });
    expect((await c.trainingJobs.get(j.id)).metrics).toEqual({ epoch: 2, loss: [0.9, 0.5] });
    expect(await c.trainingJobs.finish(j.id, 'someone-else', { status: 'succeeded' })).toBeUndefined();

    const versionId = '11111111-1111-1111-1111-111111111111';
    const done = await c.trainingJobs.finish(j.id, 'w', { status: 'succeeded', modelVersionId: versionId, metrics: { auc: 0.81 } });
    expect(done).toMatchObject({ status: 'succeeded', modelVersionId: versionId, error: null });
    expect(done!.metrics).toEqual({ epoch: 2, loss: [0.9, 0.5], auc: 0.81 });
    expect(await c.trainingJobs.renewLease(j.id, 'w', 1000)).toBe(false); // finished jobs hold no lease
    expect(await c.trainingJobs.finish(j.id, 'w', { status: 'failed', error: 'late' })).toBeUndefined();
    await expect(c.trainingJobs.updateMetrics('00000000-0000-0000-0000-000000000000', {})).rejects.toBeInstanceOf(NotFoundError);
    await expect(c.trainingJobs.claimNext('w', { leaseMs: 0, capabilities: { gpus: 0 } })).rejects.toMatchObject({
      code: 'ATL_INVALID_ARGUMENT',
    });
  });

  it('appends events with numeric ids and replays them after a Last-Event-ID', async () => {
    const c = catalog();
    const [j] = await createJobs(c, 1);
    const state = await c.trainingJobs.appendEvent(j.id, 'state', { status: 'running' });
    const metric = await c.trainingJobs.appendEvent(j.id, 'metric', { epoch: 1, loss: 0.4 });
    const log = await c.trainingJobs.appendEvent(j.id, 'log', { level: 'info', message: 'epoch 1 done' });
    expect(typeof state.id).toBe('number');
    expect(metric.id).toBeGreaterThan(state.id);
    expect(log.id).toBeGreaterThan(metric.id);
    expect((await c.trainingJobs.listEvents(j.id)).map((e) => e.type)).toEqual(['state', 'metric', 'log']);
    const missed = await c.trainingJobs.listEvents(j.id, { afterId: state.id });
    expect(missed.map((e) => e.payload)).toEqual([{ epoch: 1, loss: 0.4 }, { level: 'info', message: 'epoch 1 done' }]);
    expect((await c.trainingJobs.listEvents(j.id, { afterId: state.id, limit: 1 })).map((e) => e.id)).toEqual([metric.id]);
  });

  it('registers workers, takes heartbeats, and lists only live ones', async () => {
    const c = catalog();
    const w = await c.trainingJobs.upsertWorker('host-a:1', 'host-a', { cores: 16, gpus: 0 });
    expect(w.capabilities).toEqual({ cores: 16, gpus: 0 });
    await c.trainingJobs.upsertWorker('host-b:1', 'host-b', { cores: 8, gpus: 1, gpuModel: 'H200' });
    const again = await c.trainingJobs.upsertWorker('host-a:1', 'host-a', { cores: 16, gpus: 2 });
    expect(again.capabilities.gpus).toBe(2);

    // host-a falls silent for two minutes.
    await c.db
      .updateTable('workers')
      .set({ last_heartbeat_at: sql`now() - interval '2 minutes'` })
      .where('id', '=', 'host-a:1')
      .execute();
    expect((await c.trainingJobs.listLiveWorkers(60_000)).map((x) => x.id)).toEqual(['host-b:1']);
    expect(await c.trainingJobs.heartbeatWorker('host-a:1')).toBe(true);
    expect((await c.trainingJobs.listLiveWorkers(60_000)).map((x) => x.id)).toEqual(['host-a:1', 'host-b:1']);
    expect(await c.trainingJobs.heartbeatWorker('unknown')).toBe(false);
  });
});
