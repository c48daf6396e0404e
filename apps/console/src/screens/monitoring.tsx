// Model monitoring of a deployment: active (or resolved) alerts, per feature the newest window's PSI,
// Jensen–Shannon distance, missing and out-of-range rates against training with the thresholds, PSI over
// time, a feature's live vs training distribution, output drift and online quality from labels, and the
// thresholds (editable). Version, feature, range and alert state live in the URL.
import { useEffect, useState } from 'preact/hooks';
import type { MonitoringThresholds, MonitoringThresholdsBody, MonitoringView } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { seg, setQuery } from '../router.js';
import { Async, Empty, ErrorBox } from '../ui/states.js';
import { useAction, useAsync } from '../ui/use-async.js';
import { fmtNum, fmtTime } from '../ui/format.js';
import { Badge, PageHead, Tabs } from '../ui/widgets.js';
import { BinsChart, OverTimeChart } from '../charts/drift-charts.js';

type Thresholds = MonitoringThresholds;
type Version = MonitoringView['versions'][number];
type Window = Version['windows'][number];

const RANGES: Record<string, number> = { '1h': 3600_000, '6h': 6 * 3600_000, '24h': 24 * 3600_000, '7d': 7 * 24 * 3600_000 };
const CHECKS: Array<[keyof Thresholds, string, 'psi' | 'js' | 'missingRate' | 'outOfRangeRate' | null]> = [
  ['psi', 'PSI', 'psi'],
  ['js', 'JS distance', 'js'],
  ['missingRate', 'missing rate (over training)', 'missingRate'],
  ['outOfRangeRate', 'out-of-range rate', 'outOfRangeRate'],
  ['predictionPsi', 'prediction PSI', null],
  ['accuracyDrop', 'accuracy drop', null],
];

export function MonitoringScreen({ params, query }: { params: Record<string, string>; query: URLSearchParams }) {
  const { api, project } = useConsole();
  const name = params.name;
  const range = RANGES[query.get('range') ?? ''] ? query.get('range')! : '1h';
  const alertState = query.get('alerts') === 'resolved' ? 'resolved' : 'active';
  const view = useAsync(
    (signal) => {
      const to = new Date();
      const from = new Date(to.getTime() - RANGES[range]);
      return api.monitoring.get(name, { from, to }, { signal });
    },
    [api, name, range],
  );
  const alerts = useAsync(
    (signal) => api.monitoring.alerts(name, { state: alertState, limit: 100 }, { signal }),
    [api, name, alertState],
  );
  // New windows are flushed every few seconds: refresh while the page is open.
  useEffect(() => {
    const t = setInterval(() => {
      view.reload();
      alerts.reload();
    }, 5000);
    return () => clearInterval(t);
  }, [view.reload, alerts.reload]);

  const versions = view.data?.versions ?? [];
  const selectedVersion = Number(query.get('version')) || versions[versions.length - 1]?.version;
  const v = versions.find((x) => x.version === selectedVersion);

  return (
    <>
      <PageHead
        title={`Monitoring: ${name}`}
        crumbs={[
          [`/p/${seg(project)}/deployments`, 'Deployments'],
          [`/p/${seg(project)}/deployments/${seg(name)}`, name],
        ]}
      >
        <label class="row">
          Range
          <select aria-label="Time range" value={range} onChange={(e) => setQuery({ range: e.currentTarget.value })}>
            {Object.keys(RANGES).map((r) => (
              <option key={r} value={r}>
                last {r}
              </option>
            ))}
          </select>
        </label>
        {versions.length > 1 ? (
          <select aria-label="Version" value={selectedVersion} onChange={(e) => setQuery({ version: e.currentTarget.value, feature: undefined })}>
            {versions.map((x) => (
              <option key={x.version} value={x.version}>
                v{x.version}
              </option>
            ))}
          </select>
        ) : null}
      </PageHead>
      <div class="card">
        <Tabs
          label="Alerts"
          param="alerts"
          current={alertState}
          tabs={[
            ['active', 'Active alerts'],
            ['resolved', 'Resolved alerts'],
          ]}
        />
        <Async state={alerts} what="alerts" empty={(a) => a.length === 0} emptyText={alertState === 'active' ? 'No active alerts: every judged window is under its thresholds.' : 'No resolved alerts.'}>
          {(a) => (
            <table data-testid="alerts-table">
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Feature</th>
                  <th>Check</th>
                  <th class="num">Value</th>
                  <th class="num">Threshold</th>
                  <th>Window</th>
                  <th>Raised</th>
                  <th>Resolved</th>
                </tr>
              </thead>
              <tbody>
                {a.map((x) => (
                  <tr key={x.id}>
                    <td>v{x.version}</td>
                    <td>{x.feature}</td>
                    <td>{x.check}</td>
                    <td class="num">{fmtNum(x.value, 3)}</td>
                    <td class="num">{fmtNum(x.threshold)}</td>
                    <td>{fmtTime(x.windowStart)}</td>
                    <td>{fmtTime(x.raisedAt)}</td>
                    <td>{x.resolvedAt ? fmtTime(x.resolvedAt) : <span class="badge bad">active</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Async>
      </div>
      <Async state={view} what="monitoring windows" empty={(d) => d.versions.length === 0} emptyText={`No traffic in the last ${range}: drift is computed from the requests this deployment answers.`}>
        {(d) => (v ? <VersionDrift v={v} thresholds={d.thresholds} feature={query.get('feature')} /> : <Empty>No windows for this version.</Empty>)}
      </Async>
      {view.data ? <ThresholdsForm name={name} thresholds={view.data.thresholds} onSaved={view.reload} /> : null}
    </>
  );
}

const over = (value: number | null | undefined, limit: number | null | undefined) => typeof value === 'number' && typeof limit === 'number' && value >= limit;

function VersionDrift({ v, thresholds, feature }: { v: Version; thresholds: Thresholds; feature: string | null }) {
  const judged = [...v.windows].reverse().find((w) => w.rows >= thresholds.minRows) ?? v.windows[v.windows.length - 1];
  if (!judged) return <Empty>No windows yet.</Empty>;
  const selected = judged.features.find((f) => f.name === feature) ?? judged.features[0];
  const times = v.windows.map((w) => new Date(w.start).getTime() / 1000);
  const end = new Date(v.windows[v.windows.length - 1].end).getTime() / 1000;
  const psiSeries = judged.features.map((f) => ({ label: f.name, values: v.windows.map((w) => w.features.find((x) => x.name === f.name)?.psi ?? null) }));
  const online = v.windows.filter((w) => w.online && w.online.labeled > 0);

  return (
    <>
      <div class="card">
        <h2>
          v{v.version}: newest window with {judged.rows >= thresholds.minRows ? `≥ ${thresholds.minRows}` : 'fewer than the judged'} rows ({fmtTime(judged.start)}, {fmtNum(judged.rows)} rows)
        </h2>
        <p class="muted">
          Reference: the training data’s profile ({v.reference.features.length} features). Task {v.task ?? '—'}
          {v.baselineAccuracy !== null ? `, test accuracy ${fmtNum(v.baselineAccuracy, 3)}` : ''}.
        </p>
        <table data-testid="drift-table">
          <thead>
            <tr>
              <th>Feature</th>
              <th>Kind</th>
              <th class="num">Values</th>
              <th class="num">PSI</th>
              <th class="num">JS distance</th>
              <th class="num">Missing (training)</th>
              <th class="num">Out of range</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {judged.features.map((f) => {
              const flags = [
                over(f.psi, thresholds.psi) && 'PSI',
                over(f.js, thresholds.js) && 'JS',
                typeof thresholds.missingRate === 'number' && typeof f.missingRate === 'number' && f.missingRate - f.referenceMissingRate >= thresholds.missingRate && 'missing',
                over(f.outOfRangeRate, thresholds.outOfRangeRate) && 'out of range',
              ].filter(Boolean) as string[];
              return (
                <tr key={f.name} class={f.name === selected?.name ? 'selected' : undefined}>
                  <td>
                    <button type="button" class="btn small" aria-pressed={f.name === selected?.name} onClick={() => setQuery({ feature: f.name })}>
                      {f.name}
                    </button>
                  </td>
                  <td>{f.kind}</td>
                  <td class="num">{fmtNum(f.count)}</td>
                  <td class="num">{fmtNum(f.psi, 3)}</td>
                  <td class="num">{fmtNum(f.js, 3)}</td>
                  <td class="num">
                    {pct(f.missingRate)} ({pct(f.referenceMissingRate)})
                  </td>
                  <td class="num">{pct(f.outOfRangeRate)}</td>
                  <td>{flags.length ? <Badge value={`drift: ${flags.join(', ')}`} /> : <Badge value="ok" />}</td>
                </tr>
              );
            })}
            {judged.prediction ? (
              <tr>
                <td>(prediction)</td>
                <td>output</td>
                <td class="num">{fmtNum(judged.prediction.count)}</td>
                <td class="num">{fmtNum(judged.prediction.psi, 3)}</td>
                <td class="num">{fmtNum(judged.prediction.js, 3)}</td>
                <td />
                <td />
                <td>
                  <span class="muted">vs {judged.prediction.baseline ?? 'no baseline yet'}</span>
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <div class="grid-2">
        <div class="card">
          <OverTimeChart title="PSI per feature" times={times} end={end} series={psiSeries} threshold={thresholds.psi} yLabel="PSI" testId="psi-over-time" />
        </div>
        <div class="card">
          {selected ? <BinsChart title={`${selected.name}: live vs training`} expected={selected.expected} live={selected.bins} /> : null}
        </div>
      </div>
      <div class="grid-2">
        <div class="card">
          {judged.prediction ? (
            <BinsChart
              title="Predictions: live vs baseline window"
              expected={null}
              live={judged.prediction.bins}
              labels={judged.prediction.edges ? judged.prediction.edges.slice(0, -1).map((e) => fmtNum(e, 2)) : undefined}
            />
          ) : (
            <Empty>No output distribution for this window.</Empty>
          )}
        </div>
        <div class="card">
          <h2>Online quality (from labels)</h2>
          {online.length ? (
            <OnlineChart windows={online} />
          ) : (
            <p class="muted">
              No labels yet. Send them with <code>POST …/deployments/{'{name}'}/labels</code>, keyed by each answer’s <code>requestId</code>.
            </p>
          )}
        </div>
      </div>
    </>
  );
}

function OnlineChart({ windows }: { windows: Window[] }) {
  const times = windows.map((w) => new Date(w.start).getTime() / 1000);
  const end = new Date(windows[windows.length - 1].end).getTime() / 1000;
  const keys = (['accuracy', 'auc', 'rmse', 'mae'] as const).filter((k) => windows.some((w) => typeof w.online?.[k] === 'number'));
  return (
    <OverTimeChart
      title={`Online ${keys.join(', ')}`}
      times={times}
      end={end}
      series={keys.map((k) => ({ label: k, values: windows.map((w) => (w.online?.[k] as number | null) ?? null) }))}
      threshold={null}
      yLabel="value"
      testId="online-quality"
    />
  );
}

const pct = (v: number | null | undefined) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—');

function ThresholdsForm({ name, thresholds, onSaved }: { name: string; thresholds: Thresholds; onSaved: () => void }) {
  const { api } = useConsole();
  const toText = (t: Thresholds) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v === null ? '' : String(v)])) as Record<string, string>;
  const [values, setValues] = useState<Record<string, string>>(() => toText(thresholds));
  const save = useAction(async () => {
    const body: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(values)) body[k] = v.trim() === '' ? null : Number(v);
    const saved = await api.monitoring.setThresholds(name, body as MonitoringThresholdsBody);
    setValues(toText(saved));
    onSaved();
  });
  return (
    <form
      class="card"
      aria-label="Monitoring thresholds"
      onSubmit={(e) => {
        e.preventDefault();
        void save.run();
      }}
    >
      <h2>Thresholds</h2>
      <p class="muted">An empty field turns that check off. A window is judged once it holds the minimum rows.</p>
      <div class="form-grid">
        {[...CHECKS.map(([k, label]) => [k, label] as const), ['minRows', 'minimum rows'] as const, ['minLabels', 'minimum labels'] as const].map(([k, label]) => (
          <label class="field" key={k}>
            <span>{label}</span>
            <input name={k} type="number" step="any" value={values[k] ?? ''} onInput={(e) => setValues({ ...values, [k]: e.currentTarget.value })} />
          </label>
        ))}
        <button class="btn primary" type="submit" disabled={save.busy}>
          {save.busy ? 'Saving…' : 'Save thresholds'}
        </button>
      </div>
      <ErrorBox error={save.error} />
    </form>
  );
}
