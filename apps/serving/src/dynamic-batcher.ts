// The dynamic batcher: one queue per model version, counting ROWS (a request of 10 instances is 10
// rows), Triton / TF Serving style. `decideBatch` is the whole policy as one pure function over the
// queue, the clock and what is computing; `DynamicBatcher` holds the queue, the timer and the
// deadlines and calls the runtime with one batch at a time (or up to maxInFlightBatches).
//
// The policy, in order:
//   1. nothing queued, or maxInFlightBatches batches computing → do nothing (a completion re-plans);
//   2. the head requests fill maxBatchRows (or the next one would not fit) → run them now;
//   3. eager and nothing computing → run what is queued now (no point waiting on an idle runtime);
//   4. the oldest request has waited maxQueueDelayMs → run what fits;
//   5. a prefix of the queue sums to a preferred batch size → run the largest such prefix;
//   6. otherwise wait until the oldest request's delay runs out.
// A request is never split across batches; one larger than maxBatchRows runs alone. Requests whose
// deadline passes while queued are answered ATL_DEADLINE_EXCEEDED and never computed. A full queue
// (queueCapacityRows) refuses new requests with ATL_QUEUE_FULL and a Retry-After estimate.
import { ServingErrors, ServingError } from './errors.js';

export interface BatchingConfig {
  /** Most rows in one batch (default 64). */
  maxBatchRows: number;
  /** Longest the oldest queued request waits for company before its batch runs (default 2 ms). */
  maxQueueDelayMs: number;
  /** Batch sizes (rows) worth running at once without waiting (default none). */
  preferredBatchSizes: number[];
  /** Most rows waiting in the queue; beyond it requests get 503 ATL_QUEUE_FULL (default 4096). */
  queueCapacityRows: number;
  /** A request not computing within this time after arriving is answered 504 (default 1000 ms). */
  timeoutMs: number;
  /** Batches computing at once (default 1: requests gather while the runtime works). */
  maxInFlightBatches: number;
  /** Run at once when nothing is computing (default true). */
  eager: boolean;
}

export const DEFAULT_BATCHING: BatchingConfig = {
  maxBatchRows: 64,
  maxQueueDelayMs: 2,
  preferredBatchSizes: [],
  queueCapacityRows: 4096,
  timeoutMs: 1000,
  maxInFlightBatches: 1,
  eager: true,
};

/** Fills in defaults and checks ranges; throws naming the field. */
export function batchingConfig(partial: Partial<BatchingConfig> = {}): BatchingConfig {
  const c: BatchingConfig = { ...DEFAULT_BATCHING, ...stripUndefined(partial) };
  const bad: string[] = [];
  if (!Number.isInteger(c.maxBatchRows) || c.maxBatchRows < 1) bad.push('maxBatchRows must be an integer ≥ 1');
  if (!(c.maxQueueDelayMs >= 0)) bad.push('maxQueueDelayMs must be ≥ 0');
  if (!Number.isInteger(c.queueCapacityRows) || c.queueCapacityRows < 1) bad.push('queueCapacityRows must be an integer ≥ 1');
  if (!(c.timeoutMs > 0)) bad.push('timeoutMs must be > 0');
  if (!Number.isInteger(c.maxInFlightBatches) || c.maxInFlightBatches < 1) bad.push('maxInFlightBatches must be an integer ≥ 1');
  if (!c.preferredBatchSizes.every((s) => Number.isInteger(s) && s >= 1 && s <= c.maxBatchRows)) {
    bad.push('preferredBatchSizes must be integers in [1, maxBatchRows]');
  }
  if (bad.length) throw new Error(`batching: ${bad.join('; ')}`);
  return c;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** What the policy needs to know about one queued request. */
export interface QueuedRequest {
  rows: number;
  enqueuedAt: number;
}

export type BatchDecision =
  | { kind: 'run'; requests: number; rows: number; reason: 'full' | 'idle' | 'delay' | 'preferred' | 'draining' }
  | { kind: 'wait'; untilMs: number }
  | { kind: 'none' };

/**
 * The batching policy (see the file header). `queue[start…]` are the waiting requests, oldest first;
 * expired ones were already removed. Pure: same inputs, same answer.
 */
export function decideBatch(
  queue: readonly QueuedRequest[],
  start: number,
  now: number,
  inFlight: number,
  cfg: Pick<BatchingConfig, 'maxBatchRows' | 'maxQueueDelayMs' | 'preferredBatchSizes' | 'maxInFlightBatches' | 'eager'>,
  draining = false,
): BatchDecision {
  if (start >= queue.length || inFlight >= cfg.maxInFlightBatches) return { kind: 'none' };
  let rows = 0;
  let n = 0;
  let prefN = 0;
  let prefRows = 0;
  for (let i = start; i < queue.length; i++) {
    const r = queue[i].rows;
    if (n > 0 && rows + r > cfg.maxBatchRows) break;
    rows += r;
    n++;
    if (cfg.preferredBatchSizes.length && cfg.preferredBatchSizes.includes(rows)) {
      prefN = n;
      prefRows = rows;
    }
    if (rows >= cfg.maxBatchRows) break;
  }
  if (rows >= cfg.maxBatchRows || start + n < queue.length) return { kind: 'run', requests: n, rows, reason: 'full' };
  if (draining) return { kind: 'run', requests: n, rows, reason: 'draining' };
  if (cfg.eager && inFlight === 0) return { kind: 'run', requests: n, rows, reason: 'idle' };
  const due = queue[start].enqueuedAt + cfg.maxQueueDelayMs;
  if (now >= due) return { kind: 'run', requests: n, rows, reason: 'delay' };
  if (prefN > 0) return { kind: 'run', requests: prefN, rows: prefRows, reason: 'preferred' };
  return { kind: 'wait', untilMs: due };
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface BatcherHooks {
  /** A batch started: its rows and requests. */
  onBatch?(rows: number, requests: number): void;
  /** A request left the queue (to compute or expired) after waiting `ms`. */
  onQueueWait?(ms: number): void;
}

interface Entry<I, O> extends QueuedRequest {
  item: I;
  deadlineAt: number;
  resolve(value: O): void;
  reject(err: unknown): void;
}

export interface BatcherStats {
  queuedRows: number;
  queuedRequests: number;
  inFlight: number;
  batches: number;
  expired: number;
  refused: number;
}

/**
 * `execute(items)` computes one batch and returns one output per item, in order (or throws: every
 * request of the batch gets the error).
 */
export class DynamicBatcher<I, O> {
  private queue: Entry<I, O>[] = [];
  private head = 0;
  private queuedRows = 0;
  private inFlight = 0;
  private timer: unknown = undefined;
  private timerAt = Infinity;
  private minDeadline = Infinity;
  private draining = false;
  private drained: Array<() => void> = [];
  /** Rows per second computed, smoothed: for Retry-After. */
  private rowsPerSecond = 0;
  readonly stats = { batches: 0, expired: 0, refused: 0 };
  readonly config: BatchingConfig;

  constructor(
    private readonly name: string,
    config: Partial<BatchingConfig>,
    private readonly execute: (items: I[], rows: number) => Promise<O[]>,
    private readonly clock: Clock = systemClock,
    private readonly hooks: BatcherHooks = {},
  ) {
    this.config = batchingConfig(config);
  }

  snapshot(): BatcherStats {
    return {
      queuedRows: this.queuedRows,
      queuedRequests: this.queue.length - this.head,
      inFlight: this.inFlight,
      ...this.stats,
    };
  }

  /** Queue `item` (`rows` rows); resolves with its output once its batch ran. */
  submit(item: I, rows: number, timeoutMs = this.config.timeoutMs): Promise<O> {
    if (this.draining) return Promise.reject(ServingErrors.shuttingDown());
    if (rows > this.config.queueCapacityRows) {
      return Promise.reject(
        new ServingError(
          'ATL_TOO_MANY_ROWS',
          400,
          `One request carries ${rows} rows; ${this.name} queues at most ${this.config.queueCapacityRows}. Split the request.`,
          [{ field: 'instances', message: `must have at most ${this.config.queueCapacityRows} items (got ${rows})` }],
        ),
      );
    }
    if (this.queuedRows + rows > this.config.queueCapacityRows) {
      this.stats.refused++;
      const seconds = this.rowsPerSecond > 0 ? Math.ceil((this.queuedRows + rows) / this.rowsPerSecond) : 1;
      return Promise.reject(ServingErrors.queueFull(this.name, Math.max(1, Math.min(60, seconds))));
    }
    const now = this.clock.now();
    return new Promise<O>((resolve, reject) => {
      const deadlineAt = now + timeoutMs;
      this.queue.push({ item, rows, enqueuedAt: now, deadlineAt, resolve, reject });
      this.queuedRows += rows;
      if (deadlineAt < this.minDeadline) this.minDeadline = deadlineAt;
      this.pump();
    });
  }

  /** Stop taking requests; resolves once everything queued has been computed and answered. */
  drain(): Promise<void> {
    this.draining = true;
    this.pump();
    if (this.queue.length === this.head && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  private expire(now: number): void {
    if (now < this.minDeadline) return;
    let min = Infinity;
    const kept: Entry<I, O>[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const e = this.queue[i];
      if (e.deadlineAt <= now) {
        this.queuedRows -= e.rows;
        this.stats.expired++;
        this.hooks.onQueueWait?.(now - e.enqueuedAt);
        e.reject(ServingErrors.deadlineExceeded(`A request to ${this.name}`, Math.round(e.deadlineAt - e.enqueuedAt)));
      } else {
        kept.push(e);
        if (e.deadlineAt < min) min = e.deadlineAt;
      }
    }
    this.queue = kept;
    this.head = 0;
    this.minDeadline = min;
  }

  private pump(): void {
    for (;;) {
      const now = this.clock.now();
      this.expire(now);
      const d = decideBatch(this.queue, this.head, now, this.inFlight, this.config, this.draining);
      if (d.kind === 'run') {
        this.run(d.requests, d.rows, now);
        continue;
      }
      const wakeAt = Math.min(d.kind === 'wait' ? d.untilMs : Infinity, this.minDeadline);
      this.arm(wakeAt, now);
      break;
    }
    if (this.draining && this.queue.length === this.head && this.inFlight === 0) {
      for (const done of this.drained.splice(0)) done();
    }
  }

  private arm(at: number, now: number): void {
    if (at === Infinity) return;
    if (this.timer !== undefined && this.timerAt <= at) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, at - now));
  }

  private run(count: number, rows: number, now: number): void {
    const batch = this.queue.slice(this.head, this.head + count);
    this.head += count;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      this.minDeadline = Infinity;
    }
    this.queuedRows -= rows;
    this.inFlight++;
    this.stats.batches++;
    this.hooks.onBatch?.(rows, count);
    if (this.hooks.onQueueWait) for (const e of batch) this.hooks.onQueueWait(now - e.enqueuedAt);
    const items = batch.map((e) => e.item);
    const started = this.clock.now();
    let result: Promise<O[]>;
    try {
      result = this.execute(items, rows);
    } catch (err) {
      result = Promise.reject(err);
    }
    result.then(
      (outputs) => {
        const took = this.clock.now() - started;
        if (took > 0) {
          const rate = (rows * 1000) / took;
          this.rowsPerSecond = this.rowsPerSecond === 0 ? rate : 0.9 * this.rowsPerSecond + 0.1 * rate;
        }
        for (let i = 0; i < batch.length; i++) batch[i].resolve(outputs[i]);
        this.finish();
      },
      (err) => {
        for (const e of batch) e.reject(err);
        this.finish();
      },
    );
  }

  private finish(): void {
    this.inFlight--;
    this.pump();
  }
}
