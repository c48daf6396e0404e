// Keep-alive clients sending one request after another (like a busy service behind a connection pool),
// for shutdown tests: each client stops when the server tells it to go away (a 503, or the port closed),
// and every connection reset or "socket hang up" is counted: a clean shutdown has none.
import { Agent, get } from 'node:http';

export interface LoadStats {
  ok: number;
  /** 503 answers that were problem+json with Retry-After and Connection: close. */
  shuttingDown: number;
  /** Other non-200 answers (status: body). */
  unexpected: string[];
  refused: number;
  resets: string[];
}

type Outcome = { status: number; headers: Record<string, string | string[] | undefined>; body: string } | { error: NodeJS.ErrnoException };

function request(port: number, path: string, agent: Agent): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', (error) => resolve({ error }));
    });
    req.on('error', (error) => resolve({ error }));
  });
}

/** Start `clients` loops against `path`; `done` resolves when every client has stopped. */
export function keepAliveLoad(port: number, path: string, clients: number): { stats: LoadStats; done: Promise<void> } {
  const stats: LoadStats = { ok: 0, shuttingDown: 0, unexpected: [], refused: 0, resets: [] };
  const loop = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (;;) {
        const r = await request(port, path, agent);
        if ('error' in r) {
          if (r.error.code === 'ECONNREFUSED') stats.refused++;
          else stats.resets.push(`${r.error.code ?? ''} ${r.error.message}`);
          return;
        }
        if (r.status === 200) {
          stats.ok++;
          continue;
        }
        const clean =
          r.status === 503 &&
          r.headers['retry-after'] !== undefined &&
          r.headers.connection === 'close' &&
          String(r.headers['content-type']).startsWith('application/problem+json');
        if (clean) stats.shuttingDown++;
        else stats.unexpected.push(`${r.status}: ${r.body}`);
        return;
      }
    } finally {
      agent.destroy();
    }
  };
  const done = Promise.all(Array.from({ length: clients }, loop)).then(() => {});
  return { stats, done };
}

/** Poll `check` until it is true or the deadline passes. */
export async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
