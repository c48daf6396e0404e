// One model: its versions with metrics; for the selected version (?version=) its lineage, evaluations
// (metrics, ROC / PR / calibration, slices, feature importance, comparison with the baseline and the
// blessing gate's verdict with each check), and the aliases with promote / roll back.
import { useState } from 'preact/hooks';
import type { AliasView, EvaluationView, VersionView } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { Link, href, seg, setQuery } from '../router.js';
import { Async, Empty, ErrorBox } from '../ui/states.js';
import { collect, useAction, useAsync } from '../ui/use-async.js';
import { fmtBytes, fmtNum, fmtTime } from '../ui/format.js';
import { Badge, Json, KV, PageHead, Tabs } from '../ui/widgets.js';
import { CurveChart } from '../charts/charts.js';

export function ModelScreen({ params, query }: { params: Record<string, string>; query: URLSearchParams }) {
  const { api, project } = useConsole();
  const name = params.name;
  const versions = useAsync((signal) => collect(api.models.versions(name, { signal })), [api, name]);
  const aliases = useAsync((signal) => api.models.aliases(name, { signal }), [api, name]);
  const list = versions.data ?? [];
  const selected = Number(query.get('version')) || Math.max(0, ...list.map((v) => v.version)) || null;
  const current = list.find((v) => v.version === selected);
  const tab = query.get('tab') ?? 'evaluation';
  const reloadAll = () => {
    versions.reload();
    aliases.reload();
  };

  return (
    <>
      <PageHead title={`Model ${name}`} crumbs={[[`/p/${seg(project)}/models`, 'Models']]}>
        <Link class="btn" to={href(`/p/${seg(project)}/deployments`, { model: name })}>
          Deploy…
        </Link>
      </PageHead>
      <div class="card">
        <h2>Versions</h2>
        <Async state={versions} what="versions" empty={(d) => d.length === 0}>
          {(vs) => (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Version</th>
                    <th>Aliases</th>
                    <th>Format</th>
                    <th>Test metrics</th>
                    <th>Latest evaluation</th>
                    <th class="num">Bundle</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {[...vs].sort((a, b) => b.version - a.version).map((v) => (
                    <tr key={v.id} class={v.version === selected ? 'selected' : undefined}>
                      <td>
                        <button type="button" class="btn small" aria-pressed={v.version === selected} onClick={() => setQuery({ version: v.version, eval: undefined }, { push: true })}>
                          v{v.version}
                        </button>
                      </td>
                      <td>{v.aliases.length ? v.aliases.map((a) => <span key={a} class="badge ok" style={{ marginRight: '4px' }}>{a}</span>) : '—'}</td>
                      <td>{v.format}</td>
                      <td>{metricSummary(v)}</td>
                      <td>{v.latestEvaluation ? <Badge value={v.latestEvaluation.verdict} /> : '—'}</td>
                      <td class="num">{fmtBytes(v.bundle.size)}</td>
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
              ['evaluation', `Evaluation of v${current.version}`],
              ['aliases', 'Aliases & promotion'],
              ['lineage', 'Lineage & signature'],
            ]}
          />
          {tab === 'evaluation' ? (
            <Evaluations model={name} version={current} selectedEval={query.get('eval')} />
          ) : tab === 'aliases' ? (
            <Aliases model={name} version={current} aliases={aliases} onChange={reloadAll} />
          ) : (
            <Lineage version={current} />
          )}
        </div>
      ) : null}
    </>
  );
}

/** The test split's metrics, whichever shape the version stored them in. */
function testMetrics(v: VersionView): Record<string, number> {
  const m = v.metrics as Record<string, unknown>;
  const test = (m.test && typeof m.test === 'object' ? m.test : m) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(test).filter(([, x]) => typeof x === 'number')) as Record<string, number>;
}

function metricSummary(v: VersionView): string {
  const m = testMetrics(v);
  const keys = Object.keys(m).filter((k) => k !== 'rows').slice(0, 3);
  return keys.length ? keys.map((k) => `${k} ${fmtNum(m[k], 3)}`).join(' · ') : '—';
}

function Lineage({ version }: { version: VersionView }) {
  const { project } = useConsole();
  const l = version.lineage as { dataset?: { dataset: string; version: number }; trainingJobId?: string; datasetVersionId?: string; engineVersion?: string; seed?: number; featureViews?: unknown };
  return (
    <div class="grid-2">
      <div class="stack">
        <KV
          items={[
            ['dataset', l.dataset ? <Link to={`/p/${seg(project)}/datasets/${seg(l.dataset.dataset)}?version=${l.dataset.version}`}>{`${l.dataset.dataset} v${l.dataset.version}`}</Link> : '—'],
            ['training job', l.trainingJobId ? <Link to={`/p/${seg(project)}/jobs/${seg(l.trainingJobId)}`}>{l.trainingJobId.slice(-8)}</Link> : '—'],
            ['feature views', l.featureViews ? JSON.stringify(l.featureViews) : '—'],
            ['engine', l.engineVersion ?? '—'],
            ['seed', l.seed ?? '—'],
            ['bundle sha256', <code>{version.bundle.sha256}</code>],
            ['created by', version.createdBy ?? '—'],
          ]}
        />
        <h3>Metrics</h3>
        <Json value={version.metrics} />
      </div>
      <div>
        <h3>Signature</h3>
        <Json value={version.signature} />
      </div>
    </div>
  );
}

function Evaluations({ model, version, selectedEval }: { model: string; version: VersionView; selectedEval: string | null }) {
  const { api } = useConsole();
  const evals = useAsync((signal) => api.models.evaluations(model, version.version, { signal }), [api, model, version.version]);
  const lineage = version.lineage as { dataset?: { dataset: string; version: number } };
  const [dataset, setDataset] = useState(lineage.dataset ? `${lineage.dataset.dataset}@${lineage.dataset.version}` : '');
  const [sliceColumn, setSliceColumn] = useState('');
  // One blessing-gate rule, optional: a floor on a metric and/or how much worse than production it may be.
  const [gateMetric, setGateMetric] = useState('auc');
  const [gateMin, setGateMin] = useState('');
  const [gateRegression, setGateRegression] = useState('');
  const run = useAction(async () => {
    const [name, v] = dataset.split('@');
    const lowerIsBetter = /loss|error|brier|ece|rmse|mae|mse/i.test(gateMetric);
    const gate =
      gateMin !== '' || gateRegression !== ''
        ? [
            {
              metric: gateMetric,
              direction: lowerIsBetter ? ('lower_is_better' as const) : ('higher_is_better' as const),
              ...(gateMin !== '' ? { minAbsolute: Number(gateMin) } : {}),
              ...(gateRegression !== '' ? { maxRegression: Number(gateRegression) } : {}),
            },
          ]
        : undefined;
    const handle = await api.models.evaluate(model, version.version, { dataset: { name, version: Number(v) }, ...(sliceColumn ? { sliceColumn } : {}), ...(gate ? { gate } : {}) });
    await handle.wait();
    evals.reload();
    setQuery({ eval: undefined });
  });

  return (
    <>
      <form
        class="form-grid"
        aria-label="Run an evaluation"
        style={{ marginBottom: '14px' }}
        onSubmit={(e) => {
          e.preventDefault();
          void run.run();
        }}
      >
        <label class="field">
          <span>Evaluate on dataset@version</span>
          <input name="evalDataset" value={dataset} onInput={(e) => setDataset(e.currentTarget.value)} placeholder="customers@1" />
        </label>
        <label class="field">
          <span>Slice by column (optional)</span>
          <input name="sliceColumn" value={sliceColumn} onInput={(e) => setSliceColumn(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Gate metric</span>
          <input name="gateMetric" value={gateMetric} onInput={(e) => setGateMetric(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Gate limit (optional)</span>
          <input name="gateMin" type="number" step="any" value={gateMin} onInput={(e) => setGateMin(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Max regression vs prod. (optional)</span>
          <input name="gateRegression" type="number" step="any" min={0} value={gateRegression} onInput={(e) => setGateRegression(e.currentTarget.value)} />
        </label>
        <button class="btn primary" type="submit" disabled={run.busy || !/^.+@\d+$/.test(dataset)}>
          {run.busy ? 'Evaluating…' : 'Run evaluation'}
        </button>
      </form>
      <ErrorBox error={run.error} />
      <Async state={evals} what="evaluations" empty={(d) => d.length === 0} emptyText="No evaluations of this version yet: run one above.">
        {(list) => {
          const chosen = list.find((e) => e.id === selectedEval) ?? list.find((e) => hasCurves(e)) ?? list[0];
          return (
            <>
              <div class="table-wrap" style={{ marginBottom: '14px' }}>
                <table>
                  <thead>
                    <tr>
                      <th>Evaluation</th>
                      <th>Split</th>
                      <th>Status</th>
                      <th>Verdict</th>
                      <th>Baseline</th>
                      <th>Created</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((e) => (
                      <tr key={e.id} class={e.id === chosen.id ? 'selected' : undefined}>
                        <td>
                          <button type="button" class="btn small" aria-pressed={e.id === chosen.id} onClick={() => setQuery({ eval: e.id }, { push: true })}>
                            {e.id.slice(-8)}
                          </button>
                        </td>
                        <td>{e.split}</td>
                        <td>
                          <Badge value={e.status} />
                        </td>
                        <td>
                          <Badge value={e.verdict} />
                        </td>
                        <td>{e.baselineVersion ? `v${e.baselineVersion}` : '—'}</td>
                        <td>{fmtTime(e.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <EvaluationDetail e={chosen} />
            </>
          );
        }}
      </Async>
    </>
  );
}

interface Curves {
  roc?: { fpr: number[]; tpr: number[] };
  pr?: { recall: number[]; precision: number[] };
  calibration?: { edges: number[]; meanPredicted: Array<number | null>; fractionPositive: Array<number | null>; counts: number[]; ece: number };
}
interface GateCheck {
  metric: string;
  kind: string;
  limit: number;
  candidate: number | null;
  baseline: number | null;
  passed: boolean;
  reason: string;
}

const hasCurves = (e: EvaluationView) => !!(e.curves as Curves | null)?.roc;

function EvaluationDetail({ e }: { e: EvaluationView }) {
  const curves = (e.curves ?? {}) as Curves;
  const gate = (e.gate ?? {}) as { checks?: GateCheck[]; baselineVersion?: number | null };
  const comparison = (e.comparison ?? {}) as Record<string, { candidate: number; baseline: number; delta: number }>;
  const importance = (Array.isArray(e.featureImportance) ? e.featureImportance : []) as Array<{ feature: string; importance: number; std: number }>;
  const slices = e.slices as { column?: string; kind?: string; values?: Array<{ value: string | number | null; count: number; metrics: Record<string, number> }> } | null;
  const maxImp = Math.max(1e-12, ...importance.map((f) => Math.abs(f.importance)));
  const sliceMetricKeys = slices?.values?.length ? Object.keys(slices.values[0].metrics).slice(0, 4) : [];

  return (
    <div class="stack" data-testid="evaluation-detail">
      {e.error ? <ErrorBox error={new Error(e.error)} /> : null}
      <div class="grid-2">
        <section>
          <h3>Metrics {Object.keys(comparison).length ? `vs production (v${e.baselineVersion})` : ''}</h3>
          <table>
            <thead>
              <tr>
                <th>Metric</th>
                <th class="num">This version</th>
                {Object.keys(comparison).length ? (
                  <>
                    <th class="num">Baseline</th>
                    <th class="num">Δ</th>
                  </>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {Object.entries(e.metrics).map(([k, v]) => (
                <tr key={k}>
                  <td>{k}</td>
                  <td class="num">{fmtNum(v)}</td>
                  {Object.keys(comparison).length ? (
                    <>
                      <td class="num">{fmtNum(comparison[k]?.baseline)}</td>
                      <td class="num">{comparison[k] ? (comparison[k].delta >= 0 ? '+' : '') + fmtNum(comparison[k].delta) : '—'}</td>
                    </>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h3>
            Blessing gate: <span data-testid="gate-verdict"><Badge value={e.verdict} /></span>
          </h3>
          {gate.checks?.length ? (
            <table>
              <thead>
                <tr>
                  <th>Check</th>
                  <th class="num">Limit</th>
                  <th class="num">Candidate</th>
                  <th class="num">Baseline</th>
                  <th>Result</th>
                </tr>
              </thead>
              <tbody>
                {gate.checks.map((c, i) => (
                  <tr key={i} title={c.reason}>
                    <td>
                      {c.metric} <span class="muted">({c.kind.replace(/_/g, ' ')})</span>
                    </td>
                    <td class="num">{fmtNum(c.limit)}</td>
                    <td class="num">{fmtNum(c.candidate)}</td>
                    <td class="num">{fmtNum(c.baseline)}</td>
                    <td>
                      <Badge value={c.passed ? 'passed' : 'failed'} /> <span class="muted">{c.reason}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">{e.split === 'holdout' ? 'The training holdout has no gate checks: run an evaluation for curves and the gate.' : 'No checks applied.'}</p>
          )}
        </section>
      </div>
      {curves.roc || curves.pr || curves.calibration ? (
        <div class="grid-3">
          {curves.roc ? <CurveChart kind="roc" title="ROC" x={curves.roc.fpr} y={curves.roc.tpr} xLabel="false positive rate" yLabel="true positive rate" /> : <div />}
          {curves.pr ? <CurveChart kind="pr" title="Precision–recall" x={curves.pr.recall} y={curves.pr.precision} xLabel="recall" yLabel="precision" /> : <div />}
          {curves.calibration ? (
            <div>
              <CurveChart kind="calibration" title={`Calibration (ECE ${fmtNum(curves.calibration.ece, 3)})`} x={curves.calibration.meanPredicted} y={curves.calibration.fractionPositive} xLabel="mean predicted" yLabel="fraction positive" />
            </div>
          ) : (
            <div />
          )}
        </div>
      ) : (
        <Empty>No curves in this evaluation (curves are computed for binary models by “Run evaluation”).</Empty>
      )}
      <div class="grid-2">
        <section>
          <h3>Feature importance (permutation)</h3>
          {importance.length ? (
            <div class="cat-bars">
              {importance.map((f) => (
                <div class="cat-bar" key={f.feature} title={`${fmtNum(f.importance)} ± ${fmtNum(f.std)}`}>
                  <span class="lbl">{f.feature}</span>
                  <span class="bar" style={{ width: `${(100 * Math.max(0, f.importance)) / maxImp}%` }} />
                  <span class="num">{fmtNum(f.importance, 3)}</span>
                </div>
              ))}
            </div>
          ) : (
            <p class="muted">Not computed for this evaluation.</p>
          )}
        </section>
        <section>
          <h3>Slices {slices?.column ? `by ${slices.column}` : ''}</h3>
          {slices?.values?.length ? (
            <table>
              <thead>
                <tr>
                  <th>{slices.column}</th>
                  <th class="num">Rows</th>
                  {sliceMetricKeys.map((k) => (
                    <th class="num" key={k}>
                      {k}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {slices.values.map((s) => (
                  <tr key={String(s.value)}>
                    <td>{s.value === null ? <span class="muted">missing</span> : String(s.value)}</td>
                    <td class="num">{fmtNum(s.count)}</td>
                    {sliceMetricKeys.map((k) => (
                      <td class="num" key={k}>
                        {fmtNum(s.metrics[k], 3)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">No slices: name a slice column when you run an evaluation.</p>
          )}
        </section>
      </div>
    </div>
  );
}

function Aliases({ model, version, aliases, onChange }: { model: string; version: VersionView; aliases: { data: AliasView[] | undefined; error: unknown; loading: boolean; reload: () => void }; onChange: () => void }) {
  const { api } = useConsole();
  const [alias, setAlias] = useState('production');
  const [requireBlessing, setRequireBlessing] = useState(false);
  const promote = useAction(async (a: string, v: number) => {
    await api.models.promote(model, v, a, requireBlessing ? { requireBlessing } : undefined);
    onChange();
  });
  const remove = useAction(async (a: string) => {
    await api.models.deleteAlias(model, a);
    onChange();
  });

  return (
    <div class="stack">
      <form
        class="row"
        aria-label="Promote this version"
        onSubmit={(e) => {
          e.preventDefault();
          void promote.run(alias.trim(), version.version);
        }}
      >
        <label class="field">
          <span>Alias</span>
          <input name="alias" value={alias} onInput={(e) => setAlias(e.currentTarget.value)} />
        </label>
        <label class="row" style={{ alignSelf: 'flex-end' }}>
          <input type="checkbox" checked={requireBlessing} onChange={(e) => setRequireBlessing(e.currentTarget.checked)} />
          require a blessed evaluation
        </label>
        <button class="btn primary" type="submit" disabled={promote.busy || !alias.trim()} style={{ alignSelf: 'flex-end' }}>
          Promote v{version.version} to “{alias.trim() || '…'}”
        </button>
      </form>
      <ErrorBox error={promote.error ?? remove.error} />
      <Async state={aliases} what="aliases" empty={(d) => d.length === 0} emptyText="No aliases yet.">
        {(list) => (
          <table data-testid="aliases-table">
            <thead>
              <tr>
                <th>Alias</th>
                <th>Version</th>
                <th>Previous</th>
                <th>Moved</th>
                <th>By</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.alias}>
                  <td>
                    <strong>{a.alias}</strong>
                  </td>
                  <td>v{a.version}</td>
                  <td>{a.previousVersion ? `v${a.previousVersion}` : '—'}</td>
                  <td>{fmtTime(a.updatedAt)}</td>
                  <td>{a.updatedBy ?? '—'}</td>
                  <td class="row">
                    {a.previousVersion ? (
                      <button type="button" class="btn small" disabled={promote.busy} onClick={() => void promote.run(a.alias, a.previousVersion!)}>
                        Roll back to v{a.previousVersion}
                      </button>
                    ) : null}
                    <button type="button" class="btn small danger" disabled={remove.busy} onClick={() => confirm(`Remove the alias “${a.alias}”?`) && void remove.run(a.alias)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Async>
    </div>
  );
}
