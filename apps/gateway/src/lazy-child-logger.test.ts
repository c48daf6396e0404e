import { Writable } from 'node:stream';
import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { LazyChildLogger, lazyChildLoggerFactory } from './lazy-child-logger.js';

/** A Fastify app logging JSON lines into an array, with the given child logger factory. */
async function appWith(childLoggerFactory?: FastifyServerOptions['childLoggerFactory']) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // As the gateway does: no access log lines for quiet routes.
  const logController = new LogController({ disableRequestLogging: (req: { url?: string }) => req.url === '/quiet' });
  const app = Fastify({ logger: { level: 'info', stream }, logController, ...(childLoggerFactory && { childLoggerFactory }) });
  const seen: unknown[] = [];
  app.get('/quiet', async (request) => {
    seen.push(request.log);
    return { ok: true };
  });
  app.get('/talks', { logLevel: 'warn' }, async (request) => {
    request.log.info({ skipped: true }, 'below the route level');
    request.log.warn({ n: 1 }, 'told');
    request.log.child({ part: 'inner' }).error('nested');
    return { level: request.log.level };
  });
  app.get('/fails', async () => {
    throw new Error('boom');
  });
  await app.ready();
  return { app, lines, seen };
}

const strip = (l: Record<string, unknown>) => {
  const { time: _t, pid: _p, hostname: _h, responseTime: _r, req: _req, ...rest } = l;
  return rest;
};

describe('lazy child logger', () => {
  it('writes the same lines as pino children, bound to the request id and the route level', async () => {
    const outputs: Array<Array<Record<string, unknown>>> = [];
    const levels: unknown[] = [];
    for (const factory of [undefined, lazyChildLoggerFactory]) {
      const { app, lines } = await appWith(factory);
      const talks = await app.inject({ url: '/talks' });
      levels.push(talks.json().level);
      expect((await app.inject({ url: '/fails' })).statusCode).toBe(500);
      outputs.push(lines.map(strip));
      await app.close();
    }
    expect(outputs[1]).toEqual(outputs[0]);
    expect(levels).toEqual(['warn', 'warn']);
    // /talks logs at warn and up (its route level): no access lines; /fails logs at info.
    expect(outputs[1].map((l) => [l.level, l.msg, l.reqId])).toEqual([
      [40, 'told', 'req-1'],
      [50, 'nested', 'req-1'],
      [30, 'incoming request', 'req-2'],
      [50, 'boom', 'req-2'],
      [30, 'request completed', 'req-2'],
    ]);
    expect(outputs[1][1].part).toBe('inner');
  });

  it('builds no pino child for a request that logs nothing', async () => {
    const { app, seen } = await appWith(lazyChildLoggerFactory);
    await app.inject({ url: '/quiet' });
    expect(seen[0]).toBeInstanceOf(LazyChildLogger);
    expect((seen[0] as unknown as { made: unknown }).made).toBeUndefined();
    await app.close();
  });
});
