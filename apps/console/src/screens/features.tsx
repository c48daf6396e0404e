// The feature store: entities, feature views (?view= selects one) with their versions, statistics and
// materialization runs, a materialize button, and an online lookup by entity key.
import { useState } from 'preact/hooks';
import type { FeatureViewVersionView } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { Link, seg, setQuery } from '../router.js';
import { Async, ErrorBox } from '../ui/states.js';
import { collect, useAction, useAsync } from '../ui/use-async.js';
import { fmtNum, fmtTime } from '../ui/format.js';
import { Badge, Json, PageHead } from '../ui/widgets.js';

export function FeaturesScreen({ query }: { query: URLSearchParams }) {
  const { api, project } = useConsole();
  const entities = useAsync((signal) => collect(api.features.entities.list({ signal })), [api]);
  const views = useAsync((signal) => collect(api.features.views.list({ signal })), [api]);
  const selected = query.get('view') ?? views.data?.[0]?.name ?? null;

  return (
    <>
      <PageHead title="Features">
        <Link class="btn primary" to={`/p/${seg(project)}/features/new`}>
          New feature view…
        </Link>
      </PageHead>
      <div class="grid-2">
        <div class="card">
          <h2>Entities</h2>
          <Async state={entities} what="entities" empty={(d) => d.length === 0} emptyText="No entities yet (POST /v1/projects/{project}/entities).">
            {(list) => (
              <table>
                <thead>
                  <tr>
                    <th>Entity</th>
                    <th>Join keys</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((e) => (
                    <tr key={e.id}>
                      <td>{e.name}</td>
                      <td>{e.joinKeys.map((k) => `${k.name}: ${k.type}`).join(', ')}</td>
                      <td>{fmtTime(e.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Async>
        </div>
        <div class="card">
          <h2>Feature views</h2>
          <Async state={views} what="feature views" empty={(d) => d.length === 0} emptyText="No feature views yet.">
            {(list) => (
              <table>
                <thead>
                  <tr>
                    <th>View</th>
                    <th>Entity</th>
                    <th>Source</th>
                    <th>Features</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((v) => (
                    <tr key={v.id} class={v.name === selected ? 'selected' : undefined}>
                      <td>
                        <button type="button" class="btn small" aria-pressed={v.name === selected} onClick={() => setQuery({ view: v.name, version: undefined }, { push: true })}>
                          {v.name} v{v.version}
                        </button>
                      </td>
                      <td>{v.entity}</td>
                      <td>
                        {v.source.dataset} v{v.source.version}
                      </td>
                      <td>{v.features.map((f) => f.name).join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Async>
        </div>
      </div>
      {selected ? <ViewDetail key={selected} name={selected} version={Number(query.get('version')) || null} /> : null}
    </>
  );
}

function ViewDetail({ name, version }: { name: string; version: number | null }) {
  const { api, project } = useConsole();
  const versions = useAsync((signal) => collect(api.features.views.versions(name, { signal })), [api, name]);
  const list = versions.data ?? [];
  const current = list.find((v) => v.version === version) ?? [...list].sort((a, b) => b.version - a.version)[0];
  const runs = useAsync(async (signal) => (current ? collect(api.features.materializations(name, current.version, { signal })) : []), [api, name, current?.version]);
  const materialize = useAction(async (mode: 'full' | 'incremental') => {
    await api.features.materialize(name, { mode });
    runs.reload();
  });

  return (
    <div class="card">
      <div class="page-head">
        <h2>
          Feature view {name}
          {current ? ` v${current.version}` : ''}
        </h2>
        <div class="row">
          {list.length > 1 ? (
            <select aria-label="Feature view version" value={current?.version} onChange={(e) => setQuery({ version: e.currentTarget.value })}>
              {list.map((v) => (
                <option key={v.id} value={v.version}>
                  v{v.version}
                </option>
              ))}
            </select>
          ) : null}
          <button type="button" class="btn" disabled={materialize.busy} onClick={() => void materialize.run('incremental')}>
            Materialize (incremental)
          </button>
          <button type="button" class="btn primary" disabled={materialize.busy} onClick={() => void materialize.run('full')}>
            {materialize.busy ? 'Materializing…' : 'Materialize (full)'}
          </button>
        </div>
      </div>
      <ErrorBox error={materialize.error ?? versions.error} />
      {current ? (
        <>
          <p class="muted">
            Entity {current.entity} · source <Link to={`/p/${seg(project)}/datasets/${seg(current.source.dataset)}?version=${current.source.version}`}>{`${current.source.dataset} v${current.source.version}`}</Link> · event time{' '}
            {current.eventTimestampColumn} · TTL {current.ttlSeconds ? `${current.ttlSeconds} s` : 'none'}
          </p>
          <div class="grid-2">
            <section>
              <h3>Features and statistics</h3>
              <FeatureStats v={current} />
            </section>
            <section>
              <h3>Materialization runs</h3>
              <Async state={runs} what="materialization runs" empty={(d) => d.length === 0} emptyText="Never materialized: the online store has nothing for this view.">
                {(rs) => (
                  <table>
                    <thead>
                      <tr>
                        <th>Mode</th>
                        <th>Status</th>
                        <th class="num">Rows</th>
                        <th>Watermark</th>
                        <th>Started</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rs.map((r) => (
                        <tr key={r.id} title={r.error ?? ''}>
                          <td>{r.mode}</td>
                          <td>
                            <Badge value={r.status} />
                          </td>
                          <td class="num">{fmtNum(r.rowsWritten)}</td>
                          <td>{fmtTime(r.endWatermark)}</td>
                          <td>{fmtTime(r.startedAt)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </Async>
            </section>
          </div>
          <OnlineLookup view={current} />
        </>
      ) : null}
    </div>
  );
}

/** The per-feature statistics stored with the version (computed at apply time: the drift baseline). */
function FeatureStats({ v }: { v: FeatureViewVersionView }) {
  const st = (v.statistics ?? {}) as { features?: Array<Record<string, unknown> & { name: string }>; rowCount?: number; eventTimeMin?: string | null; eventTimeMax?: string | null };
  const byName = new Map((st.features ?? []).map((f) => [f.name, f]));
  const statKeys = ['nulls', 'distinct', 'min', 'max', 'mean', 'stddev'];
  return (
    <>
    {st.rowCount !== undefined ? (
      <p class="muted">
        {fmtNum(st.rowCount)} source rows · events {fmtTime(st.eventTimeMin)} → {fmtTime(st.eventTimeMax)}
      </p>
    ) : null}
    <table data-testid="feature-statistics">
      <thead>
        <tr>
          <th>Feature</th>
          <th>Type</th>
          {statKeys.map((k) => (
            <th class="num" key={k}>
              {k}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {v.features.map((f) => {
          const s: Record<string, unknown> = byName.get(f.name) ?? {};
          return (
            <tr key={f.name}>
              <td>{f.name}</td>
              <td>{f.type}</td>
              {statKeys.map((k) => (
                <td class="num" key={k}>
                  {fmtNum(s[k])}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
    </>
  );
}

function OnlineLookup({ view }: { view: FeatureViewVersionView }) {
  const { api } = useConsole();
  const entity = useAsync((signal) => api.features.entities.get(view.entity, { signal }), [api, view.entity]);
  const keys = entity.data?.joinKeys ?? [];
  const [values, setValues] = useState<Record<string, string>>({});
  const lookup = useAction(async () => {
    const key = Object.fromEntries(keys.map((k) => [k.name, k.type === 'int' || k.type === 'float' ? Number(values[k.name]) : values[k.name] ?? '']));
    return api.features.online({ featureViews: [view.name], entityKeys: [key] });
  });
  const [result, setResult] = useState<unknown>(null);
  return (
    <section style={{ marginTop: '14px' }}>
      <h3>Online lookup</h3>
      <form
        class="row"
        aria-label="Online feature lookup"
        onSubmit={async (e) => {
          e.preventDefault();
          setResult((await lookup.run()) ?? null);
        }}
      >
        {keys.map((k) => (
          <label class="field" key={k.name}>
            <span>
              {k.name} ({k.type})
            </span>
            <input value={values[k.name] ?? ''} onInput={(e) => setValues({ ...values, [k.name]: e.currentTarget.value })} />
          </label>
        ))}
        <button class="btn" type="submit" disabled={lookup.busy || !keys.length} style={{ alignSelf: 'flex-end' }}>
          Look up
        </button>
      </form>
      <ErrorBox error={lookup.error ?? entity.error} />
      {result ? <Json value={result} /> : null}
    </section>
  );
}
