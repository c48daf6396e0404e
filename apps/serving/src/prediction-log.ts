// Sampled prediction logging for monitoring: a share of predictions (inputs, outputs, version,
// latency) is buffered and written to artifacts as JSONL, one object per (project, model) per flush:
//   prediction-logs/<projectId>/<model>/<yyyy-mm-dd>/<iso-time>-<nodeId>-<seq>.jsonl
// A flush happens every `flushRecords` records or `flushIntervalMs`, and on stop. Losing a buffer
// when the process dies is accepted (it is a sample).
import type { ArtifactStore } from '@atelier/artifacts';
import { predictionLogKeys, type PredictionLogRecord } from '@atelier/contracts';

/** The record shape lives in contracts: the gateway reads these objects back. */
export type PredictionRecord = PredictionLogRecord;

export interface PredictionLogOptions {
  sampleRate: number;
  flushRecords: number;
  flushIntervalMs: number;
  nodeId: string;
  onError?(err: Error): void;
  random?: () => number;
}

export class PredictionLog {
  private buffer: PredictionRecord[] = [];
  private timer: NodeJS.Timeout;
  private seq = 0;
  private writing: Promise<void> = Promise.resolve();
  written = 0;

  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly opts: PredictionLogOptions,
  ) {
    this.timer = setInterval(() => void this.flush(), opts.flushIntervalMs);
    this.timer.unref();
  }

  /** Whether this prediction is in the sample (decide before building the record). */
  sampled(): boolean {
    return this.opts.sampleRate > 0 && (this.opts.sampleRate >= 1 || (this.opts.random ?? Math.random)() < this.opts.sampleRate);
  }

  record(r: PredictionRecord): void {
    this.buffer.push(r);
    if (this.buffer.length >= this.opts.flushRecords) void this.flush();
  }

  /** Write what is buffered; resolves when every write so far is durable. */
  flush(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length) {
      const groups = new Map<string, PredictionRecord[]>();
      for (const r of batch) {
        const k = `${r.projectId}/${r.model}`;
        let g = groups.get(k);
        if (!g) groups.set(k, (g = []));
        g.push(r);
      }
      const now = new Date();
      const writes = [...groups].map(([, records]) => {
        const key = predictionLogKeys.object(records[0].projectId, records[0].model, now, this.opts.nodeId, ++this.seq);
        const body = Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n');
        return this.artifacts.put(key, body, { contentType: 'application/x-ndjson' }).then(
          () => {
            this.written += records.length;
          },
          (err: Error) => this.opts.onError?.(err),
        );
      });
      this.writing = this.writing.then(() => Promise.all(writes)).then(() => {});
    }
    return this.writing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
