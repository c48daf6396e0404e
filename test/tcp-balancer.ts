// A round-robin TCP balancer for tests: what a Kubernetes Service (kube-proxy) is to a serving pool. Each
// new connection goes to the next upstream; an upstream that refuses the connection is skipped (as a
// Service whose endpoint failed its readiness probe is). Bytes are piped as they are; when one side dies
// the other is reset, so the client sees the connection lost, as it would through kube-proxy.
import { createServer, connect, type Socket } from 'node:net';

export interface TcpBalancer {
  port: number;
  /** Connections handed to each upstream port so far. */
  connections: Map<number, number>;
  close(): Promise<void>;
}

export async function startTcpBalancer(upstreams: number[]): Promise<TcpBalancer> {
  let next = 0;
  const connections = new Map(upstreams.map((p) => [p, 0]));
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.pause();
    const tryUpstream = (left: number) => {
      if (left === 0) {
        client.resetAndDestroy();
        return;
      }
      const port = upstreams[next++ % upstreams.length];
      const upstream = connect({ host: '127.0.0.1', port });
      upstream.once('error', () => {
        upstream.destroy();
        tryUpstream(left - 1);
      });
      upstream.once('connect', () => {
        connections.set(port, (connections.get(port) ?? 0) + 1);
        open.add(upstream);
        upstream.removeAllListeners('error');
        upstream.on('close', () => open.delete(upstream));
        upstream.on('error', () => client.resetAndDestroy());
        client.on('error', () => upstream.resetAndDestroy());
        upstream.on('end', () => client.end());
        client.on('end', () => upstream.end());
        upstream.pipe(client);
        client.pipe(upstream);
        client.resume();
      });
    };
    client.on('error', () => {});
    tryUpstream(upstreams.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
