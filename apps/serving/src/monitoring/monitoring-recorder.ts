// Model monitoring on the serving node: as it answers a deployment's request, the node bins each
// monitored feature value and the output into the version's reference bins (counts per window of
// windowMs), and keeps (request id, row, score) of the answers so that labels sent later can be joined.
// Every flushMs it writes its running totals of the windows that changed (one row per node, deployment,
// version and window: a rewrite, so nothing is counted twice) and the buffered answers to catalog. The
// gateway computes drift from those counts; the prediction log is never read back.
import type { Catalog, ModelVersion } from '@atelier/catalog';
import type { MonitoringReference, MonitoringWindowCounts } from '@atelier/contracts';
import type { ServingLog } from '../version-loader.js';
import { BinCounter, compileBins, type CompiledBins } from './feature-binning.js';
import { buildMonitoringReference } from './monitoring-reference.js';

export interface MonitoringConfig {
  nodeId: string;
  /** Window length, ms. */
  windowMs: number;
  /** Write counts and answers every this many ms. */
  flushMs: number;
  /** Most answers kept for labels per flush (the rest are not labelable). */
  maxOutcomesPerFlush: number;
  /** Told how many answers were not kept, once per flush that dropped some. */
  onDropped?(count: number): void;
}

interface Compiled {
  reference: MonitoringReference;
  names: string[];
  features: CompiledBins[];
  output: CompiledBins | null;
}

interface WindowCounts {
  deploymentId: string;
  versionId: string;
  windowStart: number;
  rows: number;
  features: BinCounter[];
  output: BinCounter | null;
  dirty: boolean;
}

export class MonitoringRecorder {
  private readonly compiled = new Map<string, Compiled>();
  private windows = new Map<string, WindowCounts>();
  private outcomes: Array<{ deploymentId: string; requestId: string; rowIndex: number; modelVersionId: string; windowStart: Date; score: number }> = [];
  /** Answers not kept because the buffer was full (reported on the next flush). */
  dropped = 0;
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly catalog: Catalog,
    readonly config: MonitoringConfig,
    private readonly log: ServingLog,
  ) {
    this.timer = setInterval(() => void this.flush(), config.flushMs);
    this.timer.unref();
  }

  /** Build (or read) and compile the version's reference; never fails the load (monitoring is best effort). */
  async prepare(v: ModelVersion, projectId: string, inputs: Array<{ name: string; shape: number[] }>, outputWidth: number): Promise<void> {
    try {
      let stored = await this.catalog.monitoring.findReference(v.id);
      if (!stored) stored = await this.catalog.monitoring.saveReference(v.id, await this.build(v, projectId, inputs, outputWidth));
      const reference = stored as MonitoringReference;
      this.compiled.set(v.id, {
        reference,
        names: reference.features.map((f) => f.name),
        features: reference.features.map(compileBins),
        output: reference.output ? compileBins(reference.output) : null,
      });
    } catch (err) {
      this.log('warn', 'monitoring reference not built; the version is served unmonitored', { versionId: v.id, err: (err as Error).message });
    }
  }

  private async build(v: ModelVersion, projectId: string, inputs: Array<{ name: string; shape: number[] }>, outputWidth: number): Promise<MonitoringReference> {
    const lineage = v.lineage as { datasetVersionId?: unknown; spec?: { label?: unknown } };
    const signature = v.signature as { task?: unknown } | null;
    let profile: { columns?: [] } | null = null;
    let datasetVersionId: string | null = null;
    if (typeof lineage.datasetVersionId === 'string' && /^[0-9a-f-]{36}$/i.test(lineage.datasetVersionId)) {
      // Lineage of an uploaded version is the client's text: the dataset must be one of the model's project.
      const dv = await this.catalog.datasets.findVersionById(lineage.datasetVersionId);
      const dataset = dv && (await this.catalog.datasets.findById(dv.datasetId));
      if (dv && dataset?.projectId === projectId) {
        profile = dv.profile as { columns?: [] };
        datasetVersionId = dv.id;
      }
    }
    return buildMonitoringReference({
      inputs,
      task: typeof signature?.task === 'string' ? signature.task : null,
      outputWidth,
      labelColumn: typeof lineage.spec?.label === 'string' ? lineage.spec.label : null,
      datasetVersionId,
      profile,
    });
  }

  /** Forget a version's compiled reference (it was unloaded). */
  forget(versionId: string): void {
    this.compiled.delete(versionId);
  }

  /** Count one answered request of a deployment: its rows' features, its outputs, and its answers for labels. */
  observe(deploymentId: string, versionId: string, rows: ReadonlyArray<Record<string, unknown>>, out: Float32Array, width: number, requestId: string | undefined): void {
    const c = this.compiled.get(versionId);
    if (!c) return;
    const now = Date.now();
    const windowStart = now - (now % this.config.windowMs);
    const key = `${deploymentId}/${versionId}/${windowStart}`;
    let w = this.windows.get(key);
    if (!w) {
      w = {
        deploymentId,
        versionId,
        windowStart,
        rows: 0,
        features: c.features.map((f) => new BinCounter(f)),
        output: c.output ? new BinCounter(c.output) : null,
        dirty: true,
      };
      this.windows.set(key, w);
    }
    w.dirty = true;
    w.rows += rows.length;
    // An id Postgres cannot store (NUL, a lone surrogate) would fail the whole batch of answers it is written with.
    if (requestId !== undefined && unstorable(requestId)) requestId = undefined;
    const names = c.names;
    const counters = w.features;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      for (let j = 0; j < names.length; j++) counters[j].add(row[names[j]]);
      const score = width === 1 ? out[i] : argmax(out, i * width, width);
      if (w.output) w.output.add(width === 1 ? score : String(score));
      if (requestId !== undefined) {
        if (this.outcomes.length < this.config.maxOutcomesPerFlush) {
          if (Number.isFinite(score)) this.outcomes.push({ deploymentId, requestId, rowIndex: i, modelVersionId: versionId, windowStart: new Date(windowStart), score });
        } else this.dropped++;
      }
    }
  }

  /** Write the windows that changed and the answers kept; windows that ended are then let go. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write()).catch((err: Error) => this.log('warn', 'monitoring flush failed', { err: err.message }));
    return this.flushing;
  }

  private async write(): Promise<void> {
    const now = Date.now();
    const current = now - (now % this.config.windowMs);
    const rows = [];
    for (const [key, w] of this.windows) {
      if (w.dirty) {
        const counts: MonitoringWindowCounts = { rows: w.rows, features: w.features.map((f) => f.toJSON()), output: w.output?.toJSON() ?? null };
        rows.push({ deploymentId: w.deploymentId, modelVersionId: w.versionId, windowStart: new Date(w.windowStart), windowMs: this.config.windowMs, rows: w.rows, counts });
        w.dirty = false;
      }
      // A window that ended gets no more rows from this node: written above (or before), let go.
      if (w.windowStart < current) this.windows.delete(key);
    }
    const outcomes = this.outcomes;
    this.outcomes = [];
    if (this.dropped) {
      this.config.onDropped?.(this.dropped);
      this.log('warn', 'monitoring kept only part of the answers for labels (ATELIER_MONITORING_MAX_OUTCOMES per flush)', { dropped: this.dropped });
      this.dropped = 0;
    }
    if (rows.length) await this.catalog.monitoring.writeWindows(this.config.nodeId, rows);
    if (outcomes.length) await this.catalog.monitoring.insertOutcomes(outcomes);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

/** Text Postgres refuses: a NUL, or a surrogate without its pair (String.prototype.isWellFormed, Node ≥ 20). */
const unstorable = (s: string) => s.includes('\u0000') || !(s as string & { isWellFormed(): boolean }).isWellFormed();

function argmax(out: Float32Array, start: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (out[start + j] > out[start + best]) best = j;
  return best;
}
