// One way to send a request and read the answer, over app.inject() (in-process app) or real HTTP (a
// server in a child process), so the auth matrix and the fuzz suite share their request code.
import type { FastifyInstance } from 'fastify';

export interface WireRequest {
  method: string;
  /** Path and query, e.g. `/v1/projects/p?limit=3`. */
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface WireResponse {
  /** 0 when no answer came within the client's timeout (or the connection broke). */
  status: number;
  contentType: string;
  body: string;
  ms: number;
  error?: string;
}

export type Send = (req: WireRequest) => Promise<WireResponse>;

export function injectSender(app: FastifyInstance): Send {
  return async (req) => {
    const started = performance.now();
    const res = await app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, payload: req.body });
    return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body, ms: performance.now() - started };
  };
}

export function httpSender(baseUrl: string, timeoutMs: number): Send {
  return async (req) => {
    const started = performance.now();
    try {
      const res = await fetch(baseUrl + req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body === undefined || req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await res.text();
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', body, ms: performance.now() - started };
    } catch (err) {
      return { status: 0, contentType: '', body: '', ms: performance.now() - started, error: String((err as Error).message ?? err) };
    }
  };
}

export function parseJson(res: WireResponse): unknown {
  try {
    return JSON.parse(res.body);
  } catch {
    return undefined;
  }
}

/** The problem+json rule: every error answer is application/problem+json with a stable ATL_* code. */
export function problemViolation(res: WireResponse): string | undefined {
  if (res.status < 400) return undefined;
  if (!/^application\/problem\+json\b/.test(res.contentType)) return `content-type '${res.contentType}' is not application/problem+json`;
  const body = parseJson(res) as { code?: unknown } | undefined;
  if (typeof body?.code !== 'string' || !/^ATL_[A-Z0-9_]+$/.test(body.code)) return 'the problem has no ATL_* code';
  return undefined;
}
