// Issue 12, "a fuzz suite in CI": schema-aware mutations of valid requests for every operation in the
// live OpenAPI document, sent over real HTTP to the platform running as a child process. A fixed seed
// and a seed from the clock (printed; ATELIER_FUZZ_SEED=<n> replays one) each give a full round.
// Every answer must be: not 5xx, within 2 s, and when an error, problem+json with an ATL_* code; the
// server's RSS must come back within 20% of what it was after a first round (see the baseline below).
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../packages/engine/src/util/random.js';
import { httpSender, problemViolation, type Send } from './fuzz/client.js';
import { casesFor, type FuzzCase } from './fuzz/mutations.js';
import { HIDDEN_PUBLIC_OPERATIONS, loadOperations, type Operation } from './fuzz/openapi-operations.js';
import { startServerProcess, type ServerProcess } from './fuzz/server-process.js';
import { buildWorld, validRequest, type World } from './fuzz/world.js';

const ADMIN_KEY = 'atl_fuzz-admin-key-0123456789abcdefghijklmnopqrstuv';
const FIXED_SEED = 20261205;
const MIN_CASES = 500;
const SLOW_MS = 2000;
const RSS_TOLERANCE = 0.2;
/** The whole run stops sending new cases after this long, so a slow machine cannot stall CI. */
const BUDGET_MS = 75_000;

const replay = process.env.ATELIER_FUZZ_SEED;
if (replay !== undefined && !/^\d{1,10}$/.test(replay)) throw new Error(`ATELIER_FUZZ_SEED must be a whole number (got '${replay}')`);
const SEEDS = replay !== undefined ? [Number(replay)] : [FIXED_SEED, Date.now() % 2 ** 31];
/** The fixed seed sends every mutation of every operation; another seed a random half of them (time). */
const shareFor = (seed: number) => (seed === FIXED_SEED ? 1 : 0.5);
/** The round before the memory baseline: its own seed, a random half of the cases. */
const WARMUP_SEED = FIXED_SEED + 1;
const WARMUP_SHARE = 0.5;
/** ATELIER_FUZZ_ONLY=<text>: send only the cases whose operation or mutation contains it (to replay a failure). */
const ONLY = process.env.ATELIER_FUZZ_ONLY;

interface Failure {
  seed: number;
  operation: string;
  mutation: string;
  request: string;
  status: number;
  contentType: string;
  ms: number;
  problem: string;
}

let server: ServerProcess;
let send: Send;
let world: World;
let operations: Operation[];

beforeAll(async () => {
  const t0 = Date.now();
  server = await startServerProcess({ adminKey: ADMIN_KEY });
  const t1 = Date.now();
  // Past 2 s an answer already fails; waiting longer only tells how much slower it is.
  send = httpSender(server.url, 5_000);
  ({ operations } = await loadOperations(send));
  world = await buildWorld(send, ADMIN_KEY);
  console.log(`fuzz setup: server started in ${t1 - t0} ms, fixtures made in ${Date.now() - t1} ms`);
}, 240_000);

afterAll(async () => {
  await server?.stop();
});

/**
 * Waits (bounded) until no training job runs in any project: valid submissions in a round start real
 * training in the server's worker threads, whose memory is work in progress, not a leak. Queued jobs
 * that cannot be placed (a GPU job here) hold no memory and are not waited for.
 */
async function trainingSettled(auth: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  const get = async (url: string) => {
    const res = await send({ method: 'GET', url, headers: { authorization: auth } });
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.body.slice(0, 200)}`);
    return JSON.parse(res.body) as { items: Array<{ name: string }> };
  };
  for (;;) {
    const projects = (await get('/v1/projects?limit=500')).items;
    let running = 0;
    for (const p of projects) running += (await get(`/v1/projects/${encodeURIComponent(p.name)}/training-jobs?status=running&limit=1`)).items.length;
    if (running === 0) return;
    if (Date.now() > deadline) throw new Error(`training jobs still running after 60 s (${running} projects with one)`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The server's RSS as the median of 5 readings 250 ms apart: one reading can land on either side of a GC. */
async function medianRss(): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 250));
    readings.push(server.rssBytes());
  }
  return readings.sort((a, b) => a - b)[2];
}

function summarize(c: FuzzCase): string {
  const r = c.request;
  const body = r.body === undefined ? 'no body' : `${Buffer.byteLength(r.body)} B ${JSON.stringify(Buffer.from(r.body).subarray(0, 120).toString('latin1'))}`;
  return `${r.method} ${r.url.slice(0, 200)} [${r.headers?.['content-type'] ?? 'no content-type'}] ${body}`;
}

describe('fuzz: every operation in /openapi.json, mutated', () => {
  it(`sends ≥ ${MIN_CASES} cases: no 5xx, none slower than ${SLOW_MS} ms, every error problem+json, RSS back within ${RSS_TOLERANCE * 100}%`, async () => {
    console.log(`fuzz seeds: ${WARMUP_SEED} (first round, before the memory baseline), ${SEEDS.join(', ')} (replay one with ATELIER_FUZZ_SEED=<seed>)`);
    const auth = `Bearer ${ADMIN_KEY}`;
    // Every operation in the document, and the public routes it does not list (itself, its UI).
    const hidden = HIDDEN_PUBLIC_OPERATIONS.map((key): Operation => {
      const [method, path] = key.split(' ');
      return { method, path, key, params: [], bodies: {}, secured: false };
    });
    const bases = [...operations, ...hidden].map((op) => validRequest(world, op));
    const started = Date.now();
    const byStatus: Record<string, number> = {};
    const failures: Failure[] = [];
    let sent = 0;
    const timings: Array<{ operation: string; mutation: string; status: number; ms: number }> = [];
    // The memory baseline is taken after a first round (checked like the others): it loads modules,
    // compiles schemas, opens DuckDB and takes the allocator to its working high-water mark (1 MB bodies,
    // decoded bombs up to the body limit, ONNX check threads). What the rounds after it add is growth
    // a leak would show; RSS right after start would only measure first touches.
    let rssBefore = 0;
    for (const [round, seed] of [WARMUP_SEED, ...SEEDS].entries()) {
      if (round === 1) {
        await trainingSettled(auth);
        rssBefore = await medianRss();
      }
      const rng = new Random(seed);
      for (const base of bases) {
        for (const c of casesFor(base, rng, auth, round === 0 ? WARMUP_SHARE : shareFor(seed))) {
          if (Date.now() - started > BUDGET_MS) break;
          if (ONLY && !`${base.op.key} ${c.mutation}`.includes(ONLY)) continue;
          const res = await send(c.request);
          sent++;
          byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
          timings.push({ operation: base.op.key, mutation: c.mutation, status: res.status, ms: Math.round(res.ms) });
          const problems = [
            res.status === 0 && `no answer (${res.error})`,
            res.status >= 500 && `${res.status}`,
            res.ms > SLOW_MS && `slow: ${Math.round(res.ms)} ms`,
            problemViolation(res),
          ].filter((p): p is string => typeof p === 'string');
          if (problems.length > 0) {
            failures.push({
              seed,
              operation: base.op.key,
              mutation: c.mutation,
              request: summarize(c),
              status: res.status,
              contentType: res.contentType,
              ms: Math.round(res.ms),
              problem: `${problems.join('; ')}${res.status >= 400 ? ` — ${res.body.slice(0, 200)}` : ''}`,
            });
          }
        }
      }
    }
    const elapsedMs = Date.now() - started;

    // Memory: the server's RSS settles back (jobs the run started finish, allocator and GC need a
    // moment); poll with a deadline.
    await trainingSettled(auth);
    const limit = rssBefore * (1 + RSS_TOLERANCE);
    let rssAfter = server.rssBytes();
    const deadline = Date.now() + 30_000;
    while (rssAfter > limit && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      rssAfter = server.rssBytes();
    }

    const file = join(tmpdir(), `atelier-fuzz-failures-${SEEDS.join('-')}.json`);
    writeFileSync(file, JSON.stringify({ seeds: SEEDS, sent, byStatus, rssBefore, rssAfter, failures, timings }, null, 2));
    const logFile = join(tmpdir(), `atelier-fuzz-server-${SEEDS.join('-')}.log`);
    writeFileSync(logFile, server.output());
    const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
    const lines = [
      `fuzz: ${sent} cases in ${(elapsedMs / 1000).toFixed(1)} s over ${bases.length} operations, seeds ${[WARMUP_SEED, ...SEEDS].join(', ')} (the first before the memory baseline)`,
      `  by status: ${JSON.stringify(byStatus)}`,
      `  slowest: ${[...timings]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 3)
        .map((t) => `${t.ms} ms (${t.operation} | ${t.mutation})`)
        .join(', ')}`,
      `  server RSS: ${mb(rssBefore)} before, ${mb(rssAfter)} after`,
      `  failures: ${failures.length}${failures.length ? ` (all in ${file}; the server's log tail in ${logFile})` : ` (timings in ${file})`}`,
      ...failures.map((f) => `  - [seed ${f.seed}] ${f.operation} | ${f.mutation} | ${f.request} → ${f.status} ${f.contentType} ${f.ms} ms: ${f.problem}`),
    ];
    console.log(lines.join('\n'));

    if (!ONLY) expect(sent, `cases sent (budget ${BUDGET_MS} ms)`).toBeGreaterThanOrEqual(MIN_CASES);
    expect(
      failures.map((f) => `${f.operation} | ${f.mutation} → ${f.status}: ${f.problem.slice(0, 160)}`),
      `fuzz failures (seeds ${SEEDS.join(', ')}; details in ${file})`,
    ).toEqual([]);
    expect(rssAfter, `server RSS after the run (${mb(rssAfter)}) vs before (${mb(rssBefore)})`).toBeLessThanOrEqual(limit);
  }, 240_000);
});
