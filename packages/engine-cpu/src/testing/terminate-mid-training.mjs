// Run by worker-terminate.test.ts in a child process (a fatal error there cannot take vitest down):
// worker threads train an MLP on native-cpu in a loop, and each is terminated at a varying moment, so
// terminations land inside native calls, as a cancelled or abandoned job's do. Prints "survived N"
// and exits 0; a binding that fails badly on a terminating thread aborts the process.
// Plain .mjs registering tsx itself: Node 20 worker threads do not get `--import` loader hooks.
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { getBackend, Mlp, Optimizer, Random, trainStep } = await import('@atelier/engine');
await import('../index.ts');

if (isMainThread) {
  const rounds = Number(process.argv[2] ?? 200);
  for (let i = 0; i < rounds; i++) {
    const worker = new Worker(new URL(import.meta.url));
    const backend = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (backend !== 'native-cpu') throw new Error(`the worker trains on '${backend}', not native-cpu`);
    await sleep((i * 7) % 23);
    await worker.terminate();
  }
  process.stdout.write(`survived ${rounds}\n`);
} else {
  const r = new Random(1);
  const n = 256, d = 32;
  const x = Float32Array.from({ length: n * d }, () => r.normal());
  const y = Float32Array.from({ length: n }, (_, i) => (x[i * d] > 0 ? 1 : 0));
  const model = new Mlp({ inputs: [{ name: 'x', kind: 'dense', width: d }], hiddenUnits: [64, 64], activation: 'relu', seed: 2 });
  const opt = new Optimizer({ kind: 'adam', lr: 0.01 });
  parentPort.postMessage(getBackend().name);
  for (;;) trainStep(model, opt, { numRows: n, inputs: { x }, labels: y });
}
