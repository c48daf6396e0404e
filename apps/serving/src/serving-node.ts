// The serving node: learns which model versions its pool must serve (LISTEN atelier_deployments plus a
// periodic full reconcile, so a missed notification heals itself), downloads and verifies bundles into
// the local cache, loads and warms each version, then swaps the routing table in one assignment.
// Requests pick a version from that table synchronously and enter its dynamic batcher in the same
// tick, so a version being unloaded (its batcher draining) never sees a new request.
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog, DeploymentSpec, ModelVersion } from '@atelier/catalog';
import { NOTIFY_CHANNELS } from '@atelier/contracts';
import { Registry } from 'prom-client';
import { collectProcessMetrics } from '@atelier/telemetry';
import { Random } from '@atelier/engine';
import { BundleCache } from './bundle-cache.js';
import { DynamicBatcher, batchingConfig, type BatchingConfig } from './dynamic-batcher.js';
import { ServingError, ServingErrors } from './errors.js';
import { exampleFromSignature } from './input-validation.js';
import { PredictionLog } from './prediction-log.js';
import { RoutingTable } from './routing-table.js';
import { EngineModelRuntime } from './runtimes/engine-runtime.js';
import { OnnxModelRuntime, type OnnxSignature } from './runtimes/onnx-runtime.js';
import type { ModelRuntime } from './runtimes/runtime.js';
import { ServingMetrics, type VersionMetrics } from './serving-metrics.js';
import type { ServingConfig } from './serving.config.js';

export const DEPLOYMENTS_CHANNEL = NOTIFY_CHANNELS.deployments;

/** What the node needs from the feature store: online values by entity key. */
export interface OnlineFeatureSource {
  read(
    projectId: string,
    req: { featureViews: string[]; entityKeys: Array<Record<string, unknown>> },
  ): Promise<{ results: Array<{ features: Record<string, { values: Record<string, unknown> }> }> }>;
}

export interface ServingDeps {
  catalog: Catalog;
  artifacts: ArtifactStore;
  featureStore?: OnlineFeatureSource;
  /** Metrics registry (the gateway's in the all-in-one process); default: a new one. */
  registry?: Registry;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export type Prediction = number | Record<string, number>;

export interface PredictRequest {
  projectId: string;
  model: string;
  /** A version or an alias, bypassing deployment routing; absent → the model's deployment routes. */
  target?: { version: number } | { alias: string };
  instances?: Array<Record<string, unknown>>;
  entityKeys?: Array<Record<string, unknown>>;
  /** Feature views joined for entityKeys (default: the deployment's spec.featureViews). */
  featureViews?: string[];
  requestId?: string;
  /** Overrides the deployment's batching.timeoutMs for this request. */
  timeoutMs?: number;
}

export interface PredictResponse {
  model: string;
  version: number;
  deployment: string | null;
  outputs: string[];
  predictions: Prediction[];
  requestId?: string;
}

export interface RankRequest extends Omit<PredictRequest, 'instances' | 'entityKeys'> {
  context?: Record<string, unknown>;
  candidates: Array<Record<string, unknown>>;
  topK?: number;
}

export interface RankResponse {
  model: string;
  version: number;
  deployment: string | null;
  ranking: Array<{ index: number; score: number }>;
  requestId?: string;
}

interface BatchItem {
  instances: Array<Record<string, unknown>>;
}

/** A loaded, warm model version with its batcher. */
export interface LoadedVersion {
  id: string;
  projectId: string;
  modelId: string;
  modelName: string;
  version: number;
  sha256: string;
  runtime: ModelRuntime;
  batcher: DynamicBatcher<BatchItem, Float32Array>;
  metrics: VersionMetrics;
  width: number;
  loadedAt: Date;
}

interface Routing {
  deploymentId: string;
  deployment: string;
  revision: number;
  updatedAt: number;
  spec: DeploymentSpec;
  routes: Array<{ v: LoadedVersion; cumulative: number }>;
  shadows: LoadedVersion[];
  /** versionId per route/shadow ref, what the routing was built from */
  versionIds: string[];
}

interface ModelEntry {
  projectId: string;
  modelId: string;
  name: string;
  /** Newest deployment first: it routes model-level predict calls. */
  routings: Routing[];
  versions: Map<number, LoadedVersion>;
}

export interface LoadFailure {
  deployment: string;
  model: string;
  version: number | null;
  code: string;
  message: string;
  at: string;
}

export interface ServingStatus {
  ready: boolean;
  lastReconcileAt: string | null;
  deployments: Array<{ project: string; name: string; model: string; revision: number; serving: boolean; versions: number[] }>;
  loaded: Array<{ model: string; version: number; format: string; loadedAt: string }>;
  pending: string[];
  failures: LoadFailure[];
}

/** The batching part of a deployment spec, with defaults. */
export function specBatching(spec: DeploymentSpec): BatchingConfig {
  const b = (spec.batching ?? {}) as Partial<BatchingConfig>;
  return batchingConfig({
    maxBatchRows: b.maxBatchRows,
    maxQueueDelayMs: b.maxQueueDelayMs,
    preferredBatchSizes: b.preferredBatchSizes,
    queueCapacityRows: b.queueCapacityRows,
    timeoutMs: b.timeoutMs,
    maxInFlightBatches: b.maxInFlightBatches,
    eager: b.eager,
  });
}

const sameBatching = (a: BatchingConfig, b: BatchingConfig) => JSON.stringify(a) === JSON.stringify(b);

export class ServingNode {
  readonly registry: Registry;
  readonly metrics: ServingMetrics;
  private readonly cache: BundleCache;
  private readonly predictionLog: PredictionLog;
  private readonly random: () => number;
  private readonly log: NonNullable<ServingDeps['log']>;
  /** The routing table: replaced whole, never mutated in place. */
  private table = new RoutingTable<ModelEntry>();
  private readonly loaded = new Map<string, LoadedVersion>();
  /** Versions being loaded, by version id, with their bundle's sha256 (the bundle cache must keep it). */
  private readonly loading = new Map<string, { done: Promise<LoadedVersion>; sha256: string }>();
  private failures = new Map<string, LoadFailure>();
  private desired: Array<{ deploymentId: string; versionIds: string[] }> = [];
  private reconciled = false;
  private lastReconcileAt: Date | null = null;
  private reconcileRunning: Promise<void> | null = null;
  private reconcileAgain = false;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private stopped = false;
  private aliasCache = new Map<string, { version: number; until: number }>();

  constructor(
    readonly config: ServingConfig,
    private readonly deps: ServingDeps,
  ) {
    this.registry = deps.registry ?? new Registry();
    if (!deps.registry) collectProcessMetrics(this.registry);
    this.metrics = new ServingMetrics(this.registry, () =>
      [...this.loaded.values()].map((lv) => ({ project: lv.projectId, model: lv.modelName, version: lv.version, rows: lv.batcher.snapshot().queuedRows })),
    );
    this.cache = new BundleCache(config.cacheDir, deps.artifacts, {
      maxBytes: config.cacheMaxBytes,
      // Loaded versions, and those being loaded (their bundle was just fetched or is being fetched).
      inUse: () => [...[...this.loaded.values()].map((lv) => lv.sha256), ...[...this.loading.values()].map((l) => l.sha256)],
      onLookup: (r) => this.metrics.cacheLookups.inc({ result: r }),
      onEvict: (files) => this.metrics.cacheEvictions.inc(files),
    });
    this.log = deps.log ?? ((level, msg, fields) => level !== 'info' && console.error(JSON.stringify({ level, msg, ...fields })));
    this.predictionLog = new PredictionLog(deps.artifacts, {
      sampleRate: config.predictionLogSampleRate,
      flushRecords: config.predictionLogFlushRecords,
      flushIntervalMs: config.predictionLogFlushIntervalMs,
      nodeId: config.nodeId,
      onError: (err) => this.log('warn', 'prediction log write failed', { err: err.message }),
    });
    if (config.routingSeed === null) this.random = Math.random;
    else {
      const seeded = new Random(config.routingSeed);
      this.random = () => seeded.next();
    }
  }

  /** Listen for deployment changes; reconcile now (in the background), then every reconcileIntervalMs. */
  async start(): Promise<void> {
    this.unlisten = await this.deps.catalog.listen(DEPLOYMENTS_CHANNEL, () =>
      void this.reconcile().catch((err) => this.log('error', 'reconcile failed', { err: (err as Error).message })),
    );
    // The first reconcile runs in the background: loading can take long, and readiness reports it.
    void this.reconcile().catch((err) => this.log('error', 'reconcile failed', { err: (err as Error).message }));
    this.timer = setInterval(() => {
      void this.reconcile().catch((err) => this.log('error', 'reconcile failed', { err: (err as Error).message }));
    }, this.config.reconcileIntervalMs);
    this.timer.unref();
  }

  /** One reconcile (serialized: a call during a run makes one more run after it). */
  reconcile(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.reconcileRunning) {
      this.reconcileAgain = true;
      return this.reconcileRunning;
    }
    const run = async () => {
      try {
        do {
          this.reconcileAgain = false;
          await this.reconcileOnce();
        } while (this.reconcileAgain && !this.stopped);
      } finally {
        this.reconcileRunning = null;
      }
    };
    this.reconcileRunning = run();
    return this.reconcileRunning;
  }

  private async reconcileOnce(): Promise<void> {
    const { catalog } = this.deps;
    const current = (await catalog.deployments.listCurrent()).filter(({ spec }) => ((spec.pool as string | undefined) ?? 'default') === this.config.pool);
    const failures = new Map<string, LoadFailure>();
    const models = new Map<string, { projectId: string; name: string }>();
    const routings: Array<{ modelId: string; routing: Routing }> = [];
    const desired: typeof this.desired = [];
    const previous = new Map<string, Routing>();
    for (const entry of this.table.values()) for (const r of entry.routings) previous.set(r.deploymentId, r);
    const batchingFor = new Map<string, BatchingConfig>();

    for (const { deployment, spec } of current) {
      let model = models.get(deployment.modelId);
      if (!model) {
        const m = await catalog.models.findById(deployment.modelId);
        if (!m) continue;
        models.set(m.id, (model = { projectId: m.projectId, name: m.name }));
      }
      const fail = (version: number | null, err: unknown) =>
        failures.set(`${deployment.id}:${version}`, {
          deployment: deployment.name,
          model: model!.name,
          version,
          code: (err as { code?: string }).code ?? 'ATL_LOAD_FAILED',
          message: (err as Error).message,
          at: new Date().toISOString(),
        });
      // Resolve every ref (aliases move: they are resolved on every reconcile).
      const refs: Array<{ ref: { version?: number; alias?: string; weight?: number }; shadow: boolean }> = [
        ...(spec.routes ?? []).map((ref) => ({ ref, shadow: false })),
        ...(spec.shadows ?? []).map((ref) => ({ ref, shadow: true })),
      ];
      const versions: Array<ModelVersion | null> = [];
      for (const { ref } of refs) {
        let number = ref.version;
        if (number === undefined && ref.alias !== undefined) {
          number = (await catalog.models.findAlias(deployment.modelId, ref.alias))?.version;
          if (number === undefined) fail(null, new ServingError('ATL_MODEL_ALIAS_NOT_FOUND', 404, `alias '${ref.alias}' does not exist`));
        }
        const v = number === undefined ? null : ((await catalog.models.findVersion(deployment.modelId, number)) ?? null);
        if (number !== undefined && !v) fail(number, new ServingError('ATL_MODEL_VERSION_NOT_FOUND', 404, `version ${number} does not exist`));
        versions.push(v);
      }
      let batching: BatchingConfig;
      try {
        batching = specBatching(spec);
      } catch (err) {
        fail(null, err);
        batching = batchingConfig();
      }
      const ok = versions.every((v) => v !== null);
      const versionIds = versions.filter((v): v is ModelVersion => v !== null).map((v) => v.id);
      desired.push({ deploymentId: deployment.id, versionIds });
      // Load what is missing (in parallel), each failure reported and the rest kept.
      const loadedHere = await Promise.all(
        versions.map(async (v) => {
          if (!v) return null;
          if (!batchingFor.has(v.id)) batchingFor.set(v.id, batching);
          try {
            return await this.ensureLoaded(v, model!, batchingFor.get(v.id)!);
          } catch (err) {
            fail(v.version, err);
            return null;
          }
        }),
      );
      const prev = previous.get(deployment.id);
      if (ok && loadedHere.every((l) => l !== null)) {
        let cumulative = 0;
        const routes: Routing['routes'] = [];
        const shadows: LoadedVersion[] = [];
        refs.forEach(({ ref, shadow }, i) => {
          const v = loadedHere[i]!;
          if (shadow) shadows.push(v);
          else if ((ref.weight ?? 0) > 0) routes.push({ v, cumulative: (cumulative += ref.weight ?? 0) });
        });
        routings.push({
          modelId: deployment.modelId,
          routing: {
            deploymentId: deployment.id,
            deployment: deployment.name,
            revision: deployment.currentRevision,
            updatedAt: deployment.updatedAt.getTime(),
            spec,
            routes,
            shadows,
            versionIds,
          },
        });
      } else if (prev) {
        // Refused: keep serving what this deployment served before.
        routings.push({ modelId: deployment.modelId, routing: prev });
        this.log('warn', 'deployment change refused; previous versions keep serving', { deployment: deployment.name });
      }
    }

    // Batching settings changed for a loaded version: new batcher, the old one drains.
    for (const [id, cfg] of batchingFor) {
      const lv = this.loaded.get(id);
      if (lv && !sameBatching(lv.batcher.config, cfg)) {
        const old = lv.batcher;
        lv.batcher = this.makeBatcher(lv.runtime, lv.metrics, `${lv.modelName} v${lv.version}`, cfg, lv.width);
        void old.drain();
      }
    }

    // Build and swap the table in one assignment.
    const table = new RoutingTable<ModelEntry>();
    const used = new Set<string>();
    for (const { modelId, routing } of routings) {
      const m = models.get(modelId)!;
      let entry = table.get(m.projectId, m.name);
      if (!entry) table.set(m.projectId, m.name, (entry = { projectId: m.projectId, modelId, name: m.name, routings: [], versions: new Map() }));
      entry.routings.push(routing);
      for (const r of [...routing.routes.map((x) => x.v), ...routing.shadows]) {
        entry.versions.set(r.version, r);
        used.add(r.id);
      }
    }
    for (const entry of table.values()) entry.routings.sort((a, b) => b.updatedAt - a.updatedAt);
    this.table = table;
    this.failures = failures;
    this.desired = desired;
    this.reconciled = true;
    this.lastReconcileAt = new Date();

    // Unload what nothing routes any more: drain its queue, then free the runtime.
    for (const [id, lv] of [...this.loaded]) {
      if (used.has(id)) continue;
      this.loaded.delete(id);
      this.metrics.loadedVersions.set(this.loaded.size);
      await lv.batcher.drain();
      await lv.runtime.release();
      this.log('info', 'unloaded model version', { model: lv.modelName, version: lv.version });
    }
  }

  private ensureLoaded(v: ModelVersion, model: { projectId: string; name: string }, batching: BatchingConfig): Promise<LoadedVersion> {
    const have = this.loaded.get(v.id);
    if (have) return Promise.resolve(have);
    const loading = this.loading.get(v.id);
    if (loading) return loading.done;
    const done = this.load(v, model, batching).finally(() => this.loading.delete(v.id));
    this.loading.set(v.id, { done, sha256: v.bundleSha256 });
    return done;
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

  // ── predict ────────────────────────────────────────────────────────────────────────────────────

  predict(req: PredictRequest): Promise<PredictResponse> {
    const t0 = performance.now();
    // Online features and aliases need an await first; a plain predict picks, validates and enqueues
    // in this very call (no async frames in between: this is the hot path).
    if (req.entityKeys || (req.target && 'alias' in req.target)) return this.predictAfterLookups(req, t0);
    try {
      return this.enqueue(req, req.instances, undefined, t0);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private async predictAfterLookups(req: PredictRequest, t0: number): Promise<PredictResponse> {
    let instances = req.instances;
    if (req.entityKeys) instances = await this.joinFeatures(req, instances);
    const aliasVersion = req.target && 'alias' in req.target ? await this.aliasVersion(req) : undefined;
    return this.enqueue(req, instances, aliasVersion, t0);
  }

  /** Pick the version, validate, enqueue; synchronous up to the batch, so the version cannot start draining in between. */
  private enqueue(req: PredictRequest, instances: PredictRequest['instances'], aliasVersion: number | undefined, t0: number): Promise<PredictResponse> {
    const { v, routing } = this.pick(req, aliasVersion);
    const errors = v.runtime.validate(instances);
    if (errors.length) {
      v.metrics.requestSeconds('400').observe((performance.now() - t0) / 1000);
      throw ServingErrors.validation(errors);
    }
    const rows = instances!;
    const pending = v.batcher.submit({ instances: rows }, rows.length, req.timeoutMs ?? v.batcher.config.timeoutMs);
    const shadows = routing?.shadows;
    if (shadows?.length) for (const s of shadows) this.shadow(s, rows, req, routing!.deployment);
    return pending.then(
      (out) => {
        const predictions = this.format(out, v);
        const latencyMs = performance.now() - t0;
        v.metrics.requestSeconds('200').observe(latencyMs / 1000);
        if (this.predictionLog.sampled()) this.logPrediction(v, routing, req, rows, predictions, latencyMs, false);
        const res: PredictResponse = { model: v.modelName, version: v.version, deployment: routing?.deployment ?? null, outputs: v.runtime.outputNames, predictions };
        if (req.requestId !== undefined) res.requestId = req.requestId;
        return res;
      },
      (err: unknown) => {
        v.metrics.requestSeconds(String((err as ServingError).statusCode ?? 500)).observe((performance.now() - t0) / 1000);
        throw err;
      },
    );
  }

  /** Score a context + N candidates in one batch; best first, the top `topK`. */
  async rank(req: RankRequest): Promise<RankResponse> {
    const context = req.context ?? {};
    const instances = req.candidates.map((c) => ({ ...context, ...c }));
    const res = await this.predict({ ...req, instances });
    const scores = res.predictions.map((p) => (typeof p === 'number' ? p : Object.values(p)[0]));
    const order = scores.map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index);
    return {
      model: res.model,
      version: res.version,
      deployment: res.deployment,
      ranking: order.slice(0, req.topK ?? order.length),
      ...(req.requestId !== undefined && { requestId: req.requestId }),
    };
  }

  private format(out: Float32Array, v: LoadedVersion): Prediction[] {
    const w = v.width;
    const n = out.length / w;
    const res: Prediction[] = new Array(n);
    if (w === 1) {
      for (let i = 0; i < n; i++) res[i] = out[i];
    } else {
      const names = v.runtime.outputNames;
      for (let i = 0; i < n; i++) {
        const o: Record<string, number> = {};
        for (let j = 0; j < w; j++) o[names[j]] = out[i * w + j];
        res[i] = o;
      }
    }
    return res;
  }

  private async aliasVersion(req: PredictRequest): Promise<number> {
    const alias = (req.target as { alias: string }).alias;
    const entry = this.table.get(req.projectId, req.model);
    if (!entry) throw this.reconciled ? ServingErrors.notDeployed(`Model '${req.model}'`) : ServingErrors.notReady(`Model '${req.model}'`);
    const number = await this.resolveAlias(entry.modelId, alias);
    if (number === undefined) throw new ServingError('ATL_MODEL_ALIAS_NOT_FOUND', 404, `Model '${req.model}' has no alias '${alias}'.`);
    return number;
  }

  private pick(req: PredictRequest, aliasVersion: number | undefined): { v: LoadedVersion; routing: Routing | null } {
    const entry = this.table.get(req.projectId, req.model);
    const what = `Model '${req.model}'`;
    if (!entry) throw this.reconciled ? ServingErrors.notDeployed(what) : ServingErrors.notReady(what);
    if (req.target) {
      const number = 'version' in req.target ? req.target.version : aliasVersion!;
      const v = entry.versions.get(number);
      if (!v) throw ServingErrors.notDeployed(`${what} version ${number}${'alias' in req.target ? ` (alias '${req.target.alias}')` : ''}`);
      return { v, routing: null };
    }
    const routing = entry.routings[0];
    const routes = routing.routes;
    if (routes.length === 0) throw ServingErrors.notDeployed(what);
    if (routes.length === 1) return { v: routes[0].v, routing };
    const x = this.random() * routes[routes.length - 1].cumulative;
    for (const r of routes) if (x < r.cumulative) return { v: r.v, routing };
    return { v: routes[routes.length - 1].v, routing };
  }

  private async resolveAlias(modelId: string, alias: string): Promise<number | undefined> {
    const key = `${modelId}/${alias}`;
    const hit = this.aliasCache.get(key);
    const now = Date.now();
    if (hit && hit.until > now) return hit.version;
    const found = await this.deps.catalog.models.findAlias(modelId, alias);
    if (!found) return undefined;
    this.aliasCache.set(key, { version: found.version, until: now + 1000 });
    return found.version;
  }

  private async joinFeatures(req: PredictRequest, instances: PredictRequest['instances']): Promise<Array<Record<string, unknown>>> {
    const keys = req.entityKeys!;
    if (!this.deps.featureStore) throw ServingErrors.featuresUnavailable();
    const entry = this.table.get(req.projectId, req.model);
    const views = req.featureViews ?? (entry?.routings[0]?.spec.featureViews as string[] | undefined);
    if (!views?.length) {
      throw ServingErrors.validation([{ field: 'featureViews', message: 'is required with entityKeys (the deployment names none)' }]);
    }
    if (instances && instances.length !== keys.length) {
      throw ServingErrors.validation([{ field: 'entityKeys', message: `has ${keys.length} items; instances has ${instances.length} (send one key per instance)` }]);
    }
    const read = await this.deps.featureStore.read(req.projectId, { featureViews: views, entityKeys: keys });
    return read.results.map((row, i) => {
      const joined: Record<string, unknown> = {};
      for (const view of Object.values(row.features)) Object.assign(joined, view.values);
      return instances ? { ...joined, ...instances[i] } : joined;
    });
  }

  private shadow(s: LoadedVersion, rows: Array<Record<string, unknown>>, req: PredictRequest, deployment: string): void {
    const count = (outcome: string) => this.metrics.shadows.inc({ project: s.projectId, model: s.modelName, version: String(s.version), outcome });
    if (s.runtime.validate(rows).length) return count('invalid');
    const t0 = performance.now();
    s.batcher.submit({ instances: rows }, rows.length).then(
      (out) => {
        count('ok');
        if (this.predictionLog.sampled()) this.logPrediction(s, null, req, rows, this.format(out, s), performance.now() - t0, true, deployment);
      },
      () => count('failed'),
    );
  }

  private logPrediction(
    v: LoadedVersion,
    routing: Routing | null,
    req: PredictRequest,
    inputs: unknown,
    outputs: unknown,
    latencyMs: number,
    shadow: boolean,
    deployment = routing?.deployment ?? null,
  ): void {
    this.metrics.predictionsLogged.inc();
    this.predictionLog.record({
      ts: new Date().toISOString(),
      projectId: v.projectId,
      model: v.modelName,
      version: v.version,
      deployment,
      shadow,
      requestId: req.requestId ?? null,
      latencyMs: Math.round(latencyMs * 1000) / 1000,
      inputs,
      outputs,
    });
  }

  /** Flush sampled predictions to artifacts now. */
  flushPredictionLog(): Promise<void> {
    return this.predictionLog.flush();
  }

  // ── status ─────────────────────────────────────────────────────────────────────────────────────

  /** Ready: reconciled once, nothing loading or refused, and every assigned deployment serving warm versions. */
  status(): ServingStatus {
    const serving = new Map<string, Routing>();
    for (const e of this.table.values()) for (const r of e.routings) serving.set(r.deploymentId, r);
    const allServed = this.desired.every((d) => {
      const r = serving.get(d.deploymentId);
      return r !== undefined && d.versionIds.every((id) => r.versionIds.includes(id));
    });
    const deployments: ServingStatus['deployments'] = [];
    for (const e of this.table.values()) {
      for (const r of e.routings) {
        deployments.push({
          project: e.projectId,
          name: r.deployment,
          model: e.name,
          revision: r.revision,
          serving: true,
          versions: [...new Set([...r.routes.map((x) => x.v.version), ...r.shadows.map((x) => x.version)])],
        });
      }
    }
    return {
      ready: this.reconciled && this.loading.size === 0 && this.failures.size === 0 && allServed,
      lastReconcileAt: this.lastReconcileAt?.toISOString() ?? null,
      deployments,
      loaded: [...this.loaded.values()].map((l) => ({ model: l.modelName, version: l.version, format: l.runtime.format, loadedAt: l.loadedAt.toISOString() })),
      pending: [...this.loading.keys()],
      failures: [...this.failures.values()],
    };
  }

  /** Loaded version (tests and admin views). */
  loadedVersion(projectId: string, model: string, version: number): LoadedVersion | undefined {
    return this.table.get(projectId, model)?.versions.get(version);
  }

  /** Stop reconciling, drain every queue (in-flight requests are answered), free every runtime. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.().catch(() => {});
    await this.reconcileRunning?.catch(() => {});
    await Promise.allSettled([...this.loading.values()].map((l) => l.done));
    const all = [...this.loaded.values()];
    await Promise.all(all.map((lv) => lv.batcher.drain()));
    await Promise.all(all.map((lv) => lv.runtime.release().catch(() => {})));
    this.loaded.clear();
    this.table = new RoutingTable();
    await this.predictionLog.stop();
  }
}
