// Engine bundles on the engine's inference path (createPredictor: no tape, pooled buffers). Inputs are
// built on the calling thread (engine-inputs.ts); the forward pass of a batch of at least
// `workerMinRows` rows runs on a worker thread that holds its own copy of the model, so a heavy batch
// does not block the event loop; smaller batches run inline, where a thread hop would cost more than
// the compute.
import { Worker } from 'node:worker_threads';
import { createPredictor, loadBundle, type BundleManifest, type Predictor } from '@atelier/engine';
import type { ServingFieldError } from '../errors.js';
import { signatureValidator, type InputField } from '../input-validation.js';
import { engineInputBuilder, type EngineInputBuilder, type ModelInputs } from './engine-inputs.js';
import type { ModelRuntime } from './runtime.js';

export interface EngineRuntimeOptions {
  /** Compute threads for this version (default 1; 0 computes every batch inline). */
  workerThreads?: number;
  /** Batches with at least this many rows go to a worker thread (default 8). */
  workerMinRows?: number;
}

const THREAD_URL = new URL('./engine-thread.mjs', import.meta.url);

interface ThreadSlot {
  worker: Worker;
  busy: number;
}

export class EngineModelRuntime implements ModelRuntime {
  readonly format = 'atelier' as const;
  readonly inputs: InputField[];
  readonly outputNames: string[];
  readonly task: string | null;
  released = false;
  private predictor: Predictor | null;
  private readonly builder: EngineInputBuilder;
  private readonly threads: ThreadSlot[] = [];
  private readonly waiting = new Map<number, { resolve(v: Float32Array): void; reject(e: Error): void; slot: ThreadSlot }>();
  private seq = 0;

  private constructor(
    predictor: Predictor,
    readonly manifest: BundleManifest,
    private readonly workerMinRows: number,
  ) {
    this.predictor = predictor;
    this.builder = engineInputBuilder(manifest);
    this.inputs = this.builder.fields;
    this.outputNames = manifest.output.names;
    this.task = manifest.output.task;
  }

  static async load(bytes: Uint8Array, opts: EngineRuntimeOptions = {}): Promise<EngineModelRuntime> {
    // A plain copy: the engine's safetensors decoder must not get a view over Node's Buffer pool.
    const plain = new Uint8Array(bytes);
    const { model, manifest } = loadBundle(plain);
    const rt = new EngineModelRuntime(createPredictor(model), manifest, opts.workerMinRows ?? 8);
    try {
      for (let i = 0; i < (opts.workerThreads ?? 1); i++) rt.threads.push(await rt.startThread(plain));
    } catch (err) {
      await rt.release();
      throw err;
    }
    return rt;
  }

  private startThread(bundle: Uint8Array): Promise<ThreadSlot> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(THREAD_URL, { workerData: { bundle } });
      const slot: ThreadSlot = { worker, busy: 0 };
      worker.once('error', reject);
      worker.on('message', (msg: { ready?: true; id?: number; out?: Float32Array; error?: string }) => {
        if (msg.ready) {
          worker.off('error', reject);
          worker.on('error', (err) => this.failThread(slot, err));
          resolve(slot);
          return;
        }
        const w = this.waiting.get(msg.id!);
        if (!w) return;
        this.waiting.delete(msg.id!);
        slot.busy--;
        if (msg.error !== undefined) w.reject(new Error(msg.error));
        else w.resolve(msg.out!);
      });
    });
  }

  private failThread(slot: ThreadSlot, err: Error): void {
    const i = this.threads.indexOf(slot);
    if (i >= 0) this.threads.splice(i, 1);
    for (const [id, w] of this.waiting) {
      if (w.slot === slot) {
        this.waiting.delete(id);
        w.reject(err);
      }
    }
  }

  validate(instances: unknown) {
    return (this.validator ??= signatureValidator(this.inputs))(instances);
  }
  private validator: ((instances: unknown) => readonly ServingFieldError[]) | undefined;

  /** Threads running (tests check that release stops them). */
  get threadCount(): number {
    return this.threads.length;
  }

  async run(instances: Array<Record<string, unknown>>): Promise<Float32Array> {
    const predictor = this.predictor;
    if (!predictor) throw new Error('engine runtime: used after release()');
    const numRows = instances.length;
    const inputs = this.builder.build(instances);
    if (numRows >= this.workerMinRows && this.threads.length > 0) return this.onThread(numRows, inputs);
    return predictor.predict({ numRows, inputs });
  }

  private onThread(numRows: number, inputs: ModelInputs): Promise<Float32Array> {
    const slot = this.threads.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = ++this.seq;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ id, numRows, inputs }, [...new Set(Object.values(inputs).map((a) => a.buffer as ArrayBuffer))]);
    });
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const predictor = this.predictor;
    this.predictor = null;
    predictor?.model.dispose();
    const threads = this.threads.splice(0);
    for (const [, w] of this.waiting) w.reject(new Error('engine runtime released'));
    this.waiting.clear();
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}
