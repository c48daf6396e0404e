// The online store: where materialization writes each entity key's latest feature values and where
// online reads find them (Feast's OnlineStore: online write, online read, TTL, materialization target).
// Two implementations keep the same contract, checked by one conformance suite
// (online-store.conformance.ts): PostgresOnlineStore (this file; the embedded default, in the catalog's
// database) and RedisOnlineStore (redis-online-store.ts), chosen by ATELIER_ONLINE_STORE
// (online-store.config.ts).
//
// Rows live in generations: a full materialization writes a new generation and makes it live when it
// completes; an incremental one stages a generation and folds it into the live one. Readers only ever see
// the live generation, so a run that failed midway is never visible, and a resumed run writes its chunks
// again (every write is an idempotent upsert where the newer event time wins).
//
// Postgres layout: one generic table, (view version, generation, entity key) → event time (epoch ms) and
// the feature values as a JSON array (text) in the view version's feature order; the live generation is
// `online_stores.generation` (see migrations/0007_feature_store.ts), written by the run's completing
// transaction. Writes go through the transaction the materializer hands over; the hot read through
// `catalog.rawQuery` (a named prepared statement, rows as arrays).
import { sql, type Kysely } from 'kysely';
import type { Catalog, Database } from '@atelier/catalog';

export interface OnlineRow {
  /** Canonical entity key (see entity-keys.ts). */
  key: string;
  eventTs: Date;
  values: unknown[];
}

/** A row as stored, as reads hand it on: the values stay JSON text until a caller needs them. */
export interface StoredOnlineRow {
  /** Event time, epoch milliseconds. */
  eventMs: number;
  /** The feature values: a JSON array (text) in the view version's feature order. */
  vals: string;
}

/** What a read found for one view version: `materialized` false when no run has completed. */
export interface OnlineReadResult {
  materialized: boolean;
  rows: Map<string, StoredOnlineRow>;
}

/** One view version of one project: every store operation names both (a store never crosses projects). */
export interface OnlineViewRef {
  projectId: string;
  viewVersionId: string;
}

/** Where a chunk goes: a generation of a view version, and the view's TTL (0 = values never expire). */
export interface OnlineWriteTarget extends OnlineViewRef {
  generation: number;
  ttlSeconds: number;
}

export interface OnlineStore {
  readonly kind: 'postgres' | 'redis';
  /** Latest rows of `keys` in the live generation; `materialized` false when none is live. */
  read(ref: OnlineViewRef, keys: readonly string[]): Promise<OnlineReadResult>;
  /**
   * Upsert a chunk (its keys distinct) into a generation; a stored row with a newer event time is kept. Idempotent: a resumed
   * run writes a chunk again. `tx` is the catalog transaction the chunk's progress commits in (the
   * Postgres store writes inside it; another store writes before it commits).
   */
  writeChunk(tx: Kysely<Database>, target: OnlineWriteTarget, rows: OnlineRow[]): Promise<void>;
  /**
   * Inside the completing transaction, before the run is marked complete: fold the staged generation
   * `from` into `into` (incremental runs; a newer event time wins, the staged rows go) and count the
   * rows of the generation that is to be live.
   */
  finish(tx: Kysely<Database>, target: OnlineWriteTarget, merge: { from: number; into: number } | null): Promise<{ rowCount: number }>;
  /**
   * Make `generation` the one readers see. Called inside the completing transaction after the catalog's
   * pointer row is written, so a failure here rolls the run's completion back.
   */
  activate(tx: Kysely<Database>, ref: OnlineViewRef, generation: number): Promise<void>;
  /** True when `generation` is live here (false, for example, after a Redis without persistence restarted). */
  isLive(ref: OnlineViewRef, generation: number): Promise<boolean>;
  /** Remove every generation but `keep` (old live generations, abandoned staging). */
  dropOtherGenerations(ref: OnlineViewRef, keep: number): Promise<void>;
  /** After a large load: whatever makes the next reads fast (Postgres: fresh planner statistics). */
  afterLoad(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The read, as one statement: the view version's state row (checked to belong to the project), left-joined
 * to its live generation's rows for the keys (one primary-key index scan, `entity_key = any($2)`). No
 * state row → no rows (never materialized, or another project's view); a state row but no key found →
 * one row of nulls. The text is fixed, so it runs as a named prepared statement: parsed and planned once
 * per pooled connection, not once per read.
 */
export const ONLINE_READ_SQL = `select o.entity_key, o.event_ms, o.vals
from online_stores s
join feature_view_versions vv on vv.id = s.feature_view_version_id
join feature_views fv on fv.id = vv.feature_view_id and fv.project_id = $3::uuid
left join online_features o
  on o.feature_view_version_id = s.feature_view_version_id and o.generation = s.generation and o.entity_key = any($2::text[])
where s.feature_view_version_id = $1::uuid`;
const ONLINE_READ_STATEMENT = 'atelier_online_read_v2';

/** The embedded default: the online rows in the catalog's own database. */
export class PostgresOnlineStore implements OnlineStore {
  readonly kind = 'postgres';

  constructor(private readonly catalog: Pick<Catalog, 'rawQuery' | 'db'>) {}

  async read(ref: OnlineViewRef, keys: readonly string[]): Promise<OnlineReadResult> {
    const rows = await this.catalog.rawQuery<[string | null, number | null, string | null]>(
      ONLINE_READ_SQL,
      [ref.viewVersionId, keys, ref.projectId],
      ONLINE_READ_STATEMENT,
    );
    const found = new Map<string, StoredOnlineRow>();
    for (const [key, eventMs, vals] of rows) if (key !== null) found.set(key, { eventMs: Number(eventMs), vals: vals! });
    return { materialized: rows.length > 0, rows: found };
  }

  async writeChunk(tx: Kysely<Database>, target: OnlineWriteTarget, rows: OnlineRow[]): Promise<void> {
    if (rows.length === 0) return;
    const keys = rows.map((r) => r.key);
    const times = rows.map((r) => r.eventTs.getTime());
    const values = rows.map((r) => JSON.stringify(r.values));
    await sql`
      insert into online_features (feature_view_version_id, generation, entity_key, event_ms, vals)
      select ${target.viewVersionId}::uuid, ${target.generation}::int, t.k, t.ms, t.v
      from unnest(${keys}::text[], ${times}::int8[], ${values}::text[]) as t(k, ms, v)
      on conflict (feature_view_version_id, generation, entity_key)
      do update set event_ms = excluded.event_ms, vals = excluded.vals
      where online_features.event_ms <= excluded.event_ms`.execute(tx);
  }

  async finish(tx: Kysely<Database>, target: OnlineWriteTarget, merge: { from: number; into: number } | null): Promise<{ rowCount: number }> {
    const id = target.viewVersionId;
    if (merge) {
      await sql`
        insert into online_features (feature_view_version_id, generation, entity_key, event_ms, vals)
        select feature_view_version_id, ${merge.into}::int, entity_key, event_ms, vals
        from online_features where feature_view_version_id = ${id}::uuid and generation = ${merge.from}::int
        on conflict (feature_view_version_id, generation, entity_key)
        do update set event_ms = excluded.event_ms, vals = excluded.vals
        where online_features.event_ms <= excluded.event_ms`.execute(tx);
      await tx.deleteFrom('online_features').where('feature_view_version_id', '=', id).where('generation', '=', merge.from).execute();
    }
    const live = merge ? merge.into : target.generation;
    const row = await tx
      .selectFrom('online_features')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('feature_view_version_id', '=', id)
      .where('generation', '=', live)
      .executeTakeFirstOrThrow();
    return { rowCount: row.n };
  }

  /** The catalog's `online_stores` row (written by completeRun in the same transaction) is the pointer. */
  async activate(): Promise<void> {}

  async isLive(): Promise<boolean> {
    return true; // same database as the pointer row: the live generation cannot be lost on its own
  }

  async dropOtherGenerations(ref: OnlineViewRef, keep: number): Promise<void> {
    await this.catalog.db.deleteFrom('online_features').where('feature_view_version_id', '=', ref.viewVersionId).where('generation', '!=', keep).execute();
  }

  /**
   * Refresh the planner's statistics of the online table. Without them, right after a bulk load and
   * until autovacuum gets to it, Postgres may plan a 100-key read as a scan of the whole view version
   * (measured: 19 ms instead of 1.3 ms per read on 100k keys).
   */
  async afterLoad(): Promise<void> {
    await sql`analyze online_features`.execute(this.catalog.db);
  }

  async close(): Promise<void> {}
}
