// A project's API keys: create (the secret is shown once, here, and never again) and revoke.
import { useState } from 'preact/hooks';
import type { CreatedApiKeyView, Role } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { setQuery } from '../router.js';
import { Async, ErrorBox } from '../ui/states.js';
import { collect, useAction, useAsync } from '../ui/use-async.js';
import { fmtTime } from '../ui/format.js';
import { Badge, PageHead } from '../ui/widgets.js';

export function ApiKeysScreen({ query }: { query: URLSearchParams }) {
  const { api, project } = useConsole();
  const includeRevoked = query.get('revoked') === '1';
  const keys = useAsync(async () => collect(await api.apiKeys.list({ includeRevoked })), [api, includeRevoked]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [created, setCreated] = useState<CreatedApiKeyView | null>(null);
  const create = useAction(async () => {
    const k = await api.apiKeys.create({ name: name.trim(), role });
    setCreated(k);
    setName('');
    keys.reload();
  });
  const revoke = useAction(async (id: string) => {
    await api.apiKeys.revoke(id);
    keys.reload();
  });

  return (
    <>
      <PageHead title="API keys" crumbs={[['/projects', 'Projects']]} />
      {created ? (
        <div class="notice" role="status">
          <strong>Key “{created.key.name}” created.</strong> Copy its secret now: it is shown only once.
          <code class="secret" data-testid="new-key-secret">
            {created.secret}
          </code>
          <button type="button" class="btn small" onClick={() => setCreated(null)}>
            I have stored it
          </button>
        </div>
      ) : null}
      <form
        class="card form-grid"
        aria-label="Create an API key"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <label class="field">
          <span>Key name</span>
          <input name="keyName" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. ci-deployer" />
        </label>
        <label class="field">
          <span>Role</span>
          <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            <option value="viewer">viewer (read)</option>
            <option value="editor">editor (read, write)</option>
            <option value="admin">admin (and keys)</option>
          </select>
        </label>
        <button class="btn primary" type="submit" disabled={create.busy || !name.trim()}>
          Create key in {project}
        </button>
      </form>
      <ErrorBox error={create.error ?? revoke.error} />
      <div class="card">
        <div class="row" style={{ marginBottom: '10px' }}>
          <label class="row">
            <input type="checkbox" checked={includeRevoked} onChange={(e) => setQuery({ revoked: e.currentTarget.checked ? '1' : undefined })} />
            Show revoked keys
          </label>
        </div>
        <Async state={keys} what="API keys" empty={(d) => d.length === 0}>
          {(list) => (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Prefix</th>
                    <th>Role</th>
                    <th>Created</th>
                    <th>Last used</th>
                    <th>Expires</th>
                    <th>State</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {list.map((k) => (
                    <tr key={k.id}>
                      <td>{k.name}</td>
                      <td>
                        <code>{k.prefix}…</code>
                      </td>
                      <td>{k.role}</td>
                      <td>{fmtTime(k.createdAt)}</td>
                      <td>{fmtTime(k.lastUsedAt)}</td>
                      <td>{fmtTime(k.expiresAt)}</td>
                      <td>
                        <Badge value={k.revokedAt ? 'revoked' : 'active'} />
                      </td>
                      <td>
                        {!k.revokedAt ? (
                          <button
                            type="button"
                            class="btn small danger"
                            disabled={revoke.busy}
                            onClick={() => {
                              if (confirm(`Revoke the key “${k.name}”? Clients using it stop working at once.`)) void revoke.run(k.id);
                            }}
                          >
                            Revoke
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Async>
      </div>
    </>
  );
}
