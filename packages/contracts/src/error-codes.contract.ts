// Every stable ATL_* code a client (or another Atelier process) can see, with the HTTP status it
// answers. Throw sites keep their own messages; the status of a code is read from here, so the
// serving node and the gateway can never answer one code with two statuses.
export const ERROR_CODES = {
  // Requests and the HTTP edge (gateway and serving node alike)
  ATL_VALIDATION_FAILED: { status: 400, meaning: 'the request does not match the operation’s schema; `errors` names every bad field' },
  ATL_BAD_REQUEST: { status: 400, meaning: 'a malformed request the schema cannot describe' },
  ATL_MALFORMED_JSON: { status: 400, meaning: 'the body is not valid UTF-8 JSON' },
  ATL_MALFORMED_HTTP: { status: 400, meaning: 'the HTTP request itself is malformed' },
  ATL_BAD_URL: { status: 400, meaning: 'the URL cannot be decoded' },
  ATL_BAD_CONTENT_LENGTH: { status: 400, meaning: 'Content-Length does not match the body' },
  ATL_BAD_CONTENT_ENCODING: { status: 400, meaning: 'the body cannot be decoded with its Content-Encoding' },
  ATL_UNSUPPORTED_CONTENT_ENCODING: { status: 415, meaning: 'a Content-Encoding other than gzip, deflate, br or identity' },
  ATL_UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'a Content-Type the operation does not accept' },
  ATL_BODY_TOO_LARGE: { status: 413, meaning: 'the body exceeds the limit of the operation' },
  ATL_URI_TOO_LONG: { status: 414, meaning: 'the URL is too long' },
  ATL_HEADERS_TOO_LARGE: { status: 431, meaning: 'the request headers are too large' },
  ATL_EXPECTATION_FAILED: { status: 417, meaning: 'an Expect header other than 100-continue' },
  ATL_REQUEST_TIMEOUT: { status: 408, meaning: 'the client did not send the request in time' },
  ATL_ROUTE_NOT_FOUND: { status: 404, meaning: 'no such operation' },
  ATL_INTERNAL: { status: 500, meaning: 'a bug on our side; the request id finds it in the logs' },
  ATL_NOT_READY: { status: 503, meaning: 'the process is not ready to serve (starting, or a dependency is down)' },
  ATL_SHUTTING_DOWN: { status: 503, meaning: 'the process is draining; retry against another one (Retry-After)' },

  // Authentication and authorization
  ATL_UNAUTHENTICATED: { status: 401, meaning: 'no valid credentials' },
  ATL_API_KEY_REVOKED: { status: 401, meaning: 'the API key was revoked' },
  ATL_API_KEY_EXPIRED: { status: 401, meaning: 'the API key has expired' },
  ATL_FORBIDDEN: { status: 403, meaning: 'the key’s role does not allow the operation' },

  // Projects, API keys
  ATL_PROJECT_NOT_FOUND: { status: 404, meaning: 'no such project' },
  ATL_PROJECT_EXISTS: { status: 409, meaning: 'a project of that name exists' },
  ATL_API_KEY_NOT_FOUND: { status: 404, meaning: 'no such API key in the project' },

  // Datasets
  ATL_DATASET_NOT_FOUND: { status: 404, meaning: 'no such dataset' },
  ATL_DATASET_VERSION_NOT_FOUND: { status: 404, meaning: 'no such dataset version' },
  ATL_DATASET_SOURCE_NOT_FOUND: { status: 404, meaning: 'the server-side source of a new version does not exist' },
  ATL_DATASET_EXISTS: { status: 409, meaning: 'a dataset of that name exists' },
  ATL_DATASET_FORMAT_CONFLICT: { status: 409, meaning: 'the body’s format differs from the dataset’s' },
  ATL_DATASET_BAD_REQUEST: { status: 400, meaning: 'a dataset request that cannot be processed as sent' },
  ATL_DATASET_SCHEMA_INVALID: { status: 400, meaning: 'the declared schema is invalid' },
  ATL_DATASET_MALFORMED: { status: 422, meaning: 'the file cannot be parsed' },
  ATL_DATASET_CONSTRAINT_VIOLATION: { status: 422, meaning: 'rows break the declared schema' },
  ATL_DATASET_LIMIT_EXCEEDED: { status: 422, meaning: 'the file has more columns or rows than allowed' },
  ATL_INVALID_ARTIFACT_KEY: { status: 400, meaning: 'an artifact key outside the allowed layout' },

  // Feature store
  ATL_ENTITY_NOT_FOUND: { status: 404, meaning: 'no such entity' },
  ATL_ENTITY_EXISTS: { status: 409, meaning: 'an entity of that name exists' },
  ATL_ENTITY_CONFLICT: { status: 409, meaning: 'the entity differs from the existing one of that name' },
  ATL_ENTITY_INVALID: { status: 400, meaning: 'the entity definition is invalid' },
  ATL_FEATURE_VIEW_NOT_FOUND: { status: 404, meaning: 'no such feature view' },
  ATL_FEATURE_VIEW_VERSION_NOT_FOUND: { status: 404, meaning: 'no such feature view version' },
  ATL_FEATURE_VIEW_INVALID: { status: 400, meaning: 'the feature view definition is invalid' },
  ATL_FEATURE_VIEW_NOT_MATERIALIZED: { status: 409, meaning: 'the feature view has no online values yet: materialize it' },
  ATL_MATERIALIZATION_CONFLICT: { status: 409, meaning: 'a materialization of the view is already running' },
  ATL_TRAINING_SET_INVALID: { status: 400, meaning: 'the training-set request is invalid' },
  ATL_ONLINE_REQUEST_INVALID: { status: 400, meaning: 'the online-features request is invalid' },
  ATL_TOO_MANY_ENTITY_KEYS: { status: 413, meaning: 'more entity keys than one online read takes' },
  ATL_MIXED_TIMESTAMP_FORMATS: { status: 400, meaning: 'a timestamp column mixes formats' },
  ATL_INVALID_TIMESTAMPS: { status: 400, meaning: 'a timestamp column has unreadable values' },

  // Training and evaluation
  ATL_TRAINING_JOB_NOT_FOUND: { status: 404, meaning: 'no such training job' },
  ATL_EVALUATION_NOT_FOUND: { status: 404, meaning: 'no such evaluation' },
  ATL_EVALUATION_FINISHED: { status: 409, meaning: 'the evaluation has already finished' },
  ATL_BATCH_PREDICTION_NOT_FOUND: { status: 404, meaning: 'no such batch prediction job (for this model)' },
  ATL_BATCH_PREDICTION_CONFLICT: { status: 409, meaning: 'the batch prediction cannot run as asked (its output is its input, or the model version cannot be scored in batch)' },
  ATL_TUNING_JOB_NOT_FOUND: { status: 404, meaning: 'no such tuning job' },

  // Model registry
  ATL_MODEL_NOT_FOUND: { status: 404, meaning: 'no such model' },
  ATL_MODEL_EXISTS: { status: 409, meaning: 'a model of that name exists' },
  ATL_MODEL_VERSION_NOT_FOUND: { status: 404, meaning: 'no such model version' },
  ATL_MODEL_VERSION_IN_USE: { status: 409, meaning: 'the version is routed by a deployment or named by an alias' },
  ATL_MODEL_ALIAS_NOT_FOUND: { status: 404, meaning: 'no such alias' },
  ATL_GATE_REJECTED: { status: 409, meaning: 'the blessing gate refused the version for this alias' },
  ATL_UPLOAD_NOT_FOUND: { status: 404, meaning: 'no such upload (or it expired)' },
  ATL_INVALID_ONNX: { status: 422, meaning: 'the uploaded bytes are not a loadable ONNX model' },
  ATL_BUNDLE_TOO_LARGE: { status: 413, meaning: 'the model exceeds the upload limit' },
  ATL_ONNX_EXPORT_NOT_APPLICABLE: { status: 409, meaning: 'the version is an uploaded ONNX file already: download its bundle' },
  ATL_ONNX_EXPORT_UNSUPPORTED: { status: 422, meaning: 'the bundle uses a transform or layer ONNX cannot compute exactly (each one named)' },

  // Storage (the catalog and the artifact store, as the gateway maps them)
  ATL_INVALID_VALUE: { status: 400, meaning: 'a value the database refuses (out of range, invalid text)' },
  ATL_ARTIFACT_NOT_FOUND: { status: 404, meaning: 'the bytes are missing from the artifact store' },
  ATL_INVALID_ARTIFACT_RANGE: { status: 416, meaning: 'a byte range outside the object' },
  ATL_ARTIFACT_KEY_CONFLICT: { status: 409, meaning: 'other bytes already live under the key' },
  ATL_ARTIFACT_STORE_FAILED: { status: 503, meaning: 'the artifact store failed; retry' },
  ATL_ARTIFACT_STORE_CLOSED: { status: 503, meaning: 'the artifact store was closed (the process is stopping)' },

  // Deployments
  ATL_DEPLOYMENT_NOT_FOUND: { status: 404, meaning: 'no such deployment' },
  ATL_DEPLOYMENT_EXISTS: { status: 409, meaning: 'a deployment of that name exists' },
  ATL_DEPLOYMENT_REVISION_NOT_FOUND: { status: 404, meaning: 'no such deployment revision' },
  ATL_DEPLOYMENT_REVISION_CURRENT: { status: 409, meaning: 'the revision is already current' },

  // Predict and rank (the serving node answers these; the gateway passes them through)
  ATL_MODEL_NOT_DEPLOYED: { status: 404, meaning: 'no deployment routes to the model, version or alias' },
  ATL_MODEL_NOT_READY: { status: 503, meaning: 'the deployment or version is still loading, or failed to load (Retry-After; the message gives its state)' },
  ATL_SERVING_NOT_CONFIGURED: { status: 503, meaning: 'this gateway has no serving pool: ATELIER_SERVING_URL is not set' },
  ATL_CONSOLE_NOT_BUILT: { status: 503, meaning: 'the console has no build in the folder this gateway serves it from: npm run build:console, or set ATELIER_CONSOLE_DIR' },
  ATL_QUEUE_FULL: { status: 503, meaning: 'the version’s request queue is full (Retry-After)' },
  ATL_TOO_MANY_ROWS: { status: 400, meaning: 'one request has more rows than the version queues' },
  ATL_DEADLINE_EXCEEDED: { status: 504, meaning: 'the request did not start computing within its deadline' },
  ATL_FEATURES_UNAVAILABLE: { status: 400, meaning: 'entityKeys were sent to a node without an online feature reader' },
  ATL_BUNDLE_CORRUPT: { status: 500, meaning: 'the stored bundle failed its integrity check' },
  ATL_BUNDLE_MISSING: { status: 500, meaning: 'the stored bundle cannot be read' },
  ATL_SIGNATURE_MISMATCH: { status: 500, meaning: 'the loaded model does not match its signature' },
  ATL_SERVING_UNAVAILABLE: { status: 503, meaning: 'the serving pool cannot be reached' },
  ATL_SERVING_FAILED: { status: 502, meaning: 'the serving pool answered an error without a code (its own status is passed on)' },
} as const satisfies Record<`ATL_${string}`, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Codes that never reach a client as a response: start-up failures of a process and reasons in
 * status documents (a version's load failure). Listed so a new code is a decision, not an accident.
 */
export const PROCESS_CODES = ['ATL_DATA_DIR_LOCKED', 'ATL_MIGRATION_FAILED', 'ATL_INVALID_ARGUMENT', 'ATL_ARTIFACT_STORE_CONFIG', 'ATL_LOAD_FAILED'] as const;

/**
 * Codes @atelier/sdk reports with status 0 for outcomes no server answered (the connection, the
 * caller's deadline or abort, a job or deployment that ended badly, the client's own configuration).
 * The SDK keeps its own copy (it must not load this package at run time in a browser); its tests keep
 * the two equal.
 */
export const CLIENT_CODES = [
  'ATL_NETWORK',
  'ATL_TIMEOUT',
  'ATL_ABORTED',
  'ATL_BAD_RESPONSE',
  'ATL_JOB_FAILED',
  'ATL_JOB_CANCELLED',
  'ATL_DEPLOYMENT_NOT_READY',
  'ATL_NO_PROJECT',
  'ATL_CONFIG',
  'ATL_FILE_UNREADABLE',
] as const;

/** The status a known code answers, or undefined for a code outside the catalogue. */
export function statusOfCode(code: string): number | undefined {
  return Object.hasOwn(ERROR_CODES, code) ? ERROR_CODES[code as ErrorCode].status : undefined;
}
