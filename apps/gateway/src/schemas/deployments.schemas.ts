// Deployments' HTTP shapes: a deployment routes one model's traffic to versions or aliases by weight
// (A/B, canary), copies it to shadow versions, and carries the serving pool and batching settings.
import { Type, type Static } from 'typebox';
import { DateTime, Int32, ResourceName, Uuid, VersionNumber } from './common.schemas.js';
import { AliasName } from './registry.schemas.js';

export const DeploymentParams = Type.Object({ project: ResourceName, name: ResourceName }, { additionalProperties: false });

const VersionRef = {
  version: Type.Optional(VersionNumber({ description: 'a version number' })),
  alias: Type.Optional(AliasName),
};

export const RouteSpec = Type.Object(
  { ...VersionRef, weight: Type.Integer({ minimum: 0, maximum: 100, description: 'percent of traffic; the routes sum to 100' }) },
  { title: 'RouteSpec', additionalProperties: false, description: 'traffic to one version, by number or through an alias (resolved by serving nodes on every reconcile)' },
);

export const ShadowSpec = Type.Object(VersionRef, {
  title: 'ShadowSpec',
  additionalProperties: false,
  description: 'receives a copy of every request; its answers are logged, never returned',
});

export const BatchingSpec = Type.Object(
  {
    maxBatchRows: Type.Optional(Type.Integer({ minimum: 1, maximum: 65536, description: 'most rows per batch (default 64)' })),
    maxQueueDelayMs: Type.Optional(Type.Number({ minimum: 0, maximum: 10_000, description: 'longest wait for company (default 2)' })),
    preferredBatchSizes: Type.Optional(Type.Array(Int32({ minimum: 1, maximum: 65536 }), { maxItems: 32, description: 'batch sizes worth running at once' })),
    queueCapacityRows: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'rows queued before 503 ATL_QUEUE_FULL (default 4096)' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000, description: 'per-request deadline; expired → 504 (default 1000)' })),
    maxInFlightBatches: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: 'batches computing at once (default 1)' })),
    eager: Type.Optional(Type.Boolean({ description: 'run at once when nothing computes (default true)' })),
  },
  { title: 'BatchingSpec', additionalProperties: false },
);

export const DeploymentBody = Type.Object(
  {
    model: ResourceName,
    routes: Type.Array(RouteSpec, { minItems: 1, maxItems: 16 }),
    shadows: Type.Optional(Type.Array(ShadowSpec, { maxItems: 8 })),
    pool: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{0,62}$', description: "serving pool (default 'default')" })),
    batching: Type.Optional(BatchingSpec),
    replicas: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'replica hint for the serving pool' })),
    featureViews: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 32, description: 'online feature views joined for entityKeys' })),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { title: 'DeploymentBody', additionalProperties: false },
);
export type DeploymentBodyT = Static<typeof DeploymentBody>;

const RouteStateName = Type.Union([Type.Literal('progressing'), Type.Literal('ready'), Type.Literal('failed')]);

export const DeploymentStatus = Type.Object(
  {
    state: RouteStateName,
    revision: Type.Integer({ description: 'the revision the state is about (the current one)' }),
    versions: Type.Array(Type.Integer(), { description: 'versions the serving pool answers with now' }),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'why it is not ready (null when ready)' }),
    nodes: Type.Array(
      Type.Object({
        node: Type.String(),
        state: RouteStateName,
        revision: Type.Union([Type.Integer(), Type.Null()], { description: 'the revision this node reported on (null: none yet)' }),
        versions: Type.Array(Type.Integer()),
        reason: Type.Union([Type.String(), Type.Null()]),
      }),
      { description: 'the live serving nodes of the pool, each with what it reports' },
    ),
  },
  {
    description:
      'ready when every live serving node of the pool serves the current revision warm; failed when a node refused it ' +
      '(it keeps serving the previous versions); progressing otherwise (loading, not picked up yet, or no live node)',
  },
);

export const DeploymentView = Type.Object({
  id: Uuid,
  name: Type.String(),
  model: Type.String(),
  revision: Type.Integer({ description: 'the current revision' }),
  spec: Type.Unknown({ description: 'what the current revision routes' }),
  status: Type.Optional(DeploymentStatus),
  createdAt: DateTime,
  updatedAt: DateTime,
}, { title: 'DeploymentView' });

/** Longest `?wait=ready` wait. */
export const MAX_DEPLOYMENT_WAIT_MS = 120_000;

export const DeploymentPutQuery = Type.Object(
  {
    wait: Type.Optional(Type.Literal('ready', { description: 'answer once the deployment is ready (or failed), or at timeoutMs' })),
    timeoutMs: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_DEPLOYMENT_WAIT_MS, default: 30_000, description: 'longest wait with wait=ready, in ms (default 30000)' }),
    ),
  },
  { additionalProperties: false },
);

export const DeploymentList = Type.Object({
  items: Type.Array(DeploymentView),
  next: Type.Union([Type.String(), Type.Null()], { description: 'pass as `after` for the next page; null on the last' }),
}, { title: 'DeploymentList' });

export const RevisionView = Type.Object({
  revision: Type.Integer(),
  spec: Type.Unknown(),
  createdAt: DateTime,
  createdBy: Type.Union([Type.String(), Type.Null()]),
}, { title: 'RevisionView' });

export const RevisionList = Type.Object({
  items: Type.Array(RevisionView),
  next: Type.Union([Type.Integer(), Type.Null()], { description: 'pass as `before` for the next (older) page; null on the last' }),
}, { title: 'RevisionList' });

export const RevisionPageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    before: Type.Optional(VersionNumber()),
  },
  { additionalProperties: false },
);

export const RollbackBody = Type.Object(
  { revision: VersionNumber({ description: 'the revision whose spec becomes current again (as a new revision)' }) },
  { title: 'RollbackBody', additionalProperties: false },
);

export const DeploymentPageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    after: Type.Optional(Type.String({ description: 'cursor: the last name of the previous page' })),
    model: Type.Optional(ResourceName),
  },
  { additionalProperties: false },
);

export const DeploymentEventsQuery = Type.Object(
  {
    timeoutMs: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_DEPLOYMENT_WAIT_MS, default: 30_000, description: 'the stream ends after this many ms if not settled (reconnect to go on)' }),
    ),
  },
  { additionalProperties: false },
);
