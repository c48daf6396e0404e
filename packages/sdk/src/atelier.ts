// The client: settings, the typed raw client, and one namespace per resource.
import createClient from 'openapi-fetch';
import { Core, unwrap } from './core.js';
import type { paths } from './generated/openapi.js';
import { ProjectsResource, ApiKeysResource } from './resources/projects.resource.js';
import { AuditLogResource } from './resources/audit-log.resource.js';
import { DatasetsResource } from './resources/datasets.resource.js';
import { FeaturesResource } from './resources/features.resource.js';
import { JobsResource } from './resources/jobs.resource.js';
import { ModelsResource } from './resources/models.resource.js';
import { DeploymentsResource } from './resources/deployments.resource.js';
import { MonitoringResource } from './resources/monitoring.resource.js';
import { TuningResource } from './resources/tuning.resource.js';
import type { HealthView, PredictRequest, PredictResponse, RankRequest, RankResponse, ReadinessView } from './schemas.js';
import { type CallOptions, type RetryOptions, Transport, readJson } from './transport.js';

export interface AtelierOptions {
  /** The gateway, e.g. http://localhost:8080 (a path prefix is kept). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`. */
  apiKey?: string;
  /** Default project for project-scoped calls (each call may pass { project }). */
  project?: string;
  /** Per attempt, in ms; 0 = none. Default 30 000. */
  timeoutMs?: number;
  retries?: RetryOptions;
  fetch?: typeof globalThis.fetch;
  /** Node only: browsers do not let scripts set User-Agent. */
  userAgent?: string;
}

export type Instance = NonNullable<PredictRequest['instances']>[number];

export interface PredictOptions extends CallOptions {
  /** Call this version directly (no deployment routing). */
  version?: number;
  /** Call the version this alias points at (no deployment routing). */
  alias?: string;
}

export class Atelier {
  /** openapi-fetch's client typed by the generated `paths`, with this client's auth, timeouts and retries. */
  readonly raw: Core['raw'];
  readonly projects: ProjectsResource;
  readonly apiKeys: ApiKeysResource;
  readonly auditLog: AuditLogResource;
  readonly datasets: DatasetsResource;
  readonly features: FeaturesResource;
  readonly jobs: JobsResource;
  readonly models: ModelsResource;
  readonly deployments: DeploymentsResource;
  readonly monitoring: MonitoringResource;
  readonly tuning: TuningResource;
  readonly #core: Core;
  readonly #options: AtelierOptions;

  constructor(options: AtelierOptions) {
    if (!options?.baseUrl) throw new TypeError('new Atelier({ baseUrl }) needs the gateway URL, e.g. http://localhost:8080');
    this.#options = options;
    const baseUrl = options.baseUrl.replace(/\/+$/, '');
    const transport = new Transport({
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: { max: options.retries?.max ?? 3, baseDelayMs: options.retries?.baseDelayMs ?? 200, maxDelayMs: options.retries?.maxDelayMs ?? 10_000 },
      // Bound late so a test (or polyfill) that replaces globalThis.fetch afterwards is honoured.
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      userAgent: options.userAgent,
    });
    const raw = createClient<paths>({ baseUrl, fetch: (request) => transport.send(request) });
    this.#core = new Core(raw, transport, baseUrl, options.project);
    this.raw = raw;
    this.projects = new ProjectsResource(this.#core);
    this.apiKeys = new ApiKeysResource(this.#core);
    this.auditLog = new AuditLogResource(this.#core);
    this.datasets = new DatasetsResource(this.#core);
    this.features = new FeaturesResource(this.#core);
    this.jobs = new JobsResource(this.#core);
    this.models = new ModelsResource(this.#core);
    this.deployments = new DeploymentsResource(this.#core);
    this.monitoring = new MonitoringResource(this.#core);
    this.tuning = new TuningResource(this.#core);
  }

  /** The default project, if one was set. */
  get project(): string | undefined {
    return this.#core.defaultProject;
  }

  /** Same settings, another default project. */
  withProject(project: string): Atelier {
    return new Atelier({ ...this.#options, project });
  }

  /** Liveness: the gateway process answers. */
  async health(opts?: CallOptions): Promise<HealthView> {
    return unwrap(this.raw.GET('/healthz', this.#core.init(opts)));
  }

  /** Readiness: answers the checks; a 503 (not ready) is returned, not thrown, since it is an answer. */
  async ready(opts?: CallOptions): Promise<ReadinessView & { ready: boolean }> {
    // Not ready is an answer here, not a failure to retry.
    const response = await this.#core.transport.send(new Request(`${this.#core.baseUrl}/readyz`), { ...opts, maxRetries: 0 });
    if (response.status === 503) return { ...((await response.json()) as ReadinessView), ready: false };
    return { ...(await readJson<ReadinessView>(response)), ready: true };
  }

  /**
   * Predictions for `instances` (rows of named feature values) or a full request (entityKeys to join
   * online features…), through the model's deployment, or a version / alias when named. A prediction
   * changes nothing, so it is retried on 429/503 like a GET (pass retryNonIdempotent: false to stop that).
   */
  async predict(model: string, input: Instance[] | PredictRequest, opts: PredictOptions = {}): Promise<PredictResponse> {
    const body: PredictRequest = Array.isArray(input) ? { instances: input } : input;
    const project = this.#core.project(opts);
    const init = { body, ...this.#core.init({ retryNonIdempotent: true, ...opts }) };
    if (opts.version !== undefined) {
      return unwrap(this.raw.POST('/v1/projects/{project}/models/{name}/versions/{version}/predict', { params: { path: { project, name: model, version: opts.version } }, ...init }));
    }
    if (opts.alias !== undefined) {
      return unwrap(this.raw.POST('/v1/projects/{project}/models/{name}/aliases/{alias}/predict', { params: { path: { project, name: model, alias: opts.alias } }, ...init }));
    }
    return unwrap(this.raw.POST('/v1/projects/{project}/models/{name}/predict', { params: { path: { project, name: model } }, ...init }));
  }

  /** Scores candidates against a shared context in one batch; best first (top-k). Retried like predict. */
  async rank(model: string, request: RankRequest, opts: CallOptions = {}): Promise<RankResponse> {
    return unwrap(
      this.raw.POST('/v1/projects/{project}/models/{name}/rank', {
        params: { path: { project: this.#core.project(opts), name: model } },
        body: request,
        ...this.#core.init({ retryNonIdempotent: true, ...opts }),
      }),
    );
  }
}
