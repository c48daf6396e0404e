// Serving readiness: each serving node says it is alive (serving_nodes, a heartbeat per reconcile
// period) and what it serves for each deployment of its pool (serving_route_status). The gateway
// reads both to answer a deployment's status: ready when every live node of the pool is ready.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create table serving_nodes (
      node_id text primary key,
      pool text not null,
      -- a node is live while seen_at + live_for_ms is in the future
      live_for_ms integer not null,
      started_at timestamptz not null default now(),
      seen_at timestamptz not null default now()
    )`,
    sql`create index serving_nodes_pool_idx on serving_nodes (pool)`,
    sql`create table serving_route_status (
      node_id text not null references serving_nodes(node_id) on delete cascade,
      deployment_id uuid not null references deployments(id) on delete cascade,
      revision integer not null,
      state text not null check (state in ('progressing', 'ready', 'failed')),
      -- versions this node answers with for the deployment (routes and shadows)
      versions jsonb not null,
      reason text,
      updated_at timestamptz not null default now(),
      primary key (deployment_id, node_id)
    )`,
  ];
  for (const statement of statements) await statement.execute(db);
}
