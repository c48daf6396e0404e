// Retries, resume, timeouts and cancellation against a real platform behind a small real HTTP proxy
// that misbehaves on purpose: 503 + Retry-After a number of times, connections reset, slow answers,
// and training-job event streams cut in the middle of an event.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Atelier, AtelierError, type TrainingJobEvent, type TrainingJobRequest } from '@atelier/sdk';
import { startTestPlatform, type TestPlatform } from './sdk-platform.js';

interface Plan {
  /** Answer this many matching requests with 503 + this Retry-After before passing them on. */
  unavailable?: { match: RegExp; times: number; retryAfter: string };
  /** Reset the connection of this many matching requests. */
  reset?: { match: RegExp; times: number };
  /** Hold every request this long before passing it on. */
  delayMs?: number;
  /** Cut each event stream after this many job events (in the middle of the next one). */
  cutEventsAfter?: number;
}

let platform: TestPlatform;
let proxy: http.Server;
let proxyUrl: string;
let plan: Plan = {};
const seen: Array<{ method: string; url: string; lastEventId: string | undefined; at: number }> = [];

function startProxy(target: URL): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, lastEventId: req.headers['last-event-id'] as string | undefined, at: Date.now() });
    const u = plan.unavailable;
    if (u && u.times > 0 && u.match.test(req.url!)) {
      u.times--;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': u.retryAfter });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'injected by the test proxy', code: 'ATL_NOT_READY', instance: req.url, requestId: 'proxy' }));
      return;
    }
    const r = plan.reset;
    if (r && r.times > 0 && r.match.test(req.url!)) {
      r.times--;
      req.socket.destroy();
      return;
    }
    setTimeout(() => forward(req, res, target), plan.delayMs ?? 0);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, target: URL): void {
  if (res.destroyed || req.destroyed) return;
  const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (up) => {
    res.writeHead(up.statusCode!, up.headers);
    const cutAfter = plan.cutEventsAfter;
    if (cutAfter === undefined || !String(up.headers['content-type']).startsWith('text/event-stream')) {
      up.pipe(res);
      return;
    }
    let pending = '';
    let events = 0;
    up.setEncoding('utf8');
    let cut = false;
    up.on('data', (chunk: string) => {
      if (cut) return;
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const block = pending.slice(0, end + 2);
        pending = pending.slice(end + 2);
        if (/^id: /m.test(block) && events === cutAfter) {
          // Half an event, then the connection drops (after the client had time to read what came
          // before: a socket reset also discards what the client had received but not yet read).
          cut = true;
          up.destroy();
          res.write(block.slice(0, Math.floor(block.length / 2)));
          setTimeout(() => res.socket?.destroy(), 200);
          return;
        }
        res.write(block);
        if (/^id: /m.test(block)) events++;
      }
    });
    up.on('end', () => {
      if (!cut) res.end(pending);
    });
  });
  upstream.on('error', () => res.socket?.destroy());
  req.pipe(upstream);
}

beforeAll(async () => {
  platform = await startTestPlatform();
  proxy = await startProxy(new URL(platform.url));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const admin = new Atelier({ baseUrl: platform.url, apiKey: platform.adminKey, project: 'ops' });
  await admin.projects.create({ name: 'ops' });
  await admin.datasets.create('present');
});
afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((r) => proxy?.close(r));
  await platform?.stop();
});
beforeEach(() => {
  plan = {};
  seen.length = 0;
});

const client = (extra: Partial<ConstructorParameters<typeof Atelier>[0]> = {}) =>
  new Atelier({ baseUrl: proxyUrl, apiKey: platform.adminKey, project: 'ops', retries: { max: 3, baseDelayMs: 5, maxDelayMs: 5_000 }, ...extra });

describe('@atelier/sdk retries', () => {
  it('retries a GET answered 503 and honours Retry-After in seconds', async () => {
    plan.unavailable = { match: /\/datasets\/present$/, times: 2, retryAfter: '1' };
    const started = Date.now();
    const dataset = await client().datasets.get('present');
    expect(dataset.name).toBe('present');
    expect(seen.filter((s) => s.url.endsWith('/datasets/present'))).toHaveLength(3);
    // Backoff alone would be milliseconds; the server asked for a second each time.
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(950);
    expect(seen[2].at - seen[1].at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(Math.ceil((Date.now() + 2_000) / 1000) * 1000);
    plan.unavailable = { match: /\/datasets\/present$/, times: 1, retryAfter: at.toUTCString() };
    await client().datasets.get('present');
    expect(seen).toHaveLength(2);
    expect(seen[1].at).toBeGreaterThanOrEqual(at.getTime() - 50);
  });

  it('gives up after retries.max with the last answer as a typed error', async () => {
    plan.unavailable = { match: /\/datasets\/present$/, times: 10, retryAfter: '0' };
    const err = (await client({ retries: { max: 2, baseDelayMs: 5 } }).datasets.get('present').catch((e: unknown) => e)) as AtelierError;
    expect(err).toBeInstanceOf(AtelierError);
    expect(err).toMatchObject({ status: 503, code: 'ATL_NOT_READY', retryAfterMs: 0 });
    expect(seen).toHaveLength(3);
  });

  it('does not retry a POST unless the call opts in', async () => {
    plan.unavailable = { match: /\/datasets$/, times: 1, retryAfter: '0' };
    await expect(client().datasets.create('once')).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(1);
    plan.unavailable = { match: /\/datasets$/, times: 1, retryAfter: '0' };
    const created = await client().datasets.create('twice', { retryNonIdempotent: true });
    expect(created.name).toBe('twice');
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(3);
  });

  it('retries a GET whose connection was reset, and reports ATL_NETWORK when it keeps failing', async () => {
    plan.reset = { match: /\/datasets\/present$/, times: 2 };
    expect((await client().datasets.get('present')).name).toBe('present');
    expect(seen).toHaveLength(3);
    plan.reset = { match: /\/datasets\/present$/, times: 10 };
    await expect(client({ retries: { max: 1, baseDelayMs: 5 } }).datasets.get('present')).rejects.toMatchObject({ status: 0, code: 'ATL_NETWORK' });
  });
});

describe('@atelier/sdk timeouts and cancellation', () => {
  it('times an attempt out with ATL_TIMEOUT', async () => {
    plan.delayMs = 3_000;
    const started = Date.now();
    await expect(client({ retries: { max: 0 } }).datasets.get('present', { timeoutMs: 300 })).rejects.toMatchObject({ status: 0, code: 'ATL_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stops at once when the caller aborts, in flight or while waiting to retry', async () => {
    plan.delayMs = 3_000;
    const inFlight = new AbortController();
    setTimeout(() => inFlight.abort(), 150);
    let started = Date.now();
    await expect(client().datasets.get('present', { signal: inFlight.signal })).rejects.toMatchObject({ code: 'ATL_ABORTED' });
    expect(Date.now() - started).toBeLessThan(1_500);

    plan.delayMs = 0;
    seen.length = 0;
    plan.unavailable = { match: /\/datasets\/present$/, times: 5, retryAfter: '4' };
    const waiting = new AbortController();
    setTimeout(() => waiting.abort(), 300);
    started = Date.now();
    await expect(client().datasets.get('present', { signal: waiting.signal })).rejects.toMatchObject({ code: 'ATL_ABORTED' });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(seen).toHaveLength(1);
  });
});

describe('@atelier/sdk job events', () => {
  it('resumes a cut event stream with Last-Event-ID: every event exactly once, in order', async () => {
    const direct = new Atelier({ baseUrl: platform.url, apiKey: platform.adminKey, project: 'ops' });
    let csv = 'x,y\n';
    for (let i = 0; i < 200; i++) csv += `${(i % 20) / 2},${i % 20 >= 10 ? 1 : 0}\n`;
    await direct.datasets.upload('points', csv);
    const spec: TrainingJobRequest = { modelName: 'points', data: { dataset: 'points', version: 1 }, label: 'y', model: { kind: 'logistic' }, maxEpochs: 10, seed: 1, features: [{ name: 'x', type: 'numeric', transform: 'standardize' }] };

    plan.cutEventsAfter = 3;
    const job = await client().jobs.create(spec);
    const followed: TrainingJobEvent[] = [];
    for await (const event of job.events()) followed.push(event);

    // The reference: the whole log, read straight from the platform after the job ended.
    const reference: TrainingJobEvent[] = [];
    for await (const event of direct.jobs.events(job.id)) reference.push(event);
    expect(reference.at(-1)).toMatchObject({ type: 'state', data: { status: 'succeeded' } });
    expect(reference.length).toBeGreaterThan(9);
    expect(followed).toEqual(reference);

    // It really was cut: several connections, each resuming after the last event delivered.
    const connections = seen.filter((s) => s.url.endsWith(`/training-jobs/${job.id}/events`));
    expect(connections.length).toBeGreaterThanOrEqual(Math.ceil(reference.length / 3));
    expect(connections[0].lastEventId).toBeUndefined();
    for (let i = 1; i < connections.length; i++) expect(connections[i].lastEventId).toBe(String(reference[i * 3 - 1].id));

    // wait() over the cut stream gives the final job view; aborting the iterator stops it.
    expect((await client().jobs.handle(job.id).wait()).status).toBe('succeeded');
    const stop = new AbortController();
    stop.abort();
    await expect(client().jobs.events(job.id, { signal: stop.signal }).next()).rejects.toMatchObject({ code: 'ATL_ABORTED' });
  }, 120_000);
});
