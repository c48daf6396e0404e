// One server-sent event stream over a hijacked reply: the headers, a pause that the client's disconnect
// and the server's shutdown both cut short, and the end, which closes the socket when the server drains
// (the response promised keep-alive, and shutdown must not wait for the client to hang up). The training
// job and deployment event routes poll the catalog between pauses: no database connection per stream.
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JobEvent, JobStatus } from '@atelier/catalog';

export class EventStream {
  readonly #res: ServerResponse;
  #closed = false;
  #wake: (() => void) | undefined;
  readonly #onShutdown = () => this.#wake?.();

  constructor(
    request: FastifyRequest,
    reply: FastifyReply,
    private readonly shutdown: AbortSignal,
  ) {
    reply.hijack();
    this.#res = reply.raw;
    this.#res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
    request.raw.on('close', () => {
      this.#closed = true;
      this.#wake?.();
    });
    shutdown.addEventListener('abort', this.#onShutdown);
  }

  /** Neither has the client gone nor is the server shutting down. */
  get open(): boolean {
    return !this.#closed && !this.shutdown.aborted;
  }

  /** The server is draining and the client is still there: the stream should say so before it ends. */
  get interrupted(): boolean {
    return this.shutdown.aborted && !this.#closed;
  }

  write(text: string): void {
    this.#res.write(text);
  }

  /** `event: <type>` with JSON data (and an id when given). */
  send(event: string, data: unknown, id?: number): void {
    this.#res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Waits `ms`, or less when the client goes or the server starts shutting down. */
  pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.open ? ms : 0);
      this.#wake = done;
    });
  }

  end(): void {
    this.shutdown.removeEventListener('abort', this.#onShutdown);
    if (this.shutdown.aborted) this.#res.end(() => this.#res.socket?.end());
    else this.#res.end();
  }
}

/** Where a job's SSE stream reads from: its events after an id, and its status (a training job's, a
 * batch prediction's or a tuning job's: each ends at succeeded, failed or cancelled). */
export interface JobEventSource {
  events(afterId: number | undefined): Promise<Array<Pick<JobEvent, 'id' | 'at' | 'payload'> & { type: string }>>;
  status(): Promise<JobStatus | string>;
}

const TERMINAL_JOB_STATUSES = new Set<string>(['succeeded', 'failed', 'cancelled']);

/**
 * A job's event log as Server-Sent Events (training jobs, batch predictions, tuning jobs): replays from `lastId`,
 * polls every `pollMs`, sends a keep-alive comment when idle, and ends once the job is finished and
 * every event was sent (or with `event: shutdown` when the server drains).
 */
export async function streamJobEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  shutdown: AbortSignal,
  source: JobEventSource,
  opts: { lastId: number | undefined; pollMs: number; keepAliveMs: number },
): Promise<void> {
  let lastId = opts.lastId;
  const stream = new EventStream(request, reply, shutdown);
  stream.write(`retry: 1000\n\n`);
  // On shutdown the stream ends with a `shutdown` event (not a job event: no id, so Last-Event-ID
  // still names the last job event) and the client reconnects, to another replica or this one.
  let lastWrite = Date.now();
  let finished = false;
  try {
    while (stream.open) {
      // Read the status BEFORE the events: if it is terminal, the final event is already committed.
      const status = await source.status();
      for (;;) {
        const batch = await source.events(lastId);
        for (const e of batch) {
          stream.send(e.type, { ...e.payload, at: e.at }, e.id);
          lastId = e.id;
        }
        if (batch.length > 0) lastWrite = Date.now();
        if (batch.length < 500) break;
      }
      if (TERMINAL_JOB_STATUSES.has(status)) {
        finished = true;
        break;
      }
      if (Date.now() - lastWrite > opts.keepAliveMs) {
        stream.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      await stream.pause(opts.pollMs);
    }
  } catch (err) {
    request.log.error({ err }, 'job event stream failed');
  } finally {
    if (stream.interrupted && !finished) {
      stream.write(`event: shutdown\nretry: 2000\ndata: ${JSON.stringify({ reason: 'the server is shutting down; reconnect with Last-Event-ID to resume' })}\n\n`);
    }
    stream.end();
  }
}
