// One deployment: readiness per serving node, routes and their weights (edit with sliders, applied as a
// new revision), revisions with rollback, and a predict box that calls the model through it.
import { useEffect, useState } from 'preact/hooks';
import type { DeploymentView, PredictResponse } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { Link, seg } from '../router.js';
import { Async, ErrorBox } from '../ui/states.js';
import { collect, useAction, useAsync } from '../ui/use-async.js';
import { fmtTime } from '../ui/format.js';
import { Badge, Json, KV, PageHead } from '../ui/widgets.js';
import { routesOf } from './deployments.js';
import { ServingLive } from './serving-live.js';
import { RecentPredictions } from './recent-predictions.js';

export function DeploymentScreen({ params }: { params: Record<string, string> }) {
  const { api, project } = useConsole();
  const name = params.name;
  const dep = useAsync((signal) => api.deployments.get(name, { signal }), [api, name]);
  const revisions = useAsync((signal) => collect(api.deployments.revisions(name, { signal }), 50), [api, name]);
  const state = dep.data?.status?.state;

  // While the serving pool is still loading it, look again every two seconds.
  useEffect(() => {
    if (state !== 'progressing') return;
    const t = setTimeout(dep.reload, 2000);
    return () => clearTimeout(t);
  }, [state, dep.data]);

  const reloadAll = () => {
    dep.reload();
    revisions.reload();
  };

  return (
    <>
      <PageHead title={`Deployment ${name}`} crumbs={[[`/p/${seg(project)}/deployments`, 'Deployments']]}>
        <Link class="btn" to={`/p/${seg(project)}/deployments/${seg(name)}/monitoring`}>
          Monitoring (drift)
        </Link>
        <span data-testid="deployment-state">
          <Badge value={state ?? 'unknown'} />
        </span>
      </PageHead>
      <Async state={dep} what="the deployment">
        {(d) => (
          <>
            <div class="grid-2">
              <Readiness d={d} />
              <Routes d={d} onApplied={reloadAll} />
            </div>
            <div class="grid-2">
              <PredictBox d={d} />
              <div class="card">
                <h2>Revisions</h2>
                <Async state={revisions} what="revisions" empty={(r) => r.length === 0}>
                  {(list) => <Revisions d={d} list={list} onRolledBack={reloadAll} />}
                </Async>
              </div>
            </div>
            <ServingLive model={d.model} />
            <RecentPredictions model={d.model} />
          </>
        )}
      </Async>
    </>
  );
}

function Readiness({ d }: { d: DeploymentView }) {
  const { project } = useConsole();
  const s = d.status;
  return (
    <div class="card">
      <h2>Readiness</h2>
      <KV
        items={[
          ['model', <Link to={`/p/${seg(project)}/models/${seg(d.model)}`}>{d.model}</Link>],
          ['state', <Badge value={s?.state ?? 'unknown'} />],
          ['revision', `${d.revision}${s && s.revision !== d.revision ? ` (nodes on ${s.revision})` : ''}`],
          ['serving versions', s?.versions.length ? s.versions.map((v) => `v${v}`).join(', ') : '—'],
          ['reason', s?.reason ?? '—'],
          ['updated', fmtTime(d.updatedAt)],
        ]}
      />
      {s?.nodes.length ? (
        <table style={{ marginTop: '10px' }}>
          <thead>
            <tr>
              <th>Serving node</th>
              <th>State</th>
              <th>Revision</th>
              <th>Versions</th>
            </tr>
          </thead>
          <tbody>
            {s.nodes.map((n) => (
              <tr key={n.node} title={n.reason ?? ''}>
                <td>
                  <code>{n.node}</code>
                </td>
                <td>
                  <Badge value={n.state} />
                </td>
                <td>{n.revision ?? '—'}</td>
                <td>{n.versions.map((v) => `v${v}`).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function Routes({ d, onApplied }: { d: DeploymentView; onApplied: () => void }) {
  const { api } = useConsole();
  const [routes, setRoutes] = useState(() => routesOf(d));
  useEffect(() => setRoutes(routesOf(d)), [d.revision]);
  const total = routes.reduce((s, r) => s + r.weight, 0);
  const changed = JSON.stringify(routes) !== JSON.stringify(routesOf(d));
  // Weights sum to 100 (the API's rule): moving one slider shares the rest among the others, in proportion.
  const setWeight = (i: number, w: number) => {
    const others = routes.map((r, j) => (j === i ? 0 : r.weight));
    const otherTotal = others.reduce((s, x) => s + x, 0);
    const rest = 100 - w;
    let given = 0;
    const next = routes.map((r, j) => {
      if (j === i) return { ...r, weight: w };
      const share = otherTotal > 0 ? Math.floor((rest * others[j]) / otherTotal) : Math.floor(rest / (routes.length - 1));
      given += share;
      return { ...r, weight: share };
    });
    const last = next.findLastIndex((_, j) => j !== i);
    if (last >= 0) next[last] = { ...next[last], weight: next[last].weight + rest - given };
    setRoutes(next);
  };
  const targets = useAsync(
    async (signal) => {
      const [aliases, versions] = await Promise.all([api.models.aliases(d.model, { signal }), collect(api.models.versions(d.model, { signal }))]);
      return [...aliases.map((a) => ({ alias: a.alias })), ...versions.sort((a, b) => b.version - a.version).map((v) => ({ version: v.version }))];
    },
    [api, d.model],
  );
  const label = (r: { alias?: string; version?: number }) => (r.alias ? `alias ${r.alias}` : `version ${r.version}`);
  const unused = (targets.data ?? []).filter((t) => !routes.some((r) => label(r) === label(t)));
  const [adding, setAdding] = useState('');
  const apply = useAction(async () => {
    // The same spec with new weights: the stored spec's settings are kept, the model comes from the view.
    const spec = d.spec as Record<string, unknown>;
    const kept = Object.fromEntries(['shadows', 'pool', 'batching', 'replicas', 'featureViews', 'description'].filter((k) => spec[k] !== undefined).map((k) => [k, spec[k]]));
    await api.deployments.apply({ ...kept, name: d.name, model: d.model, routes }, { wait: 'ready', waitTimeoutMs: 60_000, timeoutMs: 90_000 });
    onApplied();
  });
  return (
    <div class="card">
      <h2>Routes and weights</h2>
      <div class="stack">
        {routes.map((r, i) => (
          <div class="row" key={label(r)}>
            <label class="field" style={{ flex: 1 }}>
              <span>
                {label(r)}: {r.weight}% of traffic
              </span>
              <input type="range" min={0} max={100} step={1} value={r.weight} disabled={routes.length === 1} onInput={(e) => setWeight(i, Number(e.currentTarget.value))} />
            </label>
            {routes.length > 1 ? (
              <button type="button" class="btn small" aria-label={`Remove the route to ${label(r)}`} onClick={() => setRoutes(normalise(routes.filter((_, j) => j !== i)))}>
                Remove
              </button>
            ) : null}
          </div>
        ))}
        {unused.length ? (
          <div class="row">
            <select aria-label="Route to add" value={adding} onChange={(e) => setAdding(e.currentTarget.value)}>
              <option value="">add a route to…</option>
              {unused.map((t) => (
                <option key={label(t)} value={label(t)}>
                  {label(t)}
                </option>
              ))}
            </select>
            <button
              type="button"
              class="btn small"
              disabled={!adding}
              onClick={() => {
                const t = unused.find((x) => label(x) === adding);
                if (t) setRoutes([...routes, { ...t, weight: 0 }]);
                setAdding('');
              }}
            >
              Add route
            </button>
          </div>
        ) : null}
      </div>
      <ErrorBox error={apply.error} />
      <div class="row" style={{ marginTop: '10px' }}>
        <button type="button" class="btn primary" disabled={!changed || apply.busy || total !== 100} onClick={() => void apply.run()}>
          {apply.busy ? 'Applying…' : 'Apply weights (new revision)'}
        </button>
        {changed ? (
          <button type="button" class="btn" onClick={() => setRoutes(routesOf(d))}>
            Reset
          </button>
        ) : null}
      </div>
    </div>
  );
}

function Revisions({ d, list, onRolledBack }: { d: DeploymentView; list: Array<{ revision: number; spec: unknown; createdAt: string; createdBy: string | null }>; onRolledBack: () => void }) {
  const { api } = useConsole();
  const rollback = useAction(async (revision: number) => {
    await api.deployments.rollback(d.name, { revision });
    onRolledBack();
  });
  return (
    <>
      <ErrorBox error={rollback.error} />
      <table>
        <thead>
          <tr>
            <th>Revision</th>
            <th>Routes</th>
            <th>Created</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.revision} class={r.revision === d.revision ? 'selected' : undefined}>
              <td>{r.revision}</td>
              <td>{(((r.spec as { routes?: Array<{ alias?: string; version?: number; weight: number }> }).routes) ?? []).map((x) => `${x.alias ?? `v${x.version}`} ${x.weight}`).join(', ')}</td>
              <td>{fmtTime(r.createdAt)}</td>
              <td>
                {r.revision !== d.revision ? (
                  <button type="button" class="btn small" disabled={rollback.busy} onClick={() => confirm(`Roll back to revision ${r.revision}?`) && void rollback.run(r.revision)}>
                    Roll back to this
                  </button>
                ) : (
                  <span class="muted">current</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The served version's input names and whether each is a string, from its signature. */
function inputsOf(signature: unknown): Array<{ name: string; text: boolean }> {
  const inputs = (signature as { inputs?: Array<{ name: string; dtype?: string; type?: string }> })?.inputs ?? [];
  return inputs.map((i) => ({ name: i.name, text: /string|categorical/.test(`${i.dtype ?? ''}${i.type ?? ''}`) }));
}

/** Two example instances to edit before sending: rows of the training data when the lineage names it. */
async function examples(api: ReturnType<typeof useConsole>['api'], model: string, version: number): Promise<Array<Record<string, unknown>>> {
  const v = await api.models.version(model, version);
  const inputs = inputsOf(v.signature);
  const data = (v.lineage as { dataset?: { dataset: string; version: number } }).dataset;
  if (data) {
    try {
      const preview = await api.datasets.preview(data.dataset, data.version, { limit: 2 });
      if (preview.rows.length) return preview.rows.map((r) => Object.fromEntries(inputs.map((i) => [i.name, r[i.name] ?? null])));
    } catch {
      // The dataset may be gone or unreadable to this key: fall back to typed blanks.
    }
  }
  return [Object.fromEntries(inputs.map((i) => [i.name, i.text ? '' : 0]))];
}

function PredictBox({ d }: { d: DeploymentView }) {
  const { api } = useConsole();
  const version = d.status?.versions[0];
  const [text, setText] = useState('');
  useEffect(() => {
    if (text || !version) return;
    examples(api, d.model, version).then(
      (rows) => setText((t) => t || JSON.stringify(rows, null, 2)),
      () => {},
    );
  }, [version]);
  const [result, setResult] = useState<PredictResponse | null>(null);
  const [parseError, setParseError] = useState<string | null>(null);
  const predict = useAction(async () => {
    setResult(null);
    let instances: unknown;
    try {
      instances = JSON.parse(text);
    } catch (err) {
      setParseError(`Not JSON: ${(err as Error).message}`);
      return;
    }
    setParseError(null);
    const list = Array.isArray(instances) ? instances : [instances];
    setResult(await api.predict(d.model, { instances: list as Array<Record<string, string | number | boolean | null>> }));
  });
  return (
    <div class="card stack">
      <h2>Predict</h2>
      <label class="field">
        <span>Instances (a JSON array of objects, one per row)</span>
        <textarea name="instances" rows={7} value={text} onInput={(e) => setText(e.currentTarget.value)} spellcheck={false} />
      </label>
      {parseError ? <ErrorBox error={new Error(parseError)} /> : null}
      <ErrorBox error={predict.error} />
      <div class="row">
        <button type="button" class="btn primary" disabled={predict.busy || !text.trim()} onClick={() => void predict.run()}>
          {predict.busy ? 'Predicting…' : `Predict with ${d.model}`}
        </button>
      </div>
      {result ? (
        <div data-testid="prediction-result">
          <p>
            Answered by <strong>v{result.version}</strong> through <code>{result.deployment ?? 'no deployment'}</code> ({result.outputs.join(', ')}):
          </p>
          <Json value={result.predictions} />
        </div>
      ) : null}
    </div>
  );
}

/** Scales weights back to a sum of 100 (after a route is removed). */
function normalise<R extends { weight: number }>(routes: R[]): R[] {
  const total = routes.reduce((s, r) => s + r.weight, 0);
  if (routes.length === 0) return routes;
  const next = routes.map((r) => ({ ...r, weight: total > 0 ? Math.floor((100 * r.weight) / total) : Math.floor(100 / routes.length) }));
  next[next.length - 1].weight += 100 - next.reduce((s, r) => s + r.weight, 0);
  return next;
}
