// A one-line progress bar on stderr, redrawn in place with \r. Only built when stderr is a TTY and
// the output is for a person; elsewhere the CLI gets a no-op so pipes and logs stay clean.
import type { Style } from './style.js';
import { formatBytes } from './table.js';

export interface Progress {
  update(done: number, total?: number): void;
  finish(): void;
}

const NOOP: Progress = { update() {}, finish() {} };

export function progressBar(
  enabled: boolean,
  stream: NodeJS.WritableStream & { columns?: number },
  label: string,
  style: Style,
): Progress {
  if (!enabled) return NOOP;
  let last = 0;
  let drawn = false;
  const draw = (done: number, total?: number) => {
    const width = 30;
    let text: string;
    if (total && total > 0) {
      const frac = Math.min(1, done / total);
      const full = Math.round(frac * width);
      const bar = style.cyan('█'.repeat(full)) + style.dim('░'.repeat(width - full));
      text = `${label} ${bar} ${String(Math.floor(frac * 100)).padStart(3)}%  ${formatBytes(done)} / ${formatBytes(total)}`;
    } else {
      text = `${label} ${formatBytes(done)}`;
    }
    stream.write(`\r\u001b[2K${text}`);
    drawn = true;
  };
  return {
    update(done, total) {
      const now = Date.now();
      // Redraw at most ~20 times a second, and always at the end.
      if (now - last < 50 && !(total && done >= total)) return;
      last = now;
      draw(done, total);
    },
    finish() {
      if (drawn) stream.write('\n');
    },
  };
}
