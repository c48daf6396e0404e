// The launcher's wiring in tests: the gateway's predict (and Open Inference Protocol) routes call a
// serving node in the same process, on the gateway's catalog, artifacts and metrics registry.
import type { GatewayExtension } from '../apps/gateway/src/index.js';
import { predictionsExtension } from '../apps/gateway/src/routes/predictions.routes.js';
import { start as startServing, defaultServingConfig, type ServingConfig, type ServingHandle } from '../apps/serving/src/index.js';

/** A gateway extension that starts the node (no prediction log sampling unless asked) and hands it to `started`. */
export function inProcessServing(config: Partial<ServingConfig>, started: (node: ServingHandle) => void): GatewayExtension {
  return async (app, services) => {
    const node = await startServing(defaultServingConfig({ predictionLogSampleRate: 0, ...config }), {
      catalog: services.catalog,
      artifacts: services.artifacts,
      registry: services.registry,
      log: () => {},
    });
    started(node);
    await predictionsExtension({ predict: (r) => node.predict(r), rank: (r) => node.rank(r), servingStatus: async () => node.status() })(app, services);
  };
}
