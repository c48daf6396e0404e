// API keys over HTTP on a real database: what is stored at rest (no character of the secret, a salted
// slow hash), keys that would be expired at creation, and the one Authorization header grammar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../../test/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
  const res = await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'keys-at-rest' } });
  expect(res.statusCode).toBe(201);
});
afterAll(async () => gw?.close());

const json = (res: { body: string }) => JSON.parse(res.body);

async function createKey(payload: Record<string, unknown>) {
  return gw.app.inject({ method: 'POST', url: '/v1/projects/keys-at-rest/api-keys', headers: gw.adminAuth, payload });
}

describe('API keys at rest', () => {
  it('gives a key a public lookup id and stores no character of its secret, only a salted scrypt hash', async () => {
    const created = json(await createKey({ name: 'ci', role: 'editor' }));
    const [, lookupId, secretPart] = /^atl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(created.secret) ?? [];
    expect(secretPart).toBeDefined();
    expect(created.key.prefix).toBe(`atl_${lookupId}`);

    const row = await gw.catalog.db.selectFrom('api_keys').selectAll().where('id', '=', created.key.id).executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    // no run of 4 secret characters appears anywhere in the row
    for (let i = 0; i + 4 <= secretPart.length; i++) expect(stored).not.toContain(secretPart.slice(i, i + 4));
    expect(row.lookup_id).toBe(lookupId);
    expect(row.key_hash).toBeNull();
    expect(row.secret_hash).toMatch(/^scrypt\$14\$8\$1\$[\w-]{22}\$[\w-]{43}$/);

    // two keys never share a salt, and the key works
    const other = json(await createKey({ name: 'ci-2', role: 'editor' }));
    const otherRow = await gw.catalog.db.selectFrom('api_keys').select('secret_hash').where('id', '=', other.key.id).executeTakeFirstOrThrow();
    expect(otherRow.secret_hash!.split('$')[4]).not.toBe(row.secret_hash!.split('$')[4]);
    const res = await gw.app.inject({ url: '/v1/projects/keys-at-rest', headers: { authorization: `Bearer ${created.secret}` } });
    expect(res.statusCode).toBe(200);

    // the right lookup id with a wrong secret is refused
    const forged = `atl_${lookupId}_${'A'.repeat(43)}`;
    const refused = await gw.app.inject({ url: '/v1/projects/keys-at-rest', headers: { authorization: `Bearer ${forged}` } });
    expect(refused.statusCode).toBe(401);
    expect(json(refused).code).toBe('ATL_UNAUTHENTICATED');
  });

  it('refuses a key that would be expired at creation, naming /body/expiresAt, and accepts a future one', async () => {
    const past = await createKey({ name: 'late', role: 'viewer', expiresAt: new Date(Date.now() - 60_000).toISOString() });
    expect(past.statusCode).toBe(400);
    expect(past.headers['content-type']).toContain('application/problem+json');
    expect(json(past).code).toBe('ATL_VALIDATION_FAILED');
    expect(json(past).errors.map((e: { field: string }) => e.field)).toEqual(['/body/expiresAt']);
    expect(json(past).detail).toContain('future');
    const listed = json(await gw.app.inject({ url: '/v1/projects/keys-at-rest/api-keys', headers: gw.adminAuth }));
    expect(listed.items.map((k: { name: string }) => k.name)).not.toContain('late');

    const future = await createKey({ name: 'soon', role: 'viewer', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.statusCode).toBe(201);
  });
});

describe('Authorization header grammar: Bearer (any case) + one or more spaces + the key', () => {
  const token = () => gw.adminAuth.authorization.slice('Bearer '.length);
  const get = (authorization: string) => gw.app.inject({ url: '/v1/projects', headers: { authorization } });

  it('accepts the scheme in any case and several spaces before the key', async () => {
    for (const authorization of [`Bearer ${token()}`, `bearer ${token()}`, `BEARER ${token()}`, `BeArEr    ${token()}`]) {
      expect((await get(authorization)).statusCode, authorization).toBe(200);
    }
  });

  it('refuses every other shape with a 401 problem+json that says what is wrong', async () => {
    const cases: [string, string][] = [
      [`Basic ${token()}`, "scheme 'Bearer'"],
      [`Token ${token()}`, "scheme 'Bearer'"],
      [`Bearer\t${token()}`, "scheme 'Bearer'"],
      [`Bearer${token()}`, "scheme 'Bearer'"],
      [token(), "scheme 'Bearer'"],
      ['Bearer ', "no API key after 'Bearer '"],
      [`Bearer ${token()} extra`, 'one token'],
      [`Bearer ${token()}\tx`, 'one token'],
      [`Bearer ${'k'.repeat(257)}`, 'at most 256'],
      ['Bearer clé-non-ascii', 'visible ASCII'],
    ];
    for (const [authorization, says] of cases) {
      const res = await get(authorization);
      expect(res.statusCode, authorization).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['www-authenticate']).toContain('Bearer');
      const body = json(res);
      expect(body.code).toBe('ATL_UNAUTHENTICATED');
      expect(body.detail, authorization).toContain(says);
      expect(res.body).not.toContain(token());
    }
  });
});
