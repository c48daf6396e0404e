// Turns a bearer token into a Principal. Lookups are cached briefly: every predict call authenticates,
// and a DB round trip per request would dominate serving latency. The cache is keyed by the whole
// Authorization header, so a hit costs one map lookup (no parsing, no hashing) and is answered
// synchronously (`cached`). Revocation in this process drops the entry at once; other processes see
// it within `cacheTtlMs`.
import type { Catalog } from '@atelier/catalog';
import { Errors } from '../errors.js';
import { hashApiKey, isWellFormedApiKey } from './api-key-secret.js';
import type { Principal } from './principal.js';

interface CacheEntry {
  principal: Principal;
  expiresAtMs: number;
  keyExpiresAtMs: number | null;
}

export class Authenticator {
  readonly #cache = new Map<string, CacheEntry>();
  readonly #maxEntries = 10_000;

  constructor(
    private readonly catalog: Catalog,
    private readonly cacheTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The principal for a header seen within the cache TTL, else undefined; throws if its key expired since. */
  cached(authorization: string | undefined): Principal | undefined {
    if (authorization === undefined) return undefined;
    const hit = this.#cache.get(authorization);
    if (hit === undefined) return undefined;
    const now = this.now();
    if (hit.expiresAtMs <= now) return undefined;
    if (hit.keyExpiresAtMs !== null && hit.keyExpiresAtMs <= now) throw Errors.keyExpired();
    return hit.principal;
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const hit = this.cached(authorization);
    if (hit) return hit;
    if (!authorization) throw Errors.unauthenticated('No API key was sent');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw Errors.unauthenticated("The Authorization header is not 'Bearer <api-key>'");
    const secret = match[1];
    if (!isWellFormedApiKey(secret)) throw Errors.unauthenticated('The API key is not valid');
    const now = this.now();
    const key = await this.catalog.apiKeys.findByHash(hashApiKey(secret));
    if (!key) throw Errors.unauthenticated('The API key is not valid');
    if (key.revokedAt) throw Errors.keyRevoked();
    if (key.expiresAt && key.expiresAt.getTime() <= now) throw Errors.keyExpired();
    const principal: Principal = { keyId: key.id, role: key.role, projectId: key.projectId };
    if (this.#cache.size >= this.#maxEntries) this.#cache.clear();
    this.#cache.set(authorization, { principal, expiresAtMs: now + this.cacheTtlMs, keyExpiresAtMs: key.expiresAt?.getTime() ?? null });
    return principal;
  }

  /** Forget a key at once (it was revoked here). */
  forget(keyId: string): void {
    for (const [header, entry] of this.#cache) if (entry.principal.keyId === keyId) this.#cache.delete(header);
  }
}
