// Small pieces every screen uses: status badges, tabs bound to the URL, page headers, key/value lists.
import type { ComponentChildren } from 'preact';
import { Link, setQuery } from '../router.js';

const GOOD = new Set(['succeeded', 'ready', 'blessed', 'complete', 'active', 'passed']);
const BAD = new Set(['failed', 'rejected', 'cancelled', 'revoked', 'error']);
const BUSY = new Set(['running', 'queued', 'progressing', 'pending']);

export function Badge({ value }: { value: string | null | undefined }) {
  const v = value ?? '—';
  const cls = v.startsWith('drift') ? 'badge bad' : GOOD.has(v) ? 'badge ok' : BAD.has(v) ? 'badge bad' : BUSY.has(v) ? 'badge run' : 'badge';
  return <span class={cls}>{v.replace(/_/g, ' ')}</span>;
}

/** Tabs whose selection lives in the URL's `param` (default `tab`). */
export function Tabs({ tabs, current, param = 'tab', label }: { tabs: Array<[string, string]>; current: string; param?: string; label: string }) {
  return (
    <div class="tabs" role="tablist" aria-label={label}>
      {tabs.map(([id, text]) => (
        <button
          type="button"
          class="tab"
          role="tab"
          key={id}
          aria-selected={id === current}
          onClick={() => setQuery({ [param]: id }, { push: true })}
          onKeyDown={(e) => {
            const i = tabs.findIndex(([t]) => t === id);
            const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i - 1 + tabs.length) % tabs.length] : null;
            if (next) {
              e.preventDefault();
              setQuery({ [param]: next[0] }, { push: true });
              requestAnimationFrame(() => (document.querySelector(`[role=tab][aria-selected=true]`) as HTMLElement | null)?.focus());
            }
          }}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

export function PageHead({ title, crumbs, children }: { title: ComponentChildren; crumbs?: Array<[string, string]>; children?: ComponentChildren }) {
  return (
    <div class="page-head">
      <div>
        {crumbs?.length ? (
          <nav class="crumbs" aria-label="Breadcrumb">
            {crumbs.map(([to, text], i) => (
              <span key={to}>
                {i > 0 ? ' / ' : ''}
                <Link to={to}>{text}</Link>
              </span>
            ))}
          </nav>
        ) : null}
        <h1>{title}</h1>
      </div>
      {children ? <div class="row">{children}</div> : null}
    </div>
  );
}

export function KV({ items }: { items: Array<[string, ComponentChildren]> }) {
  return (
    <dl class="kv">
      {items.map(([k, v]) => (
        <>
          <dt key={`${k}-k`}>{k}</dt>
          <dd key={`${k}-v`}>{v}</dd>
        </>
      ))}
    </dl>
  );
}

export function Json({ value }: { value: unknown }) {
  return <pre class="json">{JSON.stringify(value, null, 2)}</pre>;
}
