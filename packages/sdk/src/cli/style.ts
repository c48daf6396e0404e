// ANSI colours, only where a person is looking: the stream is a TTY, NO_COLOR is unset (no-color.org)
// and --no-color was not given. Everything else gets plain text.

export interface Style {
  enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

export function colourAllowed(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function makeStyle(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return {
    enabled,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

/** Colour a status word by what it means to the reader. */
export function statusColour(style: Style, status: string): string {
  if (['succeeded', 'ready', 'approved', 'completed', 'active'].includes(status)) return style.green(status);
  if (['failed', 'rejected', 'cancelled', 'revoked'].includes(status)) return style.red(status);
  if (['queued', 'running', 'progressing', 'pending'].includes(status)) return style.yellow(status);
  return status;
}
