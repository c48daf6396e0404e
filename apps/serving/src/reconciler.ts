// The serving node's control plane: which versions to load for which deployment of this node's pool.
// It learns of changes by LISTEN atelier_deployments (deployment revisions and alias moves) plus a
// periodic full reconcile (a missed notification heals itself), resolves every route in four catalog
// queries whatever the number of deployments, loads and warms what is missing (VersionLoader), then
// hands the router a new routing table in one assignment. It reports, per deployment, whether this
// node serves it (`progressing` / `ready` / `failed`, with versions and reason) to the catalog, where
// the gateway reads a deployment's status, and beats a heartbeat so the gateway knows the pool's live nodes.
import type { Catalog, DeploymentSpec, Model, ModelVersion, RouteStatusReport } from '@atelier/catalog';
import { NOTIFY_CHANNELS } from '@atelier/contracts';
import { batchingConfig, type BatchingConfig } from './dynamic-batcher.js';
import { ServingError } from './errors.js';
import { RoutingTable, type LoadedVersion, type ModelEntry, type Routing } from './routing-table.js';
import type { ServingLog, VersionLoader } from './version-loader.js';
import type { ServingConfig } from './serving.config.js';

export const DEPLOYMENTS_CHANNEL = NOTIFY_CHANNELS.deployments;

export interface LoadFailure {
  deployment: string;
  model: string;
  version: number | null;
  code: string;
  message: string;
  at: string;
}

/** Why a model with a deployment in this pool does not answer yet (the router's 503). */
export interface DeploymentProgress {
  deployment: string;
  revision: number;
  state: 'progressing' | 'failed';
  reason: string;
}

export interface ServingStatus {
  ready: boolean;
  lastReconcileAt: string | null;
  deployments: Array<{ project: string; name: string; model: string; revision: number; serving: boolean; versions: number[] }>;
  loaded: Array<{ model: string; version: number; format: string; loadedAt: string }>;
  pending: string[];
  failures: LoadFailure[];
}

/** The batching part of a deployment spec, with defaults. */
export function specBatching(spec: DeploymentSpec): BatchingConfig {
  const b = (spec.batching ?? {}) as Partial<BatchingConfig>;
  return batchingConfig({
    maxBatchRows: b.maxBatchRows,
    maxQueueDelayMs: b.maxQueueDelayMs,
    preferredBatchSizes: b.preferredBatchSizes,
    queueCapacityRows: b.queueCapacityRows,
    timeoutMs: b.timeoutMs,
    maxInFlightBatches: b.maxInFlightBatches,
    eager: b.eager,
  });
}

const modelKey = (projectId: string, model: string) => `${projectId}\u0000${model}`;
const errorOf = (err: unknown) => ({ code: (err as { code?: string }).code ?? 'ATL_LOAD_FAILED', message: (err as Error).message });

/** One deployment of this pool with its refs resolved against the catalog. */
interface Plan {
  deployment: { id: string; name: string; modelId: string; currentRevision: number; updatedAt: Date };
  spec: DeploymentSpec;
  model: Model;
  refs: Array<{ weight: number; shadow: boolean; version: ModelVersion | null }>;
  batching: BatchingConfig;
}

export class ServingReconciler {
  private table = new RoutingTable<ModelEntry>();
  private failures = new Map<string, LoadFailure>();
  /** Deployments that do not serve yet (or were refused), by (project, model): what a predict is told. */
  private progress = new Map<string, DeploymentProgress>();
  private desired: Array<{ deploymentId: string; versionIds: string[] }> = [];
  private reconciled = false;
  private lastReconcileAt: Date | null = null;
  private lastReport = '';
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private stopped = false;
  /** The heartbeat in flight: stop() waits for it, so that it cannot register the node again after leaving. */
  private beating: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: ServingConfig,
    private readonly catalog: Catalog,
    private readonly loader: VersionLoader,
    private readonly log: ServingLog,
    /** Called with each new routing table (the router's `use`), and on every change notification. */
    private readonly publish: { table(table: RoutingTable<ModelEntry>): void; changed(): void },
  ) {}

  /** A node is live for three periods after its last heartbeat (at least 3 s). */
  private get liveForMs(): number {
    return Math.max(3000, 3 * this.config.reconcileIntervalMs);
  }

  /** Listen for changes, register in the pool, reconcile now (in the background), then every reconcileIntervalMs. */
  async start(): Promise<void> {
    const onError = (err: unknown) => this.log('error', 'reconcile failed', { err: (err as Error).message });
    this.unlisten = await this.catalog.listen(DEPLOYMENTS_CHANNEL, () => {
      this.publish.changed();
      void this.reconcile().catch(onError);
    });
    await this.heartbeat();
    // The first reconcile runs in the background: loading can take long, and readiness reports it.
    void this.reconcile().catch(onError);
    this.timer = setInterval(() => {
      void this.heartbeat();
      void this.reconcile().catch(onError);
    }, this.config.reconcileIntervalMs);
    this.timer.unref();
  }

  private heartbeat(): Promise<void> {
    this.beating = this.catalog.servingStatus
      .heartbeat(this.config.nodeId, this.config.pool, this.liveForMs)
      .catch((err) => this.log('warn', 'serving heartbeat failed', { err: (err as Error).message }));
    return this.beating;
  }

  /** One reconcile (serialized: a call during a run makes one more run after it). */
  reconcile(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async () => {
      try {
        do {
          this.again = false;
          await this.reconcileOnce();
        } while (this.again && !this.stopped);
      } finally {
        this.running = null;
      }
    };
    this.running = run();
    return this.running;
  }

  /**
   * Why `model` does not answer on this node, or null when it has no deployment in this pool. Not in
   * memory (the change has not reached this node yet): asked of the catalog, and a reconcile started.
   */
  async progressOf(projectId: string, model: string): Promise<DeploymentProgress | null> {
    const known = this.progress.get(modelKey(projectId, model));
    if (known) return known;
    const m = await this.catalog.models.findByName(projectId, model);
    if (!m) return null;
    const mine = (await this.catalog.deployments.listCurrent({ projectId })).filter(
      ({ deployment, spec }) => deployment.modelId === m.id && ((spec.pool as string | undefined) ?? 'default') === this.config.pool,
    );
    if (mine.length === 0) return null;
    const newest = mine.reduce((a, b) => (b.deployment.updatedAt > a.deployment.updatedAt ? b : a)).deployment;
    void this.reconcile().catch(() => {});
    return { deployment: newest.name, revision: newest.currentRevision, state: 'progressing', reason: 'this serving node has not picked the revision up yet' };
  }

  /** Resolve every deployment of this pool: 4 queries (deployments, models, aliases, versions). */
  private async plan(): Promise<{ plans: Plan[]; failures: Map<string, LoadFailure> }> {
    const current = (await this.catalog.deployments.listCurrent()).filter(({ spec }) => ((spec.pool as string | undefined) ?? 'default') === this.config.pool);
    const models = new Map((await this.catalog.models.findByIds([...new Set(current.map((c) => c.deployment.modelId))])).map((m) => [m.id, m]));
    const aliases = new Map((await this.catalog.models.listAliasesOf([...models.keys()])).map((a) => [`${a.modelId}/${a.alias}`, a.version]));
    const failures = new Map<string, LoadFailure>();
    const fail = (deployment: string, model: string, version: number | null, err: unknown) =>
      failures.set(`${deployment}:${version}`, { deployment, model, version, ...errorOf(err), at: new Date().toISOString() });
    const wanted: Array<{ modelId: string; version: number }> = [];
    const drafts: Array<Omit<Plan, 'refs'> & { refs: Array<{ weight: number; shadow: boolean; number: number | undefined }> }> = [];
    for (const { deployment, spec } of current) {
      const model = models.get(deployment.modelId);
      if (!model) continue;
      const refs = [...(spec.routes ?? []).map((ref) => ({ ref, shadow: false })), ...(spec.shadows ?? []).map((ref) => ({ ref, shadow: true }))].map(
        ({ ref, shadow }) => {
          // Aliases move: they are resolved on every reconcile (and an alias move notifies at once).
          let number = ref.version;
          if (number === undefined && ref.alias !== undefined) {
            number = aliases.get(`${deployment.modelId}/${ref.alias}`);
            if (number === undefined) fail(deployment.name, model.name, null, new ServingError('ATL_MODEL_ALIAS_NOT_FOUND', 404, `alias '${ref.alias}' does not exist`));
          }
          if (number !== undefined) wanted.push({ modelId: deployment.modelId, version: number });
          return { weight: (ref as { weight?: number }).weight ?? 0, shadow, number };
        },
      );
      let batching: BatchingConfig;
      try {
        batching = specBatching(spec);
      } catch (err) {
        fail(deployment.name, model.name, null, err);
        batching = batchingConfig();
      }
      drafts.push({ deployment, spec, model, refs, batching });
    }
    const versions = new Map((await this.catalog.models.findVersions(wanted)).map((v) => [`${v.modelId}/${v.version}`, v]));
    const plans = drafts.map((d) => ({
      ...d,
      refs: d.refs.map((r) => {
        const version = r.number === undefined ? null : (versions.get(`${d.deployment.modelId}/${r.number}`) ?? null);
        if (r.number !== undefined && !version) {
          fail(d.deployment.name, d.model.name, r.number, new ServingError('ATL_MODEL_VERSION_NOT_FOUND', 404, `version ${r.number} does not exist`));
        }
        return { weight: r.weight, shadow: r.shadow, version };
      }),
    }));
    return { plans, failures };
  }

  private async reconcileOnce(): Promise<void> {
    const { plans, failures } = await this.plan();
    const previous = new Map<string, Routing>();
    for (const entry of this.table.values()) for (const r of entry.routings) previous.set(r.deploymentId, r);
    // The first deployment naming a version decides its batching.
    const batchingFor = new Map<string, BatchingConfig>();
    for (const p of plans) for (const r of p.refs) if (r.version && !batchingFor.has(r.version.id)) batchingFor.set(r.version.id, p.batching);

    // Before loading: deployments whose revision is not served yet are `progressing`.
    const progress = new Map<string, DeploymentProgress>();
    const servedAt = (p: Plan) => {
      const prev = previous.get(p.deployment.id);
      return prev !== undefined && prev.revision === p.deployment.currentRevision && p.refs.every((r) => r.version && prev.versionIds.includes(r.version.id));
    };
    for (const p of plans) {
      if (servedAt(p)) continue;
      const missing = p.refs.filter((r) => r.version && !this.loader.isLoaded(r.version.id)).map((r) => r.version!.version);
      const reason = missing.length ? `loading version${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : 'switching to the new revision';
      if (!progress.has(modelKey(p.model.projectId, p.model.name))) {
        progress.set(modelKey(p.model.projectId, p.model.name), { deployment: p.deployment.name, revision: p.deployment.currentRevision, state: 'progressing', reason });
      }
    }
    // Refusals of models still deployed stay known until this reconcile decides again.
    const planned = new Set(plans.map((p) => modelKey(p.model.projectId, p.model.name)));
    this.progress = new Map([...[...this.progress].filter(([k]) => planned.has(k)), ...progress]);
    await this.writeReports(plans, previous, (p) => (servedAt(p) ? null : { state: 'progressing', reason: progress.get(modelKey(p.model.projectId, p.model.name))?.reason ?? 'loading' }));

    // Load what is missing, every deployment in parallel; each failure reported, the rest kept.
    const loaded = await Promise.all(
      plans.map((p) =>
        Promise.all(
          p.refs.map(async (r) => {
            if (!r.version) return null;
            try {
              return await this.loader.ensureLoaded(r.version, p.model, batchingFor.get(r.version.id)!);
            } catch (err) {
              failures.set(`${p.deployment.name}:${r.version.version}`, {
                deployment: p.deployment.name,
                model: p.model.name,
                version: r.version.version,
                ...errorOf(err),
                at: new Date().toISOString(),
              });
              return null;
            }
          }),
        ),
      ),
    );

    const routings: Array<{ model: Model; routing: Routing }> = [];
    plans.forEach((p, i) => {
      const here = loaded[i];
      const prev = previous.get(p.deployment.id);
      if (p.refs.every((r, j) => r.version !== null && here[j] !== null)) {
        let cumulative = 0;
        const routes: Routing['routes'] = [];
        const shadows: LoadedVersion[] = [];
        p.refs.forEach((r, j) => {
          if (r.shadow) shadows.push(here[j]!);
          else if (r.weight > 0) routes.push({ v: here[j]!, cumulative: (cumulative += r.weight) });
        });
        routings.push({
          model: p.model,
          routing: {
            deploymentId: p.deployment.id,
            deployment: p.deployment.name,
            revision: p.deployment.currentRevision,
            updatedAt: p.deployment.updatedAt.getTime(),
            spec: p.spec,
            routes,
            shadows,
            versionIds: p.refs.map((r) => r.version!.id),
          },
        });
      } else if (prev) {
        // Refused: keep serving what this deployment served before.
        routings.push({ model: p.model, routing: prev });
        this.log('warn', 'deployment change refused; previous versions keep serving', { deployment: p.deployment.name });
      }
    });

    // Batching settings changed for a loaded version: new batcher, the old one drains.
    for (const [id, cfg] of batchingFor) this.loader.rebatch(id, cfg);

    // Build and hand over the table in one assignment.
    const table = new RoutingTable<ModelEntry>();
    const used = new Set<string>();
    for (const { model, routing } of routings) {
      let entry = table.get(model.projectId, model.name);
      if (!entry) table.set(model.projectId, model.name, (entry = { projectId: model.projectId, modelId: model.id, name: model.name, routings: [], versions: new Map() }));
      entry.routings.push(routing);
      for (const r of [...routing.routes.map((x) => x.v), ...routing.shadows]) {
        entry.versions.set(r.version, r);
        used.add(r.id);
      }
    }
    for (const entry of table.values()) entry.routings.sort((a, b) => b.updatedAt - a.updatedAt);
    this.table = table;
    this.publish.table(table);
    this.failures = failures;
    this.desired = plans.map((p) => ({ deploymentId: p.deployment.id, versionIds: p.refs.flatMap((r) => (r.version ? [r.version.id] : [])) }));
    // What a predict to a model without a routing is told now: refused deployments stay `failed`.
    const after = new Map<string, DeploymentProgress>();
    const failedBy = new Map<string, LoadFailure[]>();
    for (const f of failures.values()) failedBy.set(f.deployment, [...(failedBy.get(f.deployment) ?? []), f]);
    for (const p of plans) {
      const k = modelKey(p.model.projectId, p.model.name);
      const failed = failedBy.get(p.deployment.name);
      if (failed && !after.has(k)) after.set(k, { deployment: p.deployment.name, revision: p.deployment.currentRevision, state: 'failed', reason: reasonOf(failed) });
    }
    this.progress = after;
    this.reconciled = true;
    this.lastReconcileAt = new Date();
    await this.writeReports(plans, previous, (p) => {
      const failed = failedBy.get(p.deployment.name);
      return failed ? { state: 'failed', reason: reasonOf(failed) } : null;
    });

    await this.loader.unloadExcept(used);
  }

  /** Report every deployment of the pool to the catalog (skipped when nothing changed since the last report). */
  private async writeReports(plans: Plan[], previous: Map<string, Routing>, notReady: (p: Plan) => { state: 'progressing' | 'failed'; reason: string } | null): Promise<void> {
    const serving = new Map<string, Routing>();
    for (const e of this.table.values()) for (const r of e.routings) serving.set(r.deploymentId, r);
    const reports: RouteStatusReport[] = plans.map((p) => {
      const r = serving.get(p.deployment.id) ?? previous.get(p.deployment.id);
      const versions = r ? [...new Set([...r.routes.map((x) => x.v.version), ...r.shadows.map((x) => x.version)])] : [];
      const not = notReady(p);
      return { deploymentId: p.deployment.id, revision: p.deployment.currentRevision, state: not?.state ?? 'ready', versions, reason: not?.reason ?? null };
    });
    const key = JSON.stringify(reports);
    if (key === this.lastReport || this.stopped) return;
    try {
      await this.catalog.servingStatus.report(this.config.nodeId, reports);
      this.lastReport = key;
    } catch (err) {
      this.log('warn', 'serving status report failed', { err: (err as Error).message });
    }
  }

  /** Ready: reconciled once, nothing loading or refused, and every assigned deployment serving warm versions. */
  status(): ServingStatus {
    const serving = new Map<string, Routing>();
    for (const e of this.table.values()) for (const r of e.routings) serving.set(r.deploymentId, r);
    const allServed = this.desired.every((d) => {
      const r = serving.get(d.deploymentId);
      return r !== undefined && d.versionIds.every((id) => r.versionIds.includes(id));
    });
    const deployments: ServingStatus['deployments'] = [];
    for (const e of this.table.values()) {
      for (const r of e.routings) {
        deployments.push({
          project: e.projectId,
          name: r.deployment,
          model: e.name,
          revision: r.revision,
          serving: true,
          versions: [...new Set([...r.routes.map((x) => x.v.version), ...r.shadows.map((x) => x.version)])],
        });
      }
    }
    const pending = this.loader.pending();
    return {
      ready: this.reconciled && pending.length === 0 && this.failures.size === 0 && allServed,
      lastReconcileAt: this.lastReconcileAt?.toISOString() ?? null,
      deployments,
      loaded: this.loader.all().map((l) => ({ model: l.modelName, version: l.version, format: l.runtime.format, loadedAt: l.loadedAt.toISOString() })),
      pending,
      failures: [...this.failures.values()],
    };
  }

  /** Stop reconciling and leave the pool (the gateway stops counting this node). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.().catch(() => {});
    await this.running?.catch(() => {});
    await this.beating;
    await this.catalog.servingStatus.removeNode(this.config.nodeId).catch(() => {});
  }
}

function reasonOf(failures: LoadFailure[]): string {
  return failures.map((f) => `${f.version === null ? '' : `version ${f.version}: `}${f.code}: ${f.message}`).join('; ');
}
