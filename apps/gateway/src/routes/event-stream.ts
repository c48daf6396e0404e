// One server-sent event stream over a hijacked reply: the headers, a pause that the client's disconnect
// and the server's shutdown both cut short, and the end, which closes the socket when the server drains
// (the response promised keep-alive, and shutdown must not wait for the client to hang up). The training
// job and deployment event routes poll the catalog between pauses: no database connection per stream.
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

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
