// Plain aligned columns for human output (like `kubectl get`): a header row, two spaces between
// columns, widths measured without ANSI escapes so coloured cells still line up.

// eslint-disable-next-line no-control-regex -- matching the escape character is the point
const ANSI = /\u001b\[[0-9;]*m/g;

function width(s: string): number {
  return s.replace(ANSI, '').length;
}

export function renderTable(headers: string[], rows: string[][], header: (s: string) => string = (s) => s): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[], fmt: (s: string) => string = (s) => s) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? fmt(c) : fmt(c) + ' '.repeat(widths[i] - width(c))))
      .join('  ')
      .trimEnd();
  return [line(headers, header), ...rows.map((r) => line(r.map((c) => c ?? '')))].join('\n');
}

/** Key/value lines for one object (`show` commands). */
export function renderFields(fields: Array<[string, string]>, key: (s: string) => string = (s) => s): string {
  const w = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${key(k + ':')}${' '.repeat(w - k.length + 1)}${v}`).join('\n');
}

/** A cell for any value: numbers rounded for reading, objects as compact JSON, null as a dash. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}
