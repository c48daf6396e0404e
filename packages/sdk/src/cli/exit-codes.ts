// One exit code per class of failure, so scripts can branch on `$?` without parsing output.
// docs/cli.md documents this table; keep the two in step.

export const EXIT = {
  ok: 0,
  generic: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  conflict: 5,
  validation: 6,
  unavailable: 7,
  jobFailed: 8,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The fields of an SDK error the CLI branches on (AtelierError carries them all). */
export interface ErrorLike {
  status?: number;
  code?: string;
}

/** The exit code for an error thrown by the SDK (or by the CLI itself, with the same fields). */
export function exitCodeFor(err: ErrorLike): ExitCode {
  const { status = -1, code = '' } = err;
  if (code === 'ATL_ABORTED') return EXIT.interrupted;
  if (code === 'ATL_JOB_FAILED' || code === 'ATL_JOB_CANCELLED') return EXIT.jobFailed;
  // Raised on this side before any request: bad local input or settings.
  if (code === 'ATL_CONFIG' || code === 'ATL_NO_PROJECT' || code === 'ATL_FILE_UNREADABLE' || (code === 'ATL_VALIDATION_FAILED' && status === 0)) return EXIT.usage;
  if (code === 'ATL_NETWORK' || code === 'ATL_TIMEOUT' || code === 'ATL_BAD_RESPONSE') return EXIT.unavailable;
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 400 || status === 413 || status === 415 || status === 422) return EXIT.validation;
  if (status >= 500 || status === 408 || status === 429) return EXIT.unavailable;
  return EXIT.generic;
}
