// Sign-in: an API key (and the project to open). The key is checked against the API before it is kept,
// in sessionStorage only.
import { useState } from 'preact/hooks';
import { Atelier } from '@atelier/sdk';
import { navigate, seg } from '../router.js';
import { saveSession, type Session } from '../session.js';
import { ErrorBox } from '../ui/states.js';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [apiKey, setApiKey] = useState('');
  const [project, setProject] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const key = apiKey.trim();
    const p = project.trim();
    try {
      const api = new Atelier({ baseUrl: location.origin, apiKey: key, timeoutMs: 20_000 });
      // A project key proves itself on its project; a platform admin key can list projects.
      if (p) await api.projects.get(p);
      else for await (const _ of api.projects.list()) break;
      const s = { apiKey: key, project: p };
      saveSession(s);
      onSignedIn(s);
      navigate(p ? `/p/${seg(p)}/datasets` : '/projects', { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin">
      <div class="brand">
        <img src="/console/favicon.svg" alt="" width={36} height={36} />
        Atelier console
      </div>
      <form class="card stack" onSubmit={submit} aria-label="Sign in">
        <h1>Sign in</h1>
        <p class="muted" style={{ margin: 0 }}>
          Use an API key (the admin key printed by <code>npm start</code>, or a project key). It stays in this tab only.
        </p>
        <ErrorBox error={error} />
        <label class="field">
          <span>API key</span>
          <input type="password" name="apiKey" autoComplete="off" required value={apiKey} onInput={(e) => setApiKey(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Project</span>
          <input name="project" placeholder="leave empty to choose after signing in" value={project} onInput={(e) => setProject(e.currentTarget.value)} />
        </label>
        <button class="btn primary" type="submit" disabled={busy || !apiKey.trim()}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
      <p class="muted" style={{ textAlign: 'center' }}>
        API reference: <a href="/docs">/docs</a>
      </p>
    </main>
  );
}
