// The exit-code table as the root --help shows it (docs/cli.md carries the same table).
export const EXIT_CODE_HELP = `
Exit codes:
  0    success
  1    other failure (e.g. a deployment that failed to become ready)
  2    usage: bad flags or arguments, unreadable or invalid local file, not logged in
  3    authentication or permission (HTTP 401/403)
  4    not found (HTTP 404)
  5    conflict or refused (HTTP 409, e.g. the blessing gate refused a promotion)
  6    validation (HTTP 400/413/415/422; the fields are listed)
  7    server or network unavailable (HTTP 5xx/408/429, timeouts, connection refused)
  8    the job failed or was cancelled (jobs run --follow, models evaluate)
  130  interrupted (Ctrl-C)
`;
