// `npm run bench -- serving [--duration S] [--connections 1,16,64]`: the same MLP (64 → 256 → 256 → 1)
// served four ways, each server in its own child process, load from autocannon in this process:
//   atelier-onnx    Atelier gateway + serving node (auth, validation, metrics, sampled prediction log),
//                   the MLP as an ONNX version behind a deployment
//   plain           Fastify + onnxruntime-node, each request alone (the peer)
//   eager           the same with an eager batcher (run when idle, else gather ≤ 2 ms or 64 rows)
//   atelier-engine  Atelier with the MLP as an engine bundle, computed by the engine's predictor
//   atelier-engine-onnx  the same engine bundle served through its ONNX export (ATELIER_ENGINE_RUNTIME=onnx)
// One instance per request. Servers and autocannon share this machine's cores (2 here): absolute
// numbers are the machine's; the ratios are the point. The last line is one JSON object.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchInstance, buildBenchModel } from './serving-model.js';
import { checkPrerequisites, npmPackage, pythonModule } from './prerequisites.js';

// Before anything starts: the model is written by Debian's python3-onnx (with numpy), served by
// onnxruntime-node, and loaded by autocannon.
await checkPrerequisites('serving', [
  pythonModule('onnx', 'python3-onnx', 'writing the benchmark MLP as ONNX (bench/serving-model.ts)'),
  pythonModule('numpy', 'python3-numpy', 'the MLP weights (bench/serving-model.ts)'),
  npmPackage('onnxruntime-node', 'the plain and eager peers and the ONNX runtime of serving nodes'),
  npmPackage('autocannon', 'the HTTP load'),
]);

// autocannon ships no types: the little of it used here, typed.
type Autocannon = (opts: Record<string, unknown>) => Promise<{
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}>;
const autocannon = ((await import('autocannon' as string)) as { default: Autocannon }).default;

const args = process.argv.slice(3);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const DURATION = Number(flag('duration') ?? 15);
const CONNECTIONS = (flag('connections') ?? '1,16,64').split(',').map(Number);
const SERVERS = (flag('servers') ?? 'plain,eager,atelier-onnx,atelier-engine,atelier-engine-onnx').split(',');
const SERVER_SCRIPT = fileURLToPath(new URL('./serving-servers.ts', import.meta.url));

interface Info {
  url: string;
  path: string;
  headers: Record<string, string>;
}

function startServer(kind: string): Promise<{ child: ChildProcess; info: Info }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER_SCRIPT, kind], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`${kind}: not ready within 120 s`)), 120_000);
    // The server's log lines (stdout, as in production) come first; keep reading them so it never blocks.
    const onLine = (line: string) => {
      let parsed: { ready?: Info } | null = null;
      try {
        parsed = JSON.parse(line) as { ready?: Info };
      } catch {
        return;
      }
      if (!parsed?.ready) return;
      clearTimeout(timer);
      lines.off('line', onLine);
      lines.on('line', () => {});
      resolve({ child, info: parsed.ready });
    };
    lines.on('line', onLine);
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(info: Info, connections: number, duration: number, body: string): Promise<Run> {
  const r = await autocannon({
    url: info.url + info.path,
    method: 'POST',
    headers: { ...info.headers, 'content-type': 'application/json' },
    body,
    connections,
    duration,
    pipelining: 1,
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

/**
 * Concurrency 1 with microsecond timing: autocannon reports whole milliseconds, too coarse for a
 * ~0.1 ms p50. One keep-alive connection, one request at a time, each timed with performance.now().
 */
async function sequential(info: Info, duration: number, body: string): Promise<Run> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(info.url + info.path);
  const once = () =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...info.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const times: number[] = [];
  let errors = 0;
  const end = performance.now() + duration * 1000;
  while (performance.now() < end) {
    const t0 = performance.now();
    const status = await once().catch(() => 0);
    times.push(performance.now() - t0);
    if (status !== 200) errors++;
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  const q = (p: number) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(3));
  return { rps: times.length / duration, p50: q(0.5), p99: q(0.99), errors };
}

const model = buildBenchModel();
const instance = benchInstance();
const body = JSON.stringify({ instances: [{ features: instance }] });
const expected = model.reference(instance);

const results: Record<string, Record<number, Run>> = {};
for (const kind of SERVERS) {
  const { child, info } = await startServer(kind);
  try {
    // Same answer as the engine (the ONNX export is the same MLP), and warm.
    const res = await fetch(info.url + info.path, { method: 'POST', headers: { ...info.headers, 'content-type': 'application/json' }, body });
    const answer = ((await res.json()) as { predictions: number[] }).predictions[0];
    if (!res.ok || Math.abs(answer - expected) > 1e-3 * Math.max(1, Math.abs(expected))) {
      throw new Error(`${kind} answered ${answer} (HTTP ${res.status}); the engine says ${expected}`);
    }
    await load(info, 16, Math.min(2, DURATION), body);
    results[kind] = {};
    for (const c of CONNECTIONS) {
      results[kind][c] = c === 1 ? await sequential(info, DURATION, body) : await load(info, c, DURATION, body);
      const r = results[kind][c];
      console.error(`${kind} c=${c}: ${Math.round(r.rps)} rps p50 ${r.p50} ms p99 ${r.p99} ms errors ${r.errors}`);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const cores = cpus().length;
const pad = (s: string, n: number) => s.padEnd(n);
console.log(`\nServing the MLP 64→256→256→1, one instance per request, ${DURATION} s per run; the load generator and the server share ${cores} cores`);
console.log('c=1: one keep-alive connection timed per request with performance.now(); c>1: autocannon (latency in whole ms)');
console.log(`${pad('server', 21)}${pad('c', 5)}${pad('req/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}errors`);
for (const kind of SERVERS) {
  for (const c of CONNECTIONS) {
    const r = results[kind]?.[c];
    if (r) console.log(`${pad(kind, 21)}${pad(String(c), 5)}${pad(String(Math.round(r.rps)), 10)}${pad(r.p50.toFixed(3), 9)}${pad(r.p99.toFixed(3), 9)}${r.errors}`);
  }
}
const top = Math.max(...CONNECTIONS);
const get = (kind: string, c: number) => results[kind]?.[c];
const best = Math.max(get('plain', top)?.rps ?? 0, get('eager', top)?.rps ?? 0);
const summary = {
  bench: 'serving',
  durationS: DURATION,
  cores,
  [`c${top}_rps`]: Math.round(get('atelier-onnx', top)?.rps ?? 0),
  [`c${top}_vs_best_baseline`]: best ? Number(((get('atelier-onnx', top)?.rps ?? 0) / best).toFixed(3)) : null,
  [`c${top}_p99_ms`]: get('atelier-onnx', top)?.p99 ?? null,
  c1_p50_vs_plain: get('atelier-onnx', 1) && get('plain', 1) ? Number((get('atelier-onnx', 1)!.p50 / Math.max(get('plain', 1)!.p50, 0.001)).toFixed(3)) : null,
  c1_p50_ms: get('atelier-onnx', 1)?.p50 ?? null,
  plain_c1_p50_ms: get('plain', 1)?.p50 ?? null,
  [`plain_c${top}_rps`]: Math.round(get('plain', top)?.rps ?? 0),
  [`plain_c${top}_p99_ms`]: get('plain', top)?.p99 ?? null,
  [`eager_c${top}_rps`]: Math.round(get('eager', top)?.rps ?? 0),
  [`eager_c${top}_p99_ms`]: get('eager', top)?.p99 ?? null,
  [`engine_bundle_c${top}_rps`]: Math.round(get('atelier-engine', top)?.rps ?? 0),
  [`engine_bundle_c${top}_p99_ms`]: get('atelier-engine', top)?.p99 ?? null,
  [`engine_onnx_c${top}_rps`]: Math.round(get('atelier-engine-onnx', top)?.rps ?? 0),
  [`engine_onnx_c${top}_p99_ms`]: get('atelier-engine-onnx', top)?.p99 ?? null,
  // The same engine version, predictor vs its ONNX export, in this run (> 1: the engine path is faster).
  // Engine versions as the node serves them by default (through their ONNX export) vs an uploaded ONNX version.
  [`engine_vs_onnx_c${top}`]: get('atelier-onnx', top)?.rps ? Number(((get('atelier-engine-onnx', top)?.rps ?? 0) / get('atelier-onnx', top)!.rps).toFixed(3)) : null,
  [`engine_bundle_vs_engine_onnx_c${top}`]: get('atelier-engine-onnx', top)?.rps ? Number(((get('atelier-engine', top)?.rps ?? 0) / get('atelier-engine-onnx', top)!.rps).toFixed(3)) : null,
  errors: Object.values(results).reduce((a, byC) => a + Object.values(byC).reduce((b, r) => b + r.errors, 0), 0),
};
console.log(JSON.stringify(summary));
process.exit(0);
