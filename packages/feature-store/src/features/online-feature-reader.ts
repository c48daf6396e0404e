// Online reads: many entity keys across several views in one call. Each view is one SQL statement over
// the generation readers may see; TTL is enforced here, at read time, against the caller's clock. An
// optional in-process read-through cache (small LRU with TTL) holds stored rows per (view version, key)
// — misses included — so a hot key costs no round trip; set `cacheTtlMs: 0` to turn it off.
import type { Catalog, Entity, FeatureViewVersion } from '@atelier/catalog';
import { FeatureStoreError, invalid, type FeatureFieldError } from './errors.js';
import { encodeParts, keyPart } from './entity-keys.js';
import { parseViewRef } from './feature-registry.js';
import { readOnlineRows, type StoredOnlineRow } from './online-store.js';
import { TtlLruCache } from './lru-cache.js';

export interface OnlineFeatureReaderOptions {
  /** Most entity keys one read may ask for (default 1,000). */
  maxEntityKeys?: number;
  /** Value cache: entry lifetime (0 = no cache; default 0) and size. */
  cacheTtlMs?: number;
  cacheMaxEntries?: number;
  /** How long a view name's resolution (latest version, entity) is reused (default 5 s). */
  metadataTtlMs?: number;
  now?: () => number;
}

export interface OnlineFeaturesRequest {
  /** `name` (latest version) or `name@version`. */
  featureViews: string[];
  entityKeys: Array<Record<string, unknown>>;
}

export type OnlineFeatureStatus = 'present' | 'missing' | 'expired';

export interface OnlineViewValues {
  found: boolean;
  status: OnlineFeatureStatus;
  eventTimestamp: string | null;
  values: Record<string, unknown>;
}

export interface OnlineFeaturesRow {
  entityKey: Record<string, unknown>;
  /** True when every view had fresh values for this key. */
  found: boolean;
  features: Record<string, OnlineViewValues>;
}

export interface OnlineFeaturesResponse {
  featureViews: Array<{ name: string; version: number; ttlSeconds: number; features: string[] }>;
  results: OnlineFeaturesRow[];
}

interface ResolvedView {
  view: FeatureViewVersion;
  entity: Entity;
}

const MISSING: StoredOnlineRow | null = null;

export class OnlineFeatureReader {
  readonly maxEntityKeys: number;
  private readonly cache: TtlLruCache<StoredOnlineRow | null>;
  private readonly views: TtlLruCache<ResolvedView>;
  private readonly now: () => number;

  constructor(
    private readonly catalog: Catalog,
    options: OnlineFeatureReaderOptions = {},
  ) {
    this.maxEntityKeys = options.maxEntityKeys ?? 1000;
    this.now = options.now ?? Date.now;
    this.cache = new TtlLruCache(options.cacheMaxEntries ?? 100_000, options.cacheTtlMs ?? 0, this.now);
    this.views = new TtlLruCache(1000, options.metadataTtlMs ?? 5000, this.now);
  }

  async read(projectId: string, req: OnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
    if (req.entityKeys.length > this.maxEntityKeys) {
      throw new FeatureStoreError(
        'ATL_TOO_MANY_ENTITY_KEYS',
        413,
        `${req.entityKeys.length} entity keys were sent; one read takes at most ${this.maxEntityKeys}. Split the request.`,
        [{ field: '/body/entityKeys', message: `must have at most ${this.maxEntityKeys} items (got ${req.entityKeys.length})` }],
      );
    }
    if (req.featureViews.length === 0) throw invalid('ATL_ONLINE_REQUEST_INVALID', [{ field: '/body/featureViews', message: 'must name at least one feature view' }]);

    const resolved: ResolvedView[] = [];
    const errors: FeatureFieldError[] = [];
    const seenViews = new Map<string, number>();
    for (const [i, ref] of req.featureViews.entries()) {
      const parsed = parseViewRef(ref);
      if (!parsed) {
        errors.push({ field: `/body/featureViews/${i}`, message: "must be 'name' or 'name@version'" });
        continue;
      }
      if (seenViews.has(parsed.name)) {
        errors.push({ field: `/body/featureViews/${i}`, message: `view '${parsed.name}' is already listed at /body/featureViews/${seenViews.get(parsed.name)}` });
        continue;
      }
      seenViews.set(parsed.name, i);
      const r = await this.resolveView(projectId, ref, parsed.name, parsed.version);
      if (!r) errors.push({ field: `/body/featureViews/${i}`, message: `feature view '${ref}' does not exist` });
      else resolved.push(r);
    }
    if (errors.length) throw invalid('ATL_ONLINE_REQUEST_INVALID', errors);

    // Encode every key once per entity; reject bad and duplicate keys naming their index.
    const encoded = new Map<string, string[]>();
    const entities = new Map(resolved.map((r) => [r.entity.id, r.entity]));
    for (const entity of entities.values()) {
      const out: string[] = [];
      const firstIndex = new Map<string, number>();
      for (const [i, key] of req.entityKeys.entries()) {
        const parts: string[] = [];
        for (const k of entity.joinKeys) {
          if (!(k.name in key)) {
            errors.push({ field: `/body/entityKeys/${i}/${k.name}`, message: `is required (join key of entity '${entity.name}')` });
            continue;
          }
          const part = keyPart(k, key[k.name]);
          if (typeof part !== 'string') errors.push({ field: `/body/entityKeys/${i}/${k.name}`, message: part.error });
          else parts.push(part);
        }
        if (parts.length !== entity.joinKeys.length) {
          out.push('');
          continue;
        }
        const enc = encodeParts(parts);
        const first = firstIndex.get(enc);
        if (first !== undefined) errors.push({ field: `/body/entityKeys/${i}`, message: `duplicates /body/entityKeys/${first}; send each key once` });
        else firstIndex.set(enc, i);
        out.push(enc);
      }
      encoded.set(entity.id, out);
    }
    if (errors.length) throw invalid('ATL_ONLINE_REQUEST_INVALID', errors);

    const perView = await Promise.all(resolved.map((r, i) => this.fetch(r, encoded.get(r.entity.id)!, req.featureViews[i])));
    const now = this.now();
    const results: OnlineFeaturesRow[] = req.entityKeys.map((entityKey, i) => {
      let all = true;
      const features: Record<string, OnlineViewValues> = {};
      resolved.forEach((r, v) => {
        const stored = perView[v].get(encoded.get(r.entity.id)![i]) ?? null;
        const expired = stored !== null && r.view.ttlSeconds > 0 && now - stored.eventTs.getTime() > r.view.ttlSeconds * 1000;
        const fresh = stored !== null && !expired;
        const values: Record<string, unknown> = {};
        r.view.features.forEach((f, j) => (values[f.name] = fresh ? (stored!.values[j] ?? null) : null));
        features[r.view.name] = {
          found: fresh,
          status: fresh ? 'present' : expired ? 'expired' : 'missing',
          eventTimestamp: stored ? stored.eventTs.toISOString() : null,
          values,
        };
        all &&= fresh;
      });
      return { entityKey, found: all, features };
    });
    return {
      featureViews: resolved.map((r) => ({ name: r.view.name, version: r.view.version, ttlSeconds: r.view.ttlSeconds, features: r.view.features.map((f) => f.name) })),
      results,
    };
  }

  /** Forget cached rows and view resolutions (after a materialization, for instance). */
  clearCache(): void {
    this.cache.clear();
    this.views.clear();
  }

  private async resolveView(projectId: string, ref: string, name: string, version?: number): Promise<ResolvedView | undefined> {
    const cacheKey = `${projectId}\u0000${ref}`;
    const hit = this.views.get(cacheKey);
    if (hit) return hit;
    const view = await this.catalog.featureStore.findViewVersion(projectId, name, version);
    if (!view) return undefined;
    const entity = (await this.catalog.featureStore.findEntityById(view.entityId))!;
    const resolved = { view, entity };
    this.views.set(cacheKey, resolved);
    return resolved;
  }

  private async fetch(r: ResolvedView, keys: string[], ref: string): Promise<Map<string, StoredOnlineRow | null>> {
    const out = new Map<string, StoredOnlineRow | null>();
    const wanted: string[] = [];
    for (const k of keys) {
      const hit = this.cache.get(`${r.view.id}\u0000${k}`);
      if (hit !== undefined) out.set(k, hit);
      else wanted.push(k);
    }
    if (wanted.length === 0) return out;
    const read = await readOnlineRows(this.catalog.db, r.view.id, wanted);
    if (!read.materialized) {
      throw new FeatureStoreError(
        'ATL_FEATURE_VIEW_NOT_MATERIALIZED',
        409,
        `Feature view '${ref}' (version ${r.view.version}) has no complete materialization; POST …/feature-views/${r.view.name}/materialize first.`,
      );
    }
    for (const k of wanted) {
      const row = read.rows.get(k) ?? MISSING;
      out.set(k, row);
      this.cache.set(`${r.view.id}\u0000${k}`, row);
    }
    return out;
  }
}
