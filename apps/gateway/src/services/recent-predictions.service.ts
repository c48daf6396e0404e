// Recent predictions of a model, read back from the sampled prediction log (JSONL in artifacts).
// Bounded: only the model's own prefix under the caller's project (built here, never from a key the
// client sends), the last few days, the newest few objects, and a cap on the bytes read.
import { ArtifactNotFoundError, type ArtifactStore } from '@atelier/artifacts';
import { predictionLogKeys, type PredictionLogRecord } from '@atelier/contracts';
import type { Principal } from '../auth/principal.js';
import type { ModelRegistryService } from './model-registry.service.js';

export interface RecentPredictionsLimits {
  /** Days looked back (UTC, newest first). */
  days: number;
  /** Objects read at most. */
  maxObjects: number;
  /** Bytes read at most over all objects (a bigger object is read from its end). */
  maxBytes: number;
}

export const DEFAULT_RECENT_PREDICTIONS_LIMITS: RecentPredictionsLimits = { days: 7, maxObjects: 20, maxBytes: 4 * 1024 * 1024 };

export class RecentPredictionsService {
  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly registry: ModelRegistryService,
    private readonly limits: RecentPredictionsLimits = DEFAULT_RECENT_PREDICTIONS_LIMITS,
  ) {}

  /** The newest `limit` logged predictions of the model, newest first. */
  async list(principal: Principal, projectName: string, modelName: string, limit: number, now = new Date()): Promise<PredictionLogRecord[]> {
    const { project, model } = await this.registry.model(principal, projectName, modelName, 'read');
    const out: PredictionLogRecord[] = [];
    let bytesLeft = this.limits.maxBytes;
    let objectsLeft = this.limits.maxObjects;
    for (let d = 0; d < this.limits.days && out.length < limit && objectsLeft > 0 && bytesLeft > 0; d++) {
      const day = new Date(now.getTime() - d * 86_400_000).toISOString().slice(0, 10);
      const keys: Array<{ key: string; size: number }> = [];
      for await (const entry of this.artifacts.list(predictionLogKeys.dayPrefix(project.id, model.name, day))) keys.push({ key: entry.key, size: entry.size });
      keys.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
      const records: PredictionLogRecord[] = [];
      for (const { key, size } of keys) {
        if (out.length + records.length >= limit || objectsLeft <= 0 || bytesLeft <= 0) break;
        objectsLeft--;
        const start = Math.max(0, size - bytesLeft);
        const text = await this.read(key, start);
        bytesLeft -= size - start;
        const lines = text.split('\n');
        if (start > 0) lines.shift(); // a partial first line when read from the middle
        for (const line of lines) {
          const record = parseRecord(line);
          // a line of another project or model (never expected) is not shown
          if (record && record.projectId === project.id && record.model === model.name) records.push(record);
        }
      }
      out.push(...records);
    }
    out.sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0));
    return out.slice(0, limit);
  }

  private async read(key: string, start: number): Promise<string> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of await this.artifacts.get(key, start > 0 ? { start } : undefined)) chunks.push(Buffer.from(chunk as Uint8Array));
    } catch (err) {
      if (err instanceof ArtifactNotFoundError) return ''; // removed since the listing
      throw err;
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

function parseRecord(line: string): PredictionLogRecord | null {
  if (!line.trim()) return null;
  try {
    const r = JSON.parse(line) as Partial<PredictionLogRecord>;
    if (typeof r.ts !== 'string' || typeof r.version !== 'number' || typeof r.projectId !== 'string' || typeof r.model !== 'string') return null;
    return {
      ts: r.ts,
      projectId: r.projectId,
      model: r.model,
      version: r.version,
      deployment: r.deployment ?? null,
      shadow: r.shadow === true,
      requestId: r.requestId ?? null,
      latencyMs: typeof r.latencyMs === 'number' ? r.latencyMs : 0,
      inputs: r.inputs ?? null,
      outputs: r.outputs ?? null,
    };
  } catch {
    return null;
  }
}
