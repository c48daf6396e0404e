// An error the CLI raises itself (bad local input, missing login), shaped like the SDK's errors so
// one printer and one exit-code table serve both. Like the SDK's own argument errors it carries
// ATL_VALIDATION_FAILED with status 0 (nothing was sent): that pair is a usage error, exit 2.

export const USAGE_CODE = 'ATL_VALIDATION_FAILED';

export class CliError extends Error {
  readonly code: string;
  readonly status: number;
  readonly errors: Array<{ field: string; message: string }>;

  constructor(message: string, opts: { code?: string; errors?: Array<{ field: string; message: string }> } = {}) {
    super(message);
    this.name = 'CliError';
    this.code = opts.code ?? USAGE_CODE;
    this.status = 0;
    this.errors = opts.errors ?? [];
  }
}

/** A usage error: the command line or a local file is wrong (exit 2). */
export function usage(message: string): CliError {
  return new CliError(message, { code: USAGE_CODE });
}
