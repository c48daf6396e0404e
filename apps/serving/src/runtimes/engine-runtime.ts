// Engine bundles on the engine's inference path (createPredictor: no tape, pooled buffers). Inputs are
// built on the calling thread (engine-inputs.ts); the forward pass of a batch of at least
// `workerMinRows` rows runs on a worker thread that holds its own copy of the model, so a heavy batch
// does not block the event loop; smaller batches run inline, where a thread hop would cost more than
// the compute.
import { createPredictor, GbdtModel, loadBundle, type BundleManifest, type Predictor } from '@atelier/engine';
import { TreeExplainer, type Contribution } from './tree-explainer.js';
import type { ServingFieldError } from '../errors.js';
import { signatureValidator, type InputField } from '../input-validation.js';
import { engineInputBuilder, type EngineInputBuilder, type ModelInputs } from './engine-inputs.js';
import { ComputeThreads } from './compute-threads.js';
import type { ModelRuntime } from './runtime.js';

export interface EngineRuntimeOptions {
  /** Compute threads for this version (default 1; 0 computes every batch inline). */
  workerThreads?: number;
  /** Batches with at least this many rows go to a worker thread (default 8). */
  workerMinRows?: number;
}

// The compiled thread module when this file runs compiled (dist/*.js), else the TypeScript source.
const THREAD_URL = new URL(import.meta.url.endsWith('.js') ? './engine-thread.js' : './engine-thread.ts', import.meta.url);

export class EngineModelRuntime implements ModelRuntime {
  readonly format = 'atelier' as const;
  readonly inputs: InputField[];
  readonly outputNames: string[];
  /** Every bad field of a request's instances ([] when valid), compiled for this signature. */
  readonly validate: (instances: unknown) => readonly ServingFieldError[];
  readonly task: string | null;
  released = false;
  private predictor: Predictor | null;
  private readonly builder: EngineInputBuilder;
  private threads: ComputeThreads<{ numRows: number; inputs: ModelInputs }, Float32Array> | null = null;

  private constructor(
    predictor: Predictor,
    readonly manifest: BundleManifest,
    private readonly workerMinRows: number,
  ) {
    this.predictor = predictor;
    this.builder = engineInputBuilder(manifest);
    this.inputs = this.builder.fields;
    this.validate = signatureValidator(this.inputs);
    this.outputNames = manifest.output.names;
    this.task = manifest.output.task;
  }

  static async load(bytes: Uint8Array, opts: EngineRuntimeOptions = {}): Promise<EngineModelRuntime> {
    // A plain copy: the engine's safetensors decoder must not get a view over Node's Buffer pool.
    const plain = new Uint8Array(bytes);
    const { model, manifest } = loadBundle(plain);
    const rt = new EngineModelRuntime(createPredictor(model), manifest, opts.workerMinRows ?? 8);
    if (model instanceof GbdtModel) {
      const explainer = new TreeExplainer(model, manifest);
      rt.explain = (instances) => explainer.explain(instances);
    }
    const threads = opts.workerThreads ?? 1;
    if (threads > 0) {
      try {
        rt.threads = await ComputeThreads.start('engine runtime', THREAD_URL, { bundle: plain }, threads);
      } catch (err) {
        await rt.release();
        throw err;
      }
    }
    return rt;
  }

  /** TreeSHAP contributions (gbdt bundles only; absent otherwise, and the router refuses explain). */
  explain?: (instances: Array<Record<string, unknown>>) => Contribution[];

  /** Threads running (tests check that release stops them). */
  get threadCount(): number {
    return this.threads?.size ?? 0;
  }

  async run(instances: Array<Record<string, unknown>>): Promise<Float32Array> {
    const predictor = this.predictor;
    if (!predictor) throw new Error('engine runtime: used after release()');
    const numRows = instances.length;
    const inputs = this.builder.build(instances);
    if (numRows >= this.workerMinRows && this.threads && this.threads.size > 0) {
      return this.threads.run({ numRows, inputs });
    }
    return predictor.predict({ numRows, inputs });
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const predictor = this.predictor;
    this.predictor = null;
    predictor?.model.dispose();
    await this.threads?.close();
  }
}
