// A real platform process for the browser tests: `atelier-server start` on the embedded defaults in a
// temp data dir, on a free port, with a strong admin key of our choosing. Stops with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface PlatformProcess {
  url: string;
  adminKey: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startPlatformProcess(): Promise<PlatformProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atelier-console-data-'));
  const adminKey = `atl_admin_${randomBytes(32).toString('base64url')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, ATELIER_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ATELIER_ADMIN_KEY: adminKey, LOG_LEVEL: 'warn',
    // Monitoring counts are flushed and judged within a second, so drift shows while a person watches.
    ATELIER_MONITORING_FLUSH_MS: '200', ATELIER_MONITORING_EVALUATE_MS: '250',
    // Every prediction is logged and flushed twice a second, so the deployment page's recent predictions show it.
    ATELIER_PREDICTION_LOG_SAMPLE_RATE: '1', ATELIER_PREDICTION_LOG_FLUSH_MS: '500' };
  // The embedded defaults: the test owns its data dir and nothing it writes outlives it.
  for (const name of ['DATABASE_URL', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'ATELIER_SERVING_URL', 'ATELIER_CONSOLE_DIR']) delete env[name];
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'apps/launcher/bin/atelier-server.js'), 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const deadline = Date.now() + 240_000;
  let port: string | undefined;
  while (!port) {
    port = /API:\s+http:\/\/[\d.]+:(\d+)\/v1/.exec(output)?.[1];
    if (child.exitCode !== null) throw new Error(`atelier-server exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`atelier-server did not print its URL:\n${output}`);
    }
    if (!port) await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    adminKey,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
