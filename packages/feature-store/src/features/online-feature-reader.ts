// Online reads: many entity keys across several views in one call. Each view is one read of the online
// store (online-store.ts: one prepared statement on Postgres, one script round trip on Redis) over the
// generation readers may see; TTL is enforced
// here, at read time, against the caller's clock. An optional in-process read-through cache (small LRU
// with TTL) holds stored rows per (view version, key) — misses included — so a hot key costs no round
// trip; set `cacheTtlMs: 0` to turn it off.
//
// The same read has two outputs: `read` answers objects (serving, in-process), `readJson` the response's
// JSON text (the gateway), written straight from the stored value text without building the objects,
// in one of two layouts: 'objects' (the same as `read`) or 'compact' (per view, arrays aligned with the
// request's keys, each key's values an array in the view's feature order: the stored text as it is, so
// the response is ~2.5× smaller for 20 features and costs no per-value work; Feast's get-online-features
// answers a similar layout). Per-view work (the values object's shape, the JSON fragments) is prepared
// once per view version.
import type { Catalog, Entity, FeatureViewVersion } from '@atelier/catalog';
import { FeatureStoreError, invalid, type FeatureFieldError } from './errors.js';
import { encodeParts, keyPart } from './entity-keys.js';
import { parseViewRef } from './feature-registry.js';
import { PostgresOnlineStore, type OnlineStore, type StoredOnlineRow } from './online-store.js';
import { TtlLruCache } from './lru-cache.js';
import { valuesShape, type ValuesShape } from './online-values.js';

export interface OnlineFeatureReaderOptions {
  /** Most entity keys one read may ask for (default 1,000). */
  maxEntityKeys?: number;
  /** Value cache: entry lifetime (0 = no cache; default 0) and size. */
  cacheTtlMs?: number;
  cacheMaxEntries?: number;
  /** How long a view name's resolution (latest version, entity) is reused (default 5 s). */
  metadataTtlMs?: number;
  now?: () => number;
  /** Where the rows are read (default: the Postgres store in the catalog's database). */
  store?: OnlineStore;
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

/** How `readJson` lays out its answer (see the file header). */
export type OnlineResponseFormat = 'objects' | 'compact';

/**
 * The compact layout. `found[i]`, and each view's `status[i]`, `eventTimestamps[i]` and `values[i]`,
 * answer the request's `entityKeys[i]`; `values[i]` lists the view's `features` in order, or is null
 * when the status is not present (missing or expired). Views are in `featureViews` order.
 */
export interface OnlineFeaturesCompactResponse {
  format: 'compact';
  featureViews: OnlineFeaturesResponse['featureViews'];
  found: boolean[];
  views: Array<{ status: OnlineFeatureStatus[]; eventTimestamps: Array<string | null>; values: Array<unknown[] | null> }>;
}

interface ResolvedView {
  projectId: string;
  view: FeatureViewVersion;
  entity: Entity;
  shape: ValuesShape;
  /** `"name":` and the JSON of the view's entry in `featureViews`. */
  nameJson: string;
  infoJson: string;
}

/** What a read found, before it is rendered as objects or as JSON. */
interface Lookup {
  views: ResolvedView[];
  /** Per view, per requested key (in request order): the stored row, or null. */
  stored: Array<Array<StoredOnlineRow | null>>;
  /** The caller's clock when the rows arrived (TTL is judged against it). */
  now: number;
}

// A row's status as a small integer (an index into STATUS_NAMES).
const Status = { Present: 0, Expired: 1, Missing: 2 } as const;
type Status = (typeof Status)[keyof typeof Status];
const STATUS_NAMES: readonly OnlineFeatureStatus[] = ['present', 'expired', 'missing'];
const STATUS_JSON: readonly string[] = STATUS_NAMES.map((s) => JSON.stringify(s));

function statusOf(view: FeatureViewVersion, stored: StoredOnlineRow | null, now: number): Status {
  if (stored === null) return Status.Missing;
  return view.ttlSeconds > 0 && now - stored.eventMs > view.ttlSeconds * 1000 ? Status.Expired : Status.Present;
}

export class OnlineFeatureReader {
  readonly maxEntityKeys: number;
  private readonly cache: TtlLruCache<StoredOnlineRow | null>;
  private readonly cacheOn: boolean;
  private readonly views: TtlLruCache<ResolvedView>;
  private readonly shapes = new Map<string, ResolvedView>();
  private readonly now: () => number;
  private readonly store: OnlineStore;

  constructor(
    private readonly catalog: Catalog,
    options: OnlineFeatureReaderOptions = {},
  ) {
    this.maxEntityKeys = options.maxEntityKeys ?? 1000;
    this.now = options.now ?? Date.now;
    this.store = options.store ?? new PostgresOnlineStore(catalog);
    const cacheMaxEntries = options.cacheMaxEntries ?? 100_000;
    const cacheTtlMs = options.cacheTtlMs ?? 0;
    this.cache = new TtlLruCache(cacheMaxEntries, cacheTtlMs, this.now);
    this.cacheOn = cacheMaxEntries > 0 && cacheTtlMs > 0;
    this.views = new TtlLruCache(1000, options.metadataTtlMs ?? 5000, this.now);
  }

  /** Latest values of every requested key in every requested view, as objects. */
  async read(projectId: string, req: OnlineFeaturesRequest): Promise<OnlineFeaturesResponse> {
    const { views, stored, now } = await this.lookup(projectId, req);
    const results: OnlineFeaturesRow[] = new Array(req.entityKeys.length);
    for (let i = 0; i < results.length; i++) {
      let all = true;
      const features: Record<string, OnlineViewValues> = {};
      for (let v = 0; v < views.length; v++) {
        const { view, shape } = views[v];
        const row = stored[v][i];
        const status = statusOf(view, row, now);
        features[view.name] = {
          found: status === Status.Present,
          status: STATUS_NAMES[status],
          eventTimestamp: row === null ? null : new Date(row.eventMs).toISOString(),
          values: status === Status.Present ? shape.fromArray(JSON.parse(row!.vals) as unknown[]) : shape.empty(),
        };
        all &&= status === Status.Present;
      }
      results[i] = { entityKey: req.entityKeys[i], found: all, features };
    }
    return { featureViews: views.map((r) => featureViewInfo(r.view)), results };
  }

  /**
   * The same read as `read`, as the JSON text of its response: with 'objects', `JSON.parse(readJson(…))`
   * equals `read(…)` (the stored value arrays are spliced into `{name: value}` text, never parsed); with
   * 'compact', it is an `OnlineFeaturesCompactResponse` holding the same values.
   */
  async readJson(projectId: string, req: OnlineFeaturesRequest, format: OnlineResponseFormat = 'objects'): Promise<string> {
    const lookup = await this.lookup(projectId, req);
    return format === 'compact' ? compactJson(lookup, req.entityKeys.length) : objectsJson(lookup, req.entityKeys);
  }

  /** Forget cached rows and view resolutions (after a materialization, for instance). */
  clearCache(): void {
    this.cache.clear();
    this.views.clear();
  }

  /** Checks the request, resolves the views, encodes the keys and fetches the rows (in parallel per view). */
  private async lookup(projectId: string, req: OnlineFeaturesRequest): Promise<Lookup> {
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
    for (const { entity } of resolved) {
      if (!encoded.has(entity.id)) encoded.set(entity.id, encodeKeys(entity, req.entityKeys, errors));
    }
    if (errors.length) throw invalid('ATL_ONLINE_REQUEST_INVALID', errors);

    const stored = await Promise.all(resolved.map((r, i) => this.fetch(r, encoded.get(r.entity.id)!, req.featureViews[i])));
    return { views: resolved, stored, now: this.now() };
  }

  private async resolveView(projectId: string, ref: string, name: string, version?: number): Promise<ResolvedView | undefined> {
    const cacheKey = `${projectId}\u0000${ref}`;
    const hit = this.views.get(cacheKey);
    if (hit) return hit;
    const view = await this.catalog.featureStore.findViewVersion(projectId, name, version);
    if (!view) return undefined;
    // A view version is immutable: its prepared shape is kept for as long as the reader lives (bounded).
    let resolved = this.shapes.get(view.id);
    if (!resolved) {
      const entity = (await this.catalog.featureStore.findEntityById(view.entityId))!;
      resolved = {
        projectId,
        view,
        entity,
        shape: valuesShape(view.features.map((f) => f.name)),
        nameJson: `${JSON.stringify(view.name)}:`,
        infoJson: JSON.stringify(featureViewInfo(view)),
      };
      if (this.shapes.size >= 1000) this.shapes.clear();
      this.shapes.set(view.id, resolved);
    }
    this.views.set(cacheKey, resolved);
    return resolved;
  }

  /** The stored row of each key (in the order of `keys`), from the cache or one statement. */
  private async fetch(r: ResolvedView, keys: string[], ref: string): Promise<Array<StoredOnlineRow | null>> {
    const out: Array<StoredOnlineRow | null> = new Array(keys.length);
    let wanted: string[] = keys;
    let wantedAt: number[] | undefined;
    if (this.cacheOn) {
      wanted = [];
      wantedAt = [];
      for (let i = 0; i < keys.length; i++) {
        const hit = this.cache.get(`${r.view.id}\u0000${keys[i]}`);
        if (hit !== undefined) out[i] = hit;
        else {
          wanted.push(keys[i]);
          wantedAt.push(i);
        }
      }
      if (wanted.length === 0) return out;
    }
    const read = await this.store.read({ projectId: r.projectId, viewVersionId: r.view.id }, wanted);
    if (!read.materialized) {
      throw new FeatureStoreError(
        'ATL_FEATURE_VIEW_NOT_MATERIALIZED',
        409,
        `Feature view '${ref}' (version ${r.view.version}) has no complete materialization; POST …/feature-views/${r.view.name}/materialize first.`,
      );
    }
    for (let j = 0; j < wanted.length; j++) {
      const row = read.rows.get(wanted[j]) ?? null;
      out[wantedAt ? wantedAt[j] : j] = row;
      if (this.cacheOn) this.cache.set(`${r.view.id}\u0000${wanted[j]}`, row);
    }
    return out;
  }
}

/** The objects layout's JSON text: what `JSON.stringify(read(…))` gives, without building the objects. */
function objectsJson({ views, stored, now }: Lookup, entityKeys: OnlineFeaturesRequest['entityKeys']): string {
  // Built by concatenation (V8 keeps it as a rope and flattens it once, when it is written out).
  let out = '{"featureViews":[';
  for (let v = 0; v < views.length; v++) out += (v === 0 ? '' : ',') + views[v].infoJson;
  out += '],"results":[';
  const iso = isoFormatter();
  for (let i = 0; i < entityKeys.length; i++) {
    let all = true;
    let features = '';
    for (let v = 0; v < views.length; v++) {
      const { view, shape, nameJson } = views[v];
      const row = stored[v][i];
      features += (v === 0 ? '{' : ',') + nameJson;
      if (row === null) {
        features += `{"found":false,"status":"missing","eventTimestamp":null,"values":${shape.emptyJson}}`;
        all = false;
        continue;
      }
      const time = iso(row.eventMs);
      if (statusOf(view, row, now) === Status.Present) {
        features += `{"found":true,"status":"present","eventTimestamp":"${time}","values":${shape.jsonFromStored(row.vals)}}`;
      } else {
        features += `{"found":false,"status":"expired","eventTimestamp":"${time}","values":${shape.emptyJson}}`;
        all = false;
      }
    }
    out += `${i === 0 ? '' : ','}{"entityKey":${JSON.stringify(entityKeys[i])},"found":${all},"features":${features}}}`;
  }
  return `${out}]}`;
}

/**
 * The compact layout's JSON text. A present row's values are its stored text as it is: the materializer
 * writes every row of a view version as a JSON array of exactly that version's features, in order (a
 * version's features never change), so there is nothing to reshape (see `arrayText` for a corrupt row).
 */
function compactJson({ views, stored, now }: Lookup, keyCount: number): string {
  const statuses = views.map((r, v) => {
    const s = new Uint8Array(keyCount);
    for (let i = 0; i < keyCount; i++) s[i] = statusOf(r.view, stored[v][i], now);
    return s;
  });
  let out = '{"format":"compact","featureViews":[';
  for (let v = 0; v < views.length; v++) out += (v === 0 ? '' : ',') + views[v].infoJson;
  out += '],"found":[';
  for (let i = 0; i < keyCount; i++) {
    let all = true;
    for (let v = 0; v < views.length; v++) all &&= statuses[v][i] === Status.Present;
    out += (i === 0 ? '' : ',') + (all ? 'true' : 'false');
  }
  out += '],"views":[';
  const iso = isoFormatter();
  for (let v = 0; v < views.length; v++) {
    let status = '';
    let times = '';
    let values = '';
    for (let i = 0; i < keyCount; i++) {
      const sep = i === 0 ? '' : ',';
      const row = stored[v][i];
      const st = statuses[v][i];
      status += sep + STATUS_JSON[st];
      if (row === null) {
        times += `${sep}null`;
        values += `${sep}null`;
        continue;
      }
      times += `${sep}"${iso(row.eventMs)}"`;
      values += sep + (st === Status.Present ? arrayText(row.vals) : 'null');
    }
    out += `${v === 0 ? '' : ','}{"status":[${status}],"eventTimestamps":[${times}],"values":[${values}]}`;
  }
  return `${out}]}`;
}

/**
 * Stored values as array text. Text that does not look like one array (a corrupt row: truncated, or
 * not an array) goes through JSON.parse, so it fails the read loudly instead of breaking the response.
 */
function arrayText(vals: string): string {
  if (vals.charCodeAt(0) === 0x5b && vals.charCodeAt(vals.length - 1) === 0x5d) return vals;
  const parsed: unknown = JSON.parse(vals);
  if (!Array.isArray(parsed)) throw new Error(`online store: a stored row is not a JSON array (${vals.slice(0, 40)})`);
  return JSON.stringify(parsed);
}

/** Epoch ms → ISO text, reusing the last answer: rows of one materialization often share their event time. */
function isoFormatter(): (ms: number) => string {
  let lastMs = NaN;
  let lastIso = '';
  return (ms) => (ms === lastMs ? lastIso : (lastIso = new Date((lastMs = ms)).toISOString()));
}

function featureViewInfo(view: FeatureViewVersion): OnlineFeaturesResponse['featureViews'][number] {
  return { name: view.name, version: view.version, ttlSeconds: view.ttlSeconds, features: view.features.map((f) => f.name) };
}

/** The canonical text of each key (see entity-keys.ts); bad keys and duplicates are added to `errors`. */
function encodeKeys(entity: Entity, keys: ReadonlyArray<Record<string, unknown>>, errors: FeatureFieldError[]): string[] {
  const out: string[] = new Array(keys.length);
  const firstIndex = new Map<string, number>();
  const joinKeys = entity.joinKeys;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    let enc: string | undefined;
    if (joinKeys.length === 1) {
      const k = joinKeys[0];
      if (!(k.name in key)) errors.push({ field: `/body/entityKeys/${i}/${k.name}`, message: `is required (join key of entity '${entity.name}')` });
      else {
        const part = keyPart(k, key[k.name]);
        if (typeof part !== 'string') errors.push({ field: `/body/entityKeys/${i}/${k.name}`, message: part.error });
        else enc = part;
      }
    } else {
      const parts: string[] = [];
      for (const k of joinKeys) {
        if (!(k.name in key)) {
          errors.push({ field: `/body/entityKeys/${i}/${k.name}`, message: `is required (join key of entity '${entity.name}')` });
          continue;
        }
        const part = keyPart(k, key[k.name]);
        if (typeof part !== 'string') errors.push({ field: `/body/entityKeys/${i}/${k.name}`, message: part.error });
        else parts.push(part);
      }
      if (parts.length === joinKeys.length) enc = encodeParts(parts);
    }
    if (enc === undefined) {
      out[i] = '';
      continue;
    }
    const first = firstIndex.get(enc);
    if (first !== undefined) errors.push({ field: `/body/entityKeys/${i}`, message: `duplicates /body/entityKeys/${first}; send each key once` });
    else firstIndex.set(enc, i);
    out[i] = enc;
  }
  return out;
}
