// What each operation of the gateway requires, from reading its service: the auth matrix's expected
// answers come from here. The matrix fails when the document has an operation this table does not
// know (or the table names one the document lost), so every new route gets a line here.
//   public         no key needed (outside /v1)
//   authenticated  any valid key (the answer is scoped to the key's project)
//   read           viewer, editor or admin of the project (or a platform key)
//   write          editor or admin of the project
//   admin          admin of the project (manages its keys and settings)
//   platform       a platform admin key only
export type Requirement = 'public' | 'authenticated' | 'read' | 'write' | 'admin' | 'platform';

const P = '/v1/projects/{project}';

export const OPERATION_REQUIREMENTS: Record<string, Requirement> = {
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',

  'POST /v1/projects': 'platform',
  'GET /v1/projects': 'authenticated',
  [`GET ${P}`]: 'read',
  [`PATCH ${P}`]: 'admin',

  [`POST ${P}/api-keys`]: 'admin',
  [`GET ${P}/api-keys`]: 'admin',
  [`POST ${P}/api-keys/{keyId}/revoke`]: 'admin',
  [`GET ${P}/audit-log`]: 'admin',

  [`POST ${P}/models`]: 'write',
  [`GET ${P}/models`]: 'read',
  [`GET ${P}/models/{name}`]: 'read',
  [`POST ${P}/models/{name}/uploads`]: 'write',
  [`POST ${P}/models/{name}/versions`]: 'write',
  [`GET ${P}/models/{name}/versions`]: 'read',
  [`GET ${P}/models/{name}/versions/{version}`]: 'read',
  [`DELETE ${P}/models/{name}/versions/{version}`]: 'write',
  [`GET ${P}/models/{name}/versions/{version}/bundle`]: 'read',
  [`GET ${P}/models/{name}/versions/{version}/onnx`]: 'read',
  [`GET ${P}/models/{name}/aliases`]: 'read',
  [`GET ${P}/models/{name}/aliases/{alias}`]: 'read',
  [`PUT ${P}/models/{name}/aliases/{alias}`]: 'write',
  [`DELETE ${P}/models/{name}/aliases/{alias}`]: 'write',
  [`GET ${P}/models/{name}/versions/{version}/evaluations`]: 'read',
  [`POST ${P}/models/{name}/versions/{version}/evaluations`]: 'write',
  [`GET ${P}/evaluations/{evaluationId}`]: 'read',
  [`POST ${P}/models/{name}/batch-predictions`]: 'write',
  [`GET ${P}/models/{name}/batch-predictions`]: 'read',
  [`GET ${P}/models/{name}/batch-predictions/{id}`]: 'read',
  [`POST ${P}/models/{name}/batch-predictions/{id}/cancel`]: 'write',
  [`GET ${P}/models/{name}/batch-predictions/{id}/events`]: 'read',

  [`POST ${P}/datasets`]: 'write',
  [`GET ${P}/datasets`]: 'read',
  [`GET ${P}/datasets/{name}`]: 'read',
  [`POST ${P}/datasets/{name}/versions`]: 'write',
  [`GET ${P}/datasets/{name}/versions`]: 'read',
  [`GET ${P}/datasets/{name}/versions/{version}`]: 'read',
  [`GET ${P}/datasets/{name}/versions/{version}/profile`]: 'read',
  [`GET ${P}/datasets/{name}/versions/{version}/preview`]: 'read',
  [`GET ${P}/datasets/{name}/versions/{version}/content`]: 'read',

  [`POST ${P}/entities`]: 'write',
  [`GET ${P}/entities`]: 'read',
  [`GET ${P}/entities/{name}`]: 'read',
  [`POST ${P}/feature-views`]: 'write',
  [`GET ${P}/feature-views`]: 'read',
  [`GET ${P}/feature-views/{name}`]: 'read',
  [`GET ${P}/feature-views/{name}/versions`]: 'read',
  [`GET ${P}/feature-views/{name}/versions/{version}`]: 'read',
  [`POST ${P}/feature-views/{name}/materialize`]: 'write',
  [`GET ${P}/feature-views/{name}/versions/{version}/materializations`]: 'read',
  [`POST ${P}/training-sets`]: 'write',
  [`POST ${P}/online-features`]: 'read',

  [`POST ${P}/training-jobs`]: 'write',
  [`GET ${P}/training-jobs`]: 'read',
  [`GET ${P}/training-jobs/{id}`]: 'read',
  [`POST ${P}/training-jobs/{id}/cancel`]: 'write',
  [`GET ${P}/training-jobs/{id}/events`]: 'read',
  [`POST ${P}/tuning-jobs`]: 'write',
  [`GET ${P}/tuning-jobs`]: 'read',
  [`GET ${P}/tuning-jobs/{id}`]: 'read',
  [`GET ${P}/tuning-jobs/{id}/trials`]: 'read',
  [`POST ${P}/tuning-jobs/{id}/cancel`]: 'write',
  [`GET ${P}/tuning-jobs/{id}/events`]: 'read',

  [`GET ${P}/deployments`]: 'read',
  [`PUT ${P}/deployments/{name}`]: 'write',
  [`GET ${P}/deployments/{name}`]: 'read',
  [`DELETE ${P}/deployments/{name}`]: 'write',
  [`GET ${P}/deployments/{name}/revisions`]: 'read',
  [`GET ${P}/deployments/{name}/events`]: 'read',
  [`POST ${P}/deployments/{name}/rollback`]: 'write',
  [`GET ${P}/deployments/{name}/monitoring`]: 'read',
  [`GET ${P}/deployments/{name}/monitoring/thresholds`]: 'read',
  [`PUT ${P}/deployments/{name}/monitoring/thresholds`]: 'write',
  [`GET ${P}/deployments/{name}/monitoring/alerts`]: 'read',
  [`POST ${P}/deployments/{name}/labels`]: 'write',

  // Predictions: any key that may read the project (viewers call models).
  [`POST ${P}/models/{name}/predict`]: 'read',
  [`POST ${P}/models/{name}/versions/{version}/predict`]: 'read',
  [`POST ${P}/models/{name}/aliases/{alias}/predict`]: 'read',
  [`POST ${P}/models/{name}/rank`]: 'read',
  [`GET ${P}/models/{name}/predictions`]: 'read',

  // Open Inference Protocol v2: public probes at the root; under a project's base URL, predict's permission.
  'GET /v2/health/live': 'public',
  'GET /v2/health/ready': 'public',
  [`GET ${P}/oip/v2`]: 'read',
  [`GET ${P}/oip/v2/health/live`]: 'read',
  [`GET ${P}/oip/v2/health/ready`]: 'read',
  [`GET ${P}/oip/v2/models/{name}`]: 'read',
  [`GET ${P}/oip/v2/models/{name}/versions/{version}`]: 'read',
  [`GET ${P}/oip/v2/models/{name}/ready`]: 'read',
  [`GET ${P}/oip/v2/models/{name}/versions/{version}/ready`]: 'read',
  [`POST ${P}/oip/v2/models/{name}/infer`]: 'read',
  [`POST ${P}/oip/v2/models/{name}/versions/{version}/infer`]: 'read',
};
