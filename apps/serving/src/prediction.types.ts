// The shapes of the node's predict / rank API (in-process and over its own port).

export type Prediction = number | Record<string, number>;

export interface PredictRequest {
  projectId: string;
  model: string;
  /** A version or an alias, bypassing deployment routing; absent → the model's deployment routes. */
  target?: { version: number } | { alias: string };
  instances?: Array<Record<string, unknown>>;
  entityKeys?: Array<Record<string, unknown>>;
  /** Feature views joined for entityKeys (default: the deployment's spec.featureViews). */
  featureViews?: string[];
  requestId?: string;
  /** Overrides the deployment's batching.timeoutMs for this request. */
  timeoutMs?: number;
}

export interface PredictResponse {
  model: string;
  version: number;
  deployment: string | null;
  outputs: string[];
  predictions: Prediction[];
  requestId?: string;
}

export interface RankRequest extends Omit<PredictRequest, 'instances' | 'entityKeys'> {
  context?: Record<string, unknown>;
  candidates: Array<Record<string, unknown>>;
  topK?: number;
}

export interface RankResponse {
  model: string;
  version: number;
  deployment: string | null;
  ranking: Array<{ index: number; score: number }>;
  requestId?: string;
}

/** What the node needs from the feature store: online values by entity key. */
export interface OnlineFeatureSource {
  read(
    projectId: string,
    req: { featureViews: string[]; entityKeys: Array<Record<string, unknown>> },
  ): Promise<{ results: Array<{ features: Record<string, { values: Record<string, unknown> }> }> }>;
}
