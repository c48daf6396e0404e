// The composition root of the server binary: opens the shared catalog and artifact store once, starts
// the apps asked for, and stops them in reverse order before closing what they share. Later parts
// (orchestrator worker, serving node) plug in as entries of APPS.
import { createCatalog, type Catalog } from '@atelier/catalog';
import { createArtifactStore, type ArtifactStore } from '@atelier/artifacts';
import {
  start as startGateway,
  HttpPredictionBackend,
  predictionsExtension,
  type GatewayHandle,
  type PredictionBackend,
} from '@atelier/gateway';
import { start as startOrchestrator, orchestratorConfigFromEnv, type OrchestratorHandle } from '@atelier/training-orchestrator';
import { start as startServing, servingConfigFromEnv, type ServingHandle } from '@atelier/serving';
import type { PlatformConfig } from './platform.config.js';

export type AppName = 'gateway' | 'orchestrator' | 'serving';

export interface SharedResources {
  config: PlatformConfig;
  catalog: Catalog;
  artifacts: ArtifactStore;
}

interface AppHandle {
  stop(): Promise<void>;
}

interface AppDefinition {
  start(shared: SharedResources, started: StartedApps): Promise<AppHandle>;
}

interface StartedApps {
  gateway?: GatewayHandle;
  orchestrator?: OrchestratorHandle;
  serving?: ServingHandle;
}

const APPS: Record<AppName, AppDefinition> = {
  gateway: {
    async start(shared, started) {
      // Predict routes: straight to the in-process serving node when this process runs one (its metrics
      // registry and readiness join the gateway's), else proxied to ATELIER_SERVING_URL when set.
      const serving = started.serving;
      const servingUrl = process.env.ATELIER_SERVING_URL;
      const backend: PredictionBackend | undefined = serving
        ? { predict: (r) => serving.predict(r), rank: (r) => serving.rank(r), servingStatus: async () => serving.status() }
        : servingUrl
          ? new HttpPredictionBackend(servingUrl.replace(/\/+$/, ''), shared.config.servingToken)
          : undefined;
      started.gateway = await startGateway(shared.config.gateway, {
        catalog: shared.catalog,
        artifacts: shared.artifacts,
        datasets: shared.config.datasets,
        artifactGc: shared.config.artifactGc,
        ...(serving && { registry: serving.registry, readiness: [serving.readiness] }),
        ...(backend && { extensions: [predictionsExtension(backend)] }),
      });
      return started.gateway;
    },
  },
  serving: {
    async start(shared, started) {
      // ATELIER_SERVING_* / ATELIER_PREDICTION_LOG_* / ATELIER_ONNX_THREADS / ATELIER_ENGINE_THREADS, read once.
      started.serving = await startServing(servingConfigFromEnv(process.env), { catalog: shared.catalog, artifacts: shared.artifacts });
      return started.serving;
    },
  },
  orchestrator: {
    async start(shared, started) {
      // ATELIER_WORKER_* / ATELIER_LEASE_TTL_MS, read once at start-up (bad values fail naming the variable).
      started.orchestrator = await startOrchestrator(orchestratorConfigFromEnv(process.env), { catalog: shared.catalog, artifacts: shared.artifacts });
      return started.orchestrator;
    },
  },
};

// Serving starts before the gateway (the gateway routes predict calls to it) and stops after it.
export const ALL_IN_ONE: AppName[] = ['serving', 'gateway', 'orchestrator'];

export interface PlatformHandle extends StartedApps, SharedResources {
  apps: AppName[];
  /** Stop every app (in-flight work finishes), then close the shared catalog and artifact store. */
  stop(): Promise<void>;
}

export async function startPlatform(config: PlatformConfig, apps: AppName[] = ALL_IN_ONE): Promise<PlatformHandle> {
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
    const shared: SharedResources = { config, catalog, artifacts };
    for (const name of apps) handles.push(await APPS[name].start(shared, started));
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
    apps,
    stop: () =>
      (stopping ??= (async () => {
        for (const h of [...handles].reverse()) await h.stop();
        await closeShared();
      })()),
  };
}
