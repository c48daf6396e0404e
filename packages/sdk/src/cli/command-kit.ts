// Glue between commander and the command files: an action wrapper that builds the Context from the
// merged global options, and the "Examples:" block every command's --help ends with.
import type { Command } from 'commander';
import { Context, type Io } from './context.js';

export interface Runtime {
  io: Io;
  signal: AbortSignal;
  /** The context of the running command (main prints its errors in the command's mode). */
  ctx?: Context;
}

export type Handler<A extends unknown[] = any[]> = (ctx: Context, args: A, opts: Record<string, any>) => Promise<void>;

export function action<A extends unknown[] = any[]>(rt: Runtime, handler: Handler<A>) {
  return async (...all: unknown[]): Promise<void> => {
    const cmd = all[all.length - 1] as Command;
    const ctx = new Context(rt.io, cmd.optsWithGlobals(), rt.signal);
    rt.ctx = ctx;
    await handler(ctx, all.slice(0, -2) as A, cmd.opts());
  };
}

export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}
