// The benchmark's servers, each run as its own child process (`tsx bench/serving-servers.ts KIND`);
// it prints one JSON line { ready: { url, path, headers } } when ready (among its log lines) and serves
// until killed.
//   plain           Fastify + onnxruntime-node, each request computed alone
//   eager           the same with an eager batcher: run at once when idle, else gather ≤ 2 ms or 64 rows
//   atelier-onnx    the Atelier gateway + serving node (auth, validation, metrics, sampled prediction
//                   log), the MLP registered as an ONNX version and deployed
//   atelier-engine  the same with the MLP as an engine bundle
import { mkdtempSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import * as ort from 'onnxruntime-node';
import { createCatalog } from '@atelier/catalog';
import { FilesystemArtifactStore } from '@atelier/artifacts';
import { buildGatewayApp } from '@atelier/gateway';
import { start as startServing, defaultServingConfig } from '@atelier/serving';
import { predictionsExtension } from '../apps/gateway/src/routes/predictions.routes.js';
import { buildBenchModel, INPUTS } from './serving-model.js';

const kind = process.argv[2];
const model = buildBenchModel();
const ADMIN_KEY = 'atl_bench-admin-key-0123456789abcdefghijklmnopqrstuvwxyz';

function ready(info: Record<string, unknown>) {
  process.stdout.write(JSON.stringify({ ready: info }) + '\n');
}

async function session() {
  return ort.InferenceSession.create(model.onnx, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
}

function features(instances: Array<{ features: number[] }>, dst: Float32Array, offset: number): void {
  for (let r = 0; r < instances.length; r++) {
    const f = instances[r].features;
    for (let j = 0; j < INPUTS; j++) dst[offset + r * INPUTS + j] = f[j];
  }
}

async function plain() {
  const s = await session();
  const app = Fastify({ logger: false });
  app.post('/predict', async (req) => {
    const { instances } = req.body as { instances: Array<{ features: number[] }> };
    const x = new Float32Array(instances.length * INPUTS);
    features(instances, x, 0);
    const out = await s.run({ features: new ort.Tensor('float32', x, [instances.length, INPUTS]) });
    return { predictions: Array.from(out.prediction.data as Float32Array) };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  ready({ url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, path: '/predict', headers: {} });
}

async function eager() {
  const s = await session();
  type Job = { instances: Array<{ features: number[] }>; resolve(v: number[]): void; reject(e: unknown): void; at: number };
  const queue: Job[] = [];
  let rows = 0;
  let inFlight = 0;
  let timer: NodeJS.Timeout | null = null;
  const MAX_ROWS = 64;
  const MAX_DELAY_MS = 2;
  const run = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const batch: Job[] = [];
    let n = 0;
    while (queue.length && (n === 0 || n + queue[0].instances.length <= MAX_ROWS)) {
      const j = queue.shift()!;
      n += j.instances.length;
      batch.push(j);
    }
    rows -= n;
    inFlight++;
    const x = new Float32Array(n * INPUTS);
    let o = 0;
    for (const j of batch) {
      features(j.instances, x, o);
      o += j.instances.length * INPUTS;
    }
    s.run({ features: new ort.Tensor('float32', x, [n, INPUTS]) }).then(
      (out) => {
        const y = out.prediction.data as Float32Array;
        let k = 0;
        for (const j of batch) j.resolve(Array.from(y.subarray(k, (k += j.instances.length))));
        inFlight--;
        pump();
      },
      (err) => {
        for (const j of batch) j.reject(err);
        inFlight--;
        pump();
      },
    );
  };
  const pump = () => {
    while (queue.length) {
      if (inFlight === 0 || (inFlight < 2 && (rows >= MAX_ROWS || performance.now() - queue[0].at >= MAX_DELAY_MS))) run();
      else {
        if (!timer && inFlight < 2) timer = setTimeout(() => ((timer = null), pump()), Math.max(0, MAX_DELAY_MS - (performance.now() - queue[0].at)));
        return;
      }
    }
  };
  const app = Fastify({ logger: false });
  app.post('/predict', async (req) => {
    const { instances } = req.body as { instances: Array<{ features: number[] }> };
    const predictions = await new Promise<number[]>((resolve, reject) => {
      queue.push({ instances, resolve, reject, at: performance.now() });
      rows += instances.length;
      pump();
    });
    return { predictions };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  ready({ url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, path: '/predict', headers: {} });
}

async function atelier(format: 'onnx' | 'atelier', engineRuntime: 'engine' | 'onnx' = 'engine') {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const catalog = await createCatalog({ dataDir: join(dir, 'db') });
  const artifacts = new FilesystemArtifactStore({ rootDir: join(dir, 'artifacts') });
  const holder: { serving?: Awaited<ReturnType<typeof startServing>> } = {};
  const { app, services } = await buildGatewayApp(
    // As in production, the gateway's defaults: auth (keys cached 5 s), strict body validation, request
    // metrics, LOG_LEVEL info (predict has no per-request access log line there: metrics and the
    // sampled prediction log, on at 1% here, cover it; errors are logged), logs written to stdout.
    { jsonBodyLimitBytes: 1024 * 1024, authCacheTtlMs: 5000, logLevel: 'info' },
    {
      catalog,
      artifacts,
      extensions: [predictionsExtension({ predict: (r) => holder.serving!.predict(r), rank: (r) => holder.serving!.rank(r) })],
      readiness: [{ name: 'serving', check: () => holder.serving!.readiness.check() }],
    },
  );
  holder.serving = await startServing(defaultServingConfig({ cacheDir: join(dir, 'cache'), predictionLogSampleRate: 0.01, engineRuntime }), {
    catalog,
    artifacts,
    registry: services.registry,
    log: () => {},
  });
  await services.apiKeys.bootstrapAdmin(ADMIN_KEY);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const auth = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(url + path, { method, headers: auth, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  await call('POST', '/v1/projects', { name: 'bench' });
  await call('POST', '/v1/projects/bench/models', { name: 'mlp', task: 'regression' });
  const m = await catalog.models.getByName((await catalog.projects.getByName('bench')).id, 'mlp');
  const bytes = format === 'onnx' ? model.onnx : model.bundle;
  const sha = createHash('sha256').update(bytes).digest('hex');
  const key = `models/${m.projectId}/${m.id}/sha256/${sha}.${format === 'onnx' ? 'onnx' : 'atlbndl'}`;
  await artifacts.put(key, bytes);
  await catalog.models.createVersion({
    modelId: m.id,
    format,
    bundleKey: key,
    bundleSha256: sha,
    bundleSize: bytes.length,
    signature: { inputs: [{ name: 'features', dtype: 'float32', shape: [INPUTS] }], outputs: [{ name: 'prediction', dtype: 'float32', shape: [1] }] },
  });
  await call('PUT', '/v1/projects/bench/deployments/mlp', {
    model: 'mlp',
    routes: [{ version: 1, weight: 100 }],
    batching: { maxBatchRows: 64, maxQueueDelayMs: 2, maxInFlightBatches: 2, queueCapacityRows: 65536, timeoutMs: 10_000 },
  });
  for (let i = 0; ; i++) {
    if ((await fetch(`${url}/readyz`)).ok) break;
    if (i > 600) throw new Error('serving never became ready');
    await new Promise((r) => setTimeout(r, 50));
  }
  ready({ url, path: '/v1/projects/bench/models/mlp/predict', headers: { authorization: auth.authorization } });
}

const servers: Record<string, () => Promise<void>> = {
  plain,
  eager,
  'atelier-onnx': () => atelier('onnx'),
  'atelier-engine': () => atelier('atelier', 'engine'),
  'atelier-engine-onnx': () => atelier('atelier', 'onnx'),
};
if (!servers[kind]) {
  console.error(`usage: tsx bench/serving-servers.ts <${Object.keys(servers).join('|')}>`);
  process.exit(2);
}
await servers[kind]();
process.on('SIGTERM', () => process.exit(0));
