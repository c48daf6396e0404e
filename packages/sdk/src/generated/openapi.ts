// GENERATED FILE: do not edit by hand.
// openapi-typescript over the gateway's live OpenAPI document (GET /openapi.json).
// Regenerate with: npm run generate -w @atelier/sdk
// (test/sdk-drift.test.ts fails when this file differs from what the live document generates.)

/** Any JSON value (the document's recursive JsonValue schema, as a type alias TypeScript can recurse through). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness
         * @description Answers 200 as long as the process serves HTTP; it checks nothing else. Use it as a liveness probe.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description The Prometheus text exposition: HTTP requests by method, route pattern and status, their durations, the artifact collector, serving (when this process runs a serving node) and process metrics.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description Readiness: database reachable, migrations done (and every part plugged in ready). Use it as a readiness probe.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List projects
         * @description List the projects this key can see
         */
        get: operations["listProjects"];
        put?: never;
        /**
         * Create a project
         * @description Create a project (platform admin)
         */
        post: operations["createProject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a project
         * @description A project by name, with its settings and timestamps. Needs read access to the project (any role), or a platform key.
         */
        get: operations["getProject"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update a project
         * @description Update a project (project admin)
         */
        patch: operations["updateProject"];
        trace?: never;
    };
    "/v1/projects/{project}/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API keys
         * @description List a project's API keys (never their secrets)
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key
         * @description Create an API key for a project (project admin). The secret is in this response only.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/api-keys/{keyId}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke an API key
         * @description Revoke an API key; it stops working at once
         */
        post: operations["revokeApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/audit-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the audit log
         * @description A project's audit log, newest first (project admin or platform admin): who changed what, when. Filter by `action` or `resourceType`; page with `before` (the last id of the previous page).
         */
        get: operations["listAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List datasets
         * @description List a project's datasets by name
         */
        get: operations["listDatasets"];
        put?: never;
        /**
         * Create a dataset
         * @description Create a dataset (editor). Add data with POST …/datasets/{name}/versions.
         */
        post: operations["createDataset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/datasets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a dataset
         * @description A dataset, with its latest version number
         */
        get: operations["getDataset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/datasets/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List dataset versions
         * @description A dataset's versions, newest first, each with its schema evolution
         */
        get: operations["listDatasetVersions"];
        put?: never;
        /**
         * Add a dataset version
         * @description Add a version (editor): stream the file as the body (Content-Type text/csv, application/x-ndjson or application/jsonl, application/vnd.apache.parquet, or application/octet-stream with ?format=; any other type is a 415), or send JSON {sourceVersionId, schema?} to make a version from the bytes of a version of this project. Optional ?schema= (URL-encoded JSON) declares column types and constraints. A malformed file, a constraint violation or a file over a limit (columns, JSON nesting) is a 422 naming line and column; nothing is registered. Identical bytes return the existing version with 200 and duplicateOf; the same bytes as another format are a 409.
         */
        post: operations["uploadDatasetVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/datasets/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a dataset version
         * @description A version's metadata: format, size, hash, row count, schema and its evolution from the version before
         */
        get: operations["getDatasetVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/datasets/{name}/versions/{version}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a dataset version
         * @description Download a version's bytes exactly as uploaded (streamed)
         */
        get: operations["downloadDatasetVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/datasets/{name}/versions/{version}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Preview a dataset version
         * @description The first rows of a version as JSON objects
         */
        get: operations["previewDatasetVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/datasets/{name}/versions/{version}/profile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Profile a dataset version
         * @description A version's profile: row count, per column nulls, min, max, mean, stddev, approx distinct, top values, histogram
         */
        get: operations["getDatasetProfile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List deployments
         * @description List a project's deployments
         */
        get: operations["listDeployments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/deployments/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a deployment
         * @description Get a deployment and its current spec
         */
        get: operations["getDeployment"];
        /**
         * Create a deployment, or change it (a new revision) (editor)
         * @description Routes a model to versions or aliases by weight (A/B, canary; weights sum to 100), optionally copies traffic to shadow versions (answers logged, never returned), and sets the serving pool and batching. Every change is a new revision with an audit entry; serving nodes load, warm up and switch atomically. 201 on create, 200 on change. `status` says whether the serving pool answers with the current revision yet (progressing / ready / failed). With `?wait=ready` the answer waits (at most `timeoutMs`) until it is ready: 201/200 when ready, 202 with the current status when it failed or is still progressing at the timeout. Validation lists every bad field (unknown version or alias, weights, batching).
         */
        put: operations["putDeployment"];
        post?: never;
        /**
         * Delete a deployment
         * @description Delete a deployment and its revisions (editor); serving nodes unload what it served
         */
        delete: operations["deleteDeployment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/deployments/{name}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A deployment's status as server-sent events, until it is ready
         * @description text/event-stream: `event: status` with the status (as in GET) first and at every change, then `event: ready` (or `event: failed`) with the status, and the stream ends. It also ends at timeoutMs, when the deployment is deleted (`event: deleted`), and on shutdown (`event: shutdown`); reconnect to follow on.
         */
        get: operations["streamDeploymentEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/deployments/{name}/labels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Labels for a deployment's earlier answers (editor)
         * @description Joins each label to the answer with that requestId (a predict answer's `requestId`: the one sent, else the gateway's x-request-id) and instance index; online metrics of the answer's window include it. At most 10,000 labels per request. Labels whose answer is unknown are listed in `unknown`, not refused.
         */
        post: operations["postDeploymentLabels"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/deployments/{name}/monitoring": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Drift and online quality of a deployment, per version and time window
         * @description For each version that answered in [from, to) and each window (ATELIER_MONITORING_WINDOW_MS of the serving nodes, 5 minutes by default): per monitored feature the counts in the reference bins (from the training dataset’s profile), PSI and Jensen–Shannon distance against training, missing and out-of-range rates; the output distribution’s drift; and, for answers that got labels, online accuracy / AUC / log loss (binary) or RMSE / MAE (regression). At most the newest 20,000 window rows (one per serving node and window) and 200,000 labels of the range are read.
         */
        get: operations["getDeploymentMonitoring"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/deployments/{name}/monitoring/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A deployment's monitoring alerts, newest first
         * @description An alert is active while the latest judged window of a version has a check at or over its threshold, and resolved when a later window is under it. Active alerts are also on /metrics (atelier_monitoring_alert_active).
         */
        get: operations["listMonitoringAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/deployments/{name}/monitoring/thresholds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A deployment's monitoring thresholds
         * @description The thresholds that raise alerts (the defaults until set).
         */
        get: operations["getMonitoringThresholds"];
        /**
         * Set a deployment's monitoring thresholds (editor)
         * @description Replaces the thresholds: a field left out takes its default, null turns its check off. The next evaluation (every ATELIER_MONITORING_EVALUATE_MS) judges the latest window of each version with them. Audited.
         */
        put: operations["putMonitoringThresholds"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/deployments/{name}/revisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List deployment revisions
         * @description A deployment's revisions, newest first
         */
        get: operations["listDeploymentRevisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/deployments/{name}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Roll back to a previous revision's spec (editor)
         * @description Adds a new revision with the spec of `revision` (history stays intact) and an audit entry.
         */
        post: operations["rollbackDeployment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/entities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List entities
         * @description List a project's entities
         */
        get: operations["listEntities"];
        put?: never;
        /**
         * Create an entity
         * @description Create an entity (its join keys). Entities are immutable; re-sending the same definition returns it.
         */
        post: operations["createEntity"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/entities/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an entity
         * @description An entity: its name, join keys and description.
         */
        get: operations["getEntity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/evaluations/{evaluationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an evaluation
         * @description Get an evaluation
         */
        get: operations["getEvaluation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/feature-views": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List feature views
         * @description List feature views (their latest versions)
         */
        get: operations["listFeatureViews"];
        put?: never;
        /**
         * Apply a feature view
         * @description Apply a feature view: checked against the entity and the dataset version; a changed definition makes a new version (201), an unchanged one returns the latest (200)
         */
        post: operations["applyFeatureView"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/feature-views/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a feature view
         * @description The latest version of a feature view
         */
        get: operations["getFeatureView"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/feature-views/{name}/materialize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Materialize a feature view
         * @description Materialize the latest values per entity key into the online store: full, or incremental from the watermark. A failed run resumes where it stopped when called again with the same arguments.
         */
        post: operations["materializeFeatureView"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/feature-views/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List feature view versions
         * @description Every version of a feature view, newest first
         */
        get: operations["listFeatureViewVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/feature-views/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a feature view version
         * @description One version of a feature view, with its feature statistics
         */
        get: operations["getFeatureViewVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/feature-views/{name}/versions/{version}/materializations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List materialization runs
         * @description Materialization runs of a feature view version, newest first
         */
        get: operations["listMaterializations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List models
         * @description List the project's models by name
         */
        get: operations["listModels"];
        put?: never;
        /**
         * Create a model
         * @description Create a model (editor). Training a new model name creates it too.
         */
        post: operations["createModel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a model
         * @description Get a model with its latest version number and aliases
         */
        get: operations["getModel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/aliases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List aliases
         * @description List a model's aliases and the versions they point at
         */
        get: operations["listModelAliases"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/aliases/{alias}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an alias
         * @description Get the version an alias points at
         */
        get: operations["getModelAlias"];
        /**
         * Point an alias at a version (editor)
         * @description Creates or moves the alias atomically, with an audit entry naming the previous and new version. Refused with 409 ATL_GATE_REJECTED when the version's latest completed evaluation was rejected by its blessing gate (the failing checks are listed in `errors`), and with requireBlessing also when it has no completed evaluation.
         */
        put: operations["setModelAlias"];
        post?: never;
        /**
         * Remove an alias
         * @description Remove an alias (editor)
         */
        delete: operations["deleteModelAlias"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/aliases/{alias}/predict": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Predict with the version an alias points at (it must be deployed)
         * @description Instances (named feature values) and/or entityKeys (online features joined in) are validated against the answering version's signature: a 400 names every bad field (`instances[3].age`). Requests are batched with others (dynamic batching); a full queue answers 503 ATL_QUEUE_FULL with Retry-After, a missed deadline 504 ATL_DEADLINE_EXCEEDED.
         */
        post: operations["predictWithAlias"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/batch-predictions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a model's batch predictions
         * @description A model's batch prediction jobs, newest first (`before`: the last id of the previous page)
         */
        get: operations["listBatchPredictions"];
        put?: never;
        /**
         * Score a dataset version offline (editor): queues a batch prediction job
         * @description Scores every row of a dataset version of this project with a version (or alias) of the model, chunk by chunk, and publishes the predictions — plus the passthrough columns — as the next version of the output dataset (Parquet, profiled like an upload, with lineage to the model version and the input version). Every column the model reads must be in the input version (400 naming the missing ones). Follow the job with GET or its /events.
         */
        post: operations["createBatchPrediction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/batch-predictions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a batch prediction
         * @description A batch prediction job: status, progress (rows scored of the total), attempts, and the dataset version it wrote once succeeded
         */
        get: operations["getBatchPrediction"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/batch-predictions/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a batch prediction
         * @description Cancel a job: a queued one at once, a running one between two chunks; a cancelled job writes no dataset version
         */
        post: operations["cancelBatchPrediction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/batch-predictions/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream batch prediction events
         * @description Server-Sent Events: state changes and progress log lines. Each event id is its job_events id; send Last-Event-ID to resume. The stream ends once the job is finished and every event was sent.
         */
        get: operations["streamBatchPredictionEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/predict": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Predict with the model's deployment (weighted routes; shadows get a copy)
         * @description Instances (named feature values) and/or entityKeys (online features joined in) are validated against the answering version's signature: a 400 names every bad field (`instances[3].age`). Requests are batched with others (dynamic batching); a full queue answers 503 ATL_QUEUE_FULL with Retry-After, a missed deadline 504 ATL_DEADLINE_EXCEEDED.
         */
        post: operations["predict"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/predictions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List recent predictions
         * @description The model's newest logged predictions, newest first, from the sampled prediction log (ATELIER_PREDICTION_LOG_SAMPLE_RATE of the serving nodes; records appear after their flush). Reads only the newest log objects of the last days, with a cap on the bytes read: a bounded look, not a query.
         */
        get: operations["listRecentPredictions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/rank": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rank candidates
         * @description Score a context with N candidates in one batch; best first (top-k)
         */
        post: operations["rank"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload an ONNX file (editor): step 1 of registering an externally trained model
         * @description Send the .onnx file as the body with Content-Type: application/octet-stream. It is streamed into artifact storage (413 past the size limit, before anything is read when Content-Length says so), then ONNX Runtime must load it: 422 ATL_INVALID_ONNX names why not (unknown operators, external data files, truncated or foreign bytes) and nothing is kept. The answer lists the graph's inputs and outputs. Then register it with POST …/versions { format: "onnx", uploadId, signature }.
         */
        post: operations["uploadModelFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List model versions
         * @description List a model's versions, newest first
         */
        get: operations["listModelVersions"];
        put?: never;
        /**
         * Register an uploaded ONNX file as a new version (editor): step 2
         * @description uploadId is an id POST …/uploads of this model returned; ids of other models or projects are not found (404). The signature must fit the graph (400 names each field that does not); a file ONNX Runtime cannot load is refused with 422.
         */
        post: operations["registerModelVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a model version
         * @description Get a version: bundle hash and size, format, signature, metrics, lineage, aliases, latest evaluation verdict
         */
        get: operations["getModelVersion"];
        put?: never;
        post?: never;
        /**
         * Delete a model version
         * @description Delete a version no alias or deployment uses (editor); its bundle bytes go too unless another version shares them
         */
        delete: operations["deleteModelVersion"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/versions/{version}/bundle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a model bundle
         * @description Download a version's bundle (ONNX file or Atelier bundle), streamed; the ETag is its SHA-256
         */
        get: operations["downloadModelBundle"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/versions/{version}/evaluations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A version's evaluations, newest first
         * @description Each has its metrics, per-slice metrics, curves (ROC, PR, calibration), feature importance, the baseline version it was compared with, the comparison, the blessing gate ({ thresholds, checks }) and its verdict.
         */
        get: operations["listEvaluations"];
        put?: never;
        /**
         * Evaluate a version on a dataset version (editor): queues a job the orchestrator runs
         * @description Optional sliceColumn computes the metrics per value too; gate thresholds compare the result with the model's production version (the blessing gate). Follow the returned job; the evaluation appears under this version when it is done.
         */
        post: operations["createEvaluation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/versions/{version}/onnx": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download an engine-trained version as one ONNX graph
         * @description The version's bundle exported to ONNX (opset 17 + ai.onnx.ml): its preprocessing and model in one graph whose inputs are the raw feature columns (numbers float [N,1] with NaN for missing; strings [N,1] with "" for missing; integer-coded categoricals double [N,1]) and whose outputs are what predict returns. Generated from the stored bundle on each request; the ETag is stable for a version. 409 ATL_ONNX_EXPORT_NOT_APPLICABLE for a version uploaded as ONNX (download its bundle); 422 ATL_ONNX_EXPORT_UNSUPPORTED names each feature or layer ONNX cannot compute exactly (hashed categoricals).
         */
        get: operations["downloadModelOnnx"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/models/{name}/versions/{version}/predict": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Predict with one deployed version
         * @description Instances (named feature values) and/or entityKeys (online features joined in) are validated against the answering version's signature: a 400 names every bad field (`instances[3].age`). Requests are batched with others (dynamic batching); a full queue answers 503 ATL_QUEUE_FULL with Retry-After, a missed deadline 504 ATL_DEADLINE_EXCEEDED.
         */
        post: operations["predictWithVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/oip/v2": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open Inference Protocol: server metadata */
        get: operations["oipServerMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/oip/v2/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open Inference Protocol: server live */
        get: operations["oipServerLive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/oip/v2/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open Inference Protocol: server ready */
        get: operations["oipServerReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/oip/v2/models/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open Inference Protocol: model metadata
         * @description A v2 model is an Atelier model with a deployment in this project. `versions` lists the deployed versions; inputs and outputs come from the version's signature (the model's: the routed version with the most weight), batch dimension first (-1).
         */
        get: operations["oipModelMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/oip/v2/models/{name}/infer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Open Inference Protocol: infer with the model's deployment
         * @description Input tensors (named as the signature's inputs, batch dimension first; `data` flat or nested, or binary with parameters.binary_data_size after a JSON header of Inference-Header-Content-Length bytes) become instances for the same path as /predict; outputs come back as tensors, binary when parameters.binary_data (or binary_data_output) asks. `id` is echoed.
         */
        post: operations["oipInfer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/oip/v2/models/{name}/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open Inference Protocol: model ready
         * @description 200 when the serving pool has loaded the deployment's routed versions (or the named version); 503 with Retry-After while they load.
         */
        get: operations["oipModelReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/oip/v2/models/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open Inference Protocol: model version metadata
         * @description A v2 model is an Atelier model with a deployment in this project. `versions` lists the deployed versions; inputs and outputs come from the version's signature (the model's: the routed version with the most weight), batch dimension first (-1).
         */
        get: operations["oipModelVersionMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/oip/v2/models/{name}/versions/{version}/infer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Open Inference Protocol: infer with one deployed version
         * @description Input tensors (named as the signature's inputs, batch dimension first; `data` flat or nested, or binary with parameters.binary_data_size after a JSON header of Inference-Header-Content-Length bytes) become instances for the same path as /predict; outputs come back as tensors, binary when parameters.binary_data (or binary_data_output) asks. `id` is echoed.
         */
        post: operations["oipInferWithVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/oip/v2/models/{name}/versions/{version}/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Open Inference Protocol: model version ready
         * @description 200 when the serving pool has loaded the deployment's routed versions (or the named version); 503 with Retry-After while they load.
         */
        get: operations["oipModelVersionReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/online-features": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Read online features
         * @description Latest feature values for many entity keys across views. Missing keys come back with found:false and null values; values older than the view’s TTL with status expired.
         */
        post: operations["getOnlineFeatures"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/training-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List training jobs
         * @description A project's training jobs, newest first (`before`: the last id of the previous page)
         */
        get: operations["listTrainingJobs"];
        put?: never;
        /**
         * Queue a training job
         * @description Queue a training job (spec checked against the dataset version schema; every bad field is listed)
         */
        post: operations["createTrainingJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/training-jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a training job
         * @description A training job: status, waiting reason, attempts, checkpoint, metrics, the model version it produced
         */
        get: operations["getTrainingJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/training-jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a training job
         * @description Cancel a job: a queued one at once, a running one within about a second (its worker stops the fit loop)
         */
        post: operations["cancelTrainingJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/training-jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream training job events
         * @description Server-Sent Events: state changes, per-epoch metrics and log lines. Each event id is its job_events id; send Last-Event-ID to resume. The stream ends once the job is finished and every event was sent.
         */
        get: operations["streamTrainingJobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/training-sets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Build a training set
         * @description Build a point-in-time correct training set: each label row gets the latest feature values at or before its event time (within each view’s TTL); stored as a new dataset version with lineage
         */
        post: operations["createTrainingSet"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/tuning-jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List tuning jobs
         * @description A project's tuning jobs, newest first (`before`: the last id of the previous page)
         */
        get: operations["listTuningJobs"];
        put?: never;
        /**
         * Queue a tuning job
         * @description Queue a hyperparameter search: a base training spec, a search space of spec paths (float/int ranges, log scales, choices, conditionals), a strategy (random or aging evolution), optional ASHA early stopping, an objective and a budget. The base spec, the space and trial specs drawn from it are checked at submit; every bad field is listed.
         */
        post: operations["createTuningJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/tuning-jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a tuning job
         * @description A tuning job: status, trials by state, the best trial and objective so far, the version the best trial became
         */
        get: operations["getTuningJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/tuning-jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a tuning job
         * @description Cancel a study: a queued one at once; a running one stops creating trials, cancels its running trials and ends cancelled once they stopped
         */
        post: operations["cancelTuningJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/tuning-jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream tuning job events
         * @description Server-Sent Events: `state` (the study), `trial` (queued/running/succeeded/failed/cancelled/stopped, with params and objective), `population` (aging evolution: members, who joined, who died), `best` (a new best trial) and `log`. Send Last-Event-ID to resume; the stream ends once the study is finished and every event was sent.
         */
        get: operations["streamTuningJobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/projects/{project}/tuning-jobs/{id}/trials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the trials of a tuning job
         * @description Every trial in index order: its point of the search space, its state (stopped: ASHA stopped it), its objective, and its training job (metrics, per-epoch history)
         */
        get: operations["listTuningTrials"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open Inference Protocol: server live (public) */
        get: operations["oipServerLivePublic"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open Inference Protocol: server ready, every deployment loaded (public) */
        get: operations["oipServerReadyPublic"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * AliasList
         * @description The model's aliases and the versions they point at.
         */
        AliasList: {
            items: components["schemas"]["AliasView"][];
        };
        /** AliasPointer */
        AliasPointer: {
            alias: string;
            /** Format: date-time */
            updatedAt: string;
            version: number;
        };
        /** AliasView */
        AliasView: {
            alias: string;
            previousVersion?: number | null;
            /** Format: date-time */
            updatedAt: string;
            updatedBy: string | null;
            version: number;
        };
        /** ApiKeyBody */
        ApiKeyBody: {
            /**
             * Format: date-time
             * @description when the key stops working; must be in the future
             */
            expiresAt?: string;
            name: string;
            role: components["schemas"]["Role"];
        };
        /** ApiKeyView */
        ApiKeyView: {
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            lastUsedAt: string | null;
            name: string;
            /** @description the key's public start, `atl_<lookupId>`, to recognise it (no secret character); `atl_` for keys made before lookup ids existed, empty for an operator-chosen ATELIER_ADMIN_KEY */
            prefix: string;
            /** Format: date-time */
            revokedAt: string | null;
            role: components["schemas"]["Role"];
        };
        /** AuditEntryView */
        AuditEntryView: {
            /** @description what was done, e.g. `api-key.create`, `model-alias.set` */
            action: string;
            /** @description the API key that made the change (null for the platform itself) */
            actor: {
                /** Format: uuid */
                keyId: string;
                /** @description the key's name when it belongs to this project; null for a platform key */
                name: string | null;
                prefix: string | null;
            } | null;
            /** Format: date-time */
            at: string;
            /** @description what the change was (names, roles, versions); never secrets */
            details: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            /** @description the entry id; pass the last one back as `before` for the next page */
            id: number;
            resourceId: string;
            /** @description the kind of resource changed, e.g. `api-key`, `deployment` */
            resourceType: string;
        };
        /** BatchingSpec */
        BatchingSpec: {
            /** @description run at once when nothing computes (default true) */
            eager?: boolean;
            /** @description most rows per batch (default 64) */
            maxBatchRows?: number;
            /** @description batches computing at once (default 1) */
            maxInFlightBatches?: number;
            /** @description longest wait for company (default 2) */
            maxQueueDelayMs?: number;
            /** @description batch sizes worth running at once */
            preferredBatchSizes?: number[];
            /** @description rows queued before 503 ATL_QUEUE_FULL (default 4096) */
            queueCapacityRows?: number;
            /** @description per-request deadline; expired → 504 (default 1000) */
            timeoutMs?: number;
        };
        /** BatchPredictionRequest */
        BatchPredictionRequest: {
            /** @description an alias of the model (e.g. production), resolved at submit */
            alias?: string;
            /** @description rows per forward pass (default 8192); memory is bounded by this, not by the dataset */
            chunkRows?: number;
            /** @description the dataset version to score */
            input: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                dataset: string;
                version: number;
            };
            /** @description leases that may expire before the job fails (default 3) */
            maxAttempts?: number;
            /** @description the dataset the predictions become the next version of (created when missing), in the same project */
            output: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                dataset: string;
            };
            /** @description what to write per row: 'probabilities' (binary: probability; multiclass: probability_<class> per class), 'class' (predicted_class), 'prediction' (regression: prediction; other tasks: score). Default: probabilities + class for classifiers, prediction otherwise */
            outputs?: ("prediction" | "probabilities" | "class")[];
            /** @description input columns copied to the output as they are (ids, keys); default none */
            passthroughColumns?: string[];
            /** @description the model version to score with (or alias) */
            version?: number;
        };
        /** BatchPredictionView */
        BatchPredictionView: {
            /** @description the alias named at submit, if any */
            alias: string | null;
            attempts: number;
            /** Format: date-time */
            cancelRequestedAt: string | null;
            chunkRows: number;
            /** Format: date-time */
            createdAt: string;
            error: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            /** Format: uuid */
            id: string;
            input: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                dataset: string;
                version: number;
                /** Format: uuid */
                versionId: string;
            };
            maxAttempts: number;
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            model: string;
            /** @description the version scoring (resolved from the alias at submit) */
            modelVersion: number;
            /** Format: uuid */
            modelVersionId: string;
            output: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                dataset: string;
                /** @description the dataset version written (null until the job succeeds) */
                version: number | null;
                versionId: string | null;
            };
            outputs: ("prediction" | "probabilities" | "class")[];
            passthroughColumns: string[];
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            project: string;
            /** @description progress: rows scored so far (the whole input once succeeded) */
            rowsScored: number;
            /** Format: date-time */
            startedAt: string | null;
            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            totalRows: number;
            /** Format: date-time */
            updatedAt: string;
            worker: string | null;
        };
        /** ColumnProfileView */
        ColumnProfileView: {
            approxDistinct: number;
            /** @description non-null values */
            count: number;
            duckdbType: string;
            histogram: {
                bins: {
                    count: number;
                    lower: number;
                    upper: number;
                }[];
                /** @enum {string} */
                kind: "numeric";
                nonFiniteCount: number;
            } | {
                buckets: {
                    count: number;
                    value: string;
                }[];
                /** @enum {string} */
                kind: "categorical";
                otherCount: number;
            } | null;
            max: number | string | null;
            mean: number | null;
            min: number | string | null;
            name: string;
            nullCount: number;
            nullFraction: number;
            stddev: number | null;
            topValues: {
                count: number;
                value: string;
            }[];
            /** @description the column type as Atelier sees it */
            type: "integer" | "float" | "boolean" | "string" | "date" | "timestamp" | "other";
        };
        /**
         * CreatedApiKeyView
         * @description The created key, with its secret: shown in this response only (Cache-Control: no-store).
         */
        CreatedApiKeyView: {
            key: components["schemas"]["ApiKeyView"];
            /** @description the API key itself; shown only in this response */
            secret: string;
        };
        /** CreateDatasetBody */
        CreateDatasetBody: {
            description?: string;
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            name: string;
        };
        /** DatasetFormat */
        DatasetFormat: "csv" | "jsonl" | "parquet";
        /**
         * DatasetProfileView
         * @description The profile (computed on first request, then cached).
         */
        DatasetProfileView: {
            columnCount: number;
            columns: components["schemas"]["ColumnProfileView"][];
            engine: {
                histogramBins: number;
                name: string;
                topK: number;
            };
            rowCount: number;
        };
        /** DatasetVersionView */
        DatasetVersionView: {
            contentType: string;
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            dataset: string;
            /** Format: uuid */
            datasetId: string;
            evolution: {
                added: {
                    duckdbType: string;
                    name: string;
                    nullable: boolean;
                    /** @description the column type as Atelier sees it */
                    type: "integer" | "float" | "boolean" | "string" | "date" | "timestamp" | "other";
                }[];
                previousVersion: number | null;
                removed: {
                    duckdbType: string;
                    name: string;
                    nullable: boolean;
                    /** @description the column type as Atelier sees it */
                    type: "integer" | "float" | "boolean" | "string" | "date" | "timestamp" | "other";
                }[];
                retyped: {
                    /** @description the column type as Atelier sees it */
                    from: "integer" | "float" | "boolean" | "string" | "date" | "timestamp" | "other";
                    fromDuckdbType: string;
                    name: string;
                    /** @description the column type as Atelier sees it */
                    to: "integer" | "float" | "boolean" | "string" | "date" | "timestamp" | "other";
                    toDuckdbType: string;
                }[];
                unchanged: boolean;
            };
            format: components["schemas"]["DatasetFormat"];
            /** Format: uuid */
            id: string;
            lineage: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            rowCount: number;
            schema: components["schemas"]["VersionSchemaView"];
            sha256: string;
            sizeBytes: number;
            version: number;
        };
        /** DatasetView */
        DatasetView: {
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            description: string;
            /** Format: uuid */
            id: string;
            latestVersion: number | null;
            name: string;
        };
        /**
         * DeclaredSchemaBody
         * @description declared column types and constraints, checked at upload
         */
        DeclaredSchemaBody: {
            columns: {
                allowedValues?: (string | number | boolean)[];
                max?: number;
                min?: number;
                name: string;
                notNull?: boolean;
                type?: "integer" | "float" | "boolean" | "string" | "date" | "timestamp";
            }[];
            /** @description columns not declared are an error */
            strict?: boolean;
        };
        /** DeploymentBody */
        DeploymentBody: {
            batching?: components["schemas"]["BatchingSpec"];
            description?: string;
            /** @description online feature views joined for entityKeys */
            featureViews?: string[];
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            model: string;
            /** @description serving pool (default 'default') */
            pool?: string;
            /** @description replica hint for the serving pool */
            replicas?: number;
            routes: components["schemas"]["RouteSpec"][];
            shadows?: components["schemas"]["ShadowSpec"][];
        };
        /**
         * DeploymentList
         * @description A page of deployments, by name; `next` is the cursor for the following page.
         */
        DeploymentList: {
            items: components["schemas"]["DeploymentView"][];
            /** @description pass as `after` for the next page; null on the last */
            next: string | null;
        };
        /** DeploymentView */
        DeploymentView: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            id: string;
            model: string;
            name: string;
            /** @description the current revision */
            revision: number;
            /** @description what the current revision routes */
            spec: components["schemas"]["JsonValue"];
            /** @description ready when every live serving node of the pool serves the current revision warm; failed when a node refused it (it keeps serving the previous versions); progressing otherwise (loading, not picked up yet, or no live node) */
            status?: {
                /** @description the live serving nodes of the pool, each with what it reports */
                nodes: {
                    node: string;
                    reason: string | null;
                    /** @description the revision this node reported on (null: none yet) */
                    revision: number | null;
                    state: "progressing" | "ready" | "failed";
                    versions: number[];
                }[];
                /** @description why it is not ready (null when ready) */
                reason: string | null;
                /** @description the revision the state is about (the current one) */
                revision: number;
                state: "progressing" | "ready" | "failed";
                /** @description versions the serving pool answers with now */
                versions: number[];
            };
            /** Format: date-time */
            updatedAt: string;
        };
        /** EntityBody */
        EntityBody: {
            description?: string;
            /** @description key columns, in order */
            joinKeys: components["schemas"]["TypedColumn"][];
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            name: string;
        };
        /** EntityView */
        EntityView: {
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** Format: uuid */
            id: string;
            joinKeys: components["schemas"]["TypedColumn"][];
            name: string;
        };
        /**
         * EvaluationJobView
         * @description Queued: the evaluation job id, its status and the URL to poll (also in Location).
         */
        EvaluationJobView: {
            /** Format: uuid */
            jobId: string;
            status: string;
            /** @description the job: poll it or follow its /events */
            url: string;
        };
        /**
         * EvaluationList
         * @description The version's evaluations, newest first.
         */
        EvaluationList: {
            items: components["schemas"]["EvaluationView"][];
        };
        /** EvaluationRequestBody */
        EvaluationRequestBody: {
            dataset: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                version: number;
            };
            gate?: components["schemas"]["GateThreshold"][];
            /** @description the label column (default: the training job's label; required for ONNX models) */
            labelColumn?: string;
            sliceColumn?: string;
        };
        /** EvaluationSummary */
        EvaluationSummary: {
            /** Format: date-time */
            createdAt: string;
            /** Format: uuid */
            id: string;
            status: string;
            verdict: string;
        };
        /** EvaluationView */
        EvaluationView: {
            baselineVersion: number | null;
            baselineVersionId: string | null;
            comparison: components["schemas"]["JsonValue"];
            /** Format: date-time */
            createdAt: string;
            curves: components["schemas"]["JsonValue"];
            datasetVersionId: string | null;
            error: string | null;
            featureImportance: components["schemas"]["JsonValue"];
            gate: components["schemas"]["JsonValue"];
            /** Format: uuid */
            id: string;
            metrics: {
                [key: string]: number;
            };
            model: string;
            slices: components["schemas"]["JsonValue"];
            split: string;
            status: string;
            verdict: string;
            version: number;
        };
        /** FeatureDrift */
        FeatureDrift: {
            /** @description counts per reference bin (the histogram to draw) */
            bins: number[];
            /** @description values seen (missing ones included) */
            count: number;
            /** @description training shares per bin */
            expected: number[] | null;
            /** @description Jensen–Shannon distance, base 2 (0 … 1) */
            js: number | null;
            kind: "numeric" | "categorical";
            /** @description share of null / absent values */
            missingRate: number | null;
            name: string;
            /** @description share of values outside the training range, or never seen in training */
            outOfRangeRate: number | null;
            /** @description population stability index against the training distribution (null: no reference counts) */
            psi: number | null;
            /** @description share of nulls in the training data */
            referenceMissingRate: number;
        };
        /**
         * FeatureValueType
         * @description value type; a join key is int or string
         */
        FeatureValueType: "int" | "float" | "string" | "bool" | "timestamp";
        /** FeatureViewBody */
        FeatureViewBody: {
            description?: string;
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            entity: string;
            /** @description a column of the dataset */
            eventTimestampColumn: string;
            features: components["schemas"]["TypedColumn"][];
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            name: string;
            source: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                dataset: string;
                /** @description omitted: the latest version now, pinned into this view version */
                version?: number;
            };
            /** @description values older than event time − ttl count as missing; 0 = never expire */
            ttlSeconds: number;
        };
        /** FeatureViewVersionView */
        FeatureViewVersionView: {
            /** Format: date-time */
            createdAt: string;
            description: string;
            entity: string;
            eventTimestampColumn: string;
            features: components["schemas"]["TypedColumn"][];
            /** Format: uuid */
            id: string;
            name: string;
            source: {
                dataset: string;
                version: number;
            };
            /** @description per-feature statistics of the source version (drift baseline) */
            statistics: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            ttlSeconds: number;
            version: number;
        };
        /** GateThreshold */
        GateThreshold: {
            direction: "higher_is_better" | "lower_is_better";
            /** @description allowed absolute worsening vs the baseline */
            maxRegression?: number;
            /** @description allowed worsening as a fraction of the baseline */
            maxRelativeRegression?: number;
            metric: string;
            /** @description a floor (higher_is_better) or ceiling (lower_is_better) on the candidate */
            minAbsolute?: number;
        };
        /**
         * JobPlacement
         * @description a train job, once its worker thread chose the backend: device (cpu|gpu), backend (cuda|native-cpu|cpu), worker; on a GPU its name, memory peak, utilisation and CUDA Graph replays
         */
        JobPlacement: {
            /** @description the engine backend: cuda, native-cpu or cpu (the TypeScript one) */
            backend: "cuda" | "native-cpu" | "cpu";
            /** @description what the job trained on (an auto job resolves to one of them) */
            device: "cpu" | "gpu";
            /** @description an auto job that could not use a GPU: why it trained on CPU */
            fallbackReason?: string;
            gpu?: components["schemas"]["JobPlacementGpu"];
            /** @description the orchestrator worker that ran it */
            worker: string;
        };
        /** JobPlacementGpu */
        JobPlacementGpu: {
            /** @description major.minor, e.g. 9.0 */
            computeCapability: string;
            cudaGraphs: {
                capturedSteps: number;
                /** @description why steps ran eagerly instead (disabled, shapes changed…), or null */
                reason: string | null;
                replayedSteps: number;
            };
            /** @description the CUDA device index on the worker */
            index: number;
            /** @description peak bytes reserved by the backend's caching allocator during the run */
            memoryPeakBytes: number;
            /** @description the device name the driver reports */
            name: string;
            /** @description GEMM precision: tf32, bf16 or fp32 */
            precision: string;
            totalMemoryBytes: number;
            /** @description mean GPU utilisation over per-epoch samples (absent when NVML does not answer) */
            utilizationPct?: number;
        };
        /**
         * JsonValue
         * @description Any JSON value.
         */
        JsonValue: JsonValue;
        /** LabelsBody */
        LabelsBody: {
            labels: {
                /** @description the instance within the request (default 0) */
                index?: number;
                /** @description binary: 0 or 1; multiclass: the class index; regression: the value */
                label: number;
                /** @description the answer's requestId */
                requestId: string;
            }[];
        };
        /**
         * LabelsResult
         * @description How many labels were stored, and which answers were unknown.
         */
        LabelsResult: {
            /** @description labels stored */
            accepted: number;
            /** @description labels whose answer this deployment does not know (never answered, answered before the window retention, or beyond the per-flush cap) */
            unknown: {
                index: number;
                requestId: string;
            }[];
        };
        /** MaterializationRunView */
        MaterializationRunView: {
            chunksWritten: number;
            datasetVersion: number;
            /** Format: date-time */
            endWatermark: string | null;
            error: string | null;
            featureView: string;
            featureViewVersion: number;
            /** Format: date-time */
            finishedAt: string | null;
            /** Format: uuid */
            id: string;
            mode: "full" | "incremental";
            resumed?: boolean;
            rowsWritten: number;
            /** Format: date-time */
            startedAt: string;
            /** Format: date-time */
            startWatermark: string | null;
            status: "running" | "complete" | "failed";
        };
        /** MaterializeBody */
        MaterializeBody: {
            /** @description version of the view's dataset to read; its latest when omitted */
            datasetVersion?: number;
            /** @default full */
            mode?: "full" | "incremental";
            /** @description feature view version; the latest when omitted */
            version?: number;
        };
        /** ModelBody */
        ModelBody: {
            description?: string;
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            name: string;
            task?: components["schemas"]["ModelTask"];
        };
        /**
         * ModelList
         * @description A page of models, by name; `next` is the cursor for the following page.
         */
        ModelList: {
            items: components["schemas"]["ModelView"][];
            /** @description pass as `after` for the next page; null on the last */
            next: string | null;
        };
        /**
         * ModelTask
         * @description what the model predicts; decides its metrics (ranking: scored candidates per group; retrieval: a two-tower model)
         */
        ModelTask: "binary" | "multiclass" | "regression" | "ranking" | "retrieval";
        /** ModelView */
        ModelView: {
            aliases?: components["schemas"]["AliasPointer"][];
            /** Format: date-time */
            createdAt: string;
            description: string;
            /** Format: uuid */
            id: string;
            latestVersion?: number | null;
            name: string;
            task: string | null;
        };
        /** MonitoredVersion */
        MonitoredVersion: {
            /** @description the version's test accuracy (what accuracyDrop compares with) */
            baselineAccuracy: number | null;
            reference: {
                /** @description the training dataset version whose profile the bins come from (null: none; only the output is monitored) */
                datasetVersionId: string | null;
                /** @description the monitored features */
                features: string[];
            };
            task: string | null;
            version: number;
            /** @description oldest first */
            windows: components["schemas"]["MonitoringWindow"][];
        };
        /** MonitoringAlert */
        MonitoringAlert: {
            check: "psi" | "js" | "missingRate" | "outOfRangeRate" | "predictionPsi" | "accuracyDrop";
            /** @description a feature name, or (prediction) for output drift and accuracy */
            feature: string;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            raisedAt: string;
            /** Format: date-time */
            resolvedAt: string | null;
            state: "active" | "resolved";
            threshold: number;
            /** @description the value that crossed the threshold (updated while active) */
            value: number;
            version: number;
            /** Format: date-time */
            windowStart: string;
        };
        /**
         * MonitoringAlertList
         * @description Alerts, newest first.
         */
        MonitoringAlertList: {
            items: components["schemas"]["MonitoringAlert"][];
        };
        /** MonitoringThresholds */
        MonitoringThresholds: {
            /** @description alert when online accuracy is at least this much below the version’s test accuracy; default 0.05 */
            accuracyDrop: number | null;
            /** @description alert when a feature’s Jensen–Shannon distance (base 2) is at least this; default 0.1 */
            js: number | null;
            /** @description online accuracy is judged on a window with this many labels; default 50 */
            minLabels: number;
            /** @description a window is judged once it holds this many rows; default 100 */
            minRows: number;
            /** @description alert when a feature’s share of missing values exceeds its training share by at least this; default 0.1 */
            missingRate: number | null;
            /** @description alert when the share of values outside the training range (numeric) or never seen in training (categorical) is at least this; default 0.05 */
            outOfRangeRate: number | null;
            /** @description alert when the output distribution’s PSI is at least this; default 0.2 */
            predictionPsi: number | null;
            /** @description alert when a feature’s PSI against training is at least this (null: never); default 0.2 */
            psi: number | null;
        };
        /**
         * MonitoringThresholdsBody
         * @description the thresholds to set; a field left out takes its default, null turns a check off
         */
        MonitoringThresholdsBody: {
            /** @description alert when online accuracy is at least this much below the version’s test accuracy; default 0.05 */
            accuracyDrop?: number | null;
            /** @description alert when a feature’s Jensen–Shannon distance (base 2) is at least this; default 0.1 */
            js?: number | null;
            /** @description online accuracy is judged on a window with this many labels; default 50 */
            minLabels?: number;
            /** @description a window is judged once it holds this many rows; default 100 */
            minRows?: number;
            /** @description alert when a feature’s share of missing values exceeds its training share by at least this; default 0.1 */
            missingRate?: number | null;
            /** @description alert when the share of values outside the training range (numeric) or never seen in training (categorical) is at least this; default 0.05 */
            outOfRangeRate?: number | null;
            /** @description alert when the output distribution’s PSI is at least this; default 0.2 */
            predictionPsi?: number | null;
            /** @description alert when a feature’s PSI against training is at least this (null: never); default 0.2 */
            psi?: number | null;
        };
        /**
         * MonitoringView
         * @description Per version, windows oldest first, with the thresholds in force.
         */
        MonitoringView: {
            deployment: string;
            /** Format: date-time */
            from: string;
            thresholds: components["schemas"]["MonitoringThresholds"];
            /** Format: date-time */
            to: string;
            versions: components["schemas"]["MonitoredVersion"][];
        };
        /** MonitoringWindow */
        MonitoringWindow: {
            /** Format: date-time */
            end: string;
            features: components["schemas"]["FeatureDrift"][];
            online: components["schemas"]["OnlineMetrics"] | null;
            prediction: components["schemas"]["PredictionDrift"] | null;
            rows: number;
            /** Format: date-time */
            start: string;
        };
        /** OnlineFeaturesBody */
        OnlineFeaturesBody: {
            /** @description one object per entity, mapping join-key columns to values; at most 1,000 per call */
            entityKeys: {
                [key: string]: string | number;
            }[];
            featureViews: string[];
            /** @description 'objects' (default): one result per key, values as {feature: value}. 'compact': per view, arrays aligned with entityKeys, each key's values an array in the view's feature order (about 2.5× smaller for 20 features) */
            format?: "objects" | "compact";
        };
        /**
         * OnlineFeaturesCompactView
         * @description the 'compact' format
         */
        OnlineFeaturesCompactView: {
            featureViews: {
                features: string[];
                name: string;
                ttlSeconds: number;
                version: number;
            }[];
            /** @enum {string} */
            format: "compact";
            /** @description per entity key, in request order: every view had fresh values */
            found: boolean[];
            /** @description one per feature view, in featureViews order; each array has one entry per entity key */
            views: {
                eventTimestamps: (string | null)[];
                status: ("present" | "missing" | "expired")[];
                /** @description the view's features in order; null when not present */
                values: (components["schemas"]["JsonValue"][] | null)[];
            }[];
        };
        /** OnlineFeaturesView */
        OnlineFeaturesView: {
            featureViews: {
                features: string[];
                name: string;
                ttlSeconds: number;
                version: number;
            }[];
            results: {
                entityKey: {
                    [key: string]: components["schemas"]["JsonValue"];
                };
                features: {
                    [key: string]: {
                        eventTimestamp: string | null;
                        found: boolean;
                        status: "present" | "missing" | "expired";
                        values: {
                            [key: string]: components["schemas"]["JsonValue"];
                        };
                    };
                };
                /** @description every view had fresh values for this key */
                found: boolean;
            }[];
        };
        /** OnlineMetrics */
        OnlineMetrics: {
            /** @description binary: p ≥ 0.5; multiclass: the arg-max class */
            accuracy: number | null;
            /** @description binary: ROC AUC */
            auc: number | null;
            /** @description answers of this window that got a label */
            labeled: number;
            /** @description binary */
            logLoss: number | null;
            /** @description regression */
            mae: number | null;
            /** @description regression */
            rmse: number | null;
        };
        /**
         * OnnxSignature
         * @description the ONNX graph's inputs and outputs, per row (the batch dimension is implied)
         */
        OnnxSignature: {
            inputs: {
                dtype: "float32" | "float64" | "int32" | "int64" | "string" | "bool";
                name: string;
                nullable?: boolean;
                /** @description per-row shape: [] a scalar, [n] a vector, -1 a free dimension */
                shape: number[];
            }[];
            outputs: {
                dtype: "float32" | "float64" | "int32" | "int64" | "string" | "bool";
                name: string;
                nullable?: boolean;
                /** @description per-row shape: [] a scalar, [n] a vector, -1 a free dimension */
                shape: number[];
            }[];
        };
        /** PredictionDrift */
        PredictionDrift: {
            /** @description training: the label's distribution (regression); firstWindow: the version's first window with minRows rows; null: none yet */
            baseline: "training" | "firstWindow" | null;
            bins: number[];
            count: number;
            /** @description numeric outputs: the bin edges */
            edges: number[] | null;
            /** @description against the baseline */
            js: number | null;
            /** @description against the baseline */
            psi: number | null;
        };
        /** PredictRequest */
        PredictRequest: {
            /** @description online features are joined in by these keys */
            entityKeys?: {
                [key: string]: components["schemas"]["JsonValue"];
            }[];
            /** @description also return each instance's feature contributions (TreeSHAP, in the model's raw margin: log-odds for binary); gbdt models only, at most 1000 instances */
            explain?: boolean;
            /** @description online feature views for entityKeys (default: the deployment's) */
            featureViews?: string[];
            instances?: {
                [key: string]: number | string | boolean | null | (number | string | boolean | null)[];
            }[];
            /** @description echoed in the response and the prediction log */
            requestId?: string;
            /** @description deadline for this request (default: the deployment's batching.timeoutMs) */
            timeoutMs?: number;
        };
        /**
         * PredictResponse
         * @description One prediction per instance, in order, with the version and deployment that answered.
         */
        PredictResponse: {
            /** @description with explain: one per instance, feature → contribution to the raw margin, plus `__bias` (the expected margin); they sum to the margin. Multiclass: output name → such an object */
            contributions?: {
                [key: string]: components["schemas"]["JsonValue"];
            }[];
            /** @description the deployment that routed the request (null: a version or alias was named) */
            deployment: string | null;
            model: string;
            /** @description names of the values per row */
            outputs: string[];
            /** @description one per instance: a number (one output: probability, value or score), or an object of output name → value (e.g. class probabilities) */
            predictions: components["schemas"]["JsonValue"][];
            /** @description the request's id: the requestId sent, else the gateway's x-request-id; labels for model monitoring are keyed by it */
            requestId?: string;
            /** @description the version that answered */
            version: number;
        };
        /**
         * PreviewView
         * @description The first rows.
         */
        PreviewView: {
            columns: {
                duckdbType: string;
                name: string;
                type: string;
            }[];
            rows: {
                [key: string]: components["schemas"]["JsonValue"];
            }[];
        };
        /** @description RFC 9457 problem details */
        Problem: {
            /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
            code: string;
            detail: string;
            errors?: {
                field: string;
                message: string;
            }[];
            instance: string;
            requestId: string;
            status: number;
            title: string;
            type: string;
        };
        /** ProjectBody */
        ProjectBody: {
            description?: string;
            displayName?: string;
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            name: string;
        };
        /**
         * ProjectList
         * @description A page of projects, by name; `next` is the cursor for the following page (null on the last).
         */
        ProjectList: {
            items: components["schemas"]["ProjectView"][];
            next: string | null;
        };
        /** ProjectPatch */
        ProjectPatch: {
            description?: string;
            displayName?: string;
        };
        /** ProjectView */
        ProjectView: {
            /** Format: date-time */
            createdAt: string;
            description: string;
            displayName: string;
            /** Format: uuid */
            id: string;
            name: string;
        };
        /** RankRequest */
        RankRequest: {
            /** @description each candidate’s own features; scored with the context in one batch */
            candidates: {
                [key: string]: number | string | boolean | null | (number | string | boolean | null)[];
            }[];
            /** @description features shared by every candidate (the user, the query…) */
            context?: {
                [key: string]: number | string | boolean | null | (number | string | boolean | null)[];
            };
            /** @description online feature views for entityKeys (default: the deployment's) */
            featureViews?: string[];
            /** @description echoed in the response and the prediction log */
            requestId?: string;
            /** @description deadline for this request (default: the deployment's batching.timeoutMs) */
            timeoutMs?: number;
            /** @description return only the best k */
            topK?: number;
        };
        /**
         * RankResponse
         * @description Candidates by score, best first (the top k).
         */
        RankResponse: {
            deployment: string | null;
            model: string;
            /** @description best first */
            ranking: {
                /** @description position in `candidates` */
                index: number;
                score: number;
            }[];
            requestId?: string;
            version: number;
        };
        /**
         * RecentPredictionView
         * @description One sampled predict request: its instances and answers.
         */
        RecentPredictionView: {
            /** @description the deployment it went through (null: called by version or alias) */
            deployment: string | null;
            /** @description the instances of the request, as sent */
            inputs: components["schemas"]["JsonValue"];
            /** @description the model's time for the batch it was in */
            latencyMs: number;
            /** @description the predictions answered for them, in order */
            outputs: components["schemas"]["JsonValue"];
            requestId: string | null;
            /** @description a shadow answer (not returned to the caller) */
            shadow: boolean;
            /**
             * Format: date-time
             * @description when the serving node answered
             */
            ts: string;
            /** @description the model version that answered */
            version: number;
        };
        /**
         * RegisterDatasetVersionBody
         * @description make a version from the bytes of an existing version of this project (sourceVersionId or artifactKey, exactly one), checked again (e.g. with a declared schema); bytes of another project, or any other object in the store, are not found
         */
        RegisterDatasetVersionBody: {
            /** @description the content key of a version of this project's datasets (datasets/<datasetId>/sha256/<hash>.<ext>); prefer sourceVersionId */
            artifactKey?: string;
            format?: components["schemas"]["DatasetFormat"];
            schema?: components["schemas"]["DeclaredSchemaBody"];
            /** Format: uuid */
            sourceVersionId?: string;
        };
        /** RegisterModelVersionBody */
        RegisterModelVersionBody: {
            /** @enum {string} */
            format: "onnx";
            /** @description where the model came from (framework, run id…) */
            lineage?: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            /** @description metrics measured elsewhere, kept as given */
            metrics?: {
                [key: string]: number;
            };
            signature: components["schemas"]["OnnxSignature"];
            /** Format: uuid */
            uploadId: string;
        };
        /**
         * RevisionList
         * @description Revisions, newest first; `next` is the cursor for the following page.
         */
        RevisionList: {
            items: components["schemas"]["RevisionView"][];
            /** @description pass as `before` for the next (older) page; null on the last */
            next: number | null;
        };
        /** RevisionView */
        RevisionView: {
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            revision: number;
            spec: components["schemas"]["JsonValue"];
        };
        /**
         * Role
         * @description viewer reads; editor also writes; admin also manages the project and its keys
         */
        Role: "admin" | "editor" | "viewer";
        /** RollbackBody */
        RollbackBody: {
            /** @description the revision whose spec becomes current again (as a new revision) */
            revision: number;
        };
        /**
         * RouteSpec
         * @description traffic to one version, by number or through an alias (resolved by serving nodes on every reconcile)
         */
        RouteSpec: {
            /** @description an alias such as 'staging' or 'production': lowercase letters, digits, - and _, starting with a letter */
            alias?: string;
            /** @description a version number */
            version?: number;
            /** @description percent of traffic; the routes sum to 100 */
            weight: number;
        };
        /** SetAliasBody */
        SetAliasBody: {
            /** @description also refuse when the version has no completed evaluation (a rejected one is always refused) */
            requireBlessing?: boolean;
            version: number;
        };
        /**
         * ShadowSpec
         * @description receives a copy of every request; its answers are logged, never returned
         */
        ShadowSpec: {
            /** @description an alias such as 'staging' or 'production': lowercase letters, digits, - and _, starting with a letter */
            alias?: string;
            /** @description a version number */
            version?: number;
        };
        /** TrainingJobRequest */
        TrainingJobRequest: {
            /** @description default 128 */
            batchSize?: number;
            /** @description a dataset version (a feature-store training set is one too) */
            data: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                dataset: string;
                version: number;
            };
            /** @description default auto */
            device?: "cpu" | "gpu" | "auto";
            earlyStopping?: {
                /** @description val_loss (default) or a task metric: auc, accuracy, log_loss, f1, rmse, mae, r2… */
                metric?: string;
                minDelta?: number;
                /** @description epochs without improvement before stopping */
                patience?: number;
                /** @description optimizer steps without improvement before stopping, rounded up to whole epochs (at least 3); default 1000 when patience is absent */
                patienceSteps?: number;
            };
            features: {
                constant?: number | string;
                inputDtype?: "string" | "int32";
                missing?: "mean" | "median" | "zero" | "constant" | "error" | "oov";
                /** @description a column of the dataset version */
                name: string;
                options?: {
                    boundaries?: number[];
                    /** @description robust: clip the scaled value to ±clip (default 5) */
                    clip?: number;
                    hashBuckets?: number;
                    maxSize?: number;
                    minCount?: number;
                    numBuckets?: number;
                    numOovBuckets?: number;
                };
                /** @description numeric: robust | standardize | minmax | bucketize | none (default robust: centred on the median, scaled by the interquartile range, clipped to ±5); categorical: vocabulary | hash (default vocabulary) */
                transform?: "robust" | "standardize" | "minmax" | "bucketize" | "none" | "vocabulary" | "hash";
                type: "numeric" | "categorical";
            }[];
            /** @description the label column (required except for two_tower) */
            label?: string;
            /** @description learning-rate schedule in optimizer steps; default without maxEpochs: cosine decay over the planned steps to 0.05 × lr after 0 warm-up steps; with maxEpochs: constant */
            lrSchedule?: {
                kind: "constant" | "cosine";
                /** @description cosine: the final lr as a fraction of lr (default 0.05) */
                minLrFraction?: number;
                /** @description linear warm-up from 0 over this many optimizer steps */
                warmupSteps?: number;
            };
            /** @description leases that may expire before the job fails (default 3) */
            maxAttempts?: number;
            /** @description default: enough epochs for ~3000 optimizer steps (10 to 1000), with early stopping on validation loss (patience 1000 steps, best weights restored) */
            maxEpochs?: number;
            model: {
                /** @description per kind: linear {loss, huberDelta, embeddingDim}; logistic/softmax {embeddingDim}; mlp {task, hiddenUnits, activation, dropout, normalization, loss, huberDelta, embeddingDim}; wide_deep {…mlp, wideFeatures}; two_tower {userFeatures, itemFeatures, outputDim, temperature, normalize, hiddenUnits, activation, dropout, normalization, embeddingDim}; gbdt {task, loss, huberDelta, numTrees, maxDepth, maxLeaves, growPolicy, learningRate, lambda, alpha, minChildWeight, minSplitGain, subsample, colsampleByTree, maxBins, earlyStoppingRounds} */
                hyperparameters?: {
                    [key: string]: components["schemas"]["JsonValue"];
                };
                kind: "linear" | "logistic" | "softmax" | "mlp" | "wide_deep" | "two_tower" | "gbdt";
            };
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            modelName: string;
            /** @description default adam, lr 0.01 (linear: 0.1) */
            optimizer?: {
                clipNorm?: number;
                kind: "sgd" | "adam" | "adamw" | "adagrad";
                l2?: number;
                lr: number;
            };
            priority?: number;
            resources?: {
                /** @description default 1 */
                cores?: number;
            };
            /** @description default 0 */
            seed?: number;
            /** @description default random, default 0.7 / 0.15 / 0.15 */
            split?: {
                /** @description default 0.7 / 0.15 / 0.15 */
                fractions?: {
                    test: number;
                    train: number;
                    validation: number;
                };
                /** @enum {string} */
                method: "random";
                /** @description default: the job's seed */
                seed?: number;
            } | {
                /** @description default 0.7 / 0.15 / 0.15 */
                fractions?: {
                    test: number;
                    train: number;
                    validation: number;
                };
                /** @enum {string} */
                method: "time";
                timeColumn: string;
            };
        };
        /** TrainingJobView */
        TrainingJobView: {
            attempts: number;
            /** Format: date-time */
            cancelRequestedAt: string | null;
            checkpointEpoch: number | null;
            /** Format: date-time */
            createdAt: string;
            device: string;
            error: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            /** Format: uuid */
            id: string;
            maxAttempts: number;
            /** @description while running: epoch, trainLoss, val_* and epochs (per-epoch history; on a GPU each epoch carries gpu memory), placement; when done also test (holdout metrics), validation, rows */
            metrics: {
                placement?: components["schemas"]["JobPlacement"];
            } & {
                [key: string]: components["schemas"]["JsonValue"];
            };
            modelName: string;
            modelVersionId: string | null;
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            project: string;
            /** @description the stored spec, with defaults */
            spec: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            /** Format: date-time */
            startedAt: string | null;
            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            /** @description a trial's index in its study */
            trial: number | null;
            /** @description a trial of a tuning job: the study (null otherwise) */
            tuningJobId: string | null;
            /** @description 'train', 'evaluate' or 'batch_predict' (a batch prediction: see the model's batch-predictions) */
            type: string;
            /** Format: date-time */
            updatedAt: string;
            waitingReason: string | null;
            worker: string | null;
        };
        /** TrainingSetBody */
        TrainingSetBody: {
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            entity?: string;
            /** @description a column of the dataset */
            eventTimestampColumn: string;
            featureViews: {
                features?: string[];
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                version?: number;
            }[];
            /** @description name output columns view__feature */
            fullFeatureNames?: boolean;
            labelDataset: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description the latest when omitted */
                version?: number;
            };
            output: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                dataset: string;
                /** @default parquet */
                format?: "parquet" | "csv";
            };
        };
        /**
         * TrainingSetView
         * @description The training set: the dataset version it was stored as, row counts, lineage.
         */
        TrainingSetView: {
            dataset: string;
            format: string;
            lineage: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            rowCount: number;
            sha256: string;
            version: number;
            /** Format: uuid */
            versionId: string;
        };
        /** TrialView */
        TrialView: {
            job: components["schemas"]["TrainingJobView"];
            /** @description succeeded: the objective metric on the validation split */
            objective: number | null;
            /** @description the point of the search space: value by spec path */
            params: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            /** @description the highest ASHA rung passed (-1: none) */
            rung: number;
            /** @description queued, running, succeeded, failed, cancelled, or stopped (by ASHA) */
            state: string;
            stop: {
                [key: string]: components["schemas"]["JsonValue"];
            } | null;
            /** @description the index in the study (0-based) */
            trial: number;
        };
        /** TuningJobRequest */
        TuningJobRequest: {
            base: components["schemas"]["TrainingJobRequest"];
            /** @description successive halving (ASHA): a trial reaching a rung continues only if it is in the top 1/η of the trials seen at that rung */
            earlyStopping?: {
                /** @enum {string} */
                kind: "asha";
                /** @description no rung beyond this epoch (default: the base spec’s maxEpochs, else 300) */
                maxEpochs?: number;
                /** @description the first rung, in epochs (boosting rounds); default 1 */
                minEpochs?: number;
                /** @description η: the top 1/η of a rung go on (default 3) */
                reductionFactor?: number;
            };
            maxTrials: number;
            /** @description default from the task: binary auc, multiclass accuracy, regression rmse, retrieval loss */
            objective?: {
                /** @description default: from the metric (loss, log_loss, rmse, mse, mae, brier, ece: minimize) */
                direction?: "maximize" | "minimize";
                /** @description a validation metric without the val_ prefix: auc, accuracy, log_loss, rmse, loss… */
                metric: string;
            };
            /** @description trials at once (default 1); never more than the live workers can run */
            parallelism?: number;
            /** @description parameters in order; a conditional one names an earlier one */
            searchSpace: ({
                max: number;
                min: number;
                /** @description a JSON pointer into the training spec, e.g. /model/hyperparameters/dropout or /optimizer/lr */
                path: string;
                /** @description default linear; log needs min > 0 */
                scale?: "linear" | "log";
                /** @enum {string} */
                type: "float";
                when?: {
                    /** @description this parameter is active only while that one takes one of these values */
                    in: components["schemas"]["JsonValue"][];
                    /** @description another search parameter, listed before this one */
                    path: string;
                };
            } | {
                max: number;
                min: number;
                /** @description a JSON pointer into the training spec, e.g. /model/hyperparameters/dropout or /optimizer/lr */
                path: string;
                /** @description default linear; log needs min > 0 */
                scale?: "linear" | "log";
                /** @enum {string} */
                type: "int";
                when?: {
                    /** @description this parameter is active only while that one takes one of these values */
                    in: components["schemas"]["JsonValue"][];
                    /** @description another search parameter, listed before this one */
                    path: string;
                };
            } | {
                /** @description a JSON pointer into the training spec, e.g. /model/hyperparameters/dropout or /optimizer/lr */
                path: string;
                /** @enum {string} */
                type: "choice";
                /** @description any JSON values (numbers, strings, arrays such as hidden layer lists) */
                values: components["schemas"]["JsonValue"][];
                when?: {
                    /** @description this parameter is active only while that one takes one of these values */
                    in: components["schemas"]["JsonValue"][];
                    /** @description another search parameter, listed before this one */
                    path: string;
                };
            })[];
            /** @description the study’s randomness (default 0); trials keep the base seed */
            seed?: number;
            /** @description default random */
            strategy?: {
                /** @enum {string} */
                kind: "random";
            } | {
                /** @enum {string} */
                kind: "aging_evolution";
                /** @description P: the population (default 8); the first P trials are random */
                populationSize?: number;
                /** @description S: the tournament sample (default 3; at most P); its best is mutated */
                sampleSize?: number;
            };
        };
        /** TuningJobView */
        TuningJobView: {
            /** @description how many controllers have claimed the study (more than 1: it was resumed) */
            attempts: number;
            bestObjective: number | null;
            /** @description the best trial so far */
            bestTrial: number | null;
            /** Format: date-time */
            cancelRequestedAt: string | null;
            /** @description running: the orchestrator worker driving the study */
            controller: string | null;
            /** Format: date-time */
            createdAt: string;
            error: string | null;
            /** Format: date-time */
            finishedAt: string | null;
            /** Format: uuid */
            id: string;
            /** @description the model the best trial is registered under */
            modelName: string;
            /** @description succeeded: the version the best trial was registered as */
            modelVersionId: string | null;
            /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
            project: string;
            /** @description the stored spec: base (a training spec), searchSpace, strategy, earlyStopping, objective {metric, direction}, maxTrials, parallelism, seed */
            spec: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            /** Format: date-time */
            startedAt: string | null;
            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            /** @description trials by state (queued, running, succeeded, failed, cancelled, stopped) */
            trials: {
                [key: string]: number;
            };
            /** Format: date-time */
            updatedAt: string;
        };
        /** TypedColumn */
        TypedColumn: {
            /** @description a column of the dataset */
            name: string;
            type: components["schemas"]["FeatureValueType"];
        };
        /** UploadResultView */
        UploadResultView: {
            contentType: string;
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            dataset: string;
            /** Format: uuid */
            datasetId: string;
            /** @description set (with status 200) when these exact bytes already were this version; no new version was made */
            duplicateOf: number | null;
            evolution: {
                added: {
                    duckdbType: string;
                    name: string;
                    nullable: boolean;
                    /** @description the column type as Atelier sees it */
                    type: "integer" | "float" | "boolean" | "string" | "date" | "timestamp" | "other";
                }[];
                previousVersion: number | null;
                removed: {
                    duckdbType: string;
                    name: string;
                    nullable: boolean;
                    /** @description the column type as Atelier sees it */
                    type: "integer" | "float" | "boolean" | "string" | "date" | "timestamp" | "other";
                }[];
                retyped: {
                    /** @description the column type as Atelier sees it */
                    from: "integer" | "float" | "boolean" | "string" | "date" | "timestamp" | "other";
                    fromDuckdbType: string;
                    name: string;
                    /** @description the column type as Atelier sees it */
                    to: "integer" | "float" | "boolean" | "string" | "date" | "timestamp" | "other";
                    toDuckdbType: string;
                }[];
                unchanged: boolean;
            };
            format: components["schemas"]["DatasetFormat"];
            /** Format: uuid */
            id: string;
            lineage: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            rowCount: number;
            schema: components["schemas"]["VersionSchemaView"];
            sha256: string;
            sizeBytes: number;
            version: number;
        };
        /**
         * UploadView
         * @description Stored and loadable: the upload id to register, its hash and size, the graph's inputs and outputs.
         */
        UploadView: {
            /** @description the graph's inputs as ONNX Runtime loaded them: what the version's signature must fit */
            inputs: {
                name: string;
                /** @description batch first; a string is a symbolic dimension; [] when the model does not say */
                shape: (number | string)[];
                /** @description ONNX Runtime's element type (float32, int64, string…); null when not a tensor */
                type: string | null;
            }[];
            /** @description the graph's outputs */
            outputs: {
                name: string;
                /** @description batch first; a string is a symbolic dimension; [] when the model does not say */
                shape: (number | string)[];
                /** @description ONNX Runtime's element type (float32, int64, string…); null when not a tensor */
                type: string | null;
            }[];
            sha256: string;
            size: number;
            /** Format: uuid */
            uploadId: string;
        };
        /**
         * VersionList
         * @description A page of versions, newest first; `next` is the cursor for the following page.
         */
        VersionList: {
            items: components["schemas"]["VersionView"][];
            /** @description pass as `before` for the next (older) page; null on the last */
            next: number | null;
        };
        /** VersionSchemaView */
        VersionSchemaView: {
            columns: {
                duckdbType: string;
                name: string;
                nullable: boolean;
                /** @description the column type as Atelier sees it */
                type: "integer" | "float" | "boolean" | "string" | "date" | "timestamp" | "other";
            }[];
            /** @description the declared schema of the upload, when there was one */
            declared?: components["schemas"]["JsonValue"];
        };
        /** VersionView */
        VersionView: {
            aliases: string[];
            bundle: {
                sha256: string;
                size: number;
                /** @description where to download it */
                url: string;
            };
            /** Format: date-time */
            createdAt: string;
            createdBy: string | null;
            /** @description 'atelier' (trained here) or 'onnx' (registered) */
            format: string;
            /** Format: uuid */
            id: string;
            latestEvaluation?: components["schemas"]["EvaluationSummary"] | null;
            /** @description trained here: datasetVersionId, jobId, spec, engineVersion, seed; registered: source and what the caller sent */
            lineage: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            metrics: {
                [key: string]: number;
            };
            model: string;
            signature: components["schemas"]["JsonValue"];
            version: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                    };
                };
            };
            /** @description The request could not be read (malformed URL, request line or headers). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics in the Prometheus text format 0.0.4. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description The request could not be read (malformed URL, request line or headers). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every check passed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checks: {
                            [key: string]: {
                                detail?: components["schemas"]["JsonValue"];
                                ok: boolean;
                            };
                        };
                        status: "ready" | "not_ready";
                    };
                };
            };
            /** @description The request could not be read (malformed URL, request line or headers). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description At least one check failed; `checks` says which and why. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checks: {
                            [key: string]: {
                                detail?: components["schemas"]["JsonValue"];
                                ok: boolean;
                            };
                        };
                        status: "ready" | "not_ready";
                    };
                };
            };
        };
    };
    listProjects: {
        parameters: {
            query?: {
                /** @description cursor: the last item of the previous page */
                after?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of projects, by name; `next` is the cursor for the following page (null on the last). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectList"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createProject: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "growth",
                 *       "displayName": "Growth team",
                 *       "description": "Churn and upsell models"
                 *     }
                 */
                "application/json": components["schemas"]["ProjectBody"];
            };
        };
        responses: {
            /** @description The created project. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The project. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateProject: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProjectPatch"];
            };
        };
        responses: {
            /** @description The project as updated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                includeRevoked?: boolean;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The project's keys (prefixes, roles, expiry, revocation; never secrets). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ApiKeyView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "ci",
                 *       "role": "editor",
                 *       "expiresAt": "2027-01-01T00:00:00Z"
                 *     }
                 */
                "application/json": components["schemas"]["ApiKeyBody"];
            };
        };
        responses: {
            /** @description The created key, with its secret: shown in this response only (Cache-Control: no-store). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedApiKeyView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: string;
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listAuditLog: {
        parameters: {
            query?: {
                /** @description only entries with this action */
                action?: string;
                /** @description cursor: the id of the last entry of the previous page */
                before?: number;
                limit?: number;
                /** @description only entries about this kind of resource */
                resourceType?: string;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Entries, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AuditEntryView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDatasets: {
        parameters: {
            query?: {
                /** @description cursor: the last item of the previous page */
                after?: string;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The project's datasets, by name. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["DatasetView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createDataset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "customers",
                 *       "description": "One row per customer, with the churn label"
                 *     }
                 */
                "application/json": components["schemas"]["CreateDatasetBody"];
            };
        };
        responses: {
            /** @description The created dataset; Location names it. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDataset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The dataset. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDatasetVersions: {
        parameters: {
            query?: {
                /** @description cursor: versions older than this one */
                beforeVersion?: number;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Versions, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["DatasetVersionView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    uploadDatasetVersion: {
        parameters: {
            query?: {
                format?: components["schemas"]["DatasetFormat"];
                /** @description a declared schema as JSON ({"columns":[{"name":"age","type":"integer","notNull":true,"min":0}]}), URL-encoded */
                schema?: string;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterDatasetVersionBody"];
                /**
                 * @example {"id":1,"age":34.5,"income":52000,"city":"paris","churned":0}
                 *     {"id":2,"age":61,"income":38000,"city":"lyon","churned":1}
                 */
                "application/jsonl": string;
                "application/octet-stream": string;
                "application/vnd.apache.parquet": string;
                /**
                 * @example {"id":1,"age":34.5,"income":52000,"city":"paris","churned":0}
                 *     {"id":2,"age":61,"income":38000,"city":"lyon","churned":1}
                 */
                "application/x-jsonlines": string;
                /**
                 * @example {"id":1,"age":34.5,"income":52000,"city":"paris","churned":0}
                 *     {"id":2,"age":61,"income":38000,"city":"lyon","churned":1}
                 */
                "application/x-ndjson": string;
                /**
                 * @example id,age,income,city,churned
                 *     1,34.5,52000,paris,0
                 *     2,61,38000,lyon,1
                 */
                "text/csv": string;
            };
        };
        responses: {
            /** @description These exact bytes are already a version of this dataset: that version, with `duplicateOf`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UploadResultView"];
                };
            };
            /** @description A new version; Location names it. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UploadResultView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than the limit for this route. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Content-Type (or Content-Encoding) is not one this route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The content was read but cannot be used (a malformed file, a constraint violated); nothing was stored. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDatasetVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetVersionView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    downloadDatasetVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bytes exactly as uploaded, with the format's media type; ETag is the SHA-256, Content-Disposition names the file. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/vnd.apache.parquet": string;
                    "application/x-ndjson": string;
                    "text/csv": string;
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    previewDatasetVersion: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The first rows. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PreviewView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDatasetProfile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile (computed on first request, then cached). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetProfileView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDeployments: {
        parameters: {
            query?: {
                /** @description cursor: the last name of the previous page */
                after?: string;
                limit?: number;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                model?: string;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deployments, by name; `next` is the cursor for the following page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentList"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deployment and its current spec. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putDeployment: {
        parameters: {
            query?: {
                /** @description longest wait with wait=ready, in ms (default 30000) */
                timeoutMs?: number;
                /** @description answer once the deployment is ready (or failed), or at timeoutMs */
                wait?: "ready";
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "model": "churn",
                 *       "routes": [
                 *         {
                 *           "alias": "production",
                 *           "weight": 100
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["DeploymentBody"];
            };
        };
        responses: {
            /** @description Changed: the deployment at its new revision (with ?wait=ready: once every live node of the pool answers with it). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentView"];
                };
            };
            /** @description Created: the deployment at revision 1 (with ?wait=ready: once ready). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentView"];
                };
            };
            /** @description With ?wait=ready: not ready within timeoutMs, or failed; the body carries the current status. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamDeploymentEvents: {
        parameters: {
            query?: {
                /** @description the stream ends after this many ms if not settled (reconnect to go on) */
                timeoutMs?: number;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The status stream; it ends with ready, failed or deleted, at timeoutMs, or with `event: shutdown` when the server drains. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postDeploymentLabels: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "labels": [
                 *         {
                 *           "requestId": "3f1c2a9b0e41-1a",
                 *           "label": 1
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["LabelsBody"];
            };
        };
        responses: {
            /** @description How many labels were stored, and which answers were unknown. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LabelsResult"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDeploymentMonitoring: {
        parameters: {
            query?: {
                /** @description windows starting at or after this (default: an hour before `to`) */
                from?: string;
                /** @description windows starting before this (default: now); at most 7 days after `from` */
                to?: string;
                /** @description only this version */
                version?: number;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Per version, windows oldest first, with the thresholds in force. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitoringView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMonitoringAlerts: {
        parameters: {
            query?: {
                limit?: number;
                state?: "active" | "resolved";
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alerts, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitoringAlertList"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMonitoringThresholds: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The thresholds in force. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitoringThresholds"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    putMonitoringThresholds: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        /** @description the thresholds to set; a field left out takes its default, null turns a check off */
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "psi": 0.25,
                 *       "js": null,
                 *       "minRows": 500
                 *     }
                 */
                "application/json": components["schemas"]["MonitoringThresholdsBody"];
            };
        };
        responses: {
            /** @description The thresholds now in force. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitoringThresholds"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDeploymentRevisions: {
        parameters: {
            query?: {
                before?: number;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revisions, newest first; `next` is the cursor for the following page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevisionList"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rollbackDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RollbackBody"];
            };
        };
        responses: {
            /** @description The deployment at its new revision (the old revision's spec). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEntities: {
        parameters: {
            query?: {
                /** @description cursor: the last item of the previous page */
                after?: string;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The project's entities. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["EntityView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createEntity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EntityBody"];
            };
        };
        responses: {
            /** @description The same definition already exists: the entity. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntityView"];
                };
            };
            /** @description The created entity. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntityView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEntity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entity. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntityView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEvaluation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                evaluationId: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The evaluation: status, metrics, slices, gate verdict. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvaluationView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFeatureViews: {
        parameters: {
            query?: {
                /** @description cursor: the last item of the previous page */
                after?: string;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Feature views, each at its latest version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FeatureViewVersionView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    applyFeatureView: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FeatureViewBody"];
            };
        };
        responses: {
            /** @description Unchanged: the latest version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeatureViewVersionView"];
                };
            };
            /** @description A new version of the feature view. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeatureViewVersionView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFeatureView: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The latest version of the feature view. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeatureViewVersionView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    materializeFeatureView: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MaterializeBody"];
            };
        };
        responses: {
            /** @description The finished run: rows read and written, the new watermark. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MaterializationRunView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFeatureViewVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Versions, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["FeatureViewVersionView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getFeatureViewVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The version, with its feature statistics. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeatureViewVersionView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMaterializations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Runs, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["MaterializationRunView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listModels: {
        parameters: {
            query?: {
                /** @description cursor: the last name of the previous page */
                after?: string;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of models, by name; `next` is the cursor for the following page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelList"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "churn",
                 *       "task": "binary",
                 *       "description": "Will the customer leave within 30 days?"
                 *     }
                 */
                "application/json": components["schemas"]["ModelBody"];
            };
        };
        responses: {
            /** @description The created model. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The model, with its latest version number and aliases. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listModelAliases: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The model's aliases and the versions they point at. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AliasList"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getModelAlias: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description an alias such as 'staging' or 'production': lowercase letters, digits, - and _, starting with a letter */
                alias: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The alias and the version it points at. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AliasView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    setModelAlias: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description an alias such as 'staging' or 'production': lowercase letters, digits, - and _, starting with a letter */
                alias: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "version": 1
                 *     }
                 */
                "application/json": components["schemas"]["SetAliasBody"];
            };
        };
        responses: {
            /** @description The alias, now pointing at the version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AliasView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteModelAlias: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description an alias such as 'staging' or 'production': lowercase letters, digits, - and _, starting with a letter */
                alias: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    predictWithAlias: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description an alias such as 'staging' or 'production': lowercase letters, digits, - and _, starting with a letter */
                alias: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "instances": [
                 *         {
                 *           "age": 42,
                 *           "income": 61000,
                 *           "city": "paris"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["PredictRequest"];
            };
        };
        responses: {
            /** @description One prediction per instance, in order, with the version and deployment that answered. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PredictResponse"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not available right now (a full queue, serving unavailable, shutting down): retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request missed its deadline. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listBatchPredictions: {
        parameters: {
            query?: {
                before?: string;
                limit?: number;
                status?: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Batch predictions, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["BatchPredictionView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createBatchPrediction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "alias": "production",
                 *       "input": {
                 *         "dataset": "customers",
                 *         "version": 3
                 *       },
                 *       "output": {
                 *         "dataset": "churn-scores"
                 *       },
                 *       "passthroughColumns": [
                 *         "customer_id"
                 *       ],
                 *       "outputs": [
                 *         "probabilities",
                 *         "class"
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["BatchPredictionRequest"];
            };
        };
        responses: {
            /** @description Queued: the batch prediction job; Location names it. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchPredictionView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getBatchPrediction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchPredictionView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelBatchPrediction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job, cancelled (or cancelling: a running one stops at its next chunk). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchPredictionView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamBatchPredictionEvents: {
        parameters: {
            query?: {
                lastEventId?: number;
            };
            header?: {
                "last-event-id"?: string;
            };
            path: {
                id: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream; it ends once the job is finished and every event was sent (or with `event: shutdown` when the server drains). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    predict: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "instances": [
                 *         {
                 *           "age": 42,
                 *           "income": 61000,
                 *           "city": "paris"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["PredictRequest"];
            };
        };
        responses: {
            /** @description One prediction per instance, in order, with the version and deployment that answered. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PredictResponse"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not available right now (a full queue, serving unavailable, shutting down): retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request missed its deadline. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRecentPredictions: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Logged predictions, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["RecentPredictionView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rank: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RankRequest"];
            };
        };
        responses: {
            /** @description Candidates by score, best first (the top k). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RankResponse"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not available right now (a full queue, serving unavailable, shutting down): retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request missed its deadline. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    uploadModelFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/octet-stream": string;
            };
        };
        responses: {
            /** @description Stored and loadable: the upload id to register, its hash and size, the graph's inputs and outputs. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UploadView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than the limit for this route. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The Content-Type (or Content-Encoding) is not one this route accepts. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The content was read but cannot be used (a malformed file, a constraint violated); nothing was stored. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listModelVersions: {
        parameters: {
            query?: {
                /** @description list versions older than this number */
                before?: number;
                limit?: number;
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of versions, newest first; `next` is the cursor for the following page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionList"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    registerModelVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterModelVersionBody"];
            };
        };
        responses: {
            /** @description The new version; Location names it. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The body is larger than the limit for this route. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The content was read but cannot be used (a malformed file, a constraint violated); nothing was stored. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getModelVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                /** @description the version number */
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The version. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteModelVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                /** @description the version number */
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    downloadModelBundle: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                /** @description the version number */
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The bundle's bytes: an ONNX file (application/onnx) or an Atelier bundle (application/vnd.atelier.model-bundle); ETag and X-Atelier-SHA256 are its SHA-256. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                    "application/onnx": string;
                    "application/vnd.atelier.model-bundle": string;
                };
            };
            /** @description If-None-Match matched: not modified */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEvaluations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                /** @description the version number */
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The version's evaluations, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvaluationList"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createEvaluation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                /** @description the version number */
                version: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EvaluationRequestBody"];
            };
        };
        responses: {
            /** @description Queued: the evaluation job id, its status and the URL to poll (also in Location). */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvaluationJobView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    downloadModelOnnx: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                /** @description the version number */
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ONNX model (a serialized ModelProto); ETag identifies the export. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/onnx": string;
                };
            };
            /** @description If-None-Match matched: not modified */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The content was read but cannot be used (a malformed file, a constraint violated); nothing was stored. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    predictWithVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "instances": [
                 *         {
                 *           "age": 42,
                 *           "income": 61000,
                 *           "city": "paris"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["PredictRequest"];
            };
        };
        responses: {
            /** @description One prediction per instance, in order, with the version and deployment that answered. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PredictResponse"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not available right now (a full queue, serving unavailable, shutting down): retry after `Retry-After` seconds. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request missed its deadline. */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    oipServerMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        extensions: string[];
                        name: string;
                        version: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
        };
    };
    oipServerLive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        live: boolean;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
        };
    };
    oipServerReady: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ready: boolean;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
        };
    };
    oipModelMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        inputs: {
                            datatype: string;
                            name: string;
                            shape: number[];
                        }[];
                        name: string;
                        outputs: {
                            datatype: string;
                            name: string;
                            shape: number[];
                        }[];
                        /** @description onnx_onnxv1 or atelier_bundle */
                        platform: string;
                        /** @description the deployed versions, each callable under /versions/{version} */
                        versions: string[];
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
        };
    };
    oipInfer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description echoed in the response */
                    id?: string;
                    inputs: {
                        /** @description row-major elements, flat or nested as the shape: numbers, booleans (BOOL) or strings (BYTES) */
                        data?: components["schemas"]["JsonValue"][];
                        /** @description tensor element type (the protocol's "Tensor Data Types") */
                        datatype: "BOOL" | "UINT8" | "UINT16" | "UINT32" | "UINT64" | "INT8" | "INT16" | "INT32" | "INT64" | "FP16" | "FP32" | "FP64" | "BYTES";
                        name: string;
                        parameters?: {
                            /** @description the tensor is sent as this many bytes after the JSON header */
                            binary_data_size?: number;
                        } & {
                            [key: string]: string | number | boolean;
                        };
                        /** @description the full shape, batch dimension first */
                        shape: number[];
                    }[];
                    model_name?: string;
                    model_version?: string;
                    outputs?: {
                        name: string;
                        parameters?: {
                            /** @description return this output as binary data */
                            binary_data?: boolean;
                        } & {
                            [key: string]: string | number | boolean;
                        };
                    }[];
                    parameters?: {
                        /** @description return every output as binary data unless an output says otherwise */
                        binary_data_output?: boolean;
                    } & {
                        [key: string]: string | number | boolean;
                    };
                };
                "application/octet-stream": {
                    /** @description echoed in the response */
                    id?: string;
                    inputs: {
                        /** @description row-major elements, flat or nested as the shape: numbers, booleans (BOOL) or strings (BYTES) */
                        data?: components["schemas"]["JsonValue"][];
                        /** @description tensor element type (the protocol's "Tensor Data Types") */
                        datatype: "BOOL" | "UINT8" | "UINT16" | "UINT32" | "UINT64" | "INT8" | "INT16" | "INT32" | "INT64" | "FP16" | "FP32" | "FP64" | "BYTES";
                        name: string;
                        parameters?: {
                            /** @description the tensor is sent as this many bytes after the JSON header */
                            binary_data_size?: number;
                        } & {
                            [key: string]: string | number | boolean;
                        };
                        /** @description the full shape, batch dimension first */
                        shape: number[];
                    }[];
                    model_name?: string;
                    model_version?: string;
                    outputs?: {
                        name: string;
                        parameters?: {
                            /** @description return this output as binary data */
                            binary_data?: boolean;
                        } & {
                            [key: string]: string | number | boolean;
                        };
                    }[];
                    parameters?: {
                        /** @description return every output as binary data unless an output says otherwise */
                        binary_data_output?: boolean;
                    } & {
                        [key: string]: string | number | boolean;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id?: string;
                        model_name: string;
                        model_version?: string;
                        outputs: {
                            data?: components["schemas"]["JsonValue"][];
                            datatype: string;
                            name: string;
                            parameters?: {
                                binary_data_size?: number;
                            };
                            shape: number[];
                        }[];
                        parameters?: {
                            [key: string]: string | number | boolean;
                        };
                    };
                    "application/octet-stream": string;
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
        };
    };
    oipModelReady: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        ready: boolean;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
        };
    };
    oipModelVersionMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        inputs: {
                            datatype: string;
                            name: string;
                            shape: number[];
                        }[];
                        name: string;
                        outputs: {
                            datatype: string;
                            name: string;
                            shape: number[];
                        }[];
                        /** @description onnx_onnxv1 or atelier_bundle */
                        platform: string;
                        /** @description the deployed versions, each callable under /versions/{version} */
                        versions: string[];
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
        };
    };
    oipInferWithVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description echoed in the response */
                    id?: string;
                    inputs: {
                        /** @description row-major elements, flat or nested as the shape: numbers, booleans (BOOL) or strings (BYTES) */
                        data?: components["schemas"]["JsonValue"][];
                        /** @description tensor element type (the protocol's "Tensor Data Types") */
                        datatype: "BOOL" | "UINT8" | "UINT16" | "UINT32" | "UINT64" | "INT8" | "INT16" | "INT32" | "INT64" | "FP16" | "FP32" | "FP64" | "BYTES";
                        name: string;
                        parameters?: {
                            /** @description the tensor is sent as this many bytes after the JSON header */
                            binary_data_size?: number;
                        } & {
                            [key: string]: string | number | boolean;
                        };
                        /** @description the full shape, batch dimension first */
                        shape: number[];
                    }[];
                    model_name?: string;
                    model_version?: string;
                    outputs?: {
                        name: string;
                        parameters?: {
                            /** @description return this output as binary data */
                            binary_data?: boolean;
                        } & {
                            [key: string]: string | number | boolean;
                        };
                    }[];
                    parameters?: {
                        /** @description return every output as binary data unless an output says otherwise */
                        binary_data_output?: boolean;
                    } & {
                        [key: string]: string | number | boolean;
                    };
                };
                "application/octet-stream": {
                    /** @description echoed in the response */
                    id?: string;
                    inputs: {
                        /** @description row-major elements, flat or nested as the shape: numbers, booleans (BOOL) or strings (BYTES) */
                        data?: components["schemas"]["JsonValue"][];
                        /** @description tensor element type (the protocol's "Tensor Data Types") */
                        datatype: "BOOL" | "UINT8" | "UINT16" | "UINT32" | "UINT64" | "INT8" | "INT16" | "INT32" | "INT64" | "FP16" | "FP32" | "FP64" | "BYTES";
                        name: string;
                        parameters?: {
                            /** @description the tensor is sent as this many bytes after the JSON header */
                            binary_data_size?: number;
                        } & {
                            [key: string]: string | number | boolean;
                        };
                        /** @description the full shape, batch dimension first */
                        shape: number[];
                    }[];
                    model_name?: string;
                    model_version?: string;
                    outputs?: {
                        name: string;
                        parameters?: {
                            /** @description return this output as binary data */
                            binary_data?: boolean;
                        } & {
                            [key: string]: string | number | boolean;
                        };
                    }[];
                    parameters?: {
                        /** @description return every output as binary data unless an output says otherwise */
                        binary_data_output?: boolean;
                    } & {
                        [key: string]: string | number | boolean;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id?: string;
                        model_name: string;
                        model_version?: string;
                        outputs: {
                            data?: components["schemas"]["JsonValue"][];
                            datatype: string;
                            name: string;
                            parameters?: {
                                binary_data_size?: number;
                            };
                            shape: number[];
                        }[];
                        parameters?: {
                            [key: string]: string | number | boolean;
                        };
                    };
                    "application/octet-stream": string;
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
        };
    };
    oipModelVersionReady: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                name: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        ready: boolean;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
        };
    };
    getOnlineFeatures: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OnlineFeaturesBody"];
            };
        };
        responses: {
            /** @description One result per entity key, in request order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OnlineFeaturesView"] | components["schemas"]["OnlineFeaturesCompactView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTrainingJobs: {
        parameters: {
            query?: {
                before?: string;
                limit?: number;
                status?: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Jobs, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["TrainingJobView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTrainingJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "modelName": "churn",
                 *       "data": {
                 *         "dataset": "customers",
                 *         "version": 1
                 *       },
                 *       "label": "churned",
                 *       "features": [
                 *         {
                 *           "name": "age",
                 *           "type": "numeric",
                 *           "transform": "standardize"
                 *         },
                 *         {
                 *           "name": "income",
                 *           "type": "numeric",
                 *           "transform": "minmax"
                 *         },
                 *         {
                 *           "name": "city",
                 *           "type": "categorical",
                 *           "transform": "vocabulary"
                 *         }
                 *       ],
                 *       "model": {
                 *         "kind": "logistic"
                 *       },
                 *       "maxEpochs": 10,
                 *       "seed": 7
                 *     }
                 */
                "application/json": components["schemas"]["TrainingJobRequest"];
            };
        };
        responses: {
            /** @description The queued job; Location names it. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingJobView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTrainingJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingJobView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelTrainingJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job, cancelled (or cancelling: a running one stops within about a second). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingJobView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamTrainingJobEvents: {
        parameters: {
            query?: {
                lastEventId?: number;
            };
            header?: {
                "last-event-id"?: string;
            };
            path: {
                id: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream; it ends once the job is finished and every event was sent (or with `event: shutdown` when the server drains). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTrainingSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TrainingSetBody"];
            };
        };
        responses: {
            /** @description The training set: the dataset version it was stored as, row counts, lineage. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TrainingSetView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTuningJobs: {
        parameters: {
            query?: {
                before?: string;
                limit?: number;
                status?: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            };
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Tuning jobs, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["TuningJobView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createTuningJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "base": {
                 *         "modelName": "churn",
                 *         "data": {
                 *           "dataset": "customers",
                 *           "version": 1
                 *         },
                 *         "label": "churned",
                 *         "features": [
                 *           {
                 *             "name": "age",
                 *             "type": "numeric",
                 *             "transform": "standardize"
                 *           },
                 *           {
                 *             "name": "city",
                 *             "type": "categorical",
                 *             "transform": "vocabulary"
                 *           }
                 *         ],
                 *         "model": {
                 *           "kind": "mlp"
                 *         },
                 *         "optimizer": {
                 *           "kind": "adam",
                 *           "lr": 0.01
                 *         },
                 *         "maxEpochs": 30
                 *       },
                 *       "searchSpace": [
                 *         {
                 *           "path": "/optimizer/lr",
                 *           "type": "float",
                 *           "min": 0.0003,
                 *           "max": 0.1,
                 *           "scale": "log"
                 *         },
                 *         {
                 *           "path": "/model/hyperparameters/hiddenUnits",
                 *           "type": "choice",
                 *           "values": [
                 *             [
                 *               32
                 *             ],
                 *             [
                 *               64,
                 *               32
                 *             ]
                 *           ]
                 *         },
                 *         {
                 *           "path": "/model/hyperparameters/dropout",
                 *           "type": "float",
                 *           "min": 0,
                 *           "max": 0.5
                 *         }
                 *       ],
                 *       "strategy": {
                 *         "kind": "aging_evolution",
                 *         "populationSize": 8,
                 *         "sampleSize": 3
                 *       },
                 *       "earlyStopping": {
                 *         "kind": "asha",
                 *         "minEpochs": 3,
                 *         "reductionFactor": 3
                 *       },
                 *       "objective": {
                 *         "metric": "auc",
                 *         "direction": "maximize"
                 *       },
                 *       "maxTrials": 24,
                 *       "parallelism": 2,
                 *       "seed": 7
                 *     }
                 */
                "application/json": components["schemas"]["TuningJobRequest"];
            };
        };
        responses: {
            /** @description The queued study; Location names it. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TuningJobView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getTuningJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The study. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TuningJobView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelTuningJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The study, cancelled (or cancelling). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TuningJobView"];
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamTuningJobEvents: {
        parameters: {
            query?: {
                lastEventId?: number;
            };
            header?: {
                "last-event-id"?: string;
            };
            path: {
                id: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream; it ends once the study is finished and every event was sent (or with `event: shutdown` when the server drains). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listTuningTrials: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                /** @description lowercase letters, digits, - and _; starts with a letter; at most 63 characters */
                project: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Trials by index. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["TrialView"][];
                    };
                };
            };
            /** @description The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The API key is valid but its role does not allow this. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The project or resource does not exist, or this key cannot see it. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request conflicts with what exists (a name already taken, a resource still in use). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    oipServerLivePublic: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        live: boolean;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
        };
    };
    oipServerReadyPublic: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ready: boolean;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
            /** @description RFC 9457 problem details with the Open Inference Protocol `error` member */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description stable error code, e.g. ATL_PROJECT_NOT_FOUND */
                        code: string;
                        detail: string;
                        /** @description the Open Inference Protocol error member (the same text as detail) */
                        error: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                        instance: string;
                        name?: string;
                        ready?: boolean;
                        requestId: string;
                        status: number;
                        title: string;
                        type: string;
                    };
                };
            };
        };
    };
}
