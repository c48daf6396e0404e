// Fastify gives every request its own child logger (bound to the request id). Pino builds a child by
// serializing its bindings and copying the parent's state: ~5 µs per request on the 2-core bench
// machine, paid by every predict call although a quiet route (predict, probes, scrapes) logs nothing
// unless it fails. This factory hands out a stand-in that builds the real child on its first log call,
// with the same bindings and options: a request that logs sees the same lines as before.
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

type ChildOptions = Parameters<FastifyBaseLogger['child']>[1];
type Bindings = Parameters<FastifyBaseLogger['child']>[0];

type LogCall = (...args: unknown[]) => void;

/** Methods on the prototype, not per-instance closures: one small object per request. */
export class LazyChildLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildOptions,
  ) {}

  /** The real child, built once. */
  private get real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.made?.level ?? this.options?.level ?? this.parent.level;
  }
  set level(level: string) {
    this.real.level = level;
  }

  fatal(...args: unknown[]): void {
    (this.real.fatal as LogCall)(...args);
  }
  error(...args: unknown[]): void {
    (this.real.error as LogCall)(...args);
  }
  warn(...args: unknown[]): void {
    (this.real.warn as LogCall)(...args);
  }
  info(...args: unknown[]): void {
    (this.real.info as LogCall)(...args);
  }
  debug(...args: unknown[]): void {
    (this.real.debug as LogCall)(...args);
  }
  trace(...args: unknown[]): void {
    (this.real.trace as LogCall)(...args);
  }
  silent(...args: unknown[]): void {
    (this.real.silent as LogCall)(...args);
  }

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
}

export const lazyChildLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']> = (logger, bindings, options) =>
  new LazyChildLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
