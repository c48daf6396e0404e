// One real platform per SDK test file: `atelier-server start` spawned as a process on a free port, with
// a strong admin key, its own data dir, and (when the run has Postgres) its own fresh database, so
// suites in parallel never share state. stop() sends SIGTERM and cleans up.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'apps/launcher/bin/atelier-server.js');

export interface TestPlatform {
  url: string;
  adminKey: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startTestPlatform(extraEnv: NodeJS.ProcessEnv = {}): Promise<TestPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atelier-sdk-'));
  const adminKey = randomBytes(32).toString('base64url');
  const env: NodeJS.ProcessEnv = { ...process.env, ATELIER_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ATELIER_ADMIN_KEY: adminKey, ...extraEnv };
  for (const name of ['DATABASE_URL', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'ATELIER_SERVING_URL']) delete env[name];

  const baseUrl = inject('databaseUrl');
  let database: string | undefined;
  if (baseUrl) {
    database = `atelier_sdk_${randomBytes(6).toString('hex')}`;
    await adminQuery(baseUrl, `create database ${database}`);
    const u = new URL(baseUrl);
    u.pathname = `/${database}`;
    env.DATABASE_URL = u.toString();
  }

  const child: ChildProcess = spawn(process.execPath, [BIN, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (baseUrl && database) await adminQuery(baseUrl, `drop database if exists ${database} with (force)`);
  };

  // A fresh embedded database takes seconds to create, much longer on a loaded machine.
  const deadline = Date.now() + 200_000;
  let match: RegExpExecArray | null = null;
  while (!(match = /API:\s+(http:\/\/[\d.:]+)\/v1/.exec(output))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await cleanup();
      throw new Error(`atelier-server start did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: match[1], adminKey, output: () => output, stop: cleanup };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
