// The one garbage collector for bytes nothing points at: what a process killed between two steps
// leaves behind. It owns
//   - stored dataset files, model bundles and checkpoints that no row references (killed between
//     "bytes stored" and "row inserted"; a job that finished while its runner died before deleting
//     its checkpoint), once older than the grace age;
//   - ONNX uploads never registered within the upload TTL;
//   - the artifact store's temp / staging leftovers (ArtifactStore.sweepTemporaries);
//   - this gateway's local spool: dataset uploads being spooled, feature-store work dirs.
// It runs at start and every intervalMs, in every gateway replica. Replicas may run it at once: each
// delete is re-decided under the owner row's lock and deleting twice is harmless.
//
// Why a referenced object is never removed: dataset and model versions are inserted under a lock on
// their dataset / model row. Right before a delete the collector takes that lock, checks again that no
// version points at the key, and stats the object again (rewritten since the listing → younger than
// the grace age → kept). A writer that decided to reuse the bytes before the lock and inserts its row
// after the delete finds them missing when it checks after its insert, and stores them again.
import type { Dirent } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ArtifactListEntry, ArtifactStore } from '@atelier/artifacts';
import type { ArtifactOwner, Catalog, JobStatus } from '@atelier/catalog';
import { artifactKeys, parseArtifactKey } from '@atelier/contracts';
import type { ArtifactGcConfig } from '../artifact-gc.config.js';

export type GcKind = 'dataset' | 'bundle' | 'upload' | 'checkpoint' | 'temporary' | 'spool';

export interface GcPassReport {
  removed: Record<GcKind, { count: number; bytes: number }>;
  /** Objects or files that could not be checked or removed (logged; retried next pass). */
  errors: number;
  durationMs: number;
}

export interface ArtifactGcDeps {
  catalog: Catalog;
  artifacts: ArtifactStore;
  registry: Registry;
  /** The datasets work dir (ATELIER_DATASETS_DIR): its scratch folders are this process's spool. */
  workDir: string;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

// Key layouts are the contracts' (artifactKeys builds them for every writer, parseArtifactKey reads them here).
const FINISHED: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);
/** Scratch folders of the datasets work dir (the datasets service and the feature store); cache/ is not one. */
const SPOOL_DIRS = ['incoming', 'duckdb-tmp', join('features', 'training-sets'), join('features', 'duckdb-spill')];
const OWNER_FILE = 'gateway.pid';
const BATCH = 500;

export class ArtifactGcService {
  private readonly removedObjects: Counter<'kind'>;
  private readonly removedBytes: Counter<'kind'>;
  private readonly passes: Counter<'outcome'>;
  private readonly lastPass: Gauge;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<GcPassReport> | null = null;
  private stopping = false;
  private ownsWorkDir = false;

  constructor(
    readonly config: ArtifactGcConfig,
    private readonly deps: ArtifactGcDeps,
  ) {
    const registers = [deps.registry];
    this.removedObjects = new Counter({ name: 'atelier_gc_removed_total', help: 'Orphaned objects and files removed by the artifact collector, by kind', labelNames: ['kind'], registers });
    this.removedBytes = new Counter({ name: 'atelier_gc_removed_bytes_total', help: 'Bytes freed by the artifact collector, by kind', labelNames: ['kind'], registers });
    this.passes = new Counter({ name: 'atelier_gc_passes_total', help: 'Artifact collector passes, by outcome (ok: every item handled; errors: some retried next pass)', labelNames: ['outcome'], registers });
    this.lastPass = new Gauge({ name: 'atelier_gc_last_pass_timestamp_seconds', help: 'When the last artifact collector pass ended (Unix time)', registers });
  }

  /**
   * Clears this process's spool left by a killed predecessor (before any upload can start), then runs
   * a first pass in the background and one every intervalMs. Does nothing when intervalMs is 0.
   */
  async start(): Promise<void> {
    if (this.config.intervalMs === 0 || this.timer) return;
    this.stopping = false;
    this.ownsWorkDir = await this.claimWorkDir();
    if (this.ownsWorkDir) {
      const report = emptyReport();
      await this.sweepSpool(report, Number.POSITIVE_INFINITY); // no upload of ours has started yet
      this.record(report);
      if (report.removed.spool.count > 0) this.deps.log('info', 'removed spool files left by a previous process', { ...report.removed.spool });
    }
    const tick = () => void this.runOnce().catch(() => {});
    tick();
    this.timer = setInterval(tick, this.config.intervalMs);
    this.timer.unref();
  }

  /** Stops the schedule, lets a running pass end at its next item, and gives the work dir back. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
    if (this.ownsWorkDir) {
      this.ownsWorkDir = false;
      const file = join(this.deps.workDir, OWNER_FILE);
      if ((await readFile(file, 'utf8').catch(() => '')).trim() === String(process.pid)) await unlink(file).catch(() => {});
    }
  }

  /** One full pass (a call while one runs gets that one). Logs and exports what it removed. */
  runOnce(): Promise<GcPassReport> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<GcPassReport> {
    const started = Date.now();
    const report = emptyReport();
    const steps: Array<[string, () => Promise<void>]> = [
      ['temporaries', async () => add(report, 'temporary', await this.deps.artifacts.sweepTemporaries(this.config.tempMaxAgeMs))],
      ['spool', () => this.sweepSpool(report, Date.now() - this.config.spoolMaxAgeMs)],
      ['uploads', () => this.sweepUploads(report)],
      ['datasets', () => this.sweepUnreferenced(report, 'dataset', artifactKeys.datasetPrefix, (key) => parseArtifactKey.dataset(key)?.datasetId)],
      ['bundles', () => this.sweepUnreferenced(report, 'bundle', artifactKeys.bundlePrefix, (key) => parseArtifactKey.bundle(key)?.modelId)],
      ['checkpoints', () => this.sweepCheckpoints(report)],
    ];
    for (const [name, step] of steps) {
      if (this.stopping) break;
      try {
        await step();
      } catch (err) {
        report.errors++;
        this.deps.log('warn', `artifact collector: the ${name} step failed; it runs again next pass`, { err: String(err) });
      }
    }
    report.durationMs = Date.now() - started;
    this.record(report);
    this.passes.inc({ outcome: report.errors === 0 ? 'ok' : 'errors' });
    this.lastPass.set(Date.now() / 1000);
    const removed = Object.fromEntries(Object.entries(report.removed).filter(([, v]) => v.count > 0));
    this.deps.log(report.errors === 0 ? 'info' : 'warn', 'artifact collector pass done', { removed, errors: report.errors, durationMs: report.durationMs });
    return report;
  }

  private record(report: GcPassReport): void {
    for (const [kind, { count, bytes }] of Object.entries(report.removed)) {
      if (count > 0) this.removedObjects.inc({ kind }, count);
      if (bytes > 0) this.removedBytes.inc({ kind }, bytes);
    }
  }

  // ── stored objects ──────────────────────────────────────────────────────────────────────────────

  /** Dataset files or bundles older than the grace age that no version points at. */
  private async sweepUnreferenced(report: GcPassReport, kind: 'dataset' | 'bundle', prefix: string, ownerOf: (key: string) => string | undefined): Promise<void> {
    const cutoff = Date.now() - this.config.graceMs;
    const old = await this.listOld(prefix, cutoff, (key) => ownerOf(key) !== undefined);
    for (let i = 0; i < old.length && !this.stopping; i += BATCH) {
      const batch = old.slice(i, i + BATCH);
      const referenced = await this.deps.catalog.artifactReferences.referenced(batch.map((e) => e.key));
      for (const entry of batch) {
        if (this.stopping) return;
        if (referenced.has(entry.key)) continue;
        const id = ownerOf(entry.key)!;
        await this.removeIfUnreferenced(report, kind, { kind: kind === 'dataset' ? 'dataset' : 'model', id }, entry.key, cutoff);
      }
    }
  }

  /** The decision again, under the owner row's lock, right before the delete (see the header). */
  private async removeIfUnreferenced(report: GcPassReport, kind: GcKind, owner: ArtifactOwner, key: string, cutoff: number): Promise<void> {
    try {
      const size = await this.deps.catalog.transaction(async (tx) => {
        const ownerExists = await tx.artifactReferences.lockOwner(owner);
        if (ownerExists && (await tx.artifactReferences.referenced([key])).size > 0) return null;
        const st = await this.deps.artifacts.stat(key);
        if (!st || st.lastModified.getTime() >= cutoff) return null;
        await this.deps.artifacts.delete(key);
        return st.size;
      });
      if (size !== null) add(report, kind, { count: 1, bytes: size });
    } catch (err) {
      report.errors++;
      this.deps.log('warn', `artifact collector: could not check or remove ${key}`, { err: String(err) });
    }
  }

  /** ONNX uploads are never referenced by a row: one not registered within the TTL is abandoned. */
  private async sweepUploads(report: GcPassReport): Promise<void> {
    const old = await this.listOld(artifactKeys.uploadsPrefix, Date.now() - this.config.uploadTtlMs, () => true);
    for (const entry of old) {
      if (this.stopping) return;
      await this.deleteCounted(report, 'upload', entry);
    }
  }

  /** Checkpoints of jobs that finished (or no longer exist): a runner that died after the finish left them. */
  private async sweepCheckpoints(report: GcPassReport): Promise<void> {
    const cutoff = Date.now() - this.config.graceMs;
    const entries = await this.listOld(artifactKeys.trainingJobsPrefix, Number.POSITIVE_INFINITY, (key) => parseArtifactKey.checkpoint(key) !== null);
    for (let i = 0; i < entries.length && !this.stopping; i += BATCH) {
      const batch = entries.slice(i, i + BATCH);
      const statuses = await this.deps.catalog.artifactReferences.jobStatuses([...new Set(batch.map((e) => parseArtifactKey.checkpoint(e.key)!.jobId))]);
      for (const entry of batch) {
        if (this.stopping) return;
        const status = statuses.get(parseArtifactKey.checkpoint(entry.key)!.jobId);
        // A finished job never runs again; a missing one was deleted (its row came before any checkpoint).
        const garbage = status === undefined ? entry.lastModified.getTime() < cutoff : FINISHED.has(status);
        if (garbage) await this.deleteCounted(report, 'checkpoint', entry);
      }
    }
  }

  private async deleteCounted(report: GcPassReport, kind: GcKind, entry: ArtifactListEntry): Promise<void> {
    try {
      await this.deps.artifacts.delete(entry.key);
      add(report, kind, { count: 1, bytes: entry.size });
    } catch (err) {
      report.errors++;
      this.deps.log('warn', `artifact collector: could not remove ${entry.key}`, { err: String(err) });
    }
  }

  /** Collected before any delete: the filesystem store prunes folders a walk may still be reading. */
  private async listOld(prefix: string, cutoff: number, match: (key: string) => boolean): Promise<ArtifactListEntry[]> {
    const out: ArtifactListEntry[] = [];
    for await (const entry of this.deps.artifacts.list(prefix)) {
      if (this.stopping) break;
      if (entry.lastModified.getTime() < cutoff && match(entry.key)) out.push(entry);
    }
    return out;
  }

  // ── local spool ─────────────────────────────────────────────────────────────────────────────────

  /** Removes spool entries (files, or run folders by their newest file) last modified before `cutoff`. */
  private async sweepSpool(report: GcPassReport, cutoff: number): Promise<void> {
    for (const dir of SPOOL_DIRS.map((d) => join(this.deps.workDir, d))) {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue; // not created yet
      }
      for (const entry of entries) {
        if (this.stopping) return;
        const path = join(dir, entry.name);
        try {
          const usage = await diskUsage(path);
          if (usage.newestMs >= cutoff) continue;
          await rm(path, { recursive: true, force: true });
          add(report, 'spool', { count: usage.files, bytes: usage.bytes });
        } catch (err) {
          report.errors++;
          this.deps.log('warn', `artifact collector: could not remove spool ${path}`, { err: String(err) });
        }
      }
    }
  }

  /**
   * The work dir is this process's when no other live process holds it (a pid file): only then is
   * everything in its spool at start a dead process's leftover. A gateway sharing it sweeps by age only.
   */
  private async claimWorkDir(): Promise<boolean> {
    const file = join(this.deps.workDir, OWNER_FILE);
    await mkdir(this.deps.workDir, { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(file, String(process.pid), { flag: 'wx' });
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && isAlive(owner)) return false;
      // Stale (its process is gone) or ours from an earlier start: take it over.
      await unlink(file).catch(() => {});
    }
    return false;
  }
}

function emptyReport(): GcPassReport {
  const zero = () => ({ count: 0, bytes: 0 });
  return { removed: { dataset: zero(), bundle: zero(), upload: zero(), checkpoint: zero(), temporary: zero(), spool: zero() }, errors: 0, durationMs: 0 };
}

function add(report: GcPassReport, kind: GcKind, n: { count: number; bytes: number }): void {
  report.removed[kind].count += n.count;
  report.removed[kind].bytes += n.bytes;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Files, bytes and the newest modification time under a path (a file or a folder). */
async function diskUsage(path: string): Promise<{ files: number; bytes: number; newestMs: number }> {
  const st = await lstat(path);
  if (!st.isDirectory()) return { files: 1, bytes: st.size, newestMs: st.mtimeMs };
  const total = { files: 0, bytes: 0, newestMs: st.mtimeMs };
  for (const name of await readdir(path)) {
    const sub = await diskUsage(join(path, name)).catch(() => ({ files: 0, bytes: 0, newestMs: 0 }));
    total.files += sub.files;
    total.bytes += sub.bytes;
    total.newestMs = Math.max(total.newestMs, sub.newestMs);
  }
  return total;
}
