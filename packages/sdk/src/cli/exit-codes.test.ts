import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor } from './exit-codes.js';

describe('exitCodeFor', () => {
  it('maps each error class to its documented code', () => {
    const cases: Array<[{ status?: number; code?: string }, number]> = [
      [{ status: 401, code: 'ATL_UNAUTHENTICATED' }, EXIT.auth],
      [{ status: 403, code: 'ATL_FORBIDDEN' }, EXIT.auth],
      [{ status: 404, code: 'ATL_MODEL_NOT_FOUND' }, EXIT.notFound],
      [{ status: 409, code: 'ATL_GATE_REJECTED' }, EXIT.conflict],
      [{ status: 400, code: 'ATL_VALIDATION_FAILED' }, EXIT.validation],
      [{ status: 422, code: 'ATL_DATASET_MALFORMED' }, EXIT.validation],
      [{ status: 413, code: 'ATL_BODY_TOO_LARGE' }, EXIT.validation],
      [{ status: 503, code: 'ATL_MODEL_NOT_READY' }, EXIT.unavailable],
      [{ status: 500, code: 'ATL_INTERNAL' }, EXIT.unavailable],
      [{ status: 429, code: 'ATL_RATE_LIMITED' }, EXIT.unavailable],
      [{ status: 0, code: 'ATL_NETWORK' }, EXIT.unavailable],
      [{ status: 0, code: 'ATL_TIMEOUT' }, EXIT.unavailable],
      [{ status: 0, code: 'ATL_ABORTED' }, EXIT.interrupted],
      [{ status: 0, code: 'ATL_JOB_FAILED' }, EXIT.jobFailed],
      [{ status: 0, code: 'ATL_JOB_CANCELLED' }, EXIT.jobFailed],
      [{ status: 0, code: 'ATL_CONFIG' }, EXIT.usage],
      [{ status: 0, code: 'ATL_NO_PROJECT' }, EXIT.usage],
      [{ status: 0, code: 'ATL_FILE_UNREADABLE' }, EXIT.usage],
      [{ status: 0, code: 'ATL_VALIDATION_FAILED' }, EXIT.usage],
      [{ status: 0, code: 'ATL_DEPLOYMENT_NOT_READY' }, EXIT.generic],
      [{}, EXIT.generic],
    ];
    for (const [err, code] of cases) expect(exitCodeFor(err), JSON.stringify(err)).toBe(code);
  });
});
