// Sends one logical call: the Authorization header, a timeout per attempt, the caller's AbortSignal,
// and retries with exponential backoff + full jitter on 429/503 (Retry-After honoured, seconds or an
// HTTP date) and on network failures. Only idempotent methods retry unless the call opts in: a POST
// that reached the server may have acted. A streamed body cannot be replayed, so it is never retried.
import { AtelierError, CLIENT_ERROR_CODES, errorFromResponse, parseRetryAfter } from './atelier-error.js';

export interface RetryOptions {
  /** Retries after the first attempt (0 disables). Default 3. */
  max?: number;
  /** First backoff ceiling; doubles per attempt. Default 200 ms. */
  baseDelayMs?: number;
  /** Largest wait, backoff or Retry-After; a longer Retry-After ends the retries. Default 10 s. */
  maxDelayMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Per attempt; 0 = none. Defaults to the client's timeoutMs. */
  timeoutMs?: number;
  /** Project for project-scoped calls; defaults to the client's project. */
  project?: string;
  /** Retry this call even though its method is not idempotent (safe when the server dedupes). */
  retryNonIdempotent?: boolean;
}

export interface TransportSettings {
  apiKey?: string;
  timeoutMs: number;
  retries: Required<RetryOptions>;
  fetch: typeof globalThis.fetch;
  userAgent?: string;
}

export interface SendOptions extends CallOptions {
  /** The response body is a stream the caller reads (SSE, downloads): not buffered, no timeout on the body. */
  streamResponse?: boolean;
  /** The request body is a one-shot stream: it cannot be sent twice. */
  streamedBody?: boolean;
  /** Fewer retries than the client's for this call (0: one attempt). */
  maxRetries?: number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const RETRY_STATUSES = new Set([429, 503]);

export class Transport {
  constructor(readonly settings: TransportSettings) {}

  /** Adds auth, then sends with timeouts and retries; resolves with any HTTP response (errors are the caller's to read). */
  async send(request: Request, opts: SendOptions = {}): Promise<Response> {
    if (this.settings.apiKey && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${this.settings.apiKey}`);
    if (this.settings.userAgent && !request.headers.has('user-agent')) request.headers.set('user-agent', this.settings.userAgent);
    const { retries } = this.settings;
    const timeoutMs = opts.timeoutMs ?? this.settings.timeoutMs;
    const mayRetry = !opts.streamedBody && (IDEMPOTENT.has(request.method) || opts.retryNonIdempotent === true);
    const maxAttempts = mayRetry ? Math.min(retries.max, opts.maxRetries ?? retries.max) + 1 : 1;

    for (let attempt = 1; ; attempt++) {
      throwIfAborted(opts.signal);
      const last = attempt >= maxAttempts;
      // Keep the original for the next attempt: a Request body can be read once.
      const attemptRequest = last ? request : request.clone();
      let outcome: { response: Response } | { error: AtelierError };
      try {
        outcome = { response: await this.#attempt(attemptRequest, timeoutMs, opts) };
      } catch (err) {
        if (!(err instanceof AtelierError)) throw err;
        if (err.code === CLIENT_ERROR_CODES.aborted) throw err;
        outcome = { error: err };
      }
      if ('response' in outcome && !RETRY_STATUSES.has(outcome.response.status)) return outcome.response;
      const retryAfterMs = 'response' in outcome ? parseRetryAfter(outcome.response.headers.get('retry-after')) : undefined;
      const giveUp = last || (retryAfterMs !== undefined && retryAfterMs > retries.maxDelayMs);
      if (giveUp) {
        if ('error' in outcome) throw outcome.error;
        return outcome.response;
      }
      if ('response' in outcome) await outcome.response.body?.cancel().catch(() => undefined);
      const backoff = Math.random() * Math.min(retries.maxDelayMs, retries.baseDelayMs * 2 ** (attempt - 1));
      await sleep(retryAfterMs ?? backoff, opts.signal);
    }
  }

  async #attempt(request: Request, timeoutMs: number, opts: SendOptions): Promise<Response> {
    const timeout = new AbortController();
    const timer = timeoutMs > 0 ? setTimeout(() => timeout.abort(), timeoutMs) : undefined;
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout.signal]) : timeout.signal;
    const failure = (err: unknown): AtelierError => {
      if (opts.signal?.aborted) return abortedError(opts.signal.reason);
      if (timeout.signal.aborted) {
        return new AtelierError({ status: 0, code: CLIENT_ERROR_CODES.timeout, title: 'Timeout', detail: `${request.method} ${request.url} took longer than ${timeoutMs} ms`, cause: err });
      }
      return new AtelierError({ status: 0, code: CLIENT_ERROR_CODES.network, title: 'Network error', detail: `${request.method} ${request.url}: ${describe(err)}`, cause: err });
    };
    try {
      const response = await this.settings.fetch(request, { signal });
      if (opts.streamResponse && response.ok) return response;
      // Buffer the body inside the attempt, so the timeout covers it and a cut body is a network error.
      const body = await response.arrayBuffer();
      return new Response(response.status === 204 || response.status === 304 ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (err) {
      throw failure(err);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Reads a response as JSON, or throws the AtelierError its status and problem+json describe. */
export async function readJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw errorFromResponse(response, text);
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new AtelierError({ status: response.status, code: CLIENT_ERROR_CODES.badResponse, title: 'Bad response', detail: `expected JSON from ${response.url}`, cause: err });
  }
}

export function abortedError(reason: unknown): AtelierError {
  return new AtelierError({ status: 0, code: CLIENT_ERROR_CODES.aborted, title: 'Aborted', detail: `the call was aborted${reason instanceof Error ? `: ${reason.message}` : ''}`, cause: reason });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedError(signal.reason);
}

/** Waits ms, or rejects with ATL_ABORTED as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal.reason));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
