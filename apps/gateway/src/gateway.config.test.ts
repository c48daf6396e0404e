import { describe, expect, it } from 'vitest';
import { gatewayConfigFromEnv } from './gateway.config.js';

describe('ATELIER_ADMIN_KEY', () => {
  it('refuses a guessable operator-chosen key, naming the variable and what to do', () => {
    for (const weak of ['Abcdefgh1234!@#$', 'correcthorse1234', 'a'.repeat(64), 'abab'.repeat(16)]) {
      expect(() => gatewayConfigFromEnv({ ATELIER_ADMIN_KEY: weak }), weak).toThrow(
        /^ATELIER_ADMIN_KEY is too weak: about \d+ bits of entropy estimated .*at least 128 needed\. .*openssl rand -base64 32/,
      );
    }
    expect(() => gatewayConfigFromEnv({ ATELIER_ADMIN_KEY: 'has a space in it 0123456789abcdefghijkl' })).toThrow(
      /^ATELIER_ADMIN_KEY must be at most 256 visible ASCII characters, without spaces/,
    );
    expect(() => gatewayConfigFromEnv({ ATELIER_ADMIN_KEY: 'Ab1!'.repeat(65) })).toThrow(/at most 256/);
  });

  it('accepts a random key of 128 bits or more, and no key at all', () => {
    for (const strong of [
      'POuETeox5Ak5YMeu1CLtrNY8gG47JQrQ5pBZFTH37sI=', // openssl rand -base64 32
      '20cfd7602d76a4ce4e93aa0ffeeaeba4', // openssl rand -hex 16
      'atl_0123456789abcdef_Kq3pZ7vN2xW9yB4mR8tL1cF6hJ0sD5gA3eU7iO2nQ4w', // a generated key's shape
    ]) {
      expect(gatewayConfigFromEnv({ ATELIER_ADMIN_KEY: strong }).adminKey).toBe(strong);
    }
    expect(gatewayConfigFromEnv({}).adminKey).toBeUndefined();
  });
});
