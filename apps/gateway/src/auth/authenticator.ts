// Turns a bearer token into a Principal. Lookups are cached briefly: every predict call authenticates,
// and a DB round trip plus an scrypt verification per request would dominate serving latency. The cache
// is keyed by the whole Authorization header, so a hit costs one map lookup (no parsing, no hashing) and
// is answered synchronously (`cached`). Revocation reaches every gateway at once: the revoking
// transaction NOTIFYs API_KEY_REVOCATIONS_CHANNEL and each Authenticator forgets the key when it hears
// it; when the listen connection drops or comes back (notifications may have been lost), the whole
// cache is dropped. `cacheTtlMs` bounds the rest (expiry is checked on every hit).
import type { Catalog, Unlisten } from '@atelier/catalog';
import { NOTIFY_CHANNELS } from '@atelier/contracts';
import { Errors } from '../errors.js';
import { lookupIdOf, verifyApiKeySecret } from './api-key-secret.js';
import { bearerToken } from './authorization-header.js';
import type { Principal } from './principal.js';

interface CacheEntry {
  principal: Principal;
  expiresAtMs: number;
  keyExpiresAtMs: number | null;
}

export class Authenticator {
  readonly #cache = new Map<string, CacheEntry>();
  readonly #maxEntries = 10_000;
  /** One lookup per header at a time: a burst of requests with a new key pays one scrypt, not one each. */
  readonly #inFlight = new Map<string, Promise<Principal>>();
  /**
   * Bumped by every forget/clear (which also drop lookups in flight), so a lookup that raced a
   * revocation neither caches what it read nor answers requests that come after it.
   */
  #generation = 0;
  #unlisten: Unlisten | undefined;

  constructor(
    private readonly catalog: Catalog,
    private readonly cacheTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Start hearing revocations from every gateway (call once before serving; `close` stops). */
  async listenForRevocations(): Promise<void> {
    this.#unlisten ??= await this.catalog.listen(
      NOTIFY_CHANNELS.apiKeyRevocations,
      (keyId) => this.forget(keyId),
      () => this.clear(),
    );
  }

  async close(): Promise<void> {
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.();
  }

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
    const token = bearerToken(authorization);
    const header = authorization as string;
    const pending = this.#inFlight.get(header);
    if (pending) return pending;
    const lookup: Promise<Principal> = this.#lookup(header, token).finally(() => {
      if (this.#inFlight.get(header) === lookup) this.#inFlight.delete(header);
    });
    this.#inFlight.set(header, lookup);
    return lookup;
  }

  async #lookup(header: string, token: string): Promise<Principal> {
    const generation = this.#generation;
    const found = await this.catalog.apiKeys.findCredentials(lookupIdOf(token));
    if (!found || !(await verifyApiKeySecret(token, found))) throw Errors.unauthenticated('The API key is not valid');
    const { key } = found;
    const now = this.now();
    if (key.revokedAt) throw Errors.keyRevoked();
    if (key.expiresAt && key.expiresAt.getTime() <= now) throw Errors.keyExpired();
    const principal: Principal = { keyId: key.id, role: key.role, projectId: key.projectId };
    if (generation === this.#generation) {
      if (this.#cache.size >= this.#maxEntries) this.#cache.clear();
      this.#cache.set(header, { principal, expiresAtMs: now + this.cacheTtlMs, keyExpiresAtMs: key.expiresAt?.getTime() ?? null });
    }
    return principal;
  }

  /** Forget a key at once (it was revoked here or on another gateway). */
  forget(keyId: string): void {
    this.#generation++;
    this.#inFlight.clear();
    for (const [header, entry] of this.#cache) if (entry.principal.keyId === keyId) this.#cache.delete(header);
  }

  /** Forget every key (revocations may have been missed). */
  clear(): void {
    this.#generation++;
    this.#inFlight.clear();
    this.#cache.clear();
  }
}
