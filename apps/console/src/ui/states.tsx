// Loading, empty and error states: every screen shows one of these until it has data to show.
import type { ComponentChildren } from 'preact';
import { isAtelierError } from '@atelier/sdk';

export function Loading({ what }: { what: string }) {
  return (
    <div class="state" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      Loading {what}…
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="state">{children}</div>;
}

/** The API's problem+json: its title and detail, its stable code, and every field error. */
export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error === null || error === undefined) return null;
  const e = isAtelierError(error) ? error : null;
  const message = e ? e.detail || e.title || e.message : error instanceof Error ? error.message : String(error);
  return (
    <div class="error-box" role="alert">
      <strong>{e?.title && e.detail ? e.title : 'Error'}</strong>
      {e?.code ? (
        <>
          {' '}
          <code>{e.code}</code>
        </>
      ) : null}
      {e?.status ? <span class="muted"> (HTTP {e.status})</span> : null}
      <div>{message}</div>
      {e?.errors?.length ? (
        <ul>
          {e.errors.map((f) => (
            <li key={f.field + f.message}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button class="btn small" type="button" onClick={onRetry} style={{ marginTop: '8px' }}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

/** Renders loading / error / empty / the content, in that order. */
export function Async<T>(props: {
  state: { loading: boolean; error: unknown; data: T | undefined; reload: () => void };
  what: string;
  empty?: (data: T) => boolean;
  emptyText?: ComponentChildren;
  children: (data: T) => ComponentChildren;
}) {
  const { state } = props;
  if (state.error) return <ErrorBox error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading what={props.what} />;
  if (props.empty?.(state.data)) return <Empty>{props.emptyText ?? `No ${props.what} yet.`}</Empty>;
  return <>{props.children(state.data)}</>;
}
