// @atelier/serving: serving nodes. `start(config, deps)` starts a node (reconcile loop, batchers,
// runtimes) and, when config.port is set, its own HTTP listener with the predict routes; the handle
// offers the same predict / rank API in-process (what the all-in-one gateway calls) and stop().
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog } from '@atelier/catalog';
import { OnlineFeatureReader, createOnlineStore, onlineStoreConfigFromEnv } from '@atelier/feature-store';
import type { Registry } from 'prom-client';
import { ServingNode, type OnlineFeatureSource, type PredictRequest, type PredictResponse, type RankRequest, type RankResponse, type ServingStatus } from './serving-node.js';
import type { ServingConfig } from './serving.config.js';
import { startServingServer } from './serving-server.js';

export { ServingNode, DEPLOYMENTS_CHANNEL, specBatching } from './serving-node.js';
export type { PredictRequest, PredictResponse, RankRequest, RankResponse, ServingStatus, Prediction, OnlineFeatureSource, LoadedVersion, LoadFailure, DeploymentProgress } from './serving-node.js';
export { DynamicBatcher, decideBatch, batchingConfig, DEFAULT_BATCHING, systemClock, type BatchingConfig, type BatchDecision, type Clock } from './dynamic-batcher.js';
export { ServingError, ServingErrors, type ServingFieldError } from './errors.js';
export { servingConfigFromEnv, defaultServingConfig, servingToken, type ServingConfig } from './serving.config.js';
export { OnnxModelRuntime } from './runtimes/onnx-runtime.js';
export { EngineModelRuntime } from './runtimes/engine-runtime.js';
export type { ModelRuntime } from './runtimes/runtime.js';

export interface ServingHandle {
  node: ServingNode;
  registry: Registry;
  /** http://host:port of the node's own listener (config.port set), else null. */
  url: string | null;
  predict(req: PredictRequest): Promise<PredictResponse>;
  rank(req: RankRequest): Promise<RankResponse>;
  status(): ServingStatus;
  /** Readiness: false until every version assigned to this node is loaded and warm. */
  readiness: { name: string; check(): Promise<{ ok: boolean; detail?: unknown }> };
  /** Stop listening, stop reconciling, drain every queue, free every runtime. */
  stop(): Promise<void>;
}

export async function start(
  config: ServingConfig,
  deps: { catalog: Catalog; artifacts: ArtifactStore; featureStore?: OnlineFeatureSource; registry?: Registry; log?: ConstructorParameters<typeof ServingNode>[1]['log'] },
): Promise<ServingHandle> {
  // Online features for entityKeys: the feature store's reader over the online store ATELIER_ONLINE_STORE
  // names (the catalog's database by default), unless given.
  const onlineStore = deps.featureStore ? null : createOnlineStore(onlineStoreConfigFromEnv(process.env), deps.catalog);
  const node = new ServingNode(config, { ...deps, featureStore: deps.featureStore ?? new OnlineFeatureReader(deps.catalog, { cacheTtlMs: 1000, store: onlineStore ?? undefined }) });
  await node.start();
  const server = config.port !== null ? await startServingServer(node, deps.catalog, config) : null;
  let stopping: Promise<void> | undefined;
  return {
    node,
    registry: node.registry,
    url: server?.url ?? null,
    predict: (req) => node.predict(req),
    rank: (req) => node.rank(req),
    status: () => node.status(),
    readiness: {
      name: 'serving',
      async check() {
        const s = node.status();
        return { ok: s.ready, detail: { pending: s.pending, failures: s.failures, loaded: s.loaded.length } };
      },
    },
    stop: () =>
      (stopping ??= (async () => {
        await server?.close();
        await node.stop();
        await onlineStore?.close();
      })()),
  };
}
