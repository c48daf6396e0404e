// @atelier/gateway: the REST API. `start` listens and returns a handle; the launcher owns the shared
// catalog and artifact store and closes them after every app has stopped.
import type { FastifyInstance } from 'fastify';
import { buildGatewayApp, type GatewayDeps, type GatewayServices } from './app.js';
import type { GatewayConfig } from './gateway.config.js';

export { buildGatewayApp, API_VERSION, type GatewayDeps, type GatewayServices, type GatewayExtension } from './app.js';
export { gatewayConfigFromEnv, type GatewayConfig } from './gateway.config.js';
export { artifactGcConfigFromEnv, type ArtifactGcConfig } from './artifact-gc.config.js';
export { monitoringConfigFromEnv, type MonitoringConfig } from './monitoring.config.js';
export { ArtifactGcService, type GcPassReport } from './services/artifact-gc.service.js';
export type { ReadinessCheck } from './routes/health.routes.js';
export { ApiError, Errors, type FieldError } from './errors.js';
export { UnconfiguredPredictionBackend } from './services/unconfigured-prediction-backend.js';
export type { Principal, Permission } from './auth/principal.js';
export { can, assertCan } from './auth/principal.js';

export interface GatewayHandle {
  app: FastifyInstance;
  services: GatewayServices;
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /** The generated platform admin key, when this start created it (first start without ATELIER_ADMIN_KEY). */
  bootstrapAdminKey?: string;
  /** Stop accepting, let in-flight requests finish, then resolve. Does not close the catalog. */
  stop(): Promise<void>;
}

export async function start(config: GatewayConfig, deps: GatewayDeps): Promise<GatewayHandle> {
  const { app, services } = await buildGatewayApp(config, deps);
  const bootstrap = await services.apiKeys.bootstrapAdmin(config.adminKey);
  // Before listening: a killed predecessor's spool goes before any upload of ours starts.
  await services.artifactGc.start();
  services.monitoring.start();
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await services.artifactGc.stop();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    app,
    services,
    url: `http://${host}:${port}`,
    bootstrapAdminKey: bootstrap.secret,
    stop: async () => {
      await services.artifactGc.stop();
      await app.close();
    },
  };
}
export {
  HttpPredictionBackend,
  predictionsExtension,
  type PredictionBackend,
  type BackendPredictRequest,
  type BackendPredictResponse,
  type BackendRankRequest,
  type BackendRankResponse,
} from './routes/predictions.routes.js';
