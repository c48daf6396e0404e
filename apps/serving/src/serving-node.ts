// The serving node: a reconciler (control plane: which versions to load for which deployment, change
// notifications, load / warm / switch, readiness and status reports) and a router (data plane: route
// by weights, validate, batch, shadow, log) that meet at the routing table. This class builds the two
// over one metrics registry and offers the node's public API.
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog } from '@atelier/catalog';
import { Registry } from 'prom-client';
import { collectProcessMetrics } from '@atelier/telemetry';
import type { OnlineFeatureSource, PredictRequest, PredictResponse, RankRequest, RankResponse } from './prediction.types.js';
import { ServingReconciler, type ServingStatus } from './reconciler.js';
import type { LoadedVersion } from './routing-table.js';
import { PredictionRouter } from './router.js';
import { ServingMetrics } from './serving-metrics.js';
import type { ServingConfig } from './serving.config.js';
import { VersionLoader, type ServingLog } from './version-loader.js';
import { MonitoringRecorder } from './monitoring/monitoring-recorder.js';

export { DEPLOYMENTS_CHANNEL, specBatching, type LoadFailure, type ServingStatus, type DeploymentProgress } from './reconciler.js';
export type { LoadedVersion } from './routing-table.js';
export type { OnlineFeatureSource, Prediction, PredictRequest, PredictResponse, RankRequest, RankResponse } from './prediction.types.js';

export interface ServingDeps {
  catalog: Catalog;
  artifacts: ArtifactStore;
  featureStore?: OnlineFeatureSource;
  /** Metrics registry (the gateway's in the all-in-one process); default: a new one. */
  registry?: Registry;
  log?: ServingLog;
}

export class ServingNode {
  readonly registry: Registry;
  readonly metrics: ServingMetrics;
  private readonly loader: VersionLoader;
  private readonly reconciler: ServingReconciler;
  private readonly router: PredictionRouter;
  readonly monitoring: MonitoringRecorder;
  private stopped = false;

  constructor(
    readonly config: ServingConfig,
    deps: ServingDeps,
  ) {
    this.registry = deps.registry ?? new Registry();
    if (!deps.registry) collectProcessMetrics(this.registry);
    this.metrics = new ServingMetrics(this.registry, () =>
      this.loader.all().map((lv) => ({ project: lv.projectId, model: lv.modelName, version: lv.version, rows: lv.batcher.snapshot().queuedRows })),
    );
    const log: ServingLog = deps.log ?? ((level, msg, fields) => level !== 'info' && console.error(JSON.stringify({ level, msg, ...fields })));
    this.monitoring = new MonitoringRecorder(
      deps.catalog,
      {
        nodeId: config.nodeId,
        windowMs: config.monitoringWindowMs,
        flushMs: config.monitoringFlushMs,
        maxOutcomesPerFlush: config.monitoringMaxOutcomesPerFlush,
        onDropped: (n) => this.metrics.monitoringOutcomesDropped.inc(n),
      },
      log,
    );
    this.loader = new VersionLoader(config, deps.artifacts, this.metrics, log, {
      loaded: (v, projectId, runtime) => this.monitoring.prepare(v, projectId, runtime.inputs, runtime.outputNames.length),
      unloaded: (id) => this.monitoring.forget(id),
    });
    this.router = new PredictionRouter(config, {
      catalog: deps.catalog,
      artifacts: deps.artifacts,
      featureStore: deps.featureStore,
      metrics: this.metrics,
      monitoring: this.monitoring,
      log,
      progressOf: (projectId, model) => this.reconciler.progressOf(projectId, model),
    });
    this.reconciler = new ServingReconciler(config, deps.catalog, this.loader, log, {
      table: (table) => this.router.use(table),
      changed: () => this.router.forgetAliases(),
    });
  }

  /** Listen for deployment changes; reconcile now (in the background), then every reconcileIntervalMs. */
  start(): Promise<void> {
    return this.reconciler.start();
  }

  /** One reconcile (serialized: a call during a run makes one more run after it). */
  reconcile(): Promise<void> {
    return this.reconciler.reconcile();
  }

  predict(req: PredictRequest): Promise<PredictResponse> {
    return this.router.predict(req);
  }

  rank(req: RankRequest): Promise<RankResponse> {
    return this.router.rank(req);
  }

  /** Flush sampled predictions to artifacts now. */
  flushPredictionLog(): Promise<void> {
    return this.router.flushPredictionLog();
  }

  /** Ready: reconciled once, nothing loading or refused, and every assigned deployment serving warm versions. */
  status(): ServingStatus {
    return this.reconciler.status();
  }

  /** Loaded version (tests and admin views). */
  loadedVersion(projectId: string, model: string, version: number): LoadedVersion | undefined {
    return this.router.entry(projectId, model)?.versions.get(version);
  }

  /** Stop reconciling (and leave the pool), drain every queue (in-flight requests are answered), free every runtime. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.reconciler.stop();
    await this.loader.stop();
    await this.router.stop();
    await this.monitoring.stop();
  }

  /** Write model monitoring's window counts and answers awaiting labels now. */
  flushMonitoring(): Promise<void> {
    return this.monitoring.flush();
  }
}
