// AtelierError's parts that need no server: Retry-After parsing, problem+json reading, and the SDK's
// own codes being the catalogue's (CLIENT_CODES in @atelier/contracts).
import { describe, expect, it } from 'vitest';
import { CLIENT_CODES } from '@atelier/contracts';
import { CLIENT_ERROR_CODES, errorFromResponse, parseRetryAfter } from './atelier-error.js';

describe('AtelierError', () => {
  it('uses exactly the client codes the contracts catalogue', () => {
    expect(Object.values(CLIENT_ERROR_CODES).sort()).toEqual([...CLIENT_CODES].sort());
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('keeps what a non-problem answer says, under HTTP_<status>', () => {
    const err = errorFromResponse(new Response('<h1>Bad gateway</h1>', { status: 502, statusText: 'Bad Gateway', headers: { 'x-request-id': 'r1' } }), '<h1>Bad gateway</h1>');
    expect(err).toMatchObject({ status: 502, code: 'HTTP_502', detail: '<h1>Bad gateway</h1>', requestId: 'r1', errors: [] });
  });
});
