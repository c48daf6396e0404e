// A small pool of compute threads for one model version (each thread holds its own copy of the
// model): `run(request)` posts to the least busy thread and resolves with its answer. A
// thread that dies fails what it had in hand and leaves the pool; the runtime computes inline when
// no thread is left. Protocol: the thread posts { ready: true } once loaded, then answers each
// { id, ...request } with { id, out } or { id, error }. Requests are copied, never transferred: a
// transfer detaches the buffer on this thread, and after one detached ArrayBuffer V8 checks every
// typed-array access on the event loop for detachment (the copy of a batch costs far less).
// Answers come back transferred (that detaches on the compute thread only).
import { Worker } from 'node:worker_threads';

const ENTRY = new URL('./thread-entry.mjs', import.meta.url);

interface Slot {
  worker: Worker;
  busy: number;
}

export class ComputeThreads<Req extends object, Res> {
  private readonly slots: Slot[] = [];
  private readonly waiting = new Map<number, { resolve(v: Res): void; reject(e: Error): void; slot: Slot }>();
  private seq = 0;

  private constructor(private readonly what: string) {}

  /**
   * Starts `count` threads running the module at `url`, each with `workerData`; all loaded, or none (and
   * it throws). A .ts module runs through thread-entry.mjs (tsx); a compiled .js one runs directly.
   */
  static async start<Req extends object, Res>(what: string, url: URL, workerData: unknown, count: number): Promise<ComputeThreads<Req, Res>> {
    const pool = new ComputeThreads<Req, Res>(what);
    try {
      for (let i = 0; i < count; i++) pool.slots.push(await pool.startOne(url, workerData));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Threads alive. */
  get size(): number {
    return this.slots.length;
  }

  run(request: Req): Promise<Res> {
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = ++this.seq;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ ...request, id });
    });
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const [, w] of this.waiting) w.reject(new Error(`${this.what} released`));
    this.waiting.clear();
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private startOne(url: URL, workerData: unknown): Promise<Slot> {
    return new Promise((resolve, reject) => {
      const worker = url.pathname.endsWith('.ts') ? new Worker(ENTRY, { workerData, argv: [url.href] }) : new Worker(url, { workerData });
      const slot: Slot = { worker, busy: 0 };
      worker.once('error', reject);
      worker.on('message', (msg: { ready?: true; id?: number; out?: Res; error?: string }) => {
        if (msg.ready) {
          worker.off('error', reject);
          worker.on('error', (err) => this.fail(slot, err));
          resolve(slot);
          return;
        }
        const w = this.waiting.get(msg.id!);
        if (!w) return;
        this.waiting.delete(msg.id!);
        slot.busy--;
        if (msg.error !== undefined) w.reject(new Error(msg.error));
        else w.resolve(msg.out as Res);
      });
    });
  }

  private fail(slot: Slot, err: Error): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    for (const [id, w] of this.waiting) {
      if (w.slot === slot) {
        this.waiting.delete(id);
        w.reject(err);
      }
    }
  }
}
