// The audit log over HTTP on a real database: a project admin reads who changed what, newest first,
// filtered and paged; an editor is refused; another project's admin key gets nothing of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../../test/gateway.js';

let gw: TestGateway;
const json = (res: { body: string }) => JSON.parse(res.body);
let adminA: string;
let editorA: string;
let adminB: string;

async function key(project: string, name: string, role: string, auth = gw.adminAuth): Promise<string> {
  const res = await gw.app.inject({ method: 'POST', url: `/v1/projects/${project}/api-keys`, headers: auth, payload: { name, role } });
  expect(res.statusCode).toBe(201);
  return json(res).secret;
}

beforeAll(async () => {
  gw = await createTestGateway();
  for (const name of ['audit-a', 'audit-b']) {
    expect((await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name } })).statusCode).toBe(201);
  }
  adminA = await key('audit-a', 'owner-a', 'admin');
  adminB = await key('audit-b', 'owner-b', 'admin');
  // changes made by project A's own admin: two keys created, one revoked
  editorA = await key('audit-a', 'ci', 'editor', { authorization: `Bearer ${adminA}` });
  const viewer = json(await gw.app.inject({ method: 'POST', url: '/v1/projects/audit-a/api-keys', headers: { authorization: `Bearer ${adminA}` }, payload: { name: 'dash', role: 'viewer' } }));
  expect((await gw.app.inject({ method: 'POST', url: `/v1/projects/audit-a/api-keys/${viewer.key.id}/revoke`, headers: { authorization: `Bearer ${adminA}` } })).statusCode).toBe(200);
});
afterAll(async () => gw?.close());

const list = (project: string, secret: string, query = '') =>
  gw.app.inject({ url: `/v1/projects/${project}/audit-log${query}`, headers: { authorization: `Bearer ${secret}` } });

describe('audit log', () => {
  it('shows a project admin who did what, newest first, with the actor named', async () => {
    const res = await list('audit-a', adminA);
    expect(res.statusCode).toBe(200);
    const items = json(res).items as Array<{ id: number; action: string; actor: { name: string | null } | null; details: { name?: string }; at: string }>;
    expect(items.slice(0, 3).map((e) => e.action)).toEqual(['api-key.revoke', 'api-key.create', 'api-key.create']);
    expect(items[1].actor?.name).toBe('owner-a');
    expect(items[1].details.name).toBe('dash');
    expect(items.map((e) => e.id)).toEqual([...items.map((e) => e.id)].sort((a, b) => b - a));
    expect(Number.isNaN(Date.parse(items[0].at))).toBe(false);
  });

  it('filters by action and pages with before', async () => {
    const creates = json(await list('audit-a', adminA, '?action=api-key.create')).items as Array<{ id: number; action: string }>;
    expect(creates.length).toBeGreaterThanOrEqual(3);
    expect(new Set(creates.map((e) => e.action))).toEqual(new Set(['api-key.create']));
    const first = json(await list('audit-a', adminA, '?action=api-key.create&limit=1')).items;
    const second = json(await list('audit-a', adminA, `?action=api-key.create&limit=1&before=${first[0].id}`)).items;
    expect(second).toHaveLength(1);
    expect(second[0].id).toBe(creates[1].id);
    const none = json(await list('audit-a', adminA, '?resourceType=deployment')).items;
    expect(none).toEqual([]);
  });

  it('names every bad query field', async () => {
    const res = await list('audit-a', adminA, '?limit=0&before=abc');
    expect(res.statusCode).toBe(400);
    expect(json(res).errors.map((e: { field: string }) => e.field).sort()).toEqual(['/querystring/before', '/querystring/limit']);
  });

  it('refuses an editor, and gives another project\'s admin key nothing', async () => {
    expect((await list('audit-a', editorA)).statusCode).toBe(403);
    const other = await list('audit-a', adminB);
    expect([403, 404]).toContain(other.statusCode);
    expect(other.body).not.toContain('owner-a');
    // B's own log holds none of A's entries
    const own = json(await list('audit-b', adminB)).items as Array<{ details: { name?: string } }>;
    expect(own.map((e) => e.details.name)).not.toContain('ci');
    expect(own.map((e) => e.details.name)).not.toContain('dash');
  });
});
