// The composition root of the server binary: opens the shared catalog and artifact store once, starts
// the apps asked for, and stops them in reverse order before closing what they share. Later parts
// (orchestrator worker, serving node) plug in as entries of APPS.
import { createCatalog, type Catalog } from '@atelier/catalog';
import { createArtifactStore, type ArtifactStore } from '@atelier/artifacts';
import {
  start as startGateway,
  HttpPredictionBackend,
  predictionsExtension,
  UnconfiguredPredictionBackend,
  type GatewayHandle,
  type PredictionBackend,
} from '@atelier/gateway';
import { start as startOrchestrator, type OrchestratorHandle } from '@atelier/training-orchestrator';
import { start as startServing, type ServingHandle } from '@atelier/serving';
import type { Logger } from 'pino';
import type { PlatformConfig } from './platform.config.js';
import { createPlatformLogger, levelLog } from './platform-logger.js';
import { startWorkerEndpoints, type WorkerEndpoints } from './worker-endpoints.js';

export type AppName = 'gateway' | 'orchestrator' | 'serving';

export interface SharedResources {
  config: PlatformConfig;
  catalog: Catalog;
  artifacts: ArtifactStore;
  /** The process's one logger; each app logs through a child of it. */
  logger: Logger;
}

interface AppHandle {
  stop(): Promise<void>;
}

interface AppDefinition {
  start(shared: SharedResources, started: StartedApps): Promise<AppHandle>;
}

interface StartedApps {
  /** A training worker alone: its /healthz, /readyz and /metrics listener (ATELIER_WORKER_PORT). */
  workerEndpoints?: WorkerEndpoints;
  gateway?: GatewayHandle;
  orchestrator?: OrchestratorHandle;
  serving?: ServingHandle;
}

const APPS: Record<AppName, AppDefinition> = {
  gateway: {
    async start(shared, started) {
      // Predict routes: straight to the in-process serving node when this process runs one (its metrics
      // registry and readiness join the gateway's), else proxied to ATELIER_SERVING_URL when set, else
      // present all the same and answering 503 ATL_SERVING_NOT_CONFIGURED (the API keeps its shape).
      const serving = started.serving;
      const servingUrl = shared.config.servingUrl;
      const backend: PredictionBackend = serving
        ? { predict: (r) => serving.predict(r), rank: (r) => serving.rank(r), servingStatus: async () => serving.status() }
        : servingUrl
          ? new HttpPredictionBackend(servingUrl, shared.config.servingToken)
          : new UnconfiguredPredictionBackend();
      started.gateway = await startGateway(shared.config.gateway, {
        catalog: shared.catalog,
        artifacts: shared.artifacts,
        datasets: shared.config.datasets,
        artifactGc: shared.config.artifactGc,
        consoleDir: shared.config.consoleDir,
        monitoring: shared.config.monitoring,
        loggerInstance: shared.logger.child({ app: 'gateway' }),
        ...(serving && { registry: serving.registry, readiness: [serving.readiness] }),
        extensions: [predictionsExtension(backend)],
      });
      return started.gateway;
    },
  },
  serving: {
    async start(shared, started) {
      const config = appConfig(shared.config.serving, 'serving');
      const log = levelLog(shared.logger.child({ app: 'serving', node: config.nodeId }));
      started.serving = await startServing(config, { catalog: shared.catalog, artifacts: shared.artifacts, log });
      return started.serving;
    },
  },
  orchestrator: {
    async start(shared, started) {
      const config = appConfig(shared.config.orchestrator, 'orchestrator');
      const log = levelLog(shared.logger.child({ app: 'orchestrator', worker: config.workerId }));
      // Training metrics join the registry this process already exposes (the gateway's /metrics, which
      // holds the serving node's too); a worker alone keeps its own.
      const registry = started.gateway?.services.registry ?? started.serving?.registry;
      started.orchestrator = await startOrchestrator(config, { catalog: shared.catalog, artifacts: shared.artifacts, log, ...(registry && { registry }) });
      return started.orchestrator;
    },
  },
};

/** An app's settings, read (and validated) with the rest by platformConfigFromEnv before anything opened. */
function appConfig<T>(config: T | undefined, app: AppName): T {
  if (!config) throw new Error(`the platform config has no ${app} settings: read it with platformConfigFromEnv(env, apps) for the apps it starts`);
  return config;
}

// Serving starts before the gateway (the gateway routes predict calls to it) and stops after it.
export const ALL_IN_ONE: AppName[] = ['serving', 'gateway', 'orchestrator'];

export interface PlatformHandle extends StartedApps, SharedResources {
  apps: AppName[];
  /** Stop every app (in-flight work finishes), then close the shared catalog and artifact store. */
  stop(): Promise<void>;
}

export async function startPlatform(
  config: PlatformConfig,
  apps: AppName[] = ALL_IN_ONE,
  logger: Logger = createPlatformLogger(config.gateway.logLevel),
): Promise<PlatformHandle> {
  const catalog = await createCatalog(config.catalog);
  let artifacts: ArtifactStore | undefined;
  const handles: AppHandle[] = [];
  const started: StartedApps = {};
  const closeShared = async () => {
    await artifacts?.close();
    await catalog.close();
  };
  try {
    artifacts = await createArtifactStore(config.artifacts);
    const shared: SharedResources = { config, catalog, artifacts, logger };
    for (const name of apps) handles.push(await APPS[name].start(shared, started));
    if (config.workerPort !== null && started.orchestrator && !started.gateway && !started.serving) {
      const endpoints = await startWorkerEndpoints({ port: config.workerPort, host: config.gateway.host, registry: started.orchestrator.registry, catalogHealth: () => catalog.health() });
      started.workerEndpoints = endpoints;
      // First to stop: not ready at once (the pod leaves the endpoints), closed once the worker has stopped.
      handles.unshift({ stop: () => endpoints.close() });
      handles.push({ stop: async () => endpoints.drain() });
    }
  } catch (err) {
    for (const h of handles.reverse()) await h.stop().catch(() => {});
    await closeShared();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    ...started,
    config,
    catalog,
    artifacts,
    logger,
    apps,
    stop: () =>
      (stopping ??= (async () => {
        for (const h of [...handles].reverse()) await h.stop();
        await closeShared();
      })()),
  };
}
