// Text the database cannot store (a NUL, an unpaired surrogate in a jsonb audit entry) is the
// client's to fix: 400 problem+json ATL_INVALID_VALUE, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../../test/gateway.js';

let gw: TestGateway;

beforeAll(async () => {
  gw = await createTestGateway();
});

afterAll(async () => {
  await gw?.close();
});

const send = (method: 'POST' | 'PATCH', url: string, body: string) =>
  gw.app.inject({ method, url, headers: { ...gw.adminAuth, 'content-type': 'application/json' }, payload: body });

function expectInvalidValue(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(res.body).code).toBe('ATL_INVALID_VALUE');
}

describe('projects: values the database refuses', () => {
  it('answers 400 ATL_INVALID_VALUE for a NUL in a new project and an unpaired surrogate or NUL in a change', async () => {
    expectInvalidValue(await send('POST', '/v1/projects', '{"name":"nul","displayName":"a\\u0000b"}'));
    expect((await send('POST', '/v1/projects', '{"name":"ok"}')).statusCode).toBe(201);
    expectInvalidValue(await send('PATCH', '/v1/projects/ok', '{"description":"\\ud800"}'));
    expectInvalidValue(await send('PATCH', '/v1/projects/ok', '{"description":"\\u0000"}'));
    // nothing was changed, and the project still answers
    const res = await gw.app.inject({ url: '/v1/projects/ok', headers: gw.adminAuth });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).description).toBe('');
  });
});
