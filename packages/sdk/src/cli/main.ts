// The `atelier` entry point: parse, run one command, turn whatever went wrong into a message on
// stderr and an exit code by error class (exit-codes.ts). Ctrl-C aborts the request in flight.
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import type { Io } from './context.js';
import type { Runtime } from './command-kit.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { colourAllowed, makeStyle } from './style.js';

interface FieldError {
  field: string;
  message: string;
}

/** What the CLI reads from any thrown error (an AtelierError, a CliError, or a bug). */
interface ThrownLike {
  status?: number;
  code?: string;
  title?: string;
  detail?: string;
  message?: string;
  errors?: FieldError[];
  requestId?: string;
}

export function defaultIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

export async function main(argv: string[], io: Io = defaultIo()): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    // The first Ctrl-C aborts the request in flight (the command then exits 130); a second one
    // leaves at once.
    if (++interrupts > 1) process.exit(EXIT.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const rt: Runtime = { io, signal: controller.signal };
  try {
    const program = buildProgram(rt);
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; everything else commander rejects is usage.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (controller.signal.aborted) {
      io.stderr.write('\nInterrupted.\n');
      return EXIT.interrupted;
    }
    return report(err as ThrownLike, rt, argv);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function report(err: ThrownLike, rt: Runtime, argv: string[]): number {
  const code = exitCodeFor(err);
  const json = rt.ctx ? rt.ctx.out.mode === 'json' : argv.includes('--json');
  const { stderr, env } = rt.io;
  const isSdkOrCli = typeof err.code === 'string';
  if (json) {
    const problem = isSdkOrCli
      ? { status: err.status, code: err.code, title: err.title, detail: err.detail ?? err.message, errors: err.errors ?? [], requestId: err.requestId }
      : { code: 'ATL_INTERNAL', detail: `a bug in the atelier CLI: ${String((err as Error)?.stack ?? err)}` };
    stderr.write(`${JSON.stringify({ error: problem, exitCode: code })}\n`);
    return code;
  }
  const style = makeStyle(colourAllowed(stderr, env, rt.ctx?.opts.color === false || argv.includes('--no-color')));
  if (!isSdkOrCli) {
    // Not an API or usage error: a bug in the CLI. Say so, with the stack, rather than hide it.
    stderr.write(`${style.red('error:')} unexpected failure in the atelier CLI (please report it):\n${String((err as Error)?.stack ?? err)}\n`);
    return code;
  }
  const message =
    err.code === 'ATL_NO_PROJECT'
      ? 'No project: pass --project NAME, set ATELIER_PROJECT, or run `atelier projects use NAME`.'
      : err.detail || err.message || err.title || 'request failed';
  stderr.write(`${style.red('error:')} ${message}\n`);
  // Field errors the message already spells out are not repeated.
  for (const f of (err.errors ?? []).filter((f) => !message.includes(f.message))) stderr.write(`  ${style.yellow('•')} ${f.field ? `${style.bold(f.field)}: ` : ''}${f.message}\n`);
  const meta = [err.code, err.status ? `HTTP ${err.status}` : '', err.requestId ? `request ${err.requestId}` : ''].filter(Boolean);
  const localUsage = err.code === 'ATL_VALIDATION_FAILED' && !err.status;
  if (!localUsage && meta.length > 0) stderr.write(`${style.dim(`  (${meta.join(', ')})`)}\n`);
  return code;
}
