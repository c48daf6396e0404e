import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway({ jsonBodyLimitBytes: 64 * 1024 });
});
afterAll(async () => gw?.close());

const json = (res: { body: string }) => JSON.parse(res.body);

async function createProject(name: string) {
  const res = await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name } });
  expect(res.statusCode).toBe(201);
  return json(res);
}

async function createKey(project: string, role: 'admin' | 'editor' | 'viewer', auth = gw.adminAuth) {
  const res = await gw.app.inject({
    method: 'POST',
    url: `/v1/projects/${project}/api-keys`,
    headers: auth,
    payload: { name: `${role} key`, role },
  });
  expect(res.statusCode).toBe(201);
  const body = json(res);
  return { ...body, auth: { authorization: `Bearer ${body.secret}` } };
}

describe('public endpoints', () => {
  it('answers /healthz and /readyz with the catalog check', async () => {
    expect(json(await gw.app.inject('/healthz'))).toEqual({ status: 'ok' });
    const ready = await gw.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(json(ready)).toMatchObject({ status: 'ready', checks: { catalog: { ok: true } } });
  });

  it('serves an OpenAPI 3.1 document with the /v1 routes and bearer auth, and Swagger UI', async () => {
    const doc = json(await gw.app.inject('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/projects', '/v1/projects/{project}', '/v1/projects/{project}/api-keys']),
    );
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
    // Bodies and views are named schemas in components, referenced from each operation.
    expect(doc.paths['/v1/projects'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ProjectBody' });
    expect(doc.components.schemas.ProjectBody.additionalProperties).toBe(false);
    const ui = await gw.app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('exposes request count and latency by route and status on /metrics', async () => {
    await gw.app.inject('/healthz');
    await gw.app.inject({ method: 'GET', url: '/v1/projects' }); // 401
    const text = (await gw.app.inject('/metrics')).body;
    expect(text).toMatch(/atelier_http_requests_total\{method="GET",route="\/healthz",status_code="200"\} \d+/);
    expect(text).toMatch(/atelier_http_requests_total\{method="GET",route="\/v1\/projects",status_code="401"\} \d+/);
    expect(text).toContain('atelier_http_request_duration_seconds_bucket');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('counts requests that matched no route under one label, whatever the URL', async () => {
    await gw.app.inject('/no/such/path-1');
    await gw.app.inject('/no/such/path-2');
    const text = (await gw.app.inject('/metrics')).body;
    expect(text).toMatch(/atelier_http_requests_total\{method="GET",route="unmatched",status_code="404"\} [2-9]/);
    expect(text).not.toContain('path-1');
  });
});

describe('access logs and request ids', () => {
  it('logs each request at info except predict/rank and probes; ids are unique and echoed', async () => {
    const lines: Array<{ msg?: string; reqId?: string; req?: { url: string } }> = [];
    const stream = { write: (line: string) => void lines.push(JSON.parse(line)) };
    const logged = await createTestGateway({ logger: { level: 'info', stream } });
    try {
      const a = await logged.app.inject({ url: '/v1/projects', headers: logged.adminAuth });
      const b = await logged.app.inject({ url: '/v1/projects', headers: logged.adminAuth });
      expect(a.headers['x-request-id']).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
      expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
      await logged.app.inject('/healthz');
      await logged.app.inject({ method: 'POST', url: '/v1/projects/p/models/m/predict', headers: logged.adminAuth, payload: {} });
      const urls = lines.filter((l) => l.msg === 'incoming request').map((l) => l.req!.url);
      expect(urls).toEqual(['/v1/projects', '/v1/projects']);
      expect(lines.filter((l) => l.msg === 'request completed').map((l) => l.reqId)).toEqual([a.headers['x-request-id'], b.headers['x-request-id']]);
    } finally {
      await logged.close();
    }
  });
});

describe('authentication and authorization', () => {
  it('tells a missing, malformed and unknown key apart from a valid one (401 problem+json)', async () => {
    const missing = await gw.app.inject('/v1/projects');
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.headers['www-authenticate']).toContain('Bearer');
    expect(json(missing).code).toBe('ATL_UNAUTHENTICATED');
    const malformed = await gw.app.inject({ url: '/v1/projects', headers: { authorization: 'Basic abc' } });
    expect(json(malformed).code).toBe('ATL_UNAUTHENTICATED');
    const unknown = await gw.app.inject({ url: '/v1/projects', headers: { authorization: `Bearer atl_${'x'.repeat(43)}` } });
    expect(unknown.statusCode).toBe(401);
    expect((await gw.app.inject({ url: '/v1/projects', headers: gw.adminAuth })).statusCode).toBe(200);
  });

  it('gives 403, not 401, to a valid key without the permission; roles follow viewer < editor < admin', async () => {
    await createProject('authz');
    await createProject('authz-other');
    const viewer = await createKey('authz', 'viewer');
    const admin = await createKey('authz', 'admin');
    expect((await gw.app.inject({ url: '/v1/projects/authz', headers: viewer.auth })).statusCode).toBe(200);
    const viewerCreatesKey = await gw.app.inject({
      method: 'POST',
      url: '/v1/projects/authz/api-keys',
      headers: viewer.auth,
      payload: { name: 'x', role: 'viewer' },
    });
    expect(viewerCreatesKey.statusCode).toBe(403);
    expect(json(viewerCreatesKey).code).toBe('ATL_FORBIDDEN');
    const otherProject = await gw.app.inject({ url: '/v1/projects/authz-other', headers: admin.auth });
    expect(otherProject.statusCode).toBe(403);
    const createProjectWithProjectKey = await gw.app.inject({
      method: 'POST',
      url: '/v1/projects',
      headers: admin.auth,
      payload: { name: 'sneaky' },
    });
    expect(createProjectWithProjectKey.statusCode).toBe(403);
    // a project key lists only its own project
    const listed = json(await gw.app.inject({ url: '/v1/projects', headers: viewer.auth }));
    expect(listed.items.map((p: { name: string }) => p.name)).toEqual(['authz']);
    // a project admin can create keys in its project
    const editor = await createKey('authz', 'editor', admin.auth);
    expect(editor.key.role).toBe('editor');
  });

  it('shows a key once, lists keys without secrets, and a revoked key stops working at once', async () => {
    await createProject('keys');
    const editor = await createKey('keys', 'editor');
    expect(editor.secret).toMatch(/^atl_/);
    expect(editor.key.prefix).toBe(editor.secret.slice(0, 20));
    const list = await gw.app.inject({ url: '/v1/projects/keys/api-keys', headers: gw.adminAuth });
    expect(list.body).not.toContain(editor.secret);
    expect(json(list).items.map((k: { id: string }) => k.id)).toContain(editor.key.id);

    expect((await gw.app.inject({ url: '/v1/projects/keys', headers: editor.auth })).statusCode).toBe(200);
    const revoke = await gw.app.inject({
      method: 'POST',
      url: `/v1/projects/keys/api-keys/${editor.key.id}/revoke`,
      headers: gw.adminAuth,
    });
    expect(revoke.statusCode).toBe(200);
    expect(json(revoke).revokedAt).toEqual(expect.any(String));
    const after = await gw.app.inject({ url: '/v1/projects/keys', headers: editor.auth });
    expect(after.statusCode).toBe(401);
    expect(json(after).code).toBe('ATL_API_KEY_REVOKED');
    const audit = await gw.catalog.audit.list({ resourceType: 'api-key', resourceId: editor.key.id });
    expect(audit.map((e) => e.action)).toEqual(['api-key.revoke', 'api-key.create']);
  });
});

describe('bad input', () => {
  it('rejects wrong types and unknown fields naming every one, and writes nothing', async () => {
    const before = json(await gw.app.inject({ url: '/v1/projects', headers: gw.adminAuth })).items.length;
    const res = await gw.app.inject({
      method: 'POST',
      url: '/v1/projects',
      headers: gw.adminAuth,
      payload: { name: 42, displayName: '', colour: 'red' },
    });
    expect(res.statusCode).toBe(400);
    const body = json(res);
    expect(body.code).toBe('ATL_VALIDATION_FAILED');
    const fields = body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['/body/name', '/body/displayName', '/body/colour']));
    expect(body.errors.find((e: { field: string }) => e.field === '/body/colour').message).toBe('is not a known field');
    const missing = json(await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: {} }));
    expect(missing.errors).toEqual([{ field: '/body/name', message: 'is required' }]);
    const badRole = json(
      await gw.app.inject({ method: 'POST', url: '/v1/projects/keys/api-keys', headers: gw.adminAuth, payload: { name: 'k', role: 'root' } }),
    );
    expect(badRole.errors[0].field).toBe('/body/role');
    expect(json(await gw.app.inject({ url: '/v1/projects', headers: gw.adminAuth })).items.length).toBe(before);
  });

  it('answers malformed JSON, oversized bodies, wrong media types and unknown routes with problem+json', async () => {
    const malformed = await gw.app.inject({
      method: 'POST',
      url: '/v1/projects',
      headers: { ...gw.adminAuth, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed).code).toBe('ATL_MALFORMED_JSON');

    const huge = await gw.app.inject({
      method: 'POST',
      url: '/v1/projects',
      headers: { ...gw.adminAuth, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'big', description: 'x'.repeat(100 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(json(huge).code).toBe('ATL_BODY_TOO_LARGE');

    const xml = await gw.app.inject({
      method: 'POST',
      url: '/v1/projects',
      headers: { ...gw.adminAuth, 'content-type': 'application/xml' },
      payload: '<project/>',
    });
    expect(xml.statusCode).toBe(415);

    const unknown = await gw.app.inject({ url: '/v1/nothing-here', headers: gw.adminAuth });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toMatchObject({ code: 'ATL_ROUTE_NOT_FOUND', status: 404 });
    expect(unknown.headers['content-type']).toContain('application/problem+json');

    const dup = await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'keys' } });
    expect(dup.statusCode).toBe(409);
    expect(json(dup).code).toBe('ATL_PROJECT_EXISTS');
    const notFound = await gw.app.inject({ url: '/v1/projects/ghost', headers: gw.adminAuth });
    expect(json(notFound).code).toBe('ATL_PROJECT_NOT_FOUND');
    // and the server is still up
    expect((await gw.app.inject('/healthz')).statusCode).toBe(200);
  });

  it('echoes a client request id and never leaks internals on a 500', async () => {
    const res = await gw.app.inject({ url: '/v1/projects', headers: { ...gw.adminAuth, 'x-request-id': 'req-123' } });
    expect(res.headers['x-request-id']).toBe('req-123');
  });
});
