// The Redis online store (ioredis): the same contract as the Postgres store (online-store.ts), for reads
// that must stay within a couple of milliseconds under load.
//
// Key layout (Redis Cluster-compatible: every key of one view version carries the hash tag `{<view
// version id>}`, so each script and MGET below touches one slot; view versions spread over the shards):
//   <prefix>:<project id>:{<view version id>}:live              the live generation (a number)
//   <prefix>:<project id>:{<view version id>}:n:<generation>    rows in that generation (a counter)
//   <prefix>:<project id>:{<view version id>}:g:<generation>:<entity key>   "<event ms>:<values JSON array>"
// The project id is part of every key: a read names its project, so another project's view version
// finds nothing even with the right id.
//
// Reads: one server-side script per view version reads the live pointer and MGETs the keys of that
// generation, so a read is one round trip whatever the key count; the reader's per-view reads run
// concurrently and ioredis's auto-pipelining sends them in one write.
// TTL: a row of a view with a TTL expires in Redis at event time + TTL + `expiryGraceMs` (so a read
// still says "expired" rather than "missing" for a while, and memory is freed after it); the reader
// checks the event time against its own clock, exactly as with Postgres. A row whose expiry is already
// past is not written at all.
// Writes: one script per chunk keeps the newer event time (as the Postgres upsert does) and counts new
// keys. Failed runs' generations and old live generations are removed by SCAN + UNLINK.
import { Redis, type RedisOptions } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '@atelier/catalog';
import type { OnlineReadResult, OnlineRow, OnlineStore, OnlineViewRef, OnlineWriteTarget, StoredOnlineRow } from './online-store.js';

export interface RedisOnlineStoreOptions {
  /** redis://[user:password@]host:port[/db] (rediss:// for TLS). */
  url: string;
  /** First segment of every key (default `atl`), so several installations can share one Redis. */
  keyPrefix?: string;
  /** How long after a row's TTL it is kept, so reads report it as expired (default 1 hour). */
  expiryGraceMs?: number;
  /** Milliseconds a command may take before it fails (default 2,000). */
  commandTimeoutMs?: number;
}

// KEYS[1] live pointer; ARGV[1] the generation key prefix (ending in `:g:`); ARGV[2..] entity keys.
// Returns nil when no generation is live, else { generation, value or false per key }.
const READ_SCRIPT = `
local gen = redis.call('GET', KEYS[1])
if not gen then return nil end
local n = #ARGV - 1
local out = { gen }
local base = ARGV[1] .. gen .. ':'
local i = 2
while i <= #ARGV do
  local last = math.min(i + 999, #ARGV)
  local ks = {}
  for j = i, last do ks[#ks + 1] = base .. ARGV[j] end
  local vals = redis.call('MGET', unpack(ks))
  for j = 1, #vals do out[#out + 1] = vals[j] end
  i = last + 1
end
return out`;

// KEYS[1] the generation's row counter; ARGV[1] the generation's key prefix; ARGV[2] TTL + grace in ms
// (0: no expiry); then per row: entity key, event ms, stored value. A stored row with a newer event time
// wins. Returns the number of rows written.
const WRITE_SCRIPT = `
local prefix = ARGV[1]
local keep = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local written = 0
local added = 0
for i = 3, #ARGV, 3 do
  local k = prefix .. ARGV[i]
  local ms = tonumber(ARGV[i + 1])
  local expireAt = ms + keep
  if keep == 0 or expireAt > now then
    local old = redis.call('GET', k)
    local oldMs = old and tonumber(string.match(old, '^(-?%d+):'))
    if not oldMs or oldMs <= ms then
      if keep == 0 then redis.call('SET', k, ARGV[i + 2]) else redis.call('SET', k, ARGV[i + 2], 'PXAT', expireAt) end
      written = written + 1
      if not old then added = added + 1 end
    end
  end
end
if added > 0 then redis.call('INCRBY', KEYS[1], added) end
return written`;

// KEYS[1] the live generation's counter; ARGV[1] staged prefix; ARGV[2] live prefix; ARGV[3] TTL + grace
// in ms (0: none); ARGV[4..] entity keys found in the staged generation. Moves each into the live
// generation unless the live row is newer, then drops the staged row.
const MERGE_SCRIPT = `
local keep = tonumber(ARGV[3])
local added = 0
for i = 4, #ARGV do
  local s = ARGV[1] .. ARGV[i]
  local v = redis.call('GET', s)
  if v then
    local ms = tonumber(string.match(v, '^(-?%d+):'))
    local l = ARGV[2] .. ARGV[i]
    local old = redis.call('GET', l)
    local oldMs = old and tonumber(string.match(old, '^(-?%d+):'))
    if not oldMs or oldMs <= ms then
      if keep == 0 then redis.call('SET', l, v) else redis.call('SET', l, v, 'PXAT', ms + keep) end
      if not old then added = added + 1 end
    end
    redis.call('DEL', s)
  end
end
if added > 0 then redis.call('INCRBY', KEYS[1], added) end
return added`;

interface ScriptedRedis extends Redis {
  atlOnlineRead(pointer: string, prefix: string, ...keys: string[]): Promise<Array<string | null> | null>;
  atlOnlineWrite(counter: string, ...args: Array<string | number>): Promise<number>;
  atlOnlineMerge(counter: string, ...args: Array<string | number>): Promise<number>;
}

const WRITE_ARGS_PER_SCRIPT = 3 * 1000; // rows per write script call, bounded so Redis is not blocked long
const MERGE_KEYS_PER_SCRIPT = 1000;

export class RedisOnlineStore implements OnlineStore {
  readonly kind = 'redis';
  private readonly redis: ScriptedRedis;
  private readonly prefix: string;
  private readonly graceMs: number;

  constructor(options: RedisOnlineStoreOptions) {
    this.prefix = options.keyPrefix ?? 'atl';
    if (!/^[A-Za-z0-9_.-]+$/.test(this.prefix)) throw new Error(`online store key prefix '${this.prefix}': use letters, digits, '_', '.', '-'`);
    this.graceMs = options.expiryGraceMs ?? 3_600_000;
    const redisOptions: RedisOptions = {
      enableAutoPipelining: true,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      maxRetriesPerRequest: 2,
      lazyConnect: false,
    };
    this.redis = new Redis(options.url, redisOptions) as ScriptedRedis;
    // A connection error is reported by the command that meets it; without a listener ioredis would also
    // print every reconnect attempt as an unhandled 'error' event.
    this.redis.on('error', () => {});
    this.redis.defineCommand('atlOnlineRead', { numberOfKeys: 1, lua: READ_SCRIPT });
    this.redis.defineCommand('atlOnlineWrite', { numberOfKeys: 1, lua: WRITE_SCRIPT });
    this.redis.defineCommand('atlOnlineMerge', { numberOfKeys: 1, lua: MERGE_SCRIPT });
  }

  /** `<prefix>:<project>:{<view version>}:` — every key of the view version starts with it. */
  private base(ref: OnlineViewRef): string {
    return `${this.prefix}:${ref.projectId}:{${ref.viewVersionId}}:`;
  }

  private expiryMs(ttlSeconds: number): number {
    return ttlSeconds > 0 ? ttlSeconds * 1000 + this.graceMs : 0;
  }

  async read(ref: OnlineViewRef, keys: readonly string[]): Promise<OnlineReadResult> {
    const base = this.base(ref);
    const reply = await this.redis.atlOnlineRead(`${base}live`, `${base}g:`, ...keys);
    const rows = new Map<string, StoredOnlineRow>();
    if (reply === null) return { materialized: false, rows };
    for (let i = 0; i < keys.length; i++) {
      const v = reply[i + 1];
      if (v === null || v === undefined) continue;
      const colon = v.indexOf(':');
      rows.set(keys[i], { eventMs: Number(v.slice(0, colon)), vals: v.slice(colon + 1) });
    }
    return { materialized: true, rows };
  }

  async writeChunk(_tx: Kysely<Database>, target: OnlineWriteTarget, rows: OnlineRow[]): Promise<void> {
    if (rows.length === 0) return;
    const base = this.base(target);
    const keep = this.expiryMs(target.ttlSeconds);
    let args: Array<string | number> = [];
    const send = async () => {
      if (args.length > 0) await this.redis.atlOnlineWrite(`${base}n:${target.generation}`, `${base}g:${target.generation}:`, keep, ...args);
      args = [];
    };
    for (const r of rows) {
      const ms = r.eventTs.getTime();
      args.push(r.key, ms, `${ms}:${JSON.stringify(r.values)}`);
      if (args.length >= WRITE_ARGS_PER_SCRIPT) await send();
    }
    await send();
  }

  async finish(_tx: Kysely<Database>, target: OnlineWriteTarget, merge: { from: number; into: number } | null): Promise<{ rowCount: number }> {
    const base = this.base(target);
    if (merge) {
      const staged = `${base}g:${merge.from}:`;
      const keep = this.expiryMs(target.ttlSeconds);
      for await (const batch of this.scan(`${staged}*`)) {
        const keys = batch.map((k) => k.slice(staged.length));
        for (let i = 0; i < keys.length; i += MERGE_KEYS_PER_SCRIPT) {
          await this.redis.atlOnlineMerge(`${base}n:${merge.into}`, staged, `${base}g:${merge.into}:`, keep, ...keys.slice(i, i + MERGE_KEYS_PER_SCRIPT));
        }
      }
      await this.redis.unlink(`${base}n:${merge.from}`);
    }
    const live = merge ? merge.into : target.generation;
    return { rowCount: Number((await this.redis.get(`${base}n:${live}`)) ?? 0) };
  }

  async activate(_tx: Kysely<Database>, ref: OnlineViewRef, generation: number): Promise<void> {
    await this.redis.set(`${this.base(ref)}live`, String(generation));
  }

  async isLive(ref: OnlineViewRef, generation: number): Promise<boolean> {
    return (await this.redis.get(`${this.base(ref)}live`)) === String(generation);
  }

  async dropOtherGenerations(ref: OnlineViewRef, keep: number): Promise<void> {
    const base = this.base(ref);
    const mine = `${base}g:${keep}:`;
    for await (const batch of this.scan(`${base}g:*`)) {
      const other = batch.filter((k) => !k.startsWith(mine));
      if (other.length) await this.redis.unlink(...other);
    }
    for await (const batch of this.scan(`${base}n:*`)) {
      const other = batch.filter((k) => k !== `${base}n:${keep}`);
      if (other.length) await this.redis.unlink(...other);
    }
  }

  async afterLoad(): Promise<void> {}

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Every key matching `pattern` (the prefix before `*` holds no glob characters: ids and digits). */
  private async *scan(pattern: string): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) yield keys;
    } while (cursor !== '0');
  }
}
