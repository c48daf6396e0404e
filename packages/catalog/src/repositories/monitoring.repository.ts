// Model monitoring's tables: reference bins per version, per-window counts per node, predictions
// awaiting labels, thresholds and alerts per deployment. Serving nodes write references, windows and
// outcomes; the gateway reads them, writes labels and thresholds, and raises and resolves alerts.
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import { json } from '../schema/columns.js';
import type { AlertState, MonitoringAlertsTable } from '../schema/monitoring.tables.js';
import { timeOrderedId } from './time-ordered-id.js';

export interface MonitoringWindowRow {
  deploymentId: string;
  modelVersionId: string;
  windowStart: Date;
  windowMs: number;
  rows: number;
  /** MonitoringWindowCounts (contracts); catalog does not interpret it. */
  counts: unknown;
}

export interface MonitoringOutcome {
  deploymentId: string;
  requestId: string;
  rowIndex: number;
  modelVersionId: string;
  windowStart: Date;
  score: number;
}

export interface LabeledOutcome {
  modelVersionId: string;
  windowStart: Date;
  score: number;
  label: number;
}

export interface MonitoringAlert {
  id: string;
  deploymentId: string;
  modelVersionId: string;
  version: number;
  feature: string;
  check: string;
  state: AlertState;
  value: number;
  threshold: number;
  windowStart: Date;
  raisedAt: Date;
  resolvedAt: Date | null;
}

export interface AlertFinding {
  deploymentId: string;
  modelVersionId: string;
  version: number;
  feature: string;
  check: string;
  value: number;
  threshold: number;
  windowStart: Date;
}

const toAlert = (r: Selectable<MonitoringAlertsTable>): MonitoringAlert => ({
  id: r.id,
  deploymentId: r.deployment_id,
  modelVersionId: r.model_version_id,
  version: r.version,
  feature: r.feature,
  check: r.check_name,
  state: r.state,
  value: r.value,
  threshold: r.threshold,
  windowStart: r.window_start,
  raisedAt: r.raised_at,
  resolvedAt: r.resolved_at,
});

/** Postgres' foreign key violation: the deployment or version was deleted while a node still held its counts. */
const isForeignKeyViolation = (err: unknown) => (err as { code?: string }).code === '23503';

export class MonitoringRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async findReference(modelVersionId: string): Promise<unknown> {
    const row = await this.db.selectFrom('monitoring_references').select('reference').where('model_version_id', '=', modelVersionId).executeTakeFirst();
    return row?.reference;
  }

  /** Store the version's reference unless one is stored already; answers the stored one (every node bins alike). */
  async saveReference(modelVersionId: string, reference: unknown): Promise<unknown> {
    await this.db
      .insertInto('monitoring_references')
      .values({ model_version_id: modelVersionId, reference: json(reference) })
      .onConflict((oc) => oc.column('model_version_id').doNothing())
      .execute();
    return this.findReference(modelVersionId);
  }

  /** A node's running totals per window (replacing what it wrote before); rows of deleted deployments are dropped. */
  async writeWindows(nodeId: string, rows: MonitoringWindowRow[]): Promise<void> {
    for (const r of rows) {
      try {
        await this.db
          .insertInto('monitoring_windows')
          .values({
            deployment_id: r.deploymentId,
            model_version_id: r.modelVersionId,
            window_start: r.windowStart,
            window_ms: r.windowMs,
            node_id: nodeId,
            rows: r.rows,
            counts: json(r.counts),
          })
          .onConflict((oc) =>
            oc.columns(['deployment_id', 'model_version_id', 'window_start', 'node_id']).doUpdateSet((eb) => ({
              rows: eb.ref('excluded.rows'),
              counts: eb.ref('excluded.counts'),
              updated_at: sql`now()`,
            })),
          )
          .execute();
      } catch (err) {
        if (!isForeignKeyViolation(err)) throw err;
      }
    }
  }

  /** Every node's rows of a deployment's windows starting in [from, to): the newest `limit` rows, oldest first. */
  async listWindows(deploymentId: string, from: Date, to: Date, limit = 20_000): Promise<Array<MonitoringWindowRow & { nodeId: string }>> {
    const rows = await this.db
      .selectFrom('monitoring_windows')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .where('window_start', '>=', from)
      .where('window_start', '<', to)
      .orderBy('window_start', 'desc')
      .orderBy('node_id')
      .limit(limit)
      .execute();
    rows.reverse();
    return rows.map((r) => ({
      deploymentId: r.deployment_id,
      modelVersionId: r.model_version_id,
      windowStart: r.window_start,
      windowMs: r.window_ms,
      rows: r.rows,
      counts: r.counts,
      nodeId: r.node_id,
    }));
  }

  /** The newest window of each version of a deployment with at least `minRows` rows (all nodes together). */
  async latestWindows(deploymentId: string, minRows: number): Promise<Array<{ modelVersionId: string; windowStart: Date }>> {
    const rows = await this.db
      .selectFrom('monitoring_windows')
      .select(['model_version_id', 'window_start'])
      .where('deployment_id', '=', deploymentId)
      .groupBy(['model_version_id', 'window_start'])
      .having(sql`sum(rows)`, '>=', minRows)
      .orderBy('window_start', 'desc')
      .limit(1000)
      .execute();
    const seen = new Map<string, Date>();
    for (const r of rows) if (!seen.has(r.model_version_id)) seen.set(r.model_version_id, r.window_start);
    return [...seen].map(([modelVersionId, windowStart]) => ({ modelVersionId, windowStart }));
  }

  /** The oldest window of a version in a deployment with at least `minRows` rows: the baseline of an output without training counts. */
  async firstWindow(deploymentId: string, modelVersionId: string, minRows: number): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('monitoring_windows')
      .select('window_start')
      .where('deployment_id', '=', deploymentId)
      .where('model_version_id', '=', modelVersionId)
      .groupBy('window_start')
      .having(sql`sum(rows)`, '>=', minRows)
      .orderBy('window_start')
      .limit(1)
      .executeTakeFirst();
    return row?.window_start;
  }

  /** Every node's rows of one version's window. */
  async windowRows(deploymentId: string, modelVersionId: string, windowStart: Date): Promise<MonitoringWindowRow[]> {
    const rows = await this.db
      .selectFrom('monitoring_windows')
      .selectAll()
      .where('deployment_id', '=', deploymentId)
      .where('model_version_id', '=', modelVersionId)
      .where('window_start', '=', windowStart)
      .execute();
    return rows.map((r) => ({ deploymentId: r.deployment_id, modelVersionId: r.model_version_id, windowStart: r.window_start, windowMs: r.window_ms, rows: r.rows, counts: r.counts }));
  }

  /** The newest window of a version with at least `minLabels` labelled answers. */
  async latestLabeledWindow(deploymentId: string, modelVersionId: string, minLabels: number): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('monitoring_outcomes')
      .select('window_start')
      .where('deployment_id', '=', deploymentId)
      .where('model_version_id', '=', modelVersionId)
      .where('label', 'is not', null)
      .groupBy('window_start')
      .having(sql`count(*)`, '>=', minLabels)
      .orderBy('window_start', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.window_start;
  }

  /** Deployments with counts in a window starting at or after `since` (what the alert evaluator looks at). */
  async deploymentsWithWindowsSince(since: Date): Promise<string[]> {
    const rows = await this.db.selectFrom('monitoring_windows').select('deployment_id').distinct().where('window_start', '>=', since).execute();
    return rows.map((r) => r.deployment_id);
  }

  /** Predictions that may be labelled later; a request id seen again keeps its first answer. */
  async insertOutcomes(outcomes: MonitoringOutcome[]): Promise<void> {
    for (let i = 0; i < outcomes.length; i += 500) {
      const chunk = outcomes.slice(i, i + 500);
      try {
        await this.db
          .insertInto('monitoring_outcomes')
          .values(
            chunk.map((o) => ({
              deployment_id: o.deploymentId,
              request_id: o.requestId,
              row_index: o.rowIndex,
              model_version_id: o.modelVersionId,
              window_start: o.windowStart,
              score: o.score,
            })),
          )
          .onConflict((oc) => oc.columns(['deployment_id', 'request_id', 'row_index']).doNothing())
          .execute();
      } catch (err) {
        if (!isForeignKeyViolation(err)) throw err;
      }
    }
  }

  /** Set labels of a deployment's predictions; answers the (requestId, rowIndex) pairs found. */
  async labelOutcomes(deploymentId: string, labels: Array<{ requestId: string; rowIndex: number; label: number }>): Promise<Array<{ requestId: string; rowIndex: number }>> {
    if (!labels.length) return [];
    const values = json(labels.map((l) => ({ request_id: l.requestId, row_index: l.rowIndex, label: l.label })));
    const result = await sql<{ request_id: string; row_index: number }>`
      update monitoring_outcomes o set label = v.label, labeled_at = now()
      from (select * from jsonb_to_recordset(${values}::jsonb) as x(request_id text, row_index integer, label double precision)) v
      where o.deployment_id = ${deploymentId} and o.request_id = v.request_id and o.row_index = v.row_index
      returning o.request_id, o.row_index`.execute(this.db);
    return result.rows.map((r) => ({ requestId: r.request_id, rowIndex: r.row_index }));
  }

  /** Labelled predictions of a deployment in windows starting in [from, to), at most `limit` (newest windows first). */
  async labeledOutcomes(deploymentId: string, from: Date, to: Date, limit: number, modelVersionId?: string): Promise<LabeledOutcome[]> {
    let q = this.db.selectFrom('monitoring_outcomes').select(['model_version_id', 'window_start', 'score', 'label']).where('deployment_id', '=', deploymentId);
    if (modelVersionId) q = q.where('model_version_id', '=', modelVersionId);
    const rows = await q
      .where('label', 'is not', null)
      .where('window_start', '>=', from)
      .where('window_start', '<', to)
      .orderBy('window_start', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ modelVersionId: r.model_version_id, windowStart: r.window_start, score: r.score, label: r.label! }));
  }

  async findThresholds(deploymentId: string): Promise<unknown> {
    const row = await this.db.selectFrom('monitoring_thresholds').select('thresholds').where('deployment_id', '=', deploymentId).executeTakeFirst();
    return row?.thresholds;
  }

  async putThresholds(deploymentId: string, thresholds: unknown, actor: string | null): Promise<void> {
    await this.db
      .insertInto('monitoring_thresholds')
      .values({ deployment_id: deploymentId, thresholds: json(thresholds), updated_by: actor })
      .onConflict((oc) => oc.column('deployment_id').doUpdateSet({ thresholds: json(thresholds), updated_by: actor, updated_at: sql`now()` }))
      .execute();
  }

  /** Raise an alert, or update the value and window of the one already active for the same check. */
  async raiseAlert(f: AlertFinding): Promise<void> {
    const updated = await this.db
      .updateTable('monitoring_alerts')
      .set({ value: f.value, threshold: f.threshold, window_start: f.windowStart })
      .where('deployment_id', '=', f.deploymentId)
      .where('model_version_id', '=', f.modelVersionId)
      .where('feature', '=', f.feature)
      .where('check_name', '=', f.check)
      .where('state', '=', 'active')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    // Another gateway may raise the same alert at the same moment: the partial unique index keeps one.
    await sql`insert into monitoring_alerts (id, deployment_id, model_version_id, version, feature, check_name, state, value, threshold, window_start)
      values (${timeOrderedId()}, ${f.deploymentId}, ${f.modelVersionId}, ${f.version}, ${f.feature}, ${f.check}, 'active', ${f.value}, ${f.threshold}, ${f.windowStart})
      on conflict (deployment_id, model_version_id, feature, check_name) where state = 'active' do nothing`.execute(this.db);
  }

  async resolveAlert(id: string): Promise<void> {
    await this.db.updateTable('monitoring_alerts').set({ state: 'resolved', resolved_at: sql`now()` }).where('id', '=', id).where('state', '=', 'active').execute();
  }

  async listAlerts(deploymentId: string, opts: { state?: AlertState; limit?: number } = {}): Promise<MonitoringAlert[]> {
    let q = this.db.selectFrom('monitoring_alerts').selectAll().where('deployment_id', '=', deploymentId);
    if (opts.state) q = q.where('state', '=', opts.state);
    const rows = await q.orderBy('raised_at', 'desc').orderBy('id', 'desc').limit(opts.limit ?? 100).execute();
    return rows.map(toAlert);
  }

  /** Every active alert of every deployment (what /metrics shows). */
  async activeAlerts(): Promise<MonitoringAlert[]> {
    const rows = await this.db.selectFrom('monitoring_alerts').selectAll().where('state', '=', 'active').orderBy('raised_at').limit(10_000).execute();
    return rows.map(toAlert);
  }

  /** Drop windows and outcomes that started before `before`, and alerts resolved before it. */
  async prune(before: Date): Promise<void> {
    await this.db.deleteFrom('monitoring_windows').where('window_start', '<', before).execute();
    await this.db.deleteFrom('monitoring_outcomes').where('window_start', '<', before).execute();
    await this.db.deleteFrom('monitoring_alerts').where('state', '=', 'resolved').where('resolved_at', '<', before).execute();
  }
}
