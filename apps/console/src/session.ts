// The signed-in session: the API key and the default project, in sessionStorage only (gone when the tab
// closes, never in a URL). Everything the console asks the gateway goes through the SDK built here.
import { Atelier } from '@atelier/sdk';

const KEY = 'atelier.console.session';

export interface Session {
  apiKey: string;
  project: string;
}

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Partial<Session>;
    return typeof s.apiKey === 'string' && s.apiKey ? { apiKey: s.apiKey, project: typeof s.project === 'string' ? s.project : '' } : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** A client for this origin's gateway (the console is served by the gateway it talks to). */
export function clientFor(s: Session, project?: string): Atelier {
  return new Atelier({ baseUrl: location.origin, apiKey: s.apiKey, project: project || s.project || undefined, timeoutMs: 60_000, retries: { max: 2 } });
}
