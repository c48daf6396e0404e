// A small history router: the path names the screen and what it shows, the query string holds the rest
// (selected version, tab, filters), so a reload or a shared link restores the page exactly.
import { h, type ComponentChildren, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/console';
const CHANGE = 'atelier:navigate';

export interface Location {
  path: string;
  query: URLSearchParams;
}

function current(): Location {
  let path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  if (path === '') path = '/';
  return { path, query: new URLSearchParams(location.search) };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = BASE + to;
  if (url === location.pathname + location.search) return;
  history[opts.replace ? 'replaceState' : 'pushState'](null, '', url);
  window.dispatchEvent(new Event(CHANGE));
  if (!opts.replace) window.scrollTo(0, 0);
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return loc;
}

/** `pattern` like '/p/:project/models/:name'; returns the decoded params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.replace(/\/+$/, '').split('/');
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      if (!s[i]) return null;
      params[p[i].slice(1)] = decodeURIComponent(s[i]);
    } else if (p[i] !== s[i]) return null;
  }
  return params;
}

/** Builds a path with encoded segments and a query (undefined/empty values left out). */
export function href(path: string, query: Record<string, string | number | undefined | null> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}

export const seg = encodeURIComponent;

/** Sets (or removes) query parameters on the current path, replacing the history entry. */
export function setQuery(patch: Record<string, string | number | undefined | null>, opts: { push?: boolean } = {}): void {
  const { path, query } = current();
  const next: Record<string, string> = Object.fromEntries(query.entries());
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === null || v === '') delete next[k];
    else next[k] = String(v);
  }
  navigate(href(path, next), { replace: !opts.push });
}

type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; children?: ComponentChildren };

/** An <a> with a real href (open in a new tab works) that navigates in place on a plain click. */
export function Link({ to, children, ...rest }: LinkProps) {
  return h(
    'a',
    {
      ...rest,
      href: BASE + to,
      onClick: (e: MouseEvent) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      },
    },
    children,
  );
}
