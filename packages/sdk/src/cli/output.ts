// Where each command's answer goes. Human mode: tables and sentences on stdout, colour only on a TTY.
// --json: exactly one JSON document on stdout (the API's own shapes), nothing else there. --quiet:
// nothing on stdout except what a script needs to capture (an id), and no progress.
import { colourAllowed, makeStyle, type Style } from './style.js';
import { renderFields, renderTable } from './table.js';

export type Mode = 'human' | 'json' | 'quiet';

export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}

export class Output {
  readonly mode: Mode;
  /** Style for stdout (tables, results). */
  readonly style: Style;
  /** Style for stderr (progress, errors, notes). */
  readonly errStyle: Style;
  readonly streams: OutputStreams;

  constructor(mode: Mode, noColor: boolean, streams: OutputStreams) {
    this.mode = mode;
    this.streams = streams;
    this.style = makeStyle(colourAllowed(streams.stdout, streams.env, noColor));
    this.errStyle = makeStyle(colourAllowed(streams.stderr, streams.env, noColor));
  }

  get human(): boolean {
    return this.mode === 'human';
  }

  /** Progress bars and spinners: a person watches stderr, and did not ask for quiet or JSON. */
  get interactive(): boolean {
    return this.mode === 'human' && this.streams.stderr.isTTY === true;
  }

  /**
   * The command's answer: `data` as JSON under --json; `quietLine` (an id, or nothing) under --quiet;
   * otherwise whatever `human` prints.
   */
  result(data: unknown, human: () => void, quietLine?: string): void {
    if (this.mode === 'json') this.streams.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else if (this.mode === 'quiet') {
      if (quietLine !== undefined) this.streams.stdout.write(`${quietLine}\n`);
    } else human();
  }

  /** A line of human output on stdout (nothing under --json or --quiet). */
  line(text = ''): void {
    if (this.mode === 'human') this.streams.stdout.write(`${text}\n`);
  }

  table(headers: string[], rows: string[][], emptyMessage: string): void {
    if (rows.length === 0) this.line(this.style.dim(emptyMessage));
    else this.line(renderTable(headers, rows, (s) => this.style.bold(s)));
  }

  fields(fields: Array<[string, string]>): void {
    this.line(renderFields(fields, (s) => this.style.bold(s)));
  }

  /** A note for a person on stderr (hints, what is happening); silent under --json and --quiet. */
  note(text: string): void {
    if (this.mode === 'human') this.streams.stderr.write(`${text}\n`);
  }
}
