// The prediction backend of a gateway that runs without a serving node in its process and without
// ATELIER_SERVING_URL: the predict routes stay (in the API and its document) and answer 503 naming
// the missing setting, rather than vanishing into 404s.
import { ApiError } from '../errors.js';
import type { BackendPredictResponse, BackendRankResponse, PredictionBackend } from '../routes/predictions.routes.js';
import type { ServingView } from './inference-v2.service.js';

export class UnconfiguredPredictionBackend implements PredictionBackend {
  predict(): Promise<BackendPredictResponse> {
    return Promise.reject(this.error());
  }

  rank(): Promise<BackendRankResponse> {
    return Promise.reject(this.error());
  }

  /** No pool to ask: the Open Inference Protocol's ready probes answer not ready (not "deployed, so ready"). */
  servingStatus(): Promise<ServingView> {
    return Promise.reject(this.error());
  }

  private error(): ApiError {
    return new ApiError(
      503,
      'ATL_SERVING_NOT_CONFIGURED',
      'This gateway has no serving pool: set ATELIER_SERVING_URL to the serving pool (e.g. http://atelier-serving:8081) and restart it, ' +
        'or run `atelier-server start`, which serves predictions in-process.',
    );
  }
}
