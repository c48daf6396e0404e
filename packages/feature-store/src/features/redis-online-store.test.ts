// The online store conformance suite against a real Redis (REDIS_URL, default redis://127.0.0.1:6379;
// CI starts one), each run under its own key prefix; then what only Redis does: expiry set from the
// event time and the TTL, the key layout's hash tags, and a store that lost its data.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnlineStoreConformance } from './online-store.conformance.js';
import { RedisOnlineStore } from './redis-online-store.js';
import { onlineStoreConfigFromEnv } from './online-store.config.js';
import type { OnlineViewRef } from './online-store.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `atltest${randomBytes(4).toString('hex')}`;

/** Whether Redis answers; CI must have it, elsewhere the suite is skipped saying why. */
async function redisReachable(): Promise<string | null> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    probe.disconnect();
  }
}
const unreachable = await redisReachable();
if (unreachable && process.env.CI) throw new Error(`CI needs Redis at ${url}: ${unreachable}`);

async function keysOf(pattern: string): Promise<string[]> {
  const r = new Redis(url);
  try {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      out.push(...keys);
    } while (cursor !== '0');
    return out;
  } finally {
    r.disconnect();
  }
}

async function generations(ref: OnlineViewRef): Promise<Map<number, number>> {
  const base = `${prefix}:${ref.projectId}:{${ref.viewVersionId}}:g:`;
  const counts = new Map<number, number>();
  for (const k of await keysOf(`${base}*`)) {
    const g = Number(k.slice(base.length, k.indexOf(':', base.length)));
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return new Map([...counts].sort((a, b) => a[0] - b[0]));
}

describe.skipIf(unreachable !== null)(`redis online store (${unreachable ?? url})`, () => {
  afterAll(async () => {
    const r = new Redis(url);
    const keys = await keysOf(`${prefix}:*`);
    if (keys.length) await r.unlink(...keys);
    r.disconnect();
  });

  // The suite's rows are from 2024 and its reader's clock is set then: a grace that keeps them in Redis
  // lets the suite judge TTL by event time exactly as on Postgres (Redis's own expiry is checked below).
  const TWENTY_YEARS_MS = 20 * 365 * 86_400_000;
  describeOnlineStoreConformance('redis', () => new RedisOnlineStore({ url, keyPrefix: prefix, expiryGraceMs: TWENTY_YEARS_MS }), {
    generations: async (_s, _c, ref) => generations(ref),
    // What a Redis without persistence shows after a restart: none of the view version's keys.
    async loseRows(ref) {
      const keys = await keysOf(`${prefix}:${ref.projectId}:{${ref.viewVersionId}}:*`);
      const r = new Redis(url);
      if (keys.length) await r.unlink(...keys);
      r.disconnect();
    },
  });

  describe('what only Redis does', () => {
    let store: RedisOnlineStore;
    let raw: Redis;
    const ref = { projectId: '00000000-0000-4000-8000-000000000001', viewVersionId: '00000000-0000-4000-8000-000000000002' };
    beforeAll(() => {
      store = new RedisOnlineStore({ url, keyPrefix: prefix, expiryGraceMs: 60_000 });
      raw = new Redis(url);
    });
    afterAll(async () => {
      await store.close();
      raw.disconnect();
    });
    const tx = undefined as unknown as Parameters<RedisOnlineStore['writeChunk']>[0]; // Redis writes outside the catalog

    it('sets each row to expire at event time + TTL + grace, skips rows already past it, and keeps TTL-less rows', async () => {
      const now = Date.now();
      const target = { ...ref, generation: 1, ttlSeconds: 600 };
      await store.writeChunk(tx, target, [
        { key: 'fresh', eventTs: new Date(now - 100_000), values: [1] },
        { key: 'gone', eventTs: new Date(now - 700_000), values: [2] }, // 600 s TTL + 60 s grace: past
      ]);
      const base = `${prefix}:${ref.projectId}:{${ref.viewVersionId}}:`;
      const pexpireTime = Number(await raw.call('PEXPIRETIME', `${base}g:1:fresh`));
      expect(pexpireTime).toBe(now - 100_000 + 600_000 + 60_000);
      expect(await raw.exists(`${base}g:1:gone`)).toBe(0);
      expect(await raw.get(`${base}n:1`)).toBe('1');

      await store.writeChunk(tx, { ...target, generation: 2, ttlSeconds: 0 }, [{ key: 'old', eventTs: new Date('2001-01-01T00:00:00Z'), values: ['kept'] }]);
      expect(await raw.pttl(`${base}g:2:old`)).toBe(-1);
    });

    it('keeps every key of a view version in one hash slot (Cluster-compatible scripts and MGET)', async () => {
      const keys = await keysOf(`${prefix}:${ref.projectId}:*`);
      expect(keys.length).toBeGreaterThanOrEqual(3);
      const slots = new Set(await Promise.all(keys.map((k) => raw.call('CLUSTER', 'KEYSLOT', k).catch(() => hashTag(k)))));
      expect(slots.size).toBe(1);
      expect(keys.every((k) => hashTag(k) === ref.viewVersionId)).toBe(true);
    });

    it('reads nothing before a generation is live, then one round trip per view', async () => {
      expect(await store.read(ref, ['fresh'])).toEqual({ materialized: false, rows: new Map() });
      expect(await store.isLive(ref, 1)).toBe(false);
      await store.activate(tx, ref, 1);
      expect(await store.isLive(ref, 1)).toBe(true);
      const read = await store.read(ref, ['fresh', 'gone', 'old']);
      expect([...read.rows.keys()]).toEqual(['fresh']);
      expect(read.rows.get('fresh')?.vals).toBe('[1]');
      await store.dropOtherGenerations(ref, 1);
      expect((await generations(ref)).has(2)).toBe(false);
    });
  });
});

function hashTag(key: string): string {
  return key.slice(key.indexOf('{') + 1, key.indexOf('}'));
}

describe('ATELIER_ONLINE_STORE', () => {
  it('names Postgres (the default) or a redis:// URL, and names itself when wrong', () => {
    expect(onlineStoreConfigFromEnv({})).toEqual({ kind: 'postgres' });
    expect(onlineStoreConfigFromEnv({ ATELIER_ONLINE_STORE: 'postgres' })).toEqual({ kind: 'postgres' });
    expect(onlineStoreConfigFromEnv({ ATELIER_ONLINE_STORE: 'redis://:pw@cache:6380/2?keyPrefix=prod' })).toEqual({
      kind: 'redis',
      url: 'redis://:pw@cache:6380/2',
      keyPrefix: 'prod',
    });
    expect(() => onlineStoreConfigFromEnv({ ATELIER_ONLINE_STORE: 'memcached://x' })).toThrow(/ATELIER_ONLINE_STORE .*memcached:/);
    expect(() => onlineStoreConfigFromEnv({ ATELIER_ONLINE_STORE: 'redis://x?keyPrefix=a*b' })).toThrow(/ATELIER_ONLINE_STORE: keyPrefix/);
    expect(() => onlineStoreConfigFromEnv({ ATELIER_ONLINE_STORE: 'redis://x?db=1' })).toThrow(/unknown parameter 'db'/);
    expect(() => onlineStoreConfigFromEnv({ ATELIER_ONLINE_STORE: 'not a url' })).toThrow(/ATELIER_ONLINE_STORE/);
  });
});

