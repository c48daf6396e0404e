import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/database.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { NOTIFY_CHANNELS } from '@atelier/contracts';

describeEachDatabase('projects, api keys and audit repositories', ({ catalog }) => {
  it('creates, finds, lists and updates projects; names are unique', async () => {
    const c = catalog();
    const ranking = await c.projects.create({ name: 'ranking', description: 'search ranking' });
    await c.projects.create({ name: 'risk' });
    expect(ranking.displayName).toBe('ranking');
    expect((await c.projects.getByName('ranking')).id).toBe(ranking.id);
    await expect(c.projects.create({ name: 'ranking' })).rejects.toBeInstanceOf(ConflictError);
    await expect(c.projects.getByName('nope')).rejects.toBeInstanceOf(NotFoundError);
    const names = (await c.projects.list()).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['ranking', 'risk']));
    expect((await c.projects.list({ ids: [ranking.id] })).map((p) => p.name)).toEqual(['ranking']);
    expect(await c.projects.list({ ids: [] })).toEqual([]);
    const updated = await c.projects.update(ranking.id, { displayName: 'Ranking' });
    expect(updated.displayName).toBe('Ranking');
    expect(updated.description).toBe('search ranking');
  });

  it('stores only a key hash, finds by lookup id, revokes idempotently with a NOTIFY, counts admins', async () => {
    const c = catalog();
    const project = await c.projects.create({ name: 'keys-project' });
    const before = await c.apiKeys.countActiveAdmins();
    const admin = await c.apiKeys.create({ name: 'root', prefix: 'atl_aaaa', lookupId: 'aaaa', secretHash: 'h-admin', role: 'admin', projectId: null });
    const viewer = await c.apiKeys.create({ name: 'dash', prefix: 'atl_bbbb', lookupId: 'bbbb', secretHash: 'h-viewer', role: 'viewer', projectId: project.id });
    expect(await c.apiKeys.countActiveAdmins()).toBe(before + 1);
    expect(await c.apiKeys.findCredentials('bbbb')).toEqual({ key: viewer, secretHash: 'h-viewer', legacySha256: null });
    expect(await c.apiKeys.findCredentials('unknown')).toBeUndefined();
    expect((await c.apiKeys.list(project.id)).map((k) => k.id)).toEqual([viewer.id]);

    const heard: string[] = [];
    const unlisten = await c.listen(NOTIFY_CHANNELS.apiKeyRevocations, (id) => heard.push(id));
    const revoked = await c.apiKeys.revoke(viewer.id);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    const deadline = Date.now() + 5000;
    while (!heard.includes(viewer.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await unlisten();
    expect(heard).toContain(viewer.id);
    const again = await c.apiKeys.revoke(viewer.id);
    expect(again.revokedAt?.getTime()).toBe(revoked.revokedAt?.getTime());
    expect(await c.apiKeys.list(project.id)).toEqual([]);
    expect((await c.apiKeys.list(project.id, { includeRevoked: true })).length).toBe(1);
    await expect(c.apiKeys.revoke('00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(NotFoundError);
    await c.apiKeys.revoke(admin.id);
    expect(await c.apiKeys.countActiveAdmins()).toBe(before);
  });

  it('records audit entries with details and pages newest first', async () => {
    const c = catalog();
    const project = await c.projects.create({ name: 'audited' });
    for (let i = 0; i < 3; i++) {
      await c.audit.record({
        actorKeyId: null,
        projectId: project.id,
        action: 'alias.move',
        resourceType: 'model',
        resourceId: 'm1',
        details: { step: i, tags: ['a', 'b'] },
      });
    }
    const page = await c.audit.list({ projectId: project.id, limit: 2 });
    expect(page.map((e) => e.details.step)).toEqual([2, 1]);
    expect(page[0].details.tags).toEqual(['a', 'b']);
    expect(typeof page[0].id).toBe('number'); // bigserial: a number on both pg and PGlite
    const rest = await c.audit.list({ projectId: project.id, beforeId: page[1].id });
    expect(rest.map((e) => e.details.step)).toEqual([0]);
  });

  it('commits or rolls back repositories together in a transaction', async () => {
    const c = catalog();
    await expect(
      c.transaction(async (tx) => {
        const p = await tx.projects.create({ name: 'tx-rolled-back' });
        await tx.audit.record({ actorKeyId: null, projectId: p.id, action: 'create', resourceType: 'project', resourceId: p.id });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await c.projects.findByName('tx-rolled-back')).toBeUndefined();
    await c.transaction(async (tx) => {
      await tx.projects.create({ name: 'tx-committed' });
    });
    expect(await c.projects.findByName('tx-committed')).toBeDefined();
  });

  it('reports health with no pending migrations', async () => {
    const health = await catalog().health();
    expect(health).toMatchObject({ ok: true, pendingMigrations: [] });
  });
});

