import { beforeEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDatabase } from '../../../../test/database.js';

describeEachDatabase('tuning jobs repository', ({ catalog }) => {
  let projectId: string;
  let n = 0;
  beforeEach(async () => {
    const c = catalog();
    // Studies are claimed globally: settle what earlier tests left.
    await c.db.updateTable('tuning_jobs').set({ status: 'cancelled' }).where('status', 'in', ['queued', 'running']).execute();
    projectId = (await c.projects.create({ name: `tune-${++n}` })).id;
  });

  const study = () => catalog().tuningJobs.create({ projectId, modelName: 'm', spec: { maxTrials: 3 } });
  const trial = (tuningJobId: string, index: number, params: Record<string, unknown> = { '/x': index }) => ({
    tuningJobId,
    projectId,
    modelName: 'm',
    index,
    params,
    spec: { type: 'train', modelName: 'm' },
    device: 'cpu' as const,
  });

  it('creates a trial index once: a second proposal of it returns the stored trial untouched', async () => {
    const c = catalog();
    const s = await study();
    const first = await c.tuningJobs.createTrial(trial(s.id, 0, { '/x': 1 }));
    expect(first.created).toBe(true);
    expect(first.trial).toMatchObject({ tuningJobId: s.id, trialIndex: 0, trialParams: { '/x': 1 }, trialRung: -1, trialStop: null, status: 'queued' });
    const again = await c.tuningJobs.createTrial(trial(s.id, 0, { '/x': 2 }));
    expect(again).toEqual({ trial: first.trial, created: false });
    // Racing controllers proposing the same indices: each index exists once.
    await Promise.all([1, 1, 2, 2, 1].map((i) => c.tuningJobs.createTrial(trial(s.id, i))));
    expect((await c.tuningJobs.trials(s.id)).map((t) => t.trialIndex)).toEqual([0, 1, 2]);
  });

  it('leases a study to one controller; an expired lease is reclaimed and the old owner has lost it', async () => {
    const c = catalog();
    const s = await study();
    const claims = await Promise.all(['a', 'b', 'c'].map((w) => c.tuningJobs.claimNext(w, 60_000)));
    const won = claims.filter((x) => x?.id === s.id);
    expect(won).toHaveLength(1);
    const owner = won[0]!.leaseOwner!;
    expect(await c.tuningJobs.renewLease(s.id, owner, 60_000)).toBe(true);
    expect(await c.tuningJobs.renewLease(s.id, 'someone-else', 60_000)).toBe(false);
    // The owner dies: its lease expires, another controller resumes the study (attempt 2).
    await c.db.updateTable('tuning_jobs').set({ lease_expires_at: sql`now() - interval '1 second'` }).where('id', '=', s.id).execute();
    const resumed = await c.tuningJobs.claimNext('rescuer', 60_000);
    expect(resumed).toMatchObject({ id: s.id, leaseOwner: 'rescuer', attempts: 2, status: 'running' });
    expect(await c.tuningJobs.renewLease(s.id, owner, 60_000)).toBe(false);
    expect(await c.tuningJobs.finish(s.id, owner, { status: 'succeeded' })).toBeUndefined();
    expect(await c.tuningJobs.recordBest(s.id, 'rescuer', 1, 0.9)).toBe(true);
    expect(await c.tuningJobs.finish(s.id, 'rescuer', { status: 'succeeded' })).toMatchObject({ status: 'succeeded', bestTrialIndex: 1, bestObjective: 0.9 });
  });

  it('cancels a queued study at once; a running one keeps running with the request noted', async () => {
    const c = catalog();
    const queued = await study();
    expect(await c.tuningJobs.requestCancel(queued.id)).toMatchObject({ status: 'cancelled', cancelRequestedAt: expect.any(Date) });
    const running = await study();
    await c.tuningJobs.claimNext('w', 60_000);
    expect(await c.tuningJobs.requestCancel(running.id)).toMatchObject({ status: 'running', cancelRequestedAt: expect.any(Date) });
  });

  it('keeps a trial bundle referenced while its study is unfinished, and counts ASHA-stopped trials as stopped', async () => {
    const c = catalog();
    const s = await study();
    const { trial: t } = await c.tuningJobs.createTrial(trial(s.id, 0));
    await c.trainingJobs.updateMetrics(t.id, { trialBundle: { key: 'models/p/m/sha256/abc.atlbndl' } });
    expect(await c.artifactReferences.referenced(['models/p/m/sha256/abc.atlbndl', 'models/p/m/sha256/zzz.atlbndl'])).toEqual(new Set(['models/p/m/sha256/abc.atlbndl']));
    await c.tuningJobs.recordTrialStop(t.id, { rung: 0, epoch: 2 });
    await c.tuningJobs.recordTrialRung(t.id, 1);
    await c.tuningJobs.recordTrialRung(t.id, 0);
    expect((await c.trainingJobs.get(t.id)).trialRung).toBe(1);
    await c.trainingJobs.requestCancel(t.id);
    expect((await c.tuningJobs.trialCountsByState()).stopped).toBeGreaterThanOrEqual(1);
    await c.tuningJobs.requestCancel(s.id);
    expect((await c.artifactReferences.referenced(['models/p/m/sha256/abc.atlbndl'])).size).toBe(0);
  });

  it('replays events after an id, by type', async () => {
    const c = catalog();
    const s = await study();
    const a = await c.tuningJobs.appendEvent(s.id, 'state', { status: 'queued' });
    await c.tuningJobs.appendEvent(s.id, 'trial', { trial: 0, state: 'queued' });
    await c.tuningJobs.appendEvent(s.id, 'best', { trial: 0, objective: 1 });
    expect((await c.tuningJobs.listEvents(s.id, { afterId: a.id })).map((e) => e.type)).toEqual(['trial', 'best']);
    expect((await c.tuningJobs.listEvents(s.id, { type: 'trial' })).map((e) => e.payload)).toEqual([{ trial: 0, state: 'queued' }]);
  });
});
