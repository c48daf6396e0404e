// The platform as a user runs it (`atelier-server start`: gateway + serving + orchestrator in one
// process), as a child process on a temp data dir and, when the run has Postgres, a database of its
// own; so the fuzz suite measures the server's own memory (/proc/<pid>/status) and real HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../database.js';

const BIN = new URL('../../apps/launcher/bin/atelier-server.js', import.meta.url).pathname;

export interface ServerProcess {
  url: string;
  pid: number;
  adminKey: string;
  /** Resident set size of the server process, in bytes (Linux /proc). */
  rssBytes(): number;
  output(): string;
  stop(): Promise<void>;
}

export async function startServerProcess(opts: { adminKey: string; env?: Record<string, string> }): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atelier-fuzz-server-'));
  let database: TestDatabase | undefined;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_REGION', 'ATELIER_SERVING_URL']) delete env[name];
  if (inject('databaseUrl')) {
    database = await createTestDatabase('postgres');
    env.DATABASE_URL = database.databaseUrl;
  }
  Object.assign(env, {
    ATELIER_DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    ATELIER_ADMIN_KEY: opts.adminKey,
    ATELIER_WORKER_CORES: '1',
    ...opts.env,
  });
  const child: ChildProcess = spawn(process.execPath, [BIN, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // Keep the tail only: a server that logs every failed request must not fill the test's memory.
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // A fresh PGlite data dir takes seconds to create, much longer on a loaded machine.
    const deadline = Date.now() + 200_000;
    let url: string | undefined;
    while (!url) {
      url = /API:\s+(http:\/\/[\d.:]+)\/v1/.exec(output)?.[1];
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
      if (!url) await new Promise((r) => setTimeout(r, 50));
    }
    const pid = child.pid!;
    return {
      url,
      pid,
      adminKey: opts.adminKey,
      rssBytes() {
        const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (!kb) throw new Error(`no VmRSS in /proc/${pid}/status`);
        return Number(kb[1]) * 1024;
      },
      output: () => output,
      stop: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
