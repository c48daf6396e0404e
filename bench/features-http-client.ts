// The HTTP client of the online-read benchmark, run in a worker thread (see httpOpenLoop): the same
// open loop as the in-process measurement, each request a POST …/online-features with `keyCount`
// distinct random keys below `keySpace`. A warm-up window at the same rate comes first.
import { request, Agent } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { openLoop, type HttpLoadOptions } from './features-load.js';

const o = workerData as HttpLoadOptions;
const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
const url = new URL(o.url);
let firstError: string | undefined;

function body(): string {
  const keys = new Set<number>();
  while (keys.size < o.keyCount) keys.add(Math.floor(Math.random() * o.keySpace));
  return JSON.stringify({ featureViews: o.featureViews, entityKeys: [...keys].map((k) => ({ [o.keyColumn]: k })), ...(o.format && { format: o.format }) });
}

function post(): Promise<void> {
  const payload = body();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...o.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode === 200) return resolve();
          firstError ??= `${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`;
          reject(new Error(`status ${res.statusCode}`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', (e) => {
      firstError ??= String(e);
      reject(e);
    });
    req.end(payload);
  });
}

// Warm-up at the measured rate: the connections (the client's, and the server's to its database) open
// and the server's code is compiled before the measured window starts.
await openLoop(o.ratePerS, o.warmupSeconds, post);
firstError = undefined;
const result = await openLoop(o.ratePerS, o.seconds, post);
agent.destroy();
parentPort!.postMessage({ result, firstError });
