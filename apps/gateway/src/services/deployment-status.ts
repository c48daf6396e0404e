// A deployment's readiness, from what the serving nodes of its pool report to the catalog (each node
// beats a heartbeat and reports, per deployment, the revision it serves and its state). The rule:
//   - no live node in the pool            → progressing (nothing can serve it yet)
//   - a live node reports `failed` for the current revision → failed (its reason)
//   - every live node reports `ready` for the current revision → ready
//   - otherwise (a node loading, or not reporting the current revision yet) → progressing
// A node is live while its last heartbeat is younger than three of its reconcile periods; a node that
// stops leaves the pool at once.
import type { Catalog, Deployment, DeploymentSpec, RouteState } from '@atelier/catalog';

export interface DeploymentStatus {
  state: RouteState;
  /** The revision the state is about (the current one). */
  revision: number;
  /** Versions the pool answers with (every ready node's, the first node's otherwise). */
  versions: number[];
  reason: string | null;
  nodes: Array<{ node: string; state: RouteState; revision: number | null; versions: number[]; reason: string | null }>;
}

/** Between two reads while waiting for readiness: short enough that `?wait=ready` returns promptly. */
const WAIT_POLL_MS = 50;

export class DeploymentStatusReader {
  constructor(private readonly catalog: Catalog) {}

  async status(deployment: Pick<Deployment, 'id' | 'currentRevision'>, spec: DeploymentSpec): Promise<DeploymentStatus> {
    const pool = (spec.pool as string | undefined) ?? 'default';
    const revision = deployment.currentRevision;
    const live = await this.catalog.servingStatus.liveReports(pool, deployment.id);
    const nodes = live.map(({ nodeId, report }) => {
      if (!report || report.revision !== revision) {
        return {
          node: nodeId,
          state: 'progressing' as const,
          revision: report?.revision ?? null,
          versions: report?.versions ?? [],
          reason: `has not picked revision ${revision} up yet`,
        };
      }
      return { node: nodeId, state: report.state, revision: report.revision, versions: report.versions, reason: report.reason };
    });
    if (nodes.length === 0) return { state: 'progressing', revision, versions: [], reason: `no live serving node in pool '${pool}'`, nodes };
    const failed = nodes.find((n) => n.state === 'failed');
    const waiting = nodes.find((n) => n.state !== 'ready');
    const first = failed ?? waiting;
    return {
      state: failed ? 'failed' : waiting ? 'progressing' : 'ready',
      revision,
      versions: nodes[0].versions,
      reason: first ? `node ${first.node}: ${first.reason}` : null,
      nodes,
    };
  }

  /** The status once it is `ready` or `failed`, or at the deadline whatever it is then. */
  async waitSettled(deployment: Pick<Deployment, 'id' | 'currentRevision'>, spec: DeploymentSpec, timeoutMs: number): Promise<DeploymentStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.status(deployment, spec);
      if (s.state !== 'progressing' || Date.now() >= deadline) return s;
      await new Promise((r) => setTimeout(r, Math.min(WAIT_POLL_MS, Math.max(0, deadline - Date.now()))));
    }
  }
}
