// The shapes of the node's predict / rank API (in-process and over its own port).
// The bodies and answers are the contracts' (the gateway validates the same schemas); the node's
// in-process calls add only the address: project, model, and an optional version or alias.
import type {
  Prediction,
  PredictRequest as PredictBody,
  PredictResponse,
  RankRequest as RankBody,
  RankResponse,
} from '@atelier/contracts';

export type { Prediction, PredictResponse, RankResponse };

/** Which model answers: its deployment's routes, or a version or alias named directly. */
export interface PredictionAddress {
  projectId: string;
  model: string;
  /** A version or an alias, bypassing deployment routing; absent → the model's deployment routes. */
  target?: { version: number } | { alias: string };
}

export type PredictRequest = PredictionAddress & PredictBody;
export type RankRequest = PredictionAddress & RankBody;

/** What the node needs from the feature store: online values by entity key. */
export interface OnlineFeatureSource {
  read(
    projectId: string,
    req: { featureViews: string[]; entityKeys: Array<Record<string, unknown>> },
  ): Promise<{ results: Array<{ features: Record<string, { values: Record<string, unknown> }> }> }>;
}
