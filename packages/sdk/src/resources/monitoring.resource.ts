// Model monitoring of a deployment: drift per version and feature over windows, thresholds, alerts,
// and labels for earlier answers (keyed by the request id the predict call returned).
import { type Core, unwrap } from '../core.js';
import type { LabelsBody, LabelsResult, MonitoringAlert, MonitoringThresholds, MonitoringThresholdsBody, MonitoringView } from '../schemas.js';
import type { CallOptions } from '../transport.js';

export class MonitoringResource {
  constructor(private readonly core: Core) {}

  private path(deployment: string, opts?: CallOptions) {
    return { project: this.core.project(opts), name: deployment };
  }

  /** Drift, missing/out-of-range rates and online metrics per version, windows oldest first (default: the last hour). */
  async get(deployment: string, query?: { from?: Date | string; to?: Date | string; version?: number }, opts?: CallOptions): Promise<MonitoringView> {
    const iso = (d: Date | string | undefined) => (d instanceof Date ? d.toISOString() : d);
    return unwrap(
      this.core.raw.GET('/v1/projects/{project}/deployments/{name}/monitoring', {
        params: { path: this.path(deployment, opts), query: { from: iso(query?.from), to: iso(query?.to), version: query?.version } },
        ...this.core.init(opts),
      }),
    );
  }

  /** The thresholds in force (the defaults until set). */
  async thresholds(deployment: string, opts?: CallOptions): Promise<MonitoringThresholds> {
    return unwrap(this.core.raw.GET('/v1/projects/{project}/deployments/{name}/monitoring/thresholds', { params: { path: this.path(deployment, opts) }, ...this.core.init(opts) }));
  }

  /** Sets thresholds (a null turns that check off; a field left out keeps its value); answers those now in force. */
  async setThresholds(deployment: string, body: MonitoringThresholdsBody, opts?: CallOptions): Promise<MonitoringThresholds> {
    return unwrap(this.core.raw.PUT('/v1/projects/{project}/deployments/{name}/monitoring/thresholds', { params: { path: this.path(deployment, opts) }, body, ...this.core.init(opts) }));
  }

  /** Alerts, newest first: active ones, or resolved ones. */
  async alerts(deployment: string, query?: { state?: 'active' | 'resolved'; limit?: number }, opts?: CallOptions): Promise<MonitoringAlert[]> {
    const list = await unwrap(
      this.core.raw.GET('/v1/projects/{project}/deployments/{name}/monitoring/alerts', {
        params: { path: this.path(deployment, opts), query: { state: query?.state, limit: query?.limit } },
        ...this.core.init(opts),
      }),
    );
    return list.items;
  }

  /** Labels for earlier answers, by request id: online accuracy/AUC come from them. */
  async labels(deployment: string, labels: LabelsBody['labels'], opts?: CallOptions): Promise<LabelsResult> {
    return unwrap(this.core.raw.POST('/v1/projects/{project}/deployments/{name}/labels', { params: { path: this.path(deployment, opts) }, body: { labels }, ...this.core.init(opts) }));
  }
}
