// Shutdown without connection resets. Closing an idle keep-alive connection races with the client's next
// request on it (the client sees ECONNRESET or "socket hang up"), so while draining the server keeps
// listening: every response says `Connection: close`, requests that arrive get 503 + Retry-After (see
// http-edge.plugin.ts), long-lived streams are told to end, and an idle connection is closed only once
// it has been idle for `idleCloseMs` (a client still sending would have sent by then). The drain ends
// when every remaining connection is busy; Fastify's close then stops listening and waits for those.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

interface ConnectionState {
  busy: number;
  idleSince: number;
}

export class ConnectionDrain {
  private readonly connections = new Map<Socket, ConnectionState>();
  private readonly controller = new AbortController();

  constructor(
    server: Server,
    private readonly idleCloseMs = 1000,
  ) {
    server.on('connection', (socket: Socket) => {
      this.connections.set(socket, { busy: 0, idleSince: Date.now() });
      socket.once('close', () => this.connections.delete(socket));
    });
    server.on('request', (req, res) => {
      const state = this.connections.get(req.socket);
      if (!state) return;
      state.busy++;
      res.once('close', () => {
        state.busy--;
        state.idleSince = Date.now();
      });
    });
  }

  /** Aborted when the drain starts: long-lived responses (SSE) end themselves on it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get draining(): boolean {
    return this.controller.signal.aborted;
  }

  /** Resolves when no idle connection is left open (busy ones finish under Fastify's close). */
  async drain(): Promise<void> {
    this.controller.abort();
    for (;;) {
      const now = Date.now();
      let waiting = false;
      for (const [socket, state] of this.connections) {
        if (state.busy > 0) continue;
        if (now - state.idleSince >= this.idleCloseMs) socket.destroy();
        else waiting = true;
      }
      if (!waiting) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
