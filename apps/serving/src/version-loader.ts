// Loads model versions for the reconciler: bundle from the verified cache, runtime (ONNX or engine),
// warm-up with the version's example input, then a dynamic batcher. Owns what is loaded (and being
// loaded) so that the bundle cache never evicts a bundle in use, and frees runtimes on unload.
import type { ArtifactStore } from '@atelier/artifacts';
import type { ModelVersion } from '@atelier/catalog';
import { BundleCache } from './bundle-cache.js';
import { DynamicBatcher, type BatchingConfig } from './dynamic-batcher.js';
import { ServingError } from './errors.js';
import { exampleFromSignature } from './input-validation.js';
import type { BatchItem, LoadedVersion } from './routing-table.js';
import { EngineModelRuntime } from './runtimes/engine-runtime.js';
import { OnnxModelRuntime, type OnnxSignature } from './runtimes/onnx-runtime.js';
import type { ModelRuntime } from './runtimes/runtime.js';
import type { ServingMetrics, VersionMetrics } from './serving-metrics.js';
import type { ServingConfig } from './serving.config.js';

export type ServingLog = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/** Called once a version is warm, before it takes requests (model monitoring prepares its reference bins), and when it is unloaded. */
export interface VersionHooks {
  loaded(v: ModelVersion, projectId: string, runtime: ModelRuntime): Promise<void>;
  unloaded(versionId: string): void;
}

const sameBatching = (a: BatchingConfig, b: BatchingConfig) => JSON.stringify(a) === JSON.stringify(b);

export class VersionLoader {
  private readonly cache: BundleCache;
  /** Loaded versions by version id. */
  private readonly loaded = new Map<string, LoadedVersion>();
  /** Versions being loaded, by version id, with their bundle's sha256 (the bundle cache must keep it). */
  private readonly loading = new Map<string, { done: Promise<LoadedVersion>; sha256: string }>();
  private stopped = false;

  constructor(
    private readonly config: ServingConfig,
    artifacts: ArtifactStore,
    private readonly metrics: ServingMetrics,
    private readonly log: ServingLog,
    private readonly hooks?: VersionHooks,
  ) {
    this.cache = new BundleCache(config.cacheDir, artifacts, {
      maxBytes: config.cacheMaxBytes,
      // Loaded versions, and those being loaded (their bundle was just fetched or is being fetched).
      inUse: () => [...[...this.loaded.values()].map((lv) => lv.sha256), ...[...this.loading.values()].map((l) => l.sha256)],
      onLookup: (r) => metrics.cacheLookups.inc({ result: r }),
      onEvict: (files) => metrics.cacheEvictions.inc(files),
    });
  }

  get(versionId: string): LoadedVersion | undefined {
    return this.loaded.get(versionId);
  }

  isLoaded(versionId: string): boolean {
    return this.loaded.has(versionId);
  }

  all(): LoadedVersion[] {
    return [...this.loaded.values()];
  }

  /** Version ids being loaded now. */
  pending(): string[] {
    return [...this.loading.keys()];
  }

  /** The loaded version, or its load (one load per version however many deployments ask). */
  ensureLoaded(v: ModelVersion, model: { projectId: string; name: string }, batching: BatchingConfig): Promise<LoadedVersion> {
    const have = this.loaded.get(v.id);
    if (have) return Promise.resolve(have);
    const loading = this.loading.get(v.id);
    if (loading) return loading.done;
    const done = this.load(v, model, batching).finally(() => this.loading.delete(v.id));
    this.loading.set(v.id, { done, sha256: v.bundleSha256 });
    return done;
  }

  /** Batching settings changed for a loaded version: a new batcher takes requests, the old one drains. */
  rebatch(versionId: string, cfg: BatchingConfig): void {
    const lv = this.loaded.get(versionId);
    if (!lv || sameBatching(lv.batcher.config, cfg)) return;
    const old = lv.batcher;
    lv.batcher = this.makeBatcher(lv.runtime, lv.metrics, `${lv.modelName} v${lv.version}`, cfg, lv.width);
    void old.drain();
  }

  /** Unload every version not in `keep`: its queue drains (queued requests are answered), then its runtime is freed. */
  async unloadExcept(keep: ReadonlySet<string>): Promise<void> {
    for (const [id, lv] of [...this.loaded]) {
      if (keep.has(id)) continue;
      this.loaded.delete(id);
      this.hooks?.unloaded(id);
      this.metrics.loadedVersions.set(this.loaded.size);
      await lv.batcher.drain();
      await lv.runtime.release();
      this.log('info', 'unloaded model version', { model: lv.modelName, version: lv.version });
    }
  }

  /** Wait for loads in progress, drain every queue, free every runtime. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.loading.values()].map((l) => l.done));
    const all = [...this.loaded.values()];
    await Promise.all(all.map((lv) => lv.batcher.drain()));
    await Promise.all(all.map((lv) => lv.runtime.release().catch(() => {})));
    this.loaded.clear();
    this.metrics.loadedVersions.set(0);
  }

  private async load(v: ModelVersion, model: { projectId: string; name: string }, batching: BatchingConfig): Promise<LoadedVersion> {
    const what = `model '${model.name}' version ${v.version}`;
    const started = performance.now();
    let runtime: ModelRuntime | undefined;
    try {
      const bytes = await this.cache.get(v, what);
      if (v.format === 'onnx') {
        runtime = await OnnxModelRuntime.load(bytes, v.signature as OnnxSignature, {
          intraOpNumThreads: this.config.onnxIntraOpThreads,
          workerThreads: this.config.onnxWorkerThreads,
          workerMinRows: this.config.onnxWorkerMinRows,
        });
      } else {
        runtime = await EngineModelRuntime.load(bytes, {
          workerThreads: this.config.engineWorkerThreads,
          workerMinRows: this.config.engineWorkerMinRows,
        });
      }
      // Warm up with the version's example input (or one built from the signature).
      const given = (v.signature as { example?: unknown } | null)?.example ?? (v.lineage as { exampleInput?: unknown }).exampleInput;
      const example = given && runtime.validate([given]).length === 0 ? (given as Record<string, unknown>) : exampleFromSignature(runtime.inputs);
      const out = await runtime.run([example]);
      if (out.length !== runtime.outputNames.length) {
        throw new ServingError('ATL_SIGNATURE_MISMATCH', 500, `${what} answered ${out.length} values per row in warm-up; its outputs name ${runtime.outputNames.length}`);
      }
      await this.hooks?.loaded(v, model.projectId, runtime);
      const metrics = this.metrics.forVersion(model.projectId, model.name, v.version);
      const lv: LoadedVersion = {
        id: v.id,
        projectId: model.projectId,
        modelId: v.modelId,
        modelName: model.name,
        version: v.version,
        sha256: v.bundleSha256,
        runtime,
        metrics,
        width: runtime.outputNames.length,
        batcher: this.makeBatcher(runtime, metrics, `${model.name} v${v.version}`, batching, runtime.outputNames.length),
        loadedAt: new Date(),
      };
      if (this.stopped) throw new Error('serving node stopped while loading');
      this.loaded.set(v.id, lv);
      this.metrics.loadedVersions.set(this.loaded.size);
      this.metrics.loadSeconds.observe({ format: v.format, outcome: 'ok' }, (performance.now() - started) / 1000);
      this.log('info', 'loaded model version', { model: model.name, version: v.version, ms: Math.round(performance.now() - started) });
      return lv;
    } catch (err) {
      await runtime?.release().catch(() => {});
      this.metrics.loadSeconds.observe({ format: v.format, outcome: 'failed' }, (performance.now() - started) / 1000);
      this.log('error', 'model version refused', { model: model.name, version: v.version, code: (err as ServingError).code, err: (err as Error).message });
      throw err;
    }
  }

  private makeBatcher(runtime: ModelRuntime, metrics: VersionMetrics, name: string, cfg: BatchingConfig, width: number) {
    return new DynamicBatcher<BatchItem, Float32Array>(
      `model ${name}`,
      cfg,
      async (items, rows) => {
        const all = items.length === 1 ? items[0].instances : items.flatMap((i) => i.instances);
        const out = await runtime.run(all);
        if (out.length !== rows * width) throw new Error(`runtime returned ${out.length} values for ${rows} rows × ${width}`);
        const res: Float32Array[] = new Array(items.length);
        let o = 0;
        for (let i = 0; i < items.length; i++) {
          const n = items[i].instances.length * width;
          res[i] = out.subarray(o, o + n);
          o += n;
        }
        return res;
      },
      undefined,
      {
        onBatch: (r) => metrics.batchRows.observe(r),
        onQueueWait: (ms) => metrics.queueWaitSeconds.observe(ms / 1000),
      },
    );
  }
}
