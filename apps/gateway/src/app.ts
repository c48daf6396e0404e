// The gateway's composition root: builds services from the catalog (and the parts later issues plug
// in) and hands them to route plugins. No module-level state: tests build as many apps as they like.
import { randomBytes } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Registry } from 'prom-client';
import { collectProcessMetrics } from '@atelier/telemetry';
import { httpEdgePlugin, httpEdgeServerOptions } from '@atelier/http-edge';
import type { Catalog } from '@atelier/catalog';
import type { ArtifactStore } from '@atelier/artifacts';
import { DatasetsService, createOnlineStore, datasetsConfigFromEnv, onlineStoreConfigFromEnv, type DatasetsConfig, type OnlineStore } from '@atelier/feature-store';
import { createFeatureStore, type FeatureStore } from '@atelier/feature-store';
import { DEFAULT_MAX_MODEL_PARAMETERS, type GatewayConfig } from './gateway.config.js';
import { Authenticator } from './auth/authenticator.js';
import { ProjectsService } from './services/projects.service.js';
import { ApiKeysService } from './services/api-keys.service.js';
import { AuditLogService } from './services/audit-log.service.js';
import { RecentPredictionsService } from './services/recent-predictions.service.js';
import { problemJsonPlugin } from './plugins/problem-json.js';
import { httpMetricsPlugin } from './plugins/http-metrics.js';
import { authenticationPlugin } from './plugins/authentication.js';
import { consoleStaticPlugin } from './plugins/console-static.js';
import { DOCS_UI_BRANDING } from './plugins/atelier-brand.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.routes.js';
import { projectsRoutes } from './routes/projects.routes.js';
import { apiKeysRoutes } from './routes/api-keys.routes.js';
import { auditLogRoutes } from './routes/audit-log.routes.js';
import { recentPredictionsRoutes } from './routes/recent-predictions.routes.js';
import { ModelRegistryService } from './services/model-registry.service.js';
import { EvaluationsService } from './services/evaluations.service.js';
import { modelsRoutes } from './routes/models.routes.js';
import { modelVersionsRoutes } from './routes/model-versions.routes.js';
import { ModelOnnxExportService } from './services/model-onnx-export.service.js';
import { modelAliasesRoutes } from './routes/model-aliases.routes.js';
import { evaluationsRoutes } from './routes/evaluations.routes.js';
import { batchPredictionsRoutes } from './routes/batch-predictions.routes.js';
import { BatchPredictionsService } from './services/batch-predictions.service.js';
import { DatasetsApiService } from './services/datasets.service.js';
import { datasetsRoutes } from './routes/datasets.routes.js';
import { entitiesRoutes } from './routes/entities.routes.js';
import { featureViewsRoutes } from './routes/feature-views.routes.js';
import { trainingSetsRoutes } from './routes/training-sets.routes.js';
import { onlineFeaturesRoutes } from './routes/online-features.routes.js';
import { TrainingJobsService } from './services/training-jobs.service.js';
import { trainingJobsRoutes } from './routes/training-jobs.routes.js';
import { TuningJobsService } from './services/tuning-jobs.service.js';
import { tuningJobsRoutes } from './routes/tuning-jobs.routes.js';
import { DeploymentsService } from './services/deployments.service.js';
import { deploymentsRoutes } from './routes/deployments.routes.js';
import { Problem } from './schemas/common.schemas.js';
import { hoistNamedSchemas } from './openapi/named-schemas.js';
import { createValidatorCompiler } from './validation.js';
import { lazyChildLoggerFactory } from './lazy-child-logger.js';
import { ArtifactGcService } from './services/artifact-gc.service.js';
import { artifactGcConfigFromEnv, type ArtifactGcConfig } from './artifact-gc.config.js';
import { MonitoringService } from './services/monitoring.service.js';
import { monitoringRoutes } from './routes/monitoring.routes.js';
import { monitoringConfigFromEnv, type MonitoringConfig } from './monitoring.config.js';

export const API_VERSION = '0.1.0';

/** The document's tags, declared once (each operation names one). */
const OPENAPI_TAGS = [
  { name: 'health', description: 'Liveness, readiness and metrics: public, for probes and scrapers.' },
  { name: 'projects', description: 'Projects: the unit of ownership and access.' },
  { name: 'api-keys', description: "A project's API keys and their roles (viewer, editor, admin)." },
  { name: 'audit-log', description: "A project's audit log: who changed what, when (project admins)." },
  { name: 'datasets', description: 'Datasets and their immutable versions: upload, profile, preview, download.' },
  { name: 'features', description: 'Entities, feature views, materialization, point-in-time training sets and online reads.' },
  { name: 'training-jobs', description: 'Training jobs on the embedded engine: queue, follow (Server-Sent Events), cancel.' },
  { name: 'tuning-jobs', description: 'Tuning jobs: hyperparameter search (random, aging evolution, ASHA early stopping) whose trials are training jobs; the best trial becomes a version.' },
  { name: 'models', description: 'The model registry: models, versions (trained or uploaded ONNX), bundles and aliases.' },
  { name: 'evaluations', description: 'Evaluations of a model version on a dataset version.' },
  { name: 'batch-predictions', description: 'Batch scoring: a model version scores a dataset version offline; the predictions become a new dataset version.' },
  { name: 'deployments', description: 'Deployments: weighted routes to versions or aliases, shadows, batching; revisions and rollback.' },
  { name: 'predictions', description: 'Predict and rank with deployed models (batched on the serving nodes).' },
  { name: 'monitoring', description: 'Model monitoring: drift against training, online quality from labels, thresholds and alerts per deployment.' },
];

export interface GatewayServices {
  catalog: Catalog;
  artifacts: ArtifactStore;
  authenticator: Authenticator;
  projects: ProjectsService;
  apiKeys: ApiKeysService;
  registry: Registry;
  /** Datasets and versions (upload, profile, local copies for DuckDB work). */
  datasets: DatasetsService;
  /** Entities, feature views, training sets, materialization and online reads. */
  features: FeatureStore;
  /** Removes orphaned bytes and spool files; `start()` of the gateway starts it. */
  artifactGc: ArtifactGcService;
  /** Model monitoring: drift, labels, thresholds; `start()` of the gateway starts its alert evaluation. */
  monitoring: MonitoringService;
}

/** A part that adds routes to the gateway (datasets, training, serving…), given the built services. */
export type GatewayExtension = (app: FastifyInstance, services: GatewayServices) => Promise<void>;

export interface GatewayDeps {
  catalog: Catalog;
  artifacts: ArtifactStore;
  /** Metrics registry shared with other parts of the process (default: a new one). */
  registry?: Registry;
  readiness?: ReadinessCheck[];
  extensions?: GatewayExtension[];
  /** Datasets settings (work dir, upload limit, DuckDB bounds); default: read from env. */
  datasets?: DatasetsConfig;
  logger?: FastifyServerOptions['logger'];
  /** A logger of the process's own (pino) to log through instead; wins over `logger`. */
  loggerInstance?: FastifyBaseLogger;
  /** Artifact collector settings; default: read from env (ATELIER_GC_*). */
  artifactGc?: ArtifactGcConfig;
  /** The admin console's static build (a folder with index.html), served at /console; none: no /console. */
  consoleDir?: string;
  /** Model monitoring settings; default: read from env (ATELIER_MONITORING_*). */
  monitoring?: MonitoringConfig;
  /** The feature store's online store; default: the one ATELIER_ONLINE_STORE names (closed with the app). */
  onlineStore?: OnlineStore;
}

/** Unique without a random draw per request: a random per-process prefix and a counter. */
const REQUEST_ID_PREFIX = randomBytes(6).toString('hex');
let requestCounter = 0;
const nextRequestId = () => `${REQUEST_ID_PREFIX}-${(++requestCounter).toString(36)}`;

const QUIET_ROUTES = /^\/(?:healthz|readyz|metrics)(?:\?|$)|^\/v1\/projects\/[^/?]+\/models\/[^?]+\/(?:predict|rank)(?:\?|$)/;

export async function buildGatewayApp(
  config: Pick<GatewayConfig, 'jsonBodyLimitBytes' | 'authCacheTtlMs' | 'logLevel'> & Partial<Pick<GatewayConfig, 'maxModelParameters'>>,
  deps: GatewayDeps,
): Promise<{ app: FastifyInstance; services: GatewayServices }> {
  const app = Fastify({
    ...(deps.loggerInstance ? { loggerInstance: deps.loggerInstance } : { logger: deps.logger ?? { level: config.logLevel } }),
    bodyLimit: config.jsonBodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : nextRequestId();
    },
    // Access logs (info) for every request except the hot, high-volume ones: predict/rank have their own
    // metrics and sampled prediction log, probes and scrapes would drown the rest. Errors are logged always.
    logController: new LogController({ disableRequestLogging: (req: { url?: string }) => QUIET_ROUTES.test(req.url ?? '') }),
    requestIdHeader: false,
    childLoggerFactory: lazyChildLoggerFactory,
    forceCloseConnections: 'idle',
    // problem+json for what Node's parser and Fastify's router answer themselves; 503s while draining.
    ...httpEdgeServerOptions(),
    ajv: undefined,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(createValidatorCompiler());
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  // Strict UTF-8 JSON, Content-Encoding, and the drain on close (every response then says Connection: close).
  await app.register(httpEdgePlugin);

  const registry = deps.registry ?? new Registry();
  if (!deps.registry) collectProcessMetrics(registry);

  const authenticator = new Authenticator(deps.catalog, config.authCacheTtlMs);
  await authenticator.listenForRevocations();
  app.addHook('onClose', () => authenticator.close());
  const projects = new ProjectsService(deps.catalog);
  const apiKeys = new ApiKeysService(deps.catalog, projects, authenticator);
  const datasetsConfig = deps.datasets ?? datasetsConfigFromEnv(process.env);
  const datasets = new DatasetsService(deps.catalog, deps.artifacts, datasetsConfig);
  const onlineStore = deps.onlineStore ?? createOnlineStore(onlineStoreConfigFromEnv(process.env), deps.catalog);
  if (!deps.onlineStore) app.addHook('onClose', () => onlineStore.close());
  const features = createFeatureStore(
    { catalog: deps.catalog, artifacts: deps.artifacts, datasetsService: datasets },
    {
      workDir: `${datasetsConfig.workDir}/features`,
      duckdb: { memoryLimitMb: datasetsConfig.duckdbMemoryLimitMb, threads: datasetsConfig.duckdbThreads },
      onlineStore,
    },
  );
  const artifactGc = new ArtifactGcService(deps.artifactGc ?? artifactGcConfigFromEnv(process.env), {
    catalog: deps.catalog,
    artifacts: deps.artifacts,
    registry,
    workDir: datasetsConfig.workDir,
    log: (level, message, fields) => app.log[level]({ component: 'artifact-gc', ...fields }, message),
  });
  const monitoring = new MonitoringService(deps.catalog, projects, deps.monitoring ?? monitoringConfigFromEnv(process.env), registry, (level, message, fields) =>
    app.log[level]({ component: 'monitoring', ...fields }, message),
  );
  app.addHook('onClose', () => monitoring.stop());
  const services: GatewayServices = { catalog: deps.catalog, artifacts: deps.artifacts, authenticator, projects, apiKeys, registry, datasets, features, artifactGc, monitoring };

  app.addSchema(Problem);
  // Before any route (swagger's own included): the metrics plugin hooks every route as it is added.
  await app.register(httpMetricsPlugin, { registry });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Atelier API',
        version: API_VERSION,
        description: 'The Atelier ML platform: data, features, training, registry, deployments and predictions.',
        // The repository has no LICENSE file yet: when one is added, this must name the same license.
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
        contact: { name: 'Atelier maintainers' },
      },
      // Relative: the gateway that serves this document (http://localhost:8080 under `npm start`).
      servers: [{ url: '/', description: 'The gateway serving this document' }],
      // Every operation needs a key unless it says `security: []` (health, readiness, metrics).
      security: [{ bearerAuth: [] }],
      tags: OPENAPI_TAGS,
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'an Atelier API key' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transformObject: (document) => hoistNamedSchemas('openapiObject' in document ? document.openapiObject : document.swaggerObject),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', ...DOCS_UI_BRANDING });
  if (deps.consoleDir) await app.register(consoleStaticPlugin, { dir: deps.consoleDir });
  await app.register(problemJsonPlugin);
  await app.register(authenticationPlugin, { authenticator });

  const readiness: ReadinessCheck[] = [
    {
      name: 'catalog',
      check: async () => {
        const health = await deps.catalog.health();
        return { ok: health.ok, detail: health };
      },
    },
    ...(deps.readiness ?? []),
  ];
  await app.register(healthRoutes, { readiness, registry });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(projectsRoutes, { projects });
  await app.register(apiKeysRoutes, { apiKeys });
  await app.register(auditLogRoutes, { auditLog: new AuditLogService(deps.catalog, projects) });
  // Model registry: models, versions (ONNX uploads), aliases, evaluations.
  const modelRegistry = new ModelRegistryService(deps.catalog, deps.artifacts, projects);
  await app.register(modelsRoutes, { registry: modelRegistry });
  await app.register(modelVersionsRoutes, { registry: modelRegistry, onnxExport: new ModelOnnxExportService(modelRegistry, deps.artifacts) });
  await app.register(modelAliasesRoutes, { registry: modelRegistry });
  await app.register(recentPredictionsRoutes, { recentPredictions: new RecentPredictionsService(deps.artifacts, modelRegistry) });
  await app.register(evaluationsRoutes, { evaluations: new EvaluationsService(deps.catalog, projects, modelRegistry) });
  await app.register(batchPredictionsRoutes, { batchPredictions: new BatchPredictionsService(deps.catalog, modelRegistry) });
  await app.register(datasetsRoutes, {
    datasets: new DatasetsApiService(deps.catalog, projects, datasets),
    uploadLimitBytes: datasetsConfig.uploadLimitBytes,
  });
  await app.register(entitiesRoutes, { projects, features });
  await app.register(featureViewsRoutes, { projects, features });
  await app.register(trainingSetsRoutes, { projects, features });
  await app.register(onlineFeaturesRoutes, { projects, features });
  const trainingJobs = new TrainingJobsService(deps.catalog, projects, { maxModelParameters: config.maxModelParameters ?? DEFAULT_MAX_MODEL_PARAMETERS });
  await app.register(trainingJobsRoutes, { trainingJobs });
  await app.register(tuningJobsRoutes, { tuningJobs: new TuningJobsService(deps.catalog, projects, trainingJobs) });
  await app.register(deploymentsRoutes, { deployments: new DeploymentsService(deps.catalog, projects) });
  await app.register(monitoringRoutes, { monitoring });
  for (const extend of deps.extensions ?? []) await extend(app as unknown as FastifyInstance, services);

  return { app: app as unknown as FastifyInstance, services };
}
