// Deployments: apply a spec (PUT, optionally waiting until the serving pool answers with it), history,
// rollback, and the status event stream.
import { AtelierError, CLIENT_ERROR_CODES, errorFromResponse } from '../atelier-error.js';
import { type Core, unwrap } from '../core.js';
import { paged, type Paged } from '../paging.js';
import type { DeploymentBody, DeploymentStatus, DeploymentView, RevisionView } from '../schemas.js';
import { parseServerSentEvents } from '../server-sent-events.js';
import type { CallOptions } from '../transport.js';
import type { ListOptions } from './projects.resource.js';

export type DeploymentSpec = DeploymentBody & { name: string };

export interface ApplyOptions extends CallOptions {
  /** 'ready': answer once every live node of the pool serves the new revision; throws ATL_DEPLOYMENT_NOT_READY if it fails or times out. */
  wait?: 'ready';
  /** Longest server-side wait with wait: 'ready' (default 30 s, at most 120 s). */
  waitTimeoutMs?: number;
}

export interface DeploymentEvent {
  type: 'status' | 'ready' | 'failed' | 'deleted';
  data: DeploymentStatus | { reason: string };
}

export class DeploymentsResource {
  constructor(private readonly core: Core) {}

  /** Creates or changes the deployment named in the spec. */
  async apply(spec: DeploymentSpec, opts: ApplyOptions = {}): Promise<DeploymentView> {
    const { name, ...body } = spec;
    const waitMs = opts.wait === 'ready' ? (opts.waitTimeoutMs ?? 30_000) : 0;
    // The HTTP attempt must outlive the server-side wait.
    const clientTimeout = opts.timeoutMs ?? this.core.transport.settings.timeoutMs;
    const timeoutMs = clientTimeout > 0 && waitMs > 0 ? Math.max(clientTimeout, waitMs + 10_000) : clientTimeout;
    const view = await unwrap(
      this.core.raw.PUT('/v1/projects/{project}/deployments/{name}', {
        params: { path: { project: this.core.project(opts), name }, query: opts.wait === 'ready' ? { wait: 'ready', timeoutMs: waitMs } : {} },
        body,
        ...this.core.init({ ...opts, timeoutMs }),
      }),
    );
    if (opts.wait === 'ready' && view.status?.state !== 'ready') {
      throw new AtelierError({
        status: 0,
        code: CLIENT_ERROR_CODES.deploymentNotReady,
        title: 'Deployment not ready',
        detail: `deployment ${name} is ${view.status?.state ?? 'unknown'} at revision ${view.revision}${view.status?.reason ? `: ${view.status.reason}` : ''}`,
      });
    }
    return view;
  }

  async get(name: string, opts?: CallOptions): Promise<DeploymentView> {
    return unwrap(this.core.raw.GET('/v1/projects/{project}/deployments/{name}', { params: { path: { project: this.core.project(opts), name } }, ...this.core.init(opts) }));
  }

  list(query?: { model?: string }, opts?: ListOptions): Paged<DeploymentView> {
    const project = () => this.core.project(opts);
    return paged<DeploymentView, string>(async (after) => {
      const page = await unwrap(
        this.core.raw.GET('/v1/projects/{project}/deployments', { params: { path: { project: project() }, query: { limit: opts?.pageSize, after, model: query?.model } }, ...this.core.init(opts) }),
      );
      return { items: page.items, next: page.next };
    });
  }

  async delete(name: string, opts?: CallOptions): Promise<void> {
    await unwrap(this.core.raw.DELETE('/v1/projects/{project}/deployments/{name}', { params: { path: { project: this.core.project(opts), name } }, ...this.core.init(opts) }));
  }

  /** Revisions, newest first. */
  revisions(name: string, opts?: ListOptions): Paged<RevisionView> {
    const project = () => this.core.project(opts);
    return paged<RevisionView, number>(async (before) => {
      const page = await unwrap(
        this.core.raw.GET('/v1/projects/{project}/deployments/{name}/revisions', { params: { path: { project: project(), name }, query: { limit: opts?.pageSize, before } }, ...this.core.init(opts) }),
      );
      return { items: page.items, next: page.next };
    });
  }

  /** A new revision with the spec of `revision`. */
  async rollback(name: string, body: { revision: number }, opts?: CallOptions): Promise<DeploymentView> {
    return unwrap(
      this.core.raw.POST('/v1/projects/{project}/deployments/{name}/rollback', { params: { path: { project: this.core.project(opts), name } }, body, ...this.core.init(opts) }),
    );
  }

  /**
   * The status now and at every change, until ready / failed / deleted or the server's timeoutMs. The
   * stream has no event ids (each event is the whole status), so there is nothing to resume: on `shutdown`
   * it ends, and calling events() again continues.
   */
  async *events(name: string, query?: { timeoutMs?: number }, opts?: CallOptions): AsyncGenerator<DeploymentEvent> {
    const { data, error, response } = await this.core.raw.GET('/v1/projects/{project}/deployments/{name}/events', {
      params: { path: { project: this.core.project(opts), name }, query: { timeoutMs: query?.timeoutMs } },
      parseAs: 'stream',
      ...this.core.init({ ...opts, timeoutMs: 0, streamResponse: true }),
    });
    if (!response.ok) throw errorFromResponse(response, error === undefined ? '' : JSON.stringify(error));
    for await (const event of parseServerSentEvents(data as unknown as ReadableStream<Uint8Array>)) {
      if (event.event === 'shutdown') return;
      yield { type: event.event as DeploymentEvent['type'], data: JSON.parse(event.data) };
    }
  }
}
