// API key format, storage and verification (the decisions are written down in the gateway README).
//
// A generated key is `atl_<lookupId>_<secret>`: 16 hex chars of a random lookup id (public: it finds the
// row and is shown back as the key's `prefix`) and 43 base64url chars of a random 256-bit secret. The
// row stores only the lookup id and an scrypt hash (per-key salt) of the whole key, so no character of
// the secret is stored and nothing needs a server-side pepper that must survive restarts.
//
// Any other token (an operator-chosen ATELIER_ADMIN_KEY, or a key made before migration 0008) has a
// lookup id derived from it: the first 16 hex chars of its sha256. Rows made before 0008 keep only that
// sha256 (fine for their 256-bit random secrets); operator-chosen keys must carry ≥ 128 bits, which is
// what makes 64 bits of a fast hash in the lookup id harmless.
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const GENERATED_KEY = /^atl_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;
/** The token grammar inside `Authorization: Bearer <token>`, and what ATELIER_ADMIN_KEY must match. */
export const TOKEN_PATTERN = /^[\x21-\x7e]{1,256}$/;
export const MIN_OPERATOR_KEY_BITS = 128;

// scrypt cost: ~16 MiB and a few tens of ms per verification, paid once per cache miss.
const SCRYPT = { logN: 14, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

export interface GeneratedApiKey {
  /** The key itself, shown once. */
  secret: string;
  lookupId: string;
  /** What the API shows to recognise the key: `atl_<lookupId>`, no secret character. */
  prefix: string;
  secretHash: string;
}

/** What a stored row offers for verification. */
export interface StoredSecret {
  secretHash: string | null;
  legacySha256: string | null;
}

export async function generateApiKey(): Promise<GeneratedApiKey> {
  const lookupId = randomBytes(8).toString('hex');
  const secret = `atl_${lookupId}_${randomBytes(32).toString('base64url')}`;
  return { secret, lookupId, prefix: `atl_${lookupId}`, secretHash: await hashApiKeySecret(secret) };
}

/** The row's lookup id for a token: the id inside a generated key, else derived from the token. */
export function lookupIdOf(token: string): string {
  return GENERATED_KEY.exec(token)?.[1] ?? legacySha256(token).slice(0, 16);
}

/** The display prefix a token's row gets: the public part of a generated key, none for a chosen key. */
export function displayPrefixOf(token: string): string {
  const match = GENERATED_KEY.exec(token);
  return match ? `atl_${match[1]}` : '';
}

export async function hashApiKeySecret(token: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const hash = await scryptAsync(token, salt, SCRYPT.logN, SCRYPT.r, SCRYPT.p, SCRYPT.keyLength);
  return `scrypt$${SCRYPT.logN}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Does `token` match the stored hash? Constant-time comparison; a malformed hash matches nothing. */
export async function verifyApiKeySecret(token: string, stored: StoredSecret): Promise<boolean> {
  if (stored.secretHash) {
    const [scheme, logN, r, p, salt, hash] = stored.secretHash.split('$');
    if (scheme !== 'scrypt' || !hash) return false;
    const expected = Buffer.from(hash, 'base64url');
    const actual = await scryptAsync(token, Buffer.from(salt, 'base64url'), Number(logN), Number(r), Number(p), expected.length);
    return timingSafeEqual(actual, expected);
  }
  if (stored.legacySha256) {
    return timingSafeEqual(Buffer.from(legacySha256(token), 'hex'), Buffer.from(stored.legacySha256, 'hex'));
  }
  return false;
}

function legacySha256(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function scryptAsync(token: string, salt: Buffer, logN: number, r: number, p: number, keyLength: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) =>
    scrypt(token, salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/**
 * A floor, not a guarantee: length × log2(the size of the character classes used: a–z, A–Z, 0–9 and
 * the 32 other visible ASCII characters), where each distinct character counts for at most 4 positions
 * (so 'aaaa…' or 'abab…' score low). 32 random hex chars score ~165 bits, 16 chars of any kind ≤ 105.
 */
export function estimateEntropyBits(token: string): number {
  let pool = 0;
  if (/[a-z]/.test(token)) pool += 26;
  if (/[A-Z]/.test(token)) pool += 26;
  if (/[0-9]/.test(token)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(token)) pool += 32;
  const positions = Math.min(token.length, 4 * new Set(token).size);
  return pool === 0 ? 0 : Math.floor(positions * Math.log2(pool));
}
