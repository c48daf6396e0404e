// The compiled platform, as the container image runs it: `npm run build`, then `NODE_ENV=production
// atelier-server start` with plain Node. A module trace (test/fixtures/module-trace.mjs, preloaded in the
// process and inherited by its worker threads) proves that no TypeScript file and no tsx module was
// loaded, while a training job (a training worker thread), a deployment (a serving compute thread), a
// predict batch large enough for that thread and an ONNX export (a gateway worker thread) all ran.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'apps/launcher/bin/atelier-server.js');
const TRACE_PRELOAD = join(ROOT, 'test/fixtures/module-trace.mjs');
const work = mkdtempSync(join(tmpdir(), 'atelier-compiled-'));
const trace = join(work, 'modules.txt');
let child: ChildProcess | undefined;
let databaseUrl: string | undefined;
let adminDb: pg.Client | undefined;
const databaseName = `atelier_compiled_${randomBytes(5).toString('hex')}`;

beforeAll(async () => {
  // A database of its own with no schema yet, so the compiled migrations are the ones that create it.
  if (process.env.DATABASE_URL) {
    adminDb = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await adminDb.connect();
    await adminDb.query(`CREATE DATABASE ${databaseName}`);
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${databaseName}`;
    databaseUrl = u.toString();
  }
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (adminDb) {
    await adminDb.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await adminDb.end();
  }
  rmSync(work, { recursive: true, force: true });
});

function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    ATELIER_TEST_MODULE_TRACE: trace,
    ATELIER_DATA_DIR: join(work, 'data'),
    // The image serves a console built in its build stage; here an empty folder (no Vite build in the test).
    ATELIER_CONSOLE_DIR: join(work, 'console'),
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // Engine bundles on the engine's predictor, whose compute thread (one per version by default) loads
    // the model and answers batches of 8 rows or more (the default runtime, ONNX, computes on the event loop).
    ATELIER_ENGINE_RUNTIME: 'engine',
  };
  for (const name of ['DATABASE_URL', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'ATELIER_ADMIN_KEY', 'NODE_OPTIONS']) delete env[name];
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return env;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the compiled platform (npm run build; NODE_ENV=production atelier-server start)', () => {
  it('builds, serves health, readiness and the lifecycle with plain Node (no tsx, no .ts), and drains on SIGTERM', async () => {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    for (const file of ['apps/launcher/dist/main.js', 'apps/launcher/dist/main.js.map', 'migrations/dist/0001_core.js', 'apps/training-orchestrator/dist/training-thread.js', 'apps/serving/dist/runtimes/onnx-thread.js', 'apps/serving/dist/runtimes/engine-thread.js']) {
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    }

    // The chart's pre-install/pre-upgrade Job: `atelier-server migrate` creates the schema, then finds nothing to do.
    const migrations = readdirSync(join(ROOT, 'migrations')).filter((f) => /^\d{4}_.*\.ts$/.test(f));
    const migrate = () => spawnSync(process.execPath, [BIN, 'migrate'], { cwd: work, env: serverEnv(), encoding: 'utf8' });
    const first = migrate();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`applied ${migrations.length} migrations: ${migrations[0]!.replace(/\.ts$/, '')}`);
    const again = migrate();
    expect(again.stdout).toContain('the schema is current');

    child = spawn(process.execPath, ['--import', TRACE_PRELOAD, BIN, 'start'], { cwd: work, env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const url = await until('the gateway URL', async () => {
      if (child!.exitCode !== null) throw new Error(`server exited (${child!.exitCode}):\n${output}`);
      return /API:\s+(http:\/\/[\d.:]+)\/v1/.exec(output)?.[1];
    });
    const key = /Admin API key \(shown once, store it now\): (\S+)/.exec(output)?.[1];
    expect(key, output).toBeTruthy();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const api = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
      const res = await fetch(`${url}/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text, bytes: text.length };
    };
    expect((await api('POST', '/projects', { name: 'compiled' })).status).toBe(201);
    const P = '/projects/compiled';
    expect((await api('POST', `${P}/datasets`, { name: 'customers' })).status).toBe(201);
    let csv = 'age,income,churned\n';
    for (let i = 0; i < 200; i++) {
      const age = 18 + ((i * 37) % 60);
      csv += `${age},${20000 + ((i * 7919) % 80000)},${age < 35 ? 1 : 0}\n`;
    }
    expect((await api('POST', `${P}/datasets/customers/versions`, csv, 'text/csv')).status).toBe(201);
    const job = await api('POST', `${P}/training-jobs`, {
      modelName: 'churn',
      data: { dataset: 'customers', version: 1 },
      label: 'churned',
      model: { kind: 'mlp' },
      maxEpochs: 3,
      seed: 7,
      features: [
        { name: 'age', type: 'numeric', transform: 'standardize' },
        { name: 'income', type: 'numeric', transform: 'standardize' },
      ],
    });
    expect(job.status, JSON.stringify(job.body)).toBe(201);
    const status = await until('the training job to finish', async () => {
      const s = (await api('GET', `${P}/training-jobs/${job.body.id}`)).body.status;
      return ['succeeded', 'failed', 'cancelled'].includes(s) ? s : undefined;
    });
    expect(status).toBe('succeeded');

    const deployed = await api('PUT', `${P}/deployments/churn-live?wait=ready&timeoutMs=120000`, { model: 'churn', routes: [{ version: 1, weight: 100 }] });
    expect(deployed.body.status?.state, JSON.stringify(deployed.body)).toBe('ready');
    const instances = Array.from({ length: 16 }, (_, i) => ({ age: 20 + i * 3, income: 30000 + i * 1000 }));
    const predicted = await api('POST', `${P}/models/churn/predict`, { instances });
    expect(predicted.status, JSON.stringify(predicted.body)).toBe(200);
    expect(predicted.body.predictions).toHaveLength(16);
    for (const p of predicted.body.predictions as number[]) expect(p).toBeGreaterThanOrEqual(0);
    const onnx = await fetch(`${url}/v1${P}/models/churn/versions/1/onnx`, { headers: { authorization: `Bearer ${key}` } });
    expect(onnx.status).toBe(200);
    expect((await onnx.arrayBuffer()).byteLength).toBeGreaterThan(100);

    // The image's HEALTHCHECK script: healthy while the gateway answers, unhealthy once it is gone.
    const healthcheck = (port: string) =>
      spawnSync(process.execPath, [join(ROOT, 'deploy/docker/healthcheck.mjs')], { env: { PATH: process.env.PATH, PORT: port, ATELIER_SERVING_PORT: '1', ATELIER_WORKER_PORT: '1' }, encoding: 'utf8' });
    const port = new URL(url).port;
    expect(healthcheck(port).status).toBe(0);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const after = healthcheck(port);
    expect(after.status).toBe(1);
    expect(after.stderr).toContain(`unhealthy: no 200 from http://127.0.0.1:${port}/healthz`);

    const modules = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
    const ours = modules.filter((m) => m.startsWith('file://') && !m.includes('/node_modules/'));
    expect(modules.filter((m) => m.includes('/node_modules/tsx/') || m.includes('/node_modules/esbuild/'))).toEqual([]);
    expect(ours.filter((m) => /\.[mc]?ts$/.test(m))).toEqual([]);
    // What the threads ran, compiled: the training thread, the serving compute thread, the ONNX exporter.
    for (const file of ['/apps/launcher/dist/main.js', '/apps/training-orchestrator/dist/training-thread.js', '/apps/serving/dist/runtimes/engine-thread.js', '/apps/gateway/dist/services/onnx-export.worker.js', '/migrations/dist/0001_core.js']) {
      expect(ours.some((m) => m.endsWith(file)), `${file} was loaded`).toBe(true);
    }
  }, 400_000);

  it('runs a training worker alone whose /healthz, /readyz and /metrics (the queue depth a pool scales on) answer on ATELIER_WORKER_PORT', async () => {
    child = spawn(process.execPath, [BIN, 'orchestrator'], { cwd: work, env: { ...serverEnv(), ATELIER_WORKER_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const url = await until('the worker endpoints', async () => {
      if (child!.exitCode !== null) throw new Error(`worker exited (${child!.exitCode}):\n${output}`);
      return /worker health and metrics: (http:\/\/[\d.:]+)\/healthz/.exec(output)?.[1];
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { catalog: { ok: true } } });
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toMatch(/^atelier_training_queue_depth 0$/m);
    expect((await fetch(`${url}/v1/projects`)).status).toBe(404);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 240_000);
});
