// Following a training (or evaluation) job's events: SSE over fetch, resumed with Last-Event-ID after a
// dropped connection, so each event is yielded exactly once and in order. The stream ends when the
// server ends it after the job's last event; `event: shutdown` (a draining gateway) or a cut
// connection make the iterator reconnect after the server's `retry:` delay, within the retry budget.
import type { JobEventPayloads } from '@atelier/contracts';
import { AtelierError, CLIENT_ERROR_CODES, errorFromResponse } from './atelier-error.js';
import type { Core } from './core.js';
import { parseServerSentEvents } from './server-sent-events.js';
import { sleep, throwIfAborted } from './transport.js';

export type TrainingJobEvent =
  | { id: number; type: 'state'; data: JobEventPayloads['state'] & { at?: string } }
  | { id: number; type: 'metric'; data: JobEventPayloads['metric'] & { at?: string } }
  | { id: number; type: 'log'; data: JobEventPayloads['log'] & { at?: string } };

export interface FollowOptions {
  /** Resume after this event id (events up to it are not sent again). */
  lastEventId?: number;
  signal?: AbortSignal;
  project?: string;
  /** Reconnections in a row without a new event before giving up (default: the client's retries.max, at least 3). */
  maxReconnects?: number;
  /** The job is a batch prediction of this model: its events come from …/models/{name}/batch-predictions/{id}/events. */
  batchPredictionOf?: string;
  /** Whose events: a training job's (default) or a tuning job's (followTuningEvents). */
  resource?: 'training' | 'tuning';
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export async function* followJobEvents(core: Core, id: string, opts: FollowOptions = {}): AsyncGenerator<TrainingJobEvent> {
  const project = core.project(opts);
  const { retries } = core.transport.settings;
  const maxReconnects = opts.maxReconnects ?? Math.max(3, retries.max);
  let lastId = opts.lastEventId;
  let failuresInARow = 0;
  let retryMs = 1000;
  let sawTerminal = false;

  for (let attempt = 1; ; attempt++) {
    throwIfAborted(opts.signal);
    let interrupted = false;
    let received = 0;
    try {
      const header = lastId === undefined ? {} : { 'last-event-id': String(lastId) };
      const init = { parseAs: 'stream' as const, ...core.init({ signal: opts.signal, timeoutMs: 0, project, streamResponse: true }) };
      const { data, error, response } =
        opts.batchPredictionOf !== undefined
          ? await core.raw.GET('/v1/projects/{project}/models/{name}/batch-predictions/{id}/events', {
              params: { path: { project, name: opts.batchPredictionOf, id }, header },
              ...init,
            })
          : opts.resource === 'tuning'
            ? await core.raw.GET('/v1/projects/{project}/tuning-jobs/{id}/events', { params: { path: { project, id }, header }, ...init })
            : await core.raw.GET('/v1/projects/{project}/training-jobs/{id}/events', { params: { path: { project, id }, header }, ...init });
      if (!response.ok) throw errorFromResponse(response, error === undefined ? '' : JSON.stringify(error));
      for await (const event of parseServerSentEvents(data as unknown as ReadableStream<Uint8Array>)) {
        if (event.retryMs !== undefined) retryMs = event.retryMs;
        if (event.event === 'shutdown') {
          interrupted = true;
          break;
        }
        if (event.id === undefined) continue;
        const eventId = Number(event.id);
        // The server resumes after Last-Event-ID; this guard keeps the promise even if a proxy replays.
        if (lastId !== undefined && eventId <= lastId) continue;
        let parsed: TrainingJobEvent['data'];
        try {
          parsed = JSON.parse(event.data) as TrainingJobEvent['data'];
        } catch (err) {
          // Not a connection problem: reconnecting would read the same bytes again.
          throw new AtelierError({ status: 200, code: CLIENT_ERROR_CODES.badResponse, title: 'Bad event', detail: `event ${eventId} of job ${id} is not JSON`, cause: err });
        }
        lastId = eventId;
        failuresInARow = 0;
        received++;
        if (event.event === 'state' && TERMINAL.has((parsed as { status?: string }).status ?? '')) sawTerminal = true;
        yield { id: eventId, type: event.event, data: parsed } as TrainingJobEvent;
      }
      // The server ends the stream once the job is over and everything was sent, so a clean end after
      // the terminal state, or one that brought nothing new, is the end. A clean end right after other
      // events (a proxy closing the response early) is checked by reconnecting.
      if (sawTerminal || (!interrupted && received === 0)) return;
    } catch (err) {
      // The job's last event already came: a connection lost after it loses nothing.
      if (sawTerminal && !opts.signal?.aborted) return;
      if (opts.signal?.aborted) throw err instanceof AtelierError && err.code === CLIENT_ERROR_CODES.aborted ? err : abortFrom(opts.signal, err);
      // A problem answered by the server (404, 401…, a malformed event) is final; a connection that broke is not.
      if (err instanceof AtelierError && (err.code === CLIENT_ERROR_CODES.badResponse || (err.status !== 0 && err.status !== 503 && err.status !== 429))) throw err;
      if (++failuresInARow > maxReconnects) {
        throw err instanceof AtelierError ? err : new AtelierError({ status: 0, code: CLIENT_ERROR_CODES.network, title: 'Event stream broke', detail: `the event stream of job ${id} broke ${failuresInARow} times in a row`, cause: err });
      }
    }
    const backoff = Math.min(retries.maxDelayMs, retryMs * (failuresInARow > 1 ? 2 ** (failuresInARow - 1) : 1));
    await sleep(interrupted ? retryMs : Math.random() * backoff, opts.signal);
  }
}

function abortFrom(signal: AbortSignal, cause: unknown): AtelierError {
  return new AtelierError({ status: 0, code: CLIENT_ERROR_CODES.aborted, title: 'Aborted', detail: 'following the job events was aborted', cause: signal.reason ?? cause });
}

/** A tuning job's events: `state` (the study), `trial`, `population`, `best`, `log`. */
export type TuningJobEvent = { id: number; type: 'state' | 'trial' | 'population' | 'best' | 'log'; data: Record<string, unknown> & { at?: string } };

/** Following a tuning job's events, with the same resume and reconnect rules as a training job's. */
export function followTuningEvents(core: Core, id: string, opts: Omit<FollowOptions, 'resource'> = {}): AsyncGenerator<TuningJobEvent> {
  return followJobEvents(core, id, { ...opts, resource: 'tuning' }) as unknown as AsyncGenerator<TuningJobEvent>;
}
