// Starts the worker thread that runs training or evaluation compute (keeping the main event loop free
// for leases and I/O). The entry is a plain .mjs that registers tsx's loader inside the thread and then
// imports the TypeScript module: `execArgv: ['--import', 'tsx']` does not give Node 20 worker threads
// the loader hooks, while this works the same under vitest, `node --import tsx` and `atelier-server`.
// Compiled (`npm run build`, this file is dist/compute-thread.js), the thread runs the compiled module
// directly with plain Node.
import { Worker } from 'node:worker_threads';
import type { ThreadInput } from './thread-protocol.js';

const THREAD_URL = import.meta.url.endsWith('.js') ? new URL('./training-thread.js', import.meta.url) : new URL('./training-thread.mjs', import.meta.url);

/**
 * Start the thread. A training table's column buffers are transferred, not copied: the job runner does
 * not read them afterwards, and a structured-clone copy would double the run's memory.
 */
export function startComputeThread(input: ThreadInput): Worker {
  const transferList: ArrayBuffer[] = [];
  if (input.mode === 'train') {
    const seen = new Set<ArrayBufferLike>();
    for (const col of Object.values(input.table.columns)) {
      if (Array.isArray(col) || seen.has(col.buffer) || !(col.buffer instanceof ArrayBuffer)) continue;
      if (col.byteOffset !== 0 || col.byteLength !== col.buffer.byteLength) continue; // a view: the buffer may be shared
      seen.add(col.buffer);
      transferList.push(col.buffer);
    }
  }
  return new Worker(THREAD_URL, { workerData: input, transferList, stdout: false, stderr: false });
}
