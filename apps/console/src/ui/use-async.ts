// Loads something for a screen; `deps` changing reloads it, and a stale answer never overwrites a newer one.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface AsyncState<T> {
  loading: boolean;
  error: unknown;
  data: T | undefined;
  reload: () => void;
}

export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ loading: boolean; error: unknown; data: T | undefined }>({ loading: true, error: null, data: undefined });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ loading: true, error: null, data: tick > 0 ? s.data : undefined }));
    loadRef.current(ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ loading: false, error: null, data }),
      (error) => !ctl.signal.aborted && setState({ loading: false, error, data: undefined }),
    );
    return () => ctl.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** Collects the SDK's paged lists (async iterables) or plain lists into an array. */
export async function collect<T>(items: AsyncIterable<T> | Iterable<T> | PromiseLike<AsyncIterable<T> | Iterable<T>>, limit = 1000): Promise<T[]> {
  const out: T[] = [];
  for await (const item of await items) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}

/** A button action: runs once at a time, remembers its error. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await fn(...args);
      } catch (err) {
        setError(err);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [fn],
  );
  return { run, busy, error, setError };
}
