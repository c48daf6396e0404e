// API keys are random 32-byte secrets shown once; only their sha256 is stored. A fast hash is right
// here (unlike passwords): the secret has 256 bits of entropy, so there is nothing to brute-force.
import { createHash, randomBytes } from 'node:crypto';

const KEY_PREFIX = 'atl_';
// Generated keys are `atl_` + 43 base64url chars; ATELIER_ADMIN_KEY may be any 16–256 visible ASCII chars.
const KEY_PATTERN = /^[\x21-\x7e]{16,256}$/;

export function generateApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { secret, prefix: displayPrefix(secret), hash: hashApiKey(secret) };
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function displayPrefix(secret: string): string {
  return secret.slice(0, 12);
}

export function isWellFormedApiKey(secret: string): boolean {
  return KEY_PATTERN.test(secret);
}
