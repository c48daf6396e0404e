// What serving nodes report about themselves: a heartbeat per node (serving_nodes) and, per deployment
// of its pool, what the node serves (serving_route_status). Nodes write; the gateway reads a
// deployment's status from the reports of the pool's live nodes.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../database.js';
import { json } from '../schema/columns.js';

export type RouteState = 'progressing' | 'ready' | 'failed';

/** One node's report for one deployment. */
export interface RouteStatusReport {
  deploymentId: string;
  /** The deployment revision the report is about. */
  revision: number;
  state: RouteState;
  /** Versions the node answers with for this deployment now (routes and shadows; empty while none). */
  versions: number[];
  reason: string | null;
}

/** A live node of a pool with its report for one deployment (null: it has not reported on it). */
export interface LiveNodeReport {
  nodeId: string;
  report: (RouteStatusReport & { updatedAt: Date }) | null;
}

export class ServingStatusRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The node is alive for `liveForMs` from now (its heartbeat); registers it on first call. */
  async heartbeat(nodeId: string, pool: string, liveForMs: number): Promise<void> {
    await this.db
      .insertInto('serving_nodes')
      .values({ node_id: nodeId, pool, live_for_ms: Math.round(liveForMs) })
      .onConflict((oc) => oc.column('node_id').doUpdateSet({ pool, live_for_ms: Math.round(liveForMs), seen_at: sql`now()` }))
      .execute();
  }

  /**
   * Replace the node's reports with `reports` (deployments it no longer serves are dropped). Reports
   * naming a deployment deleted meanwhile are skipped (the insert selects only existing deployments).
   */
  async report(nodeId: string, reports: RouteStatusReport[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      let del = tx.deleteFrom('serving_route_status').where('node_id', '=', nodeId);
      if (reports.length) del = del.where('deployment_id', 'not in', reports.map((r) => r.deploymentId));
      await del.execute();
      for (const r of reports) {
        await tx
          .insertInto('serving_route_status')
          .columns(['node_id', 'deployment_id', 'revision', 'state', 'versions', 'reason'])
          .expression((eb) =>
            eb
              .selectFrom('deployments')
              .select([
                sql<string>`${nodeId}`.as('node_id'),
                'id',
                sql<number>`${r.revision}::integer`.as('revision'),
                sql<RouteState>`${r.state}`.as('state'),
                sql<string>`${json(r.versions)}::jsonb`.as('versions'),
                sql<string | null>`${r.reason}::text`.as('reason'),
              ])
              .where('id', '=', r.deploymentId),
          )
          .onConflict((oc) =>
            oc.columns(['deployment_id', 'node_id']).doUpdateSet((eb) => ({
              revision: eb.ref('excluded.revision'),
              state: eb.ref('excluded.state'),
              versions: eb.ref('excluded.versions'),
              reason: eb.ref('excluded.reason'),
              updated_at: sql`now()`,
            })),
          )
          .execute();
      }
    });
  }

  /** A stopping node leaves the pool: its heartbeat and reports go. */
  async removeNode(nodeId: string): Promise<void> {
    await this.db.deleteFrom('serving_nodes').where('node_id', '=', nodeId).execute();
  }

  /** The pool's live nodes (heartbeat within their live_for_ms), each with its report on the deployment. */
  async liveReports(pool: string, deploymentId: string): Promise<LiveNodeReport[]> {
    const rows = await this.db
      .selectFrom('serving_nodes as n')
      .leftJoin('serving_route_status as s', (j) => j.onRef('s.node_id', '=', 'n.node_id').on('s.deployment_id', '=', deploymentId))
      .select(['n.node_id', 's.deployment_id', 's.revision', 's.state', 's.versions', 's.reason', 's.updated_at'])
      .where('n.pool', '=', pool)
      .where(sql<boolean>`n.seen_at + n.live_for_ms * interval '1 millisecond' > now()`)
      .orderBy('n.node_id')
      .execute();
    return rows.map((r) => ({
      nodeId: r.node_id,
      report:
        r.deployment_id === null
          ? null
          : {
              deploymentId: r.deployment_id,
              revision: r.revision!,
              state: r.state!,
              versions: r.versions as number[],
              reason: r.reason,
              updatedAt: r.updated_at!,
            },
    }));
  }
}
