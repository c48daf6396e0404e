// The serving node's data plane: a request picks a version from the routing table (weighted routes,
// or a version / alias named by the caller), is validated against that version's signature, and
// enters its dynamic batcher in the same tick, so a version being unloaded (its batcher draining)
// never sees a new request. Shadows get a copy; sampled answers go to the prediction log. The router
// reads the table the reconciler hands it and never changes it.
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog } from '@atelier/catalog';
import { PREDICT_LIMITS } from '@atelier/contracts';
import { Random } from '@atelier/engine';
import { ServingError, ServingErrors } from './errors.js';
import type { OnlineFeatureSource, Prediction, PredictRequest, PredictResponse, RankRequest, RankResponse } from './prediction.types.js';
import { PredictionLog } from './prediction-log.js';
import type { DeploymentProgress } from './reconciler.js';
import { RoutingTable, type LoadedVersion, type ModelEntry, type Routing } from './routing-table.js';
import type { ServingMetrics } from './serving-metrics.js';
import type { ServingConfig } from './serving.config.js';
import type { ServingLog } from './version-loader.js';
import type { MonitoringRecorder } from './monitoring/monitoring-recorder.js';

export interface RouterDeps {
  catalog: Catalog;
  artifacts: ArtifactStore;
  featureStore?: OnlineFeatureSource;
  metrics: ServingMetrics;
  /** Model monitoring: bins what deployments' requests send and get (absent: not monitored). */
  monitoring?: MonitoringRecorder;
  log: ServingLog;
  /** Why a model without a routing does not answer (null: it has no deployment in this pool). */
  progressOf(projectId: string, model: string): Promise<DeploymentProgress | null>;
}

export class PredictionRouter {
  private table = new RoutingTable<ModelEntry>();
  private readonly predictionLog: PredictionLog;
  private readonly random: () => number;
  private aliasCache = new Map<string, { version: number; until: number }>();
  /** Request ids for requests that name none: labels sent later are keyed by them. */
  private readonly requestIdPrefix: string;
  private requestCounter = 0;

  constructor(
    config: ServingConfig,
    private readonly deps: RouterDeps,
  ) {
    this.predictionLog = new PredictionLog(deps.artifacts, {
      sampleRate: config.predictionLogSampleRate,
      flushRecords: config.predictionLogFlushRecords,
      flushIntervalMs: config.predictionLogFlushIntervalMs,
      nodeId: config.nodeId,
      onError: (err) => deps.log('warn', 'prediction log write failed', { err: err.message }),
    });
    this.requestIdPrefix = `${config.nodeId}-${Date.now().toString(36)}`;
    if (config.routingSeed === null) this.random = Math.random;
    else {
      const seeded = new Random(config.routingSeed);
      this.random = () => seeded.next();
    }
  }

  /** The reconciler's new table: every request from now on routes by it. */
  use(table: RoutingTable<ModelEntry>): void {
    this.table = table;
  }

  /** Aliases may have moved (a change notification): resolve them again on the next request. */
  forgetAliases(): void {
    this.aliasCache.clear();
  }

  entry(projectId: string, model: string): ModelEntry | undefined {
    return this.table.get(projectId, model);
  }

  predict(req: PredictRequest): Promise<PredictResponse> {
    const t0 = performance.now();
    // A model the table does not know: not deployed, or not ready yet (asks the control plane).
    if (!this.table.get(req.projectId, req.model)) return this.notServed(req);
    // Online features and aliases need an await first; a plain predict picks, validates and enqueues
    // in this very call (no async frames in between: this is the hot path).
    if (req.entityKeys || (req.target && 'alias' in req.target)) return this.predictAfterLookups(req, t0);
    try {
      return this.enqueue(req, req.instances, undefined, t0);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private async notServed(req: PredictRequest): Promise<never> {
    const progress = await this.deps.progressOf(req.projectId, req.model);
    if (!progress) throw ServingErrors.notDeployed(`Model '${req.model}'`);
    throw ServingErrors.deploymentNotReady(req.model, progress);
  }

  private async predictAfterLookups(req: PredictRequest, t0: number): Promise<PredictResponse> {
    let instances = req.instances;
    if (req.entityKeys) instances = await this.joinFeatures(req, instances);
    const aliasVersion = req.target && 'alias' in req.target ? await this.aliasVersion(req) : undefined;
    return this.enqueue(req, instances, aliasVersion, t0);
  }

  /** Pick the version, validate, enqueue; synchronous up to the batch, so the version cannot start draining in between. */
  private enqueue(req: PredictRequest, instances: PredictRequest['instances'], aliasVersion: number | undefined, t0: number): Promise<PredictResponse> {
    const picked = this.pick(req, aliasVersion);
    if (!picked) return this.notServed(req);
    const { v, routing } = picked;
    const errors = v.runtime.validate(instances);
    if (errors.length) {
      v.metrics.requestSeconds('400').observe((performance.now() - t0) / 1000);
      throw ServingErrors.validation(errors);
    }
    const rows = instances!;
    let contributions: ReturnType<NonNullable<typeof v.runtime.explain>> | undefined;
    if (req.explain) {
      const problems: { field: string; message: string }[] = [];
      if (!v.runtime.explain) {
        problems.push({ field: 'explain', message: `contributions are computed for gbdt models (TreeSHAP); version ${v.version} of '${v.modelName}' is not one` });
      }
      if (rows.length > PREDICT_LIMITS.maxExplainInstances) {
        problems.push({ field: 'instances', message: `has ${rows.length} items; at most ${PREDICT_LIMITS.maxExplainInstances} with explain` });
      }
      if (problems.length) {
        v.metrics.requestSeconds('400').observe((performance.now() - t0) / 1000);
        throw ServingErrors.validation(problems);
      }
      contributions = v.runtime.explain!(rows);
    }
    const pending = v.batcher.submit({ instances: rows }, rows.length, req.timeoutMs ?? v.batcher.config.timeoutMs);
    const requestId = req.requestId ?? `${this.requestIdPrefix}-${(++this.requestCounter).toString(36)}`;
    const shadows = routing?.shadows;
    if (shadows?.length) for (const s of shadows) this.shadow(s, rows, req, routing!);
    return pending.then(
      (out) => {
        if (routing) this.deps.monitoring?.observe(routing.deploymentId, v.id, rows, out, v.width, requestId);
        const predictions = this.format(out, v);
        const latencyMs = performance.now() - t0;
        v.metrics.requestSeconds('200').observe(latencyMs / 1000);
        if (this.predictionLog.sampled()) this.logPrediction(v, routing, { ...req, requestId }, rows, predictions, latencyMs, false);
        const res: PredictResponse = {
          model: v.modelName,
          version: v.version,
          deployment: routing?.deployment ?? null,
          outputs: v.runtime.outputNames,
          predictions,
          requestId,
          ...(contributions && { contributions }),
        };
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

  private async aliasVersion(req: PredictRequest): Promise<number | undefined> {
    const alias = (req.target as { alias: string }).alias;
    const entry = this.table.get(req.projectId, req.model);
    if (!entry) return undefined;
    const number = await this.resolveAlias(entry.modelId, alias);
    if (number === undefined) throw new ServingError('ATL_MODEL_ALIAS_NOT_FOUND', 404, `Model '${req.model}' has no alias '${alias}'.`);
    return number;
  }

  /** The version to answer with; null when the table (swapped meanwhile) no longer knows the model. */
  private pick(req: PredictRequest, aliasVersion: number | undefined): { v: LoadedVersion; routing: Routing | null } | null {
    const entry = this.table.get(req.projectId, req.model);
    const what = `Model '${req.model}'`;
    if (!entry) return null;
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

  private shadow(s: LoadedVersion, rows: Array<Record<string, unknown>>, req: PredictRequest, routing: Routing): void {
    const deployment = routing.deployment;
    const count = (outcome: string) => this.deps.metrics.shadows.inc({ project: s.projectId, model: s.modelName, version: String(s.version), outcome });
    if (s.runtime.validate(rows).length) return count('invalid');
    const t0 = performance.now();
    s.batcher.submit({ instances: rows }, rows.length).then(
      (out) => {
        count('ok');
        // Drift of the shadow's own inputs and outputs; its answers are never returned, so never labelled.
        this.deps.monitoring?.observe(routing.deploymentId, s.id, rows, out, s.width, undefined);
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
    this.deps.metrics.predictionsLogged.inc();
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

  /** Write what the prediction log still holds; no more records after this. */
  stop(): Promise<void> {
    this.table = new RoutingTable();
    return this.predictionLog.stop();
  }
}
