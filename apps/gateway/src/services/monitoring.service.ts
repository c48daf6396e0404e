// Model monitoring's rules. Serving nodes count, per deployment, version and window, where each
// monitored feature value and output fell among the version's reference bins (from the training
// dataset's profile) and keep answers by request id; this service turns those counts into drift (PSI,
// Jensen–Shannon distance, missing and out-of-range rates) and labelled answers into online quality,
// judges them against the deployment's thresholds, raises and resolves alerts, and shows the latest
// judgement on /metrics. Cost per read or evaluation: the counts of the windows asked for (bins ×
// features × nodes), never the prediction log.
import { Gauge, type Registry } from 'prom-client';
import type { Catalog, Deployment, MonitoringAlert, MonitoringWindowRow, Project } from '@atelier/catalog';
import { PREDICTION_FEATURE, type BinCounts, type FeatureReference, type MonitoringCheck, type MonitoringReference, type MonitoringWindowCounts } from '@atelier/contracts';
import type { Principal } from '../auth/principal.js';
import { Errors, type FieldError } from '../errors.js';
import type { MonitoringConfig } from '../monitoring.config.js';
import { MAX_MONITORING_RANGE_MS, type LabelsBodyT, type MonitoringThresholdsT } from '../schemas/monitoring.schemas.js';
import { accuracy, jsDistance, logLoss, mae, psi, rmse, rocAuc } from './drift-math.js';
import type { ProjectsService } from './projects.service.js';

export const DEFAULT_THRESHOLDS: MonitoringThresholdsT = {
  psi: 0.2,
  js: 0.1,
  missingRate: 0.1,
  outOfRangeRate: 0.05,
  predictionPsi: 0.2,
  accuracyDrop: 0.05,
  minRows: 100,
  minLabels: 50,
};

/** Most labelled answers read for one monitoring view (online metrics of the windows shown). */
const MAX_LABELED_READ = 200_000;

type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

interface VersionInfo {
  id: string;
  version: number;
  reference: MonitoringReference | null;
  testAccuracy: number | null;
}

/** Every node's counts of one version's window, added up. */
export function mergeCounts(rows: readonly Pick<MonitoringWindowRow, 'counts'>[]): MonitoringWindowCounts | null {
  let merged: MonitoringWindowCounts | null = null;
  const add = (into: BinCounts, from: BinCounts) => {
    if (into.bins.length !== from.bins.length) return;
    for (let i = 0; i < from.bins.length; i++) into.bins[i] += from.bins[i];
    into.missing += from.missing;
    into.outOfRange += from.outOfRange;
  };
  const copy = (c: BinCounts): BinCounts => ({ bins: [...c.bins], missing: c.missing, outOfRange: c.outOfRange });
  for (const r of rows) {
    const c = r.counts as MonitoringWindowCounts;
    if (!merged) {
      merged = { rows: c.rows, features: c.features.map(copy), output: c.output ? copy(c.output) : null };
      continue;
    }
    merged.rows += c.rows;
    c.features.forEach((f, i) => merged!.features[i] && add(merged!.features[i], f));
    if (merged.output && c.output) add(merged.output, c.output);
  }
  return merged;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const shares = (xs: readonly number[]) => {
  const t = sum(xs);
  return t > 0 ? xs.map((x) => x / t) : null;
};

export function featureDrift(ref: FeatureReference, c: BinCounts) {
  const present = sum(c.bins);
  const count = present + c.missing;
  return {
    name: ref.name,
    kind: ref.kind,
    count,
    psi: ref.expected ? psi(ref.expected, c.bins) : null,
    js: ref.expected ? jsDistance(ref.expected, c.bins) : null,
    missingRate: count ? c.missing / count : null,
    referenceMissingRate: ref.missingFraction,
    outOfRangeRate: present ? c.outOfRange / present : null,
    bins: c.bins,
    expected: ref.expected ? shares(ref.expected) : null,
  };
}

export function onlineMetrics(task: string | null, outcomes: ReadonlyArray<{ score: number; label: number }>) {
  const scores = outcomes.map((o) => o.score);
  const labels = outcomes.map((o) => o.label);
  const binary = task === 'binary';
  const regression = task === 'regression';
  return {
    labeled: outcomes.length,
    accuracy: binary ? accuracy(scores, labels) : task === 'multiclass' ? accuracy(scores, labels, null) : null,
    auc: binary ? rocAuc(scores, labels) : null,
    logLoss: binary ? logLoss(scores, labels) : null,
    rmse: regression ? rmse(scores, labels) : null,
    mae: regression ? mae(scores, labels) : null,
  };
}

interface OutputBaseline {
  counts: number[];
  kind: 'training' | 'firstWindow';
}

/** The output's counts in a window against its baseline. */
export function predictionDrift(ref: FeatureReference | null, counts: MonitoringWindowCounts, baseline: OutputBaseline | null) {
  if (!ref || !counts.output) return null;
  const expected = baseline?.counts ?? null;
  return {
    count: sum(counts.output.bins) + counts.output.missing,
    psi: expected ? psi(expected, counts.output.bins) : null,
    js: expected ? jsDistance(expected, counts.output.bins) : null,
    baseline: baseline?.kind ?? null,
    bins: counts.output.bins,
    edges: ref.kind === 'numeric' ? ref.edges : null,
  };
}

interface Judged {
  versionId: string;
  version: number;
  feature: string;
  check: MonitoringCheck;
  value: number;
  threshold: number | null;
  windowStart: Date;
}

export class MonitoringService {
  private readonly versions = new Map<string, VersionInfo>();
  /** The latest judgement per deployment, what /metrics shows: bounded by deployments × versions judged × features (≤ 64) × checks. */
  private snapshot = new Map<string, Array<{ labels: Record<string, string>; value: number; active: boolean }>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastPrune = 0;

  constructor(
    private readonly catalog: Catalog,
    private readonly projects: ProjectsService,
    private readonly config: MonitoringConfig,
    registry: Registry,
    private readonly log: Log,
  ) {
    const labelNames = ['project', 'deployment', 'version', 'feature', 'check'] as const;
    const snapshot = () => this.snapshot;
    new Gauge({
      name: 'atelier_monitoring_value',
      help: "Model monitoring: a check's value on the latest judged window of a deployed version (psi, js, missingRate: the excess over training's null share, outOfRangeRate, predictionPsi, accuracyDrop)",
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const entries of snapshot().values()) for (const e of entries) this.set(e.labels, e.value);
      },
    });
    new Gauge({
      name: 'atelier_monitoring_alert_active',
      help: "Model monitoring: 1 while a check is over its deployment's threshold (an active alert), else 0",
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const entries of snapshot().values()) for (const e of entries) this.set(e.labels, e.active ? 1 : 0);
      },
    });
  }

  /** Evaluate every monitored deployment now, then every evaluateMs. */
  start(): void {
    if (this.config.evaluateMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.evaluateAll(), this.config.evaluateMs);
    this.timer.unref();
    void this.evaluateAll();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass over deployments with recent windows (a pass in progress is joined, not doubled). */
  evaluateAll(): Promise<void> {
    this.running ??= (async () => {
      try {
        const now = Date.now();
        const ids = await this.catalog.monitoring.deploymentsWithWindowsSince(new Date(now - 24 * 3600_000));
        const keep = new Set(ids);
        for (const id of this.snapshot.keys()) if (!keep.has(id)) this.snapshot.delete(id);
        for (const id of ids) {
          const d = await this.catalog.deployments.findById(id);
          if (!d) continue;
          await this.evaluate(d).catch((err: Error) => this.log('warn', 'monitoring evaluation failed', { deployment: d.name, err: err.message }));
        }
        if (now - this.lastPrune > 3600_000) {
          this.lastPrune = now;
          await this.catalog.monitoring.prune(new Date(now - this.config.retentionHours * 3600_000));
        }
      } catch (err) {
        this.log('warn', 'monitoring evaluation pass failed', { err: (err as Error).message });
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Judge the latest window of each version of `d` against its thresholds; raise and resolve alerts. */
  async evaluate(d: Deployment): Promise<void> {
    const thresholds = await this.thresholdsOf(d.id);
    const judged: Judged[] = [];
    for (const w of await this.catalog.monitoring.latestWindows(d.id, thresholds.minRows)) {
      const info = await this.version(w.modelVersionId);
      if (!info?.reference) continue;
      const counts = mergeCounts(await this.catalog.monitoring.windowRows(d.id, w.modelVersionId, w.windowStart));
      if (!counts) continue;
      const at = (feature: string, check: MonitoringCheck, value: number | null, threshold: number | null) => {
        if (value !== null && Number.isFinite(value)) judged.push({ versionId: info.id, version: info.version, feature, check, value, threshold, windowStart: w.windowStart });
      };
      info.reference.features.forEach((ref, i) => {
        const c = counts.features[i];
        if (!c) return;
        const f = featureDrift(ref, c);
        at(ref.name, 'psi', f.psi, thresholds.psi);
        at(ref.name, 'js', f.js, thresholds.js);
        at(ref.name, 'missingRate', f.missingRate === null ? null : f.missingRate - f.referenceMissingRate, thresholds.missingRate);
        at(ref.name, 'outOfRangeRate', f.outOfRangeRate, thresholds.outOfRangeRate);
      });
      const prediction = predictionDrift(info.reference.output, counts, await this.outputBaseline(d.id, info, thresholds.minRows));
      if (prediction) at(PREDICTION_FEATURE, 'predictionPsi', prediction.psi, thresholds.predictionPsi);
      if (info.testAccuracy !== null) {
        const labeledAt = await this.catalog.monitoring.latestLabeledWindow(d.id, info.id, thresholds.minLabels);
        if (labeledAt) {
          const outcomes = await this.catalog.monitoring.labeledOutcomes(d.id, labeledAt, new Date(labeledAt.getTime() + 1), MAX_LABELED_READ, info.id);
          const online = onlineMetrics(info.reference.task, outcomes);
          if (online.accuracy !== null) at(PREDICTION_FEATURE, 'accuracyDrop', info.testAccuracy - online.accuracy, thresholds.accuracyDrop);
        }
      }
    }
    const active = new Map((await this.catalog.monitoring.listAlerts(d.id, { state: 'active', limit: 500 })).map((a) => [`${a.modelVersionId}/${a.feature}/${a.check}`, a]));
    const project = await this.catalog.projects.findById(d.projectId);
    const entries = judged.map((j) => ({
      judged: j,
      over: j.threshold !== null && j.value >= j.threshold,
      labels: { project: project?.name ?? d.projectId, deployment: d.name, version: String(j.version), feature: j.feature, check: j.check },
    }));
    // One transaction: a reader of the alerts sees a whole pass, never some of its alerts raised.
    await this.catalog.transaction(async (tx) => {
      for (const { judged: j, over } of entries) {
        const key = `${j.versionId}/${j.feature}/${j.check}`;
        if (over) {
          await tx.monitoring.raiseAlert({ deploymentId: d.id, modelVersionId: j.versionId, version: j.version, feature: j.feature, check: j.check, value: j.value, threshold: j.threshold!, windowStart: j.windowStart });
        } else if (active.has(key)) await tx.monitoring.resolveAlert(active.get(key)!.id);
      }
    });
    this.snapshot.set(d.id, entries.map(({ judged: j, over, labels }) => ({ labels, value: j.value, active: over })));
  }

  private async thresholdsOf(deploymentId: string): Promise<MonitoringThresholdsT> {
    const stored = (await this.catalog.monitoring.findThresholds(deploymentId)) as Partial<MonitoringThresholdsT> | undefined;
    return { ...DEFAULT_THRESHOLDS, ...stored };
  }

  private async version(versionId: string): Promise<VersionInfo | undefined> {
    const hit = this.versions.get(versionId);
    if (hit?.reference) return hit;
    const v = await this.catalog.models.findVersionById(versionId);
    if (!v) return undefined;
    const reference = ((await this.catalog.monitoring.findReference(versionId)) as MonitoringReference | undefined) ?? null;
    const acc = v.metrics.accuracy;
    const info = { id: v.id, version: v.version, reference, testAccuracy: typeof acc === 'number' && Number.isFinite(acc) ? acc : null };
    // References are immutable once stored: cache them (bounded by the versions monitored).
    if (reference && this.versions.size < 10_000) this.versions.set(versionId, info);
    return info;
  }

  /** What output drift compares with: the training counts (regression), else the version's first window with minRows rows. */
  private async outputBaseline(deploymentId: string, info: VersionInfo, minRows: number): Promise<OutputBaseline | null> {
    const ref = info.reference?.output;
    if (!ref) return null;
    if (ref.expected) return { counts: ref.expected, kind: 'training' };
    const first = await this.catalog.monitoring.firstWindow(deploymentId, info.id, minRows);
    const firstCounts = first && mergeCounts(await this.catalog.monitoring.windowRows(deploymentId, info.id, first));
    return firstCounts?.output ? { counts: firstCounts.output.bins, kind: 'firstWindow' } : null;
  }

  private async find(principal: Principal, projectName: string, name: string, permission: 'read' | 'write'): Promise<{ project: Project; deployment: Deployment }> {
    const project = await this.projects.get(principal, projectName, permission);
    const deployment = await this.catalog.deployments.findByName(project.id, name);
    if (!deployment) {
      throw Errors.notFound('ATL_DEPLOYMENT_NOT_FOUND', `Deployment '${name}' does not exist in project '${project.name}'. List deployments with GET /v1/projects/${project.name}/deployments.`);
    }
    return { project, deployment };
  }

  /** Drift and online quality per version and window of a deployment, for windows starting in [from, to). */
  async view(principal: Principal, projectName: string, name: string, q: { from?: string; to?: string; version?: number }) {
    const { deployment } = await this.find(principal, projectName, name, 'read');
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 3600_000);
    const errors: FieldError[] = [];
    if (!(from < to)) errors.push({ field: '/querystring/from', message: 'must be before `to`' });
    else if (to.getTime() - from.getTime() > MAX_MONITORING_RANGE_MS) errors.push({ field: '/querystring/to', message: 'must be at most 7 days after `from`' });
    if (errors.length) throw Errors.validation(errors);
    const thresholds = await this.thresholdsOf(deployment.id);
    const rows = await this.catalog.monitoring.listWindows(deployment.id, from, to);
    const labeled = await this.catalog.monitoring.labeledOutcomes(deployment.id, from, to, MAX_LABELED_READ);
    const labeledBy = new Map<string, Array<{ score: number; label: number }>>();
    for (const o of labeled) {
      const k = `${o.modelVersionId}/${o.windowStart.getTime()}`;
      let list = labeledBy.get(k);
      if (!list) labeledBy.set(k, (list = []));
      list.push(o);
    }
    const byVersion = new Map<string, Map<number, MonitoringWindowRow[]>>();
    for (const r of rows) {
      let windows = byVersion.get(r.modelVersionId);
      if (!windows) byVersion.set(r.modelVersionId, (windows = new Map()));
      const k = r.windowStart.getTime();
      windows.set(k, [...(windows.get(k) ?? []), r]);
    }
    const versions = [];
    for (const [versionId, windows] of byVersion) {
      const info = await this.version(versionId);
      if (!info || (q.version !== undefined && info.version !== q.version)) continue;
      const ref = info.reference;
      // One baseline per version for every window shown (a query, not one per window).
      const baseline = ref ? await this.outputBaseline(deployment.id, info, thresholds.minRows) : null;
      const out = [];
      for (const [start, group] of [...windows].sort((a, b) => a[0] - b[0])) {
        const counts = mergeCounts(group);
        if (!counts) continue;
        const windowOutcomes = labeledBy.get(`${versionId}/${start}`) ?? [];
        out.push({
          start: new Date(start),
          end: new Date(start + group[0].windowMs),
          rows: counts.rows,
          features: ref ? ref.features.flatMap((f, i) => (counts.features[i] ? [featureDrift(f, counts.features[i])] : [])) : [],
          prediction: ref ? predictionDrift(ref.output, counts, baseline) : null,
          online: windowOutcomes.length ? onlineMetrics(ref?.task ?? null, windowOutcomes) : null,
        });
      }
      versions.push({
        version: info.version,
        task: ref?.task ?? null,
        reference: { datasetVersionId: ref?.datasetVersionId ?? null, features: ref?.features.map((f) => f.name) ?? [] },
        baselineAccuracy: info.testAccuracy,
        windows: out,
      });
    }
    versions.sort((a, b) => a.version - b.version);
    return { deployment: deployment.name, from, to, thresholds, versions };
  }

  async getThresholds(principal: Principal, projectName: string, name: string): Promise<MonitoringThresholdsT> {
    const { deployment } = await this.find(principal, projectName, name, 'read');
    return this.thresholdsOf(deployment.id);
  }

  async putThresholds(principal: Principal, projectName: string, name: string, body: Partial<MonitoringThresholdsT>): Promise<MonitoringThresholdsT> {
    const { project, deployment } = await this.find(principal, projectName, name, 'write');
    const thresholds = { ...DEFAULT_THRESHOLDS, ...body };
    await this.catalog.transaction(async (tx) => {
      await tx.monitoring.putThresholds(deployment.id, thresholds, principal.keyId);
      await tx.audit.record({
        actorKeyId: principal.keyId,
        projectId: project.id,
        action: 'deployment.monitoring.thresholds',
        resourceType: 'deployment',
        resourceId: deployment.id,
        details: thresholds,
      });
    });
    return thresholds;
  }

  async alerts(principal: Principal, projectName: string, name: string, q: { state?: 'active' | 'resolved'; limit?: number }): Promise<MonitoringAlert[]> {
    const { deployment } = await this.find(principal, projectName, name, 'read');
    return this.catalog.monitoring.listAlerts(deployment.id, { state: q.state, limit: q.limit ?? 100 });
  }

  /** Labels for answers of this deployment, by request id (and instance index); answers it does not know are listed, not refused. */
  async labels(principal: Principal, projectName: string, name: string, body: LabelsBodyT): Promise<{ accepted: number; unknown: Array<{ requestId: string; index: number }> }> {
    const { deployment } = await this.find(principal, projectName, name, 'write');
    const model = await this.catalog.models.findById(deployment.modelId);
    const errors: FieldError[] = [];
    body.labels.forEach((l, i) => {
      if (!Number.isFinite(l.label)) errors.push({ field: `/body/labels/${i}/label`, message: 'must be a finite number' });
      else if (model?.task === 'binary' && l.label !== 0 && l.label !== 1) errors.push({ field: `/body/labels/${i}/label`, message: 'must be 0 or 1 (the model is binary)' });
      else if (model?.task === 'multiclass' && !(Number.isInteger(l.label) && l.label >= 0)) {
        errors.push({ field: `/body/labels/${i}/label`, message: 'must be a class index (an integer ≥ 0; the model is multiclass)' });
      }
    });
    if (errors.length) throw Errors.validation(errors.slice(0, 100));
    const wanted = body.labels.map((l) => ({ requestId: l.requestId, rowIndex: l.index ?? 0, label: l.label }));
    const found = await this.catalog.monitoring.labelOutcomes(deployment.id, wanted);
    const hit = new Set(found.map((f) => `${f.rowIndex}/${f.requestId}`));
    const unknown = wanted.filter((w) => !hit.has(`${w.rowIndex}/${w.requestId}`)).map((w) => ({ requestId: w.requestId, index: w.rowIndex }));
    return { accepted: wanted.length - unknown.length, unknown };
  }
}
