// What a benchmark needs before it starts, checked in one place: each bench lists its prerequisites,
// `checkPrerequisites` tests every one and, when any is missing, prints each with the command that gets
// it and exits (status 3) before any work. Optional ones (a floor, a second store) are reported and the
// bench goes on without that part.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';

export interface Prerequisite {
  /** What it is, as a person would name it. */
  what: string;
  /** Why the bench needs it (the part that uses it). */
  why: string;
  /** The command(s) that get it on Debian 12 (these machines). */
  how: string;
  /** Resolves to null when present, else the reason it is missing. */
  check(): Promise<string | null> | string | null;
  /** Optional: the bench runs without the part that needs it. */
  optional?: boolean;
}

export const DEBIAN_PYTHON = '/usr/bin/python3';
const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
const apt = (pkgs: string) => `${sudo}apt-get update && ${sudo}apt-get install -y ${pkgs}`;

/** A module importable by Debian's /usr/bin/python3 (not the python3 first on PATH). */
export function pythonModule(module: string, debianPackage: string, why: string, optional = false): Prerequisite {
  return {
    what: `Python module '${module}' for ${DEBIAN_PYTHON}`,
    why,
    how: apt(debianPackage),
    optional,
    check() {
      if (!existsSync(DEBIAN_PYTHON)) return `${DEBIAN_PYTHON} does not exist`;
      const r = spawnSync(DEBIAN_PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' });
      return r.status === 0 ? null : (r.stderr.trim().split('\n').pop() ?? `import ${module} failed`);
    },
  };
}

/** A program on PATH. */
export function command(name: string, debianPackage: string, why: string, optional = false): Prerequisite {
  return {
    what: `the '${name}' command`,
    why,
    how: apt(debianPackage),
    optional,
    check() {
      const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
      return r.status === 0 ? null : `'${name}' is not on PATH`;
    },
  };
}

/** A TCP service answering at a URL's host and port (connect within 1 s). */
export function tcpService(what: string, url: string, defaultPort: number, how: string, why: string, optional = false): Prerequisite {
  return {
    what: `${what} at ${url}`,
    why,
    how,
    optional,
    check() {
      const u = new URL(url);
      return new Promise((resolve) => {
        const socket = createConnection({ host: u.hostname || '127.0.0.1', port: Number(u.port || defaultPort) });
        const done = (reason: string | null) => {
          socket.destroy();
          resolve(reason);
        };
        socket.setTimeout(1000, () => done('no answer within 1 s'));
        socket.once('connect', () => done(null));
        socket.once('error', (err) => done(err.message));
      });
    },
  };
}

/** An npm package this repository depends on, importable. */
export function npmPackage(name: string, why: string): Prerequisite {
  return {
    what: `the npm package '${name}'`,
    why,
    how: 'npm ci (it is in package-lock.json)',
    async check() {
      try {
        await import(name);
        return null;
      } catch (err) {
        return (err as Error).message.split('\n')[0];
      }
    },
  };
}

export const postgres = (url: string, optional = false) =>
  tcpService(
    'PostgreSQL',
    url,
    5432,
    `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (or set DATABASE_URL)`,
    'the catalog database the bench creates and drops',
    optional,
  );

export const redis = (url: string, why: string, optional = true) =>
  tcpService('Redis', url, 6379, `${apt('redis-server')} && redis-server --save '' --daemonize yes   (or set REDIS_URL)`, why, optional);

/**
 * Check every prerequisite; print what is missing and how to get it. Exits (3) when a required one is
 * missing; returns the set of missing optional ones (by `what`) so the bench can skip their parts.
 */
export async function checkPrerequisites(bench: string, list: Prerequisite[]): Promise<Set<string>> {
  const results = await Promise.all(list.map(async (p) => ({ p, reason: await p.check() })));
  const missing = results.filter((r) => r.reason !== null);
  for (const { p, reason } of missing) {
    console.error(`${bench} bench: ${p.optional ? 'optional, ' : ''}missing ${p.what} (${reason}) — needed for ${p.why}.\n    get it: ${p.how}`);
  }
  if (missing.some((m) => !m.p.optional)) {
    console.error(`${bench} bench: stopped before starting; install what is listed above and run it again.`);
    process.exit(3);
  }
  return new Set(missing.map((m) => m.p.what));
}
