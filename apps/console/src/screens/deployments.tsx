// Deployments: the list with readiness, and creating one (a route to an alias or a version), waiting
// until the serving pool answers with it.
import { useEffect, useState } from 'preact/hooks';
import type { DeploymentView } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { Link, navigate, seg } from '../router.js';
import { Async, ErrorBox } from '../ui/states.js';
import { collect, useAction, useAsync } from '../ui/use-async.js';
import { fmtTime } from '../ui/format.js';
import { Badge, PageHead } from '../ui/widgets.js';

export function routesOf(d: DeploymentView): Array<{ version?: number; alias?: string; weight: number }> {
  return ((d.spec as { routes?: Array<{ version?: number; alias?: string; weight: number }> })?.routes ?? []).map((r) => ({ ...r }));
}

export function DeploymentsScreen({ query }: { query: URLSearchParams }) {
  const { api, project } = useConsole();
  const deployments = useAsync((signal) => collect(api.deployments.list({}, { signal })), [api]);
  const models = useAsync((signal) => collect(api.models.list({ signal })), [api]);
  const [name, setName] = useState(query.get('model') ? `${query.get('model')}-live` : '');
  const [model, setModel] = useState(query.get('model') ?? '');
  const [target, setTarget] = useState('alias:production');
  const create = useAction(async () => {
    const [kind, value] = target.split(':');
    const route = kind === 'alias' ? { alias: value, weight: 100 } : { version: Number(value), weight: 100 };
    await api.deployments.apply({ name: name.trim(), model, routes: [route] }, { wait: 'ready', waitTimeoutMs: 60_000, timeoutMs: 90_000 });
    navigate(`/p/${seg(project)}/deployments/${seg(name.trim())}`);
  });
  // What the chosen model can serve: its aliases first (a deployment that follows an alias moves with it), then its versions.
  const servable = useAsync(
    async (signal) => {
      if (!model) return [];
      const [aliases, versions] = await Promise.all([api.models.aliases(model, { signal }), collect(api.models.versions(model, { signal }))]);
      return [
        ...aliases.map((a) => [`alias:${a.alias}`, `alias ${a.alias} (v${a.version})`]),
        ...versions.sort((a, b) => b.version - a.version).map((v) => [`version:${v.version}`, `version ${v.version}`]),
      ] as Array<[string, string]>;
    },
    [api, model],
  );
  const targets = servable.data ?? [];
  useEffect(() => {
    if (targets.length && !targets.some(([v]) => v === target)) setTarget(targets[0][0]);
  }, [servable.data]);

  return (
    <>
      <PageHead title="Deployments" />
      <form
        class="card form-grid"
        aria-label="Create a deployment"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <label class="field">
          <span>Deployment name</span>
          <input name="deploymentName" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. churn-live" />
        </label>
        <label class="field">
          <span>Model</span>
          <select
            name="model"
            value={model}
            onChange={(e) => {
              setModel(e.currentTarget.value);
              if (!name) setName(`${e.currentTarget.value}-live`);
            }}
          >
            <option value="">choose…</option>
            {(models.data ?? []).map((m) => (
              <option key={m.id} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Serve (100% of traffic)</span>
          <select name="target" value={target} onChange={(e) => setTarget(e.currentTarget.value)} disabled={!targets.length}>
            {targets.map(([v, text]) => (
              <option key={v} value={v}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <button class="btn primary" type="submit" disabled={create.busy || !name.trim() || !model || !targets.some(([v]) => v === target)}>
          {create.busy ? 'Deploying, waiting until ready…' : 'Deploy'}
        </button>
      </form>
      <ErrorBox error={create.error ?? models.error ?? servable.error} />
      <div class="card">
        <Async state={deployments} what="deployments" empty={(d) => d.length === 0} emptyText="No deployments yet.">
          {(list) => (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Model</th>
                    <th>Routes</th>
                    <th>State</th>
                    <th class="num">Revision</th>
                    <th>Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((d) => (
                    <tr key={d.id}>
                      <td>
                        <Link to={`/p/${seg(project)}/deployments/${seg(d.name)}`}>{d.name}</Link>
                      </td>
                      <td>{d.model}</td>
                      <td>{routesOf(d).map((r) => `${r.alias ?? `v${r.version}`} ${r.weight}%`).join(', ')}</td>
                      <td>
                        <Badge value={d.status?.state ?? 'unknown'} />
                      </td>
                      <td class="num">{d.revision}</td>
                      <td>{fmtTime(d.updatedAt)}</td>
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
