// The sampled prediction log: serving nodes write it (JSONL objects in artifacts), the gateway reads
// the newest records back (recent predictions) and monitoring reads it for drift.
//   prediction-logs/<projectId>/<model>/<yyyy-mm-dd>/<iso-time>-<nodeId>-<seq>.jsonl
// Key order is time order within a day (the ISO time leads the file name).

/** One logged prediction: one line of a log object. */
export interface PredictionLogRecord {
  ts: string;
  projectId: string;
  model: string;
  version: number;
  deployment: string | null;
  shadow: boolean;
  requestId: string | null;
  latencyMs: number;
  inputs: unknown;
  outputs: unknown;
}

export const predictionLogKeys = {
  /** Every object of one model of one project. */
  modelPrefix: (projectId: string, model: string) => `prediction-logs/${projectId}/${model}/`,
  /** One UTC day of that model's log (`day` is yyyy-mm-dd). */
  dayPrefix: (projectId: string, model: string, day: string) => `prediction-logs/${projectId}/${model}/${day}/`,
  /** A flushed object, named by the time it was written, the node and a per-node sequence. */
  object: (projectId: string, model: string, at: Date, nodeId: string, seq: number) => {
    const iso = at.toISOString();
    return `prediction-logs/${projectId}/${model}/${iso.slice(0, 10)}/${iso.replace(/[:.]/g, '-')}-${nodeId}-${seq}.jsonl`;
  },
} as const;
