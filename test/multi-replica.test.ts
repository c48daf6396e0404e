// The platform scaled out on one machine: 2 gateways, 2 training workers and 2 serving nodes, each a
// separate `atelier-server <app>` process, on one Postgres (a fresh database per run), one artifact
// store (the S3 server when S3_ENDPOINT is set, else the filesystem store on a shared folder) and one
// Redis online store (when Redis answers; CI starts it). Serving nodes sit behind a round-robin TCP
// balancer (test/tcp-balancer.ts), as a Kubernetes Service puts them behind one address; clients talk
// to either gateway. The lifecycle runs through both gateways, and one process of each kind is killed
// with SIGKILL mid-run — the training worker holding a running job, a serving node and a gateway under
// predict load — then started again:
//   - no job is lost or run twice: the job succeeds once, on its second attempt, resumed from the
//     checkpoint by one worker, one model version;
//   - no predict that had time to finish fails. A client (like the gateway towards the serving pool,
//     see HttpPredictionBackend) sends a predict again only when its connection was refused (nothing was
//     processed) or lost before any answer arrived (the process died mid-request; predict changes
//     nothing but observability records, so computing it again is harmless). Any answer other than 200,
//     and any request still failing after that, counts as a failure: there must be none;
//   - the killed ones rejoin: the serving node answers predicts again, the gateway serves again, the
//     worker claims jobs again.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../packages/catalog/src/index.js';
import { syntheticCsv } from '../apps/training-orchestrator/src/testing/fixtures.js';
import { createTestDatabase, postgresAvailability, type TestDatabase } from './database.js';
import { startTcpBalancer, type TcpBalancer } from './tcp-balancer.js';
import { poll } from './worker-process.js';

const availability = postgresAvailability();
const BIN = new URL('../apps/launcher/bin/atelier-server.js', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;
const ADMIN_KEY = `atl_mr-${randomBytes(24).toString('base64url')}`;
const SERVING_TOKEN = randomBytes(24).toString('hex');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const REDIS_PREFIX = `atlmr${randomBytes(4).toString('hex')}`;
const LEASE_MS = 1500;

interface Proc {
  name: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

let db: TestDatabase;
let catalog: Catalog;
let dir: string;
let balancer: TcpBalancer;
let redisOn = false;
const procs = new Map<string, Proc>();
const gatewayUrls = new Map<string, string>();
const servingPorts = new Map<string, number>();

async function redisAnswers(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('ATELIER_')) delete env[k];
  if (env.S3_ENDPOINT) env.S3_BUCKET = `${env.S3_BUCKET ?? 'atelier'}-mr-${randomBytes(3).toString('hex')}`.toLowerCase();
  return {
    ...env,
    DATABASE_URL: db.databaseUrl,
    ATELIER_DATA_DIR: join(dir, 'shared'), // the filesystem artifact store, when there is no S3
    ATELIER_ADMIN_KEY: ADMIN_KEY,
    ATELIER_SERVING_TOKEN: SERVING_TOKEN,
    ATELIER_CONSOLE_DIR: join(dir, 'console'),
    ATELIER_GC_INTERVAL_MS: '0',
    ...(redisOn && { ATELIER_ONLINE_STORE: `${REDIS_URL}?keyPrefix=${REDIS_PREFIX}` }),
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
  };
}
let sharedEnv: NodeJS.ProcessEnv;

/** Start (or start again) one app process; resolves when it says it is running. */
async function startApp(name: string, app: 'gateway' | 'serving' | 'orchestrator'): Promise<Proc> {
  const env: NodeJS.ProcessEnv = { ...sharedEnv };
  if (app === 'gateway') Object.assign(env, { PORT: '0', ATELIER_SERVING_URL: `http://127.0.0.1:${balancer.port}`, ATELIER_DATASETS_DIR: join(dir, name) });
  if (app === 'serving') Object.assign(env, { ATELIER_SERVING_PORT: String(servingPorts.get(name)), ATELIER_SERVING_NODE_ID: name, ATELIER_SERVING_RECONCILE_MS: '1000' });
  if (app === 'orchestrator') {
    Object.assign(env, { ATELIER_WORKER_ID: name, ATELIER_WORKER_CORES: '1', ATELIER_WORKER_CONCURRENCY: '1', ATELIER_LEASE_TTL_MS: String(LEASE_MS), ATELIER_POLL_INTERVAL_MS: '100' });
    Object.assign(env, { ATELIER_DATASETS_DIR: join(dir, name) });
  }
  const child = spawn(process.execPath, [BIN, app], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const proc = { name, child, output: () => out, exited };
  procs.set(name, proc);
  const ready = app === 'gateway' ? /API:\s+(http:\/\/[\d.:]+)\/v1/ : app === 'serving' ? /serving node: / : /training worker: /;
  const m = await until(`${name} to start`, () => {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${out}`);
    return ready.exec(out) ?? undefined;
  }, 120_000);
  if (app === 'gateway') gatewayUrls.set(name, m[1]);
  return proc;
}

async function kill9(name: string): Promise<void> {
  const p = procs.get(name)!;
  p.child.kill('SIGKILL');
  await p.exited;
  gatewayUrls.delete(name);
}

/** poll (worker-process.ts) with this file's pace: a minute, every 50 ms. */
const until = <T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000, everyMs = 50): Promise<T> => poll(what, fn, timeoutMs, everyMs);

/** One API call through the named gateway; throws with the problem body on an error status. */
async function api(gateway: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  const res = await fetch(`${gatewayUrls.get(gateway)}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body !== undefined && { 'content-type': contentType }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} via ${gateway}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const LOST = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const INSTANCES = [
  { age: 25, income: 40, city: 'paris' },
  { age: 61, income: 90, city: 'lyon' },
];

interface LoadStats {
  ok: number;
  retried: number;
  failures: string[];
  /** Answers per gateway name (the one that finally answered). */
  byGateway: Map<string, number>;
}

/** `clients` loops predicting through the gateways in turn until `stop()`; see the file header for retries. */
function predictLoad(clients: number): { stats: LoadStats; stop: () => Promise<void> } {
  const stats: LoadStats = { ok: 0, retried: 0, failures: [], byGateway: new Map() };
  let running = true;
  let turn = 0;
  const one = async () => {
    for (let attempt = 1; ; attempt++) {
      const names = [...gatewayUrls.keys()].sort();
      const name = names[turn++ % names.length];
      try {
        const res = await fetch(`${gatewayUrls.get(name)}/v1/projects/mr/models/churn/predict`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ instances: INSTANCES }),
        });
        const text = await res.text();
        if (res.status !== 200) return void stats.failures.push(`${name}: ${res.status} ${text.slice(0, 300)}`);
        const body = JSON.parse(text) as { predictions: unknown[] };
        if (body.predictions.length !== 2) return void stats.failures.push(`${name}: ${text.slice(0, 300)}`);
        stats.ok++;
        stats.byGateway.set(name, (stats.byGateway.get(name) ?? 0) + 1);
        return;
      } catch (err) {
        const code = (err as { cause?: { code?: string } }).cause?.code;
        if (code && LOST.has(code) && attempt < 5) {
          stats.retried++;
          continue; // the next gateway in turn
        }
        return void stats.failures.push(`${name}: ${(err as Error).message} ${code ?? ''}`);
      }
    }
  };
  const loops = Array.from({ length: clients }, async () => {
    while (running) await one();
  });
  return {
    stats,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function servedByNode(name: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${servingPorts.get(name)}/metrics`);
  const text = await res.text();
  let n = 0;
  for (const [, v] of text.matchAll(/^atelier_serving_request_duration_seconds_count\{[^}]*status="200"[^}]*\} (\d+)/gm)) n += Number(v);
  return n;
}

describe.skipIf('skip' in availability)('multi-replica: 2 gateways, 2 workers, 2 serving nodes as processes; one of each killed', () => {
  beforeAll(async () => {
    redisOn = await redisAnswers();
    if (!redisOn && process.env.CI) throw new Error(`CI needs Redis at ${REDIS_URL}`);
    db = await createTestDatabase('postgres');
    catalog = await db.openCatalog(); // migrates: the processes start on a current schema
    dir = mkdtempSync(join(tmpdir(), 'atelier-multi-replica-'));
    for (const d of ['shared', 'console']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'console', 'index.html'), '<!doctype html><title>console</title>');
    servingPorts.set('serving-a', await freePort());
    servingPorts.set('serving-b', await freePort());
    balancer = await startTcpBalancer([...servingPorts.values()]);
    sharedEnv = baseEnv();
    // The first gateway creates the admin key; the rest start together.
    await startApp('gateway-1', 'gateway');
    await Promise.all([
      startApp('gateway-2', 'gateway'),
      startApp('serving-a', 'serving'),
      startApp('serving-b', 'serving'),
      startApp('worker-a', 'orchestrator'),
      startApp('worker-b', 'orchestrator'),
    ]);
  }, 240_000);

  afterAll(async () => {
    for (const p of procs.values()) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all([...procs.values()].map((p) => p.exited));
    await balancer?.close();
    await catalog?.close();
    await db?.drop();
    if (redisOn) {
      const r = new Redis(REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', `${REDIS_PREFIX}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await r.unlink(...keys);
      } while (cursor !== '0');
      r.disconnect();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the lifecycle through either gateway; a worker killed mid-job loses nothing and runs nothing twice', async () => {
    await api('gateway-1', 'POST', '/v1/projects', { name: 'mr' });
    const P = '/v1/projects/mr';
    await api('gateway-2', 'POST', `${P}/datasets`, { name: 'customers' });
    await api('gateway-1', 'POST', `${P}/datasets/customers/versions`, syntheticCsv(400), 'text/csv');

    // Online features through the shared online store: materialized via one gateway, read via the other.
    await api('gateway-2', 'POST', `${P}/entities`, { name: 'customer', joinKeys: [{ name: 'id', type: 'int' }] });
    await api('gateway-1', 'POST', `${P}/feature-views`, {
      name: 'spend',
      entity: 'customer',
      source: { dataset: 'customers' },
      eventTimestampColumn: 'ts',
      ttlSeconds: 0,
      features: [{ name: 'spend', type: 'float' }],
    });
    await api('gateway-2', 'POST', `${P}/feature-views/spend/materialize`, { mode: 'full' });
    const online = await api('gateway-1', 'POST', `${P}/online-features`, { featureViews: ['spend'], entityKeys: [{ id: 3 }, { id: 100_000 }] });
    expect(online.results.map((r: { features: { spend: { status: string } } }) => r.features.spend.status)).toEqual(['present', 'missing']);

    const job = await api('gateway-1', 'POST', `${P}/training-jobs`, {
      modelName: 'churn',
      data: { dataset: 'customers', version: 1 },
      label: 'churned',
      features: [
        { name: 'age', type: 'numeric', transform: 'standardize' },
        { name: 'income', type: 'numeric', transform: 'standardize' },
        { name: 'city', type: 'categorical', transform: 'vocabulary' },
      ],
      model: { kind: 'mlp', hyperparameters: { hiddenUnits: [32, 32] } },
      maxEpochs: 12,
      batchSize: 8,
      seed: 1,
    });
    // Kill the worker that holds the job once it has checkpointed twice, then start it again at once
    // (a restarted pod keeps its name).
    const held = await until('a checkpoint of the running job', async () => {
      const j = await catalog.trainingJobs.get(job.id);
      if (!['queued', 'running'].includes(j.status)) throw new Error(`job ended early: ${j.status} ${j.error}`);
      return j.leaseOwner && (j.checkpointEpoch ?? 0) >= 2 ? j : undefined;
    }, 120_000);
    const doomed = held.leaseOwner!;
    await kill9(doomed);
    expect((await catalog.trainingJobs.get(job.id)).status).toBe('running');
    await startApp(doomed, 'orchestrator');

    const done = await until('the job to finish', async () => {
      const j = await api('gateway-2', 'GET', `${P}/training-jobs/${job.id}`);
      return ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
    }, 150_000, 200);
    expect(done.status).toBe('succeeded');
    const row = await catalog.trainingJobs.get(job.id);
    expect(row.attempts).toBe(2);
    const events = await catalog.trainingJobs.listEvents(job.id);
    const states = events.filter((e) => e.type === 'state').map((e) => e.payload.status);
    expect(states.filter((s) => s === 'succeeded')).toHaveLength(1);
    expect(states.filter((s) => s === 'running')).toHaveLength(2); // the first attempt, the resumed one
    const resumed = events.findLast((e) => e.type === 'state' && e.payload.status === 'running')!;
    expect(resumed.payload.resumedFromEpoch).toBeGreaterThanOrEqual(2);
    // Every epoch's metric once after the resume, none twice: the resumed attempt continued, not restarted.
    const after = events.slice(events.indexOf(resumed)).filter((e) => e.type === 'metric').map((e) => e.payload.epoch);
    expect(after).toEqual(Array.from({ length: 12 - (resumed.payload.resumedFromEpoch as number) }, (_, i) => (resumed.payload.resumedFromEpoch as number) + 1 + i));
    const versions = await api('gateway-1', 'GET', `${P}/models/churn/versions`);
    expect(versions.items).toHaveLength(1);
  }, 300_000);

  it('keeps answering predicts while a serving node and a gateway are killed, and both rejoin', async () => {
    const P = '/v1/projects/mr';
    await api('gateway-2', 'PUT', `${P}/models/churn/aliases/production`, { version: 1 });
    const deployed = await api('gateway-1', 'PUT', `${P}/deployments/churn-live?wait=ready&timeoutMs=90000`, { model: 'churn', routes: [{ alias: 'production', weight: 100 }] });
    expect(deployed.status.state).toBe('ready');
    // Both nodes have it loaded before the load starts.
    for (const name of ['serving-a', 'serving-b']) {
      await until(`${name} ready`, async () => ((await fetch(`http://127.0.0.1:${servingPorts.get(name)}/readyz`)).ok ? true : undefined), 60_000, 100);
    }

    const load = predictLoad(6);
    await until('predicts flowing', () => (load.stats.ok >= 50 ? true : undefined), 60_000);
    await kill9('serving-a');
    const afterServingKill = load.stats.ok;
    await until('predicts flowing on one node', () => (load.stats.ok >= afterServingKill + 50 ? true : undefined), 60_000);
    await startApp('serving-a', 'serving');
    await until('serving-a ready again', async () => ((await fetch(`http://127.0.0.1:${servingPorts.get('serving-a')}/readyz`)).ok ? true : undefined), 60_000, 100);

    await kill9('gateway-1');
    const afterGatewayKill = load.stats.ok;
    await until('predicts flowing through one gateway', () => (load.stats.ok >= afterGatewayKill + 50 ? true : undefined), 60_000);
    await startApp('gateway-1', 'gateway');
    // The restarted gateway opens new connections to the pool; the balancer spreads them over both nodes.
    const servedBefore = await servedByNode('serving-a');
    const gatewayBefore = load.stats.byGateway.get('gateway-1') ?? 0;
    await until('the restarted gateway and node to answer predicts', async () =>
      (load.stats.byGateway.get('gateway-1') ?? 0) > gatewayBefore + 20 && (await servedByNode('serving-a')) > servedBefore ? true : undefined,
    60_000, 200).catch(async (err: Error) => {
      throw new Error(`${err.message}: gateway-1 answered ${(load.stats.byGateway.get('gateway-1') ?? 0) - gatewayBefore}, serving-a served ${(await servedByNode('serving-a')) - servedBefore}; failures ${JSON.stringify(load.stats.failures.slice(0, 5))}`);
    });
    await load.stop();

    expect(load.stats.failures).toEqual([]);
    expect(load.stats.ok).toBeGreaterThan(200);
    console.log(`multi-replica: ${load.stats.ok} predicts answered, ${load.stats.retried} sent again after a lost connection, balancer connections ${JSON.stringify([...balancer.connections])}`);
  }, 300_000);

  it('the restarted worker claims jobs again', async () => {
    const P = '/v1/projects/mr';
    const spec = (modelName: string) => ({
      modelName,
      data: { dataset: 'customers', version: 1 },
      label: 'churned',
      features: [{ name: 'age', type: 'numeric', transform: 'standardize' }],
      model: { kind: 'mlp', hyperparameters: { hiddenUnits: [16] } },
      maxEpochs: 6,
      batchSize: 8,
      seed: 2,
    });
    // Two jobs at once, one job at a time per worker: each worker must claim one.
    const jobs = await Promise.all([api('gateway-1', 'POST', `${P}/training-jobs`, spec('two-a')), api('gateway-2', 'POST', `${P}/training-jobs`, spec('two-b'))]);
    const owners = new Set<string>();
    await until('both jobs to finish', async () => {
      const rows = await Promise.all(jobs.map((j) => catalog.trainingJobs.get(j.id)));
      for (const r of rows) if (r.leaseOwner) owners.add(r.leaseOwner);
      if (rows.some((r) => r.status === 'failed' || r.status === 'cancelled')) throw new Error(`a job failed: ${rows.map((r) => r.error).join('; ')}`);
      return rows.every((r) => r.status === 'succeeded') ? rows : undefined;
    }, 150_000, 50);
    const workersOf = await Promise.all(jobs.map(async (j) => (await catalog.trainingJobs.listEvents(j.id)).find((e) => e.type === 'state' && e.payload.status === 'running')?.payload.worker));
    expect(new Set(workersOf)).toEqual(new Set(['worker-a', 'worker-b']));
  }, 200_000);
});
