// The all-in-one server as a user runs it: a real child process on the embedded defaults.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { keepAliveLoad, until } from './keep-alive-load.js';

const BIN = new URL('../apps/launcher/bin/atelier-server.js', import.meta.url).pathname;
const ROOT = new URL('..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'atelier-launcher-'));
const children: ChildProcess[] = [];

// A server left running by a failed test would hold the data dir: each test kills its own at the end.
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function embeddedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ATELIER_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  for (const name of ['DATABASE_URL', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'ATELIER_ADMIN_KEY']) delete env[name];
  return env;
}

/** The server binary with `args`, or (`npm: true`) `npm <args>` from the repository root, as a user runs it. */
function run(args: string[], opts: { npm?: boolean } = {}) {
  const child = opts.npm
    ? spawn('npm', args, { cwd: ROOT, env: embeddedEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [BIN, ...args], { env: embeddedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // A fresh PGlite data dir takes seconds to create, much longer on a loaded 2-core machine.
  const waitFor = async (pattern: RegExp, timeoutMs = 200_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const m = pattern.exec(output);
      if (m) return m;
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${pattern}:\n${output}`);
  };
  return { child, exited, waitFor, output: () => output };
}

describe('atelier-server start (all-in-one, embedded defaults)', () => {
  let adminKey = '';

  it('starts, prints the URLs and a bootstrap admin key, answers /healthz and /docs, and stops on SIGTERM', async () => {
    const server = run(['start']);
    const [, url] = await server.waitFor(/API:\s+(http:\/\/[\d.:]+)\/v1/);
    adminKey = (await server.waitFor(/Admin API key \(shown once, store it now\): (\S+)/))[1];
    expect(server.output()).toContain(`OpenAPI:   ${url}/openapi.json`);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect((await fetch(`${url}/docs/`)).status).toBe(200);
    const created = await fetch(`${url}/v1/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'launch' }),
    });
    expect(created.status).toBe(201);

    // a second server on the same data dir is refused instead of corrupting it
    const second = run(['start']);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('is in use by process');

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 240_000);

  it('keeps data and the admin key across a restart, without printing a new key', async () => {
    const server = run(['start']);
    const [, url] = await server.waitFor(/API:\s+(http:\/\/[\d.:]+)\/v1/);
    await server.waitFor(/Admin API key: created on first start/);
    const res = await fetch(`${url}/v1/projects/launch`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(res.status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 240_000);

  it('refuses bad configuration naming the variable', async () => {
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: { ...embeddedEnv(), PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(2);
    expect(err).toContain('PORT must be an integer');
  });

  it('names every bad setting of every app in one message, before opening anything', async () => {
    const child = spawn(process.execPath, [BIN, 'start'], {
      env: { ...embeddedEnv(), PORT: 'eighty', ATELIER_GC_GRACE_MS: 'soon', ATELIER_WORKER_CORES: '0', ATELIER_SERVING_RECONCILE_MS: '5' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(2);
    expect(out).toContain('bad configuration (4 settings)');
    for (const name of ['PORT', 'ATELIER_GC_GRACE_MS', 'ATELIER_WORKER_CORES', 'ATELIER_SERVING_RECONCILE_MS']) expect(out).toContain(`  - ${name} must be`);
    expect(out).not.toContain('Atelier is running');
  });
});

describe('atelier-server shutdown', () => {
  it('drains on SIGTERM under keep-alive load: no connection reset, every client told to go away, exit 0 within the grace period', async () => {
    const server = run(['start']);
    const [, url] = await server.waitFor(/API:\s+(http:\/\/[\d.:]+)\/v1/);
    const load = keepAliveLoad(Number(new URL(url).port), '/healthz', 16);
    await until('the clients to be busy', () => load.stats.ok >= 200, 60_000);
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    await load.done;
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(30_000);
    expect(load.stats.resets).toEqual([]);
    expect(load.stats.unexpected).toEqual([]);
    expect(load.stats.shuttingDown + load.stats.refused).toBe(16);
  }, 240_000);

  it('`npm start` stops cleanly on SIGTERM to npm: the server shuts down gracefully and no process is left', async () => {
    const npm = run(['start'], { npm: true });
    const pid = Number((await npm.waitFor(/serving node: serving-(\d+)/))[1]);
    expect(pid).not.toBe(npm.child.pid);
    npm.child.kill('SIGTERM');
    expect(await npm.exited).toBe(0);
    expect(npm.output()).toContain('SIGTERM received, shutting down');
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await until('the server process to exit', () => !alive(), 30_000);
  }, 240_000);
});
