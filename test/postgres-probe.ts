// Finds a real Postgres for the test run: DATABASE_URL, else a testcontainers Postgres when a Docker
// engine answers, else none (tests then use PGlite). Never a mock.
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import pg from 'pg';

export interface PostgresForTests {
  url?: string;
  source: 'DATABASE_URL' | 'testcontainers' | 'none';
  reason?: string;
  stop?: () => Promise<void>;
}

export async function canConnect(url: string, timeoutMs = 3000): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A Docker socket that accepts but never answers would hang testcontainers: probe with a deadline. */
async function dockerAnswers(timeoutMs = 1500): Promise<boolean> {
  const socket = process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice(7) : '/var/run/docker.sock';
  if (!process.env.DOCKER_HOST && !existsSync(socket)) return false;
  if (process.env.DOCKER_HOST && !process.env.DOCKER_HOST.startsWith('unix://')) return true;
  return new Promise((resolve) => {
    const s = connect(socket);
    const timer = setTimeout(() => (s.destroy(), resolve(false)), timeoutMs);
    s.once('error', () => (clearTimeout(timer), resolve(false)));
    s.once('connect', () => s.write('GET /_ping HTTP/1.0\r\n\r\n'));
    s.once('data', (d) => (clearTimeout(timer), s.destroy(), resolve(d.toString().includes('200'))));
  });
}

export async function findPostgresForTests(): Promise<PostgresForTests> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const error = await canConnect(url);
    if (error) throw new Error(`DATABASE_URL is set but Postgres is not reachable (${error}); start it or unset DATABASE_URL`);
    return { url, source: 'DATABASE_URL' };
  }
  if (await dockerAnswers()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    return { url: container.getConnectionUri(), source: 'testcontainers', stop: async () => void (await container.stop()) };
  }
  return { source: 'none', reason: 'DATABASE_URL is not set and no Docker engine answers' };
}
