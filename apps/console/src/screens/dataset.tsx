// One dataset: its versions; for the selected one (?version=) the profile (per-column histograms, null
// counts, min/max/mean), a preview of its rows, and its schema with what changed since the last version.
import type { ColumnProfileView, DatasetVersionView } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { Link, href, seg, setQuery } from '../router.js';
import { Async, Empty } from '../ui/states.js';
import { collect, useAsync } from '../ui/use-async.js';
import { fmtBytes, fmtNum, fmtTime } from '../ui/format.js';
import { Json, KV, PageHead, Tabs } from '../ui/widgets.js';
import { Histogram } from '../charts/charts.js';

export function DatasetScreen({ params, query }: { params: Record<string, string>; query: URLSearchParams }) {
  const { api, project } = useConsole();
  const name = params.name;
  const versions = useAsync((signal) => collect(api.datasets.versions(name, { signal })), [api, name]);
  const list = versions.data ?? [];
  const selected = Number(query.get('version')) || Math.max(0, ...list.map((v) => v.version)) || null;
  const tab = query.get('tab') ?? 'profile';
  const current = list.find((v) => v.version === selected);

  return (
    <>
      <PageHead title={`Dataset ${name}`} crumbs={[[`/p/${seg(project)}/datasets`, 'Datasets']]}>
        {selected ? (
          <Link class="btn primary" to={href(`/p/${seg(project)}/jobs/new`, { dataset: name, version: selected })}>
            Train a model on v{selected}
          </Link>
        ) : null}
      </PageHead>
      <div class="card">
        <h2>Versions</h2>
        <Async state={versions} what="versions" empty={(d) => d.length === 0} emptyText="No versions yet: upload a file on the Datasets page.">
          {(vs) => (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Version</th>
                    <th>Format</th>
                    <th class="num">Rows</th>
                    <th class="num">Size</th>
                    <th>Columns</th>
                    <th>Changes</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {[...vs].sort((a, b) => b.version - a.version).map((v) => (
                    <tr key={v.id} class={v.version === selected ? 'selected' : undefined}>
                      <td>
                        <button type="button" class="btn small" aria-pressed={v.version === selected} onClick={() => setQuery({ version: v.version }, { push: true })}>
                          v{v.version}
                        </button>
                      </td>
                      <td>{v.format}</td>
                      <td class="num">{fmtNum(v.rowCount)}</td>
                      <td class="num">{fmtBytes(v.sizeBytes)}</td>
                      <td>{columnsOf(v).length}</td>
                      <td>{changes(v)}</td>
                      <td>{fmtTime(v.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Async>
      </div>
      {current ? (
        <div class="card">
          <Tabs
            label="Version details"
            current={tab}
            tabs={[
              ['profile', `Profile of v${current.version}`],
              ['preview', 'Preview'],
              ['schema', 'Schema'],
            ]}
          />
          {tab === 'profile' ? <Profile name={name} version={current.version} /> : tab === 'preview' ? <Preview name={name} version={current.version} /> : <Schema v={current} />}
        </div>
      ) : null}
    </>
  );
}

function columnsOf(v: DatasetVersionView): Array<{ name: string; type: string; nullable?: boolean }> {
  const s = v.schema as unknown as { columns?: Array<{ name: string; type: string; nullable?: boolean }> };
  return s?.columns ?? [];
}

function changes(v: DatasetVersionView): string {
  const e = v.evolution;
  if (!e || e.previousVersion === null) return 'first version';
  if (e.unchanged) return 'same schema';
  const parts = [];
  if (e.added.length) parts.push(`+${e.added.map((c) => c.name).join(', ')}`);
  if (e.removed.length) parts.push(`−${e.removed.map((c) => c.name).join(', ')}`);
  if (e.retyped.length) parts.push(`retyped ${e.retyped.map((c) => `${c.name} (${c.from}→${c.to})`).join(', ')}`);
  return parts.join('; ');
}

function Profile({ name, version }: { name: string; version: number }) {
  const { api } = useConsole();
  const profile = useAsync((signal) => api.datasets.profile(name, version, { signal }), [api, name, version]);
  return (
    <Async state={profile} what="profile" empty={(p) => p.columns.length === 0}>
      {(p) => (
        <>
          <p class="muted">
            {fmtNum(p.rowCount)} rows × {p.columnCount} columns · profiled by {p.engine.name} (top {p.engine.topK}, {p.engine.histogramBins} bins)
          </p>
          <div class="col-cards">
            {p.columns.map((c) => (
              <ColumnCard key={c.name} c={c} />
            ))}
          </div>
        </>
      )}
    </Async>
  );
}

function ColumnCard({ c }: { c: ColumnProfileView }) {
  const h = c.histogram;
  return (
    <section class="col-card" aria-label={`Column ${c.name}`} data-testid="column-profile">
      <h3>
        <span>{c.name}</span>
        <span class="badge">{c.type}</span>
      </h3>
      <KV
        items={[
          ['nulls', `${fmtNum(c.nullCount)} (${(c.nullFraction * 100).toFixed(1)}%)`],
          ['distinct ≈', fmtNum(c.approxDistinct)],
          ...(c.min !== null ? ([['min / max', `${fmtNum(c.min)} / ${fmtNum(c.max)}`]] as Array<[string, string]>) : []),
          ...(c.mean !== null ? ([['mean ± sd', `${fmtNum(c.mean)} ± ${fmtNum(c.stddev)}`]] as Array<[string, string]>) : []),
        ]}
      />
      <div style={{ marginTop: '8px' }}>
        {h?.kind === 'numeric' ? (
          <Histogram bins={h.bins} label={c.name} />
        ) : h?.kind === 'categorical' ? (
          <CategoryBars buckets={h.buckets} other={h.otherCount} />
        ) : c.topValues.length ? (
          <CategoryBars buckets={c.topValues} other={0} />
        ) : (
          <span class="muted">No histogram for this type.</span>
        )}
      </div>
    </section>
  );
}

/** Categorical counts as labelled bars (a table would hide the shape). */
function CategoryBars({ buckets, other }: { buckets: Array<{ value: string; count: number }>; other: number }) {
  const rows = other > 0 ? [...buckets, { value: '(other)', count: other }] : buckets;
  const max = Math.max(1, ...rows.map((b) => b.count));
  return (
    <div class="cat-bars" role="list" data-testid="category-bars">
      {rows.slice(0, 12).map((b) => (
        <div class="cat-bar" role="listitem" key={b.value}>
          <span class="lbl" title={b.value}>
            {b.value}
          </span>
          <span class="bar" style={{ width: `${(100 * b.count) / max}%` }} />
          <span class="num">{fmtNum(b.count)}</span>
        </div>
      ))}
    </div>
  );
}

function Preview({ name, version }: { name: string; version: number }) {
  const { api } = useConsole();
  const preview = useAsync((signal) => api.datasets.preview(name, version, { limit: 50 }, { signal }), [api, name, version]);
  return (
    <Async state={preview} what="preview" empty={(p) => p.rows.length === 0} emptyText="This version has no rows.">
      {(p) => (
        <div class="table-wrap" style={{ maxHeight: '480px' }}>
          <table data-testid="preview-table">
            <thead>
              <tr>
                {p.columns.map((c) => (
                  <th key={c.name} title={c.duckdbType}>
                    {c.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.rows.map((r, i) => (
                <tr key={i}>
                  {p.columns.map((c) => (
                    <td key={c.name}>{r[c.name] === null ? <span class="muted">null</span> : typeof r[c.name] === 'object' ? JSON.stringify(r[c.name]) : String(r[c.name])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Async>
  );
}

function Schema({ v }: { v: DatasetVersionView }) {
  const cols = columnsOf(v);
  return (
    <div class="grid-2">
      <div>
        {cols.length ? (
          <table>
            <thead>
              <tr>
                <th>Column</th>
                <th>Type</th>
                <th>Nullable</th>
              </tr>
            </thead>
            <tbody>
              {cols.map((c) => (
                <tr key={c.name}>
                  <td>{c.name}</td>
                  <td>{c.type}</td>
                  <td>{c.nullable === undefined ? '—' : c.nullable ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <Empty>No schema recorded.</Empty>
        )}
      </div>
      <div class="stack">
        <KV items={[['sha256', <code>{v.sha256}</code>], ['content type', v.contentType], ['changes', changes(v)], ['created by', v.createdBy ?? '—']]} />
        {Object.keys(v.lineage ?? {}).length ? (
          <>
            <h3>Lineage</h3>
            <Json value={v.lineage} />
          </>
        ) : null}
      </div>
    </div>
  );
}
