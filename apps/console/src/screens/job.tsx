// One training job, live: its state, loss and metric curves growing epoch by epoch (the SDK's SSE
// iterator, which resumes after a dropped connection without repeating or skipping an event), its log,
// a cancel button, and the spec it was started with.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { TrainingJobEvent, TrainingJobView } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { Link, seg } from '../router.js';
import { Async, ErrorBox } from '../ui/states.js';
import { useAction, useAsync } from '../ui/use-async.js';
import { fmtBytes, fmtDuration, fmtNum, fmtTime } from '../ui/format.js';
import { Badge, Json, KV, PageHead } from '../ui/widgets.js';
import { LineChart } from '../charts/charts.js';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

interface Live {
  epochs: Array<Record<string, unknown> & { epoch: number }>;
  logs: Array<{ level: string; message: string; at?: string }>;
  status?: string;
  modelVersion?: number;
  error?: string;
  streamError?: unknown;
  ended: boolean;
}

export function JobScreen({ params }: { params: Record<string, string> }) {
  const { api, project } = useConsole();
  const id = params.id;
  const job = useAsync((signal) => api.jobs.get(id, { signal }), [api, id]);
  const [live, setLive] = useState<Live>({ epochs: [], logs: [], ended: false });

  // Follow the event stream from the start: a finished job replays its history and the stream ends.
  useEffect(() => {
    const ctl = new AbortController();
    setLive({ epochs: [], logs: [], ended: false });
    (async () => {
      try {
        for await (const ev of api.jobs.events(id, { signal: ctl.signal }) as AsyncIterable<TrainingJobEvent>) {
          setLive((l) => apply(l, ev));
        }
        setLive((l) => ({ ...l, ended: true }));
      } catch (err) {
        if (!ctl.signal.aborted) setLive((l) => ({ ...l, streamError: err, ended: true }));
      }
    })();
    return () => ctl.abort();
  }, [api, id]);

  // The job row carries the final metrics and timings: read it again once the stream says it ended.
  const terminal = live.status !== undefined && TERMINAL.has(live.status);
  useEffect(() => {
    if (terminal) job.reload();
  }, [terminal]);

  const cancel = useAction(async () => {
    await api.jobs.cancel(id);
    job.reload();
  });

  const status = live.status ?? job.data?.status;
  return (
    <>
      <PageHead title={<>Training job <code>{id.slice(-8)}</code></>} crumbs={[[`/p/${seg(project)}/jobs`, 'Training jobs']]}>
        <span data-testid="job-status">
          <Badge value={status} />
        </span>
        {status && !TERMINAL.has(status) ? (
          <button type="button" class="btn danger" disabled={cancel.busy} onClick={() => confirm('Cancel this training job?') && void cancel.run()}>
            Cancel job
          </button>
        ) : null}
      </PageHead>
      <ErrorBox error={cancel.error} />
      <Async state={job} what="the job">
        {(j) => <JobBody job={j} live={live} project={project} />}
      </Async>
    </>
  );
}

function apply(l: Live, ev: TrainingJobEvent): Live {
  if (ev.type === 'metric') {
    const epochs = l.epochs.filter((e) => e.epoch !== ev.data.epoch);
    epochs.push(ev.data as Live['epochs'][number]);
    epochs.sort((a, b) => a.epoch - b.epoch);
    return { ...l, epochs };
  }
  if (ev.type === 'log') return { ...l, logs: [...l.logs, { level: ev.data.level, message: ev.data.message, at: ev.data.at }] };
  return {
    ...l,
    status: ev.data.status,
    modelVersion: ev.data.modelVersion ?? l.modelVersion,
    error: ev.data.error ?? l.error,
    // A retried attempt starts over after its checkpoint: keep the epochs it will not redo.
    epochs: ev.data.status === 'running' && typeof ev.data.resumedFromEpoch === 'number' ? l.epochs.filter((e) => e.epoch <= (ev.data.resumedFromEpoch as number)) : l.epochs,
    logs: ev.data.status === 'running' || ev.data.status === 'queued' || !ev.data.error ? l.logs : [...l.logs, { level: 'error', message: ev.data.error, at: ev.data.at }],
  };
}

function JobBody({ job, live, project }: { job: TrainingJobView; live: Live; project: string }) {
  const spec = job.spec as { data?: { dataset: string; version: number }; maxEpochs?: number; model?: { kind?: string } };
  const { x, loss, metrics } = useMemo(() => {
    const x = live.epochs.map((e) => e.epoch);
    const keys = new Set<string>();
    for (const e of live.epochs) for (const [k, v] of Object.entries(e)) if (k !== 'epoch' && k !== 'at' && typeof v === 'number') keys.add(k);
    // Losses on one chart; the validation metrics on a 0..1-ish scale on the other (lr, steps and
    // timings are in the log's domain, not the model's quality).
    const lossKeys = [...keys].filter((k) => /loss/i.test(k));
    const preferred = ['val_auc', 'val_accuracy', 'val_f1', 'val_pr_auc', 'val_r2', 'val_mae', 'val_rmse'];
    const valKeys = [...keys].filter((k) => k.startsWith('val_') && !/loss/i.test(k));
    const metricKeys = valKeys.filter((k) => preferred.includes(k)).length ? preferred.filter((k) => keys.has(k)) : valKeys.slice(0, 4);
    const series = (ks: string[]) => ks.map((k) => ({ label: k, values: live.epochs.map((e) => (typeof e[k] === 'number' ? (e[k] as number) : null)) }));
    return { x, loss: series(lossKeys), metrics: series(metricKeys) };
  }, [live.epochs]);
  const modelVersion = live.modelVersion ?? null;
  const last = live.epochs[live.epochs.length - 1];

  return (
    <>
      <div class="grid-2">
        <div class="card">
          <h2>Summary</h2>
          <KV
            items={[
              ['model', job.modelName],
              ['data', spec.data ? <Link to={`/p/${seg(project)}/datasets/${seg(spec.data.dataset)}?version=${spec.data.version}`}>{`${spec.data.dataset} v${spec.data.version}`}</Link> : '—'],
              ['model kind', spec.model?.kind ?? '—'],
              ['device', job.device],
              ...placementRows(job.metrics.placement),
              ['epochs', <span data-testid="epochs-done">{`${last?.epoch ?? 0} of ${spec.maxEpochs ?? '?'}`}</span>],
              ['attempts', `${job.attempts} of ${job.maxAttempts}`],
              ['worker', job.worker ?? '—'],
              ['created', fmtTime(job.createdAt)],
              ['ran for', fmtDuration(job.startedAt, job.finishedAt)],
              ...(job.waitingReason ? ([['waiting', job.waitingReason]] as Array<[string, string]>) : []),
              ...(modelVersion !== null
                ? ([['model version', <Link to={`/p/${seg(project)}/models/${seg(job.modelName)}?version=${modelVersion}`}>{`${job.modelName} v${modelVersion}`}</Link>]] as Array<[string, preact.ComponentChildren]>)
                : []),
            ]}
          />
          {job.error || live.error ? <ErrorBox error={new Error(live.error ?? job.error ?? '')} /> : null}
        </div>
        <div class="card">
          <h2>Final metrics</h2>
          {Object.keys(job.metrics ?? {}).length ? (
            <table data-testid="final-metrics">
              <tbody>
                {headline(flatMetrics(job.metrics)).map(([k, v]) => (
                  <tr key={k}>
                    <td>{k}</td>
                    <td class="num">{fmtNum(v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">{TERMINAL.has(job.status) ? 'No metrics recorded.' : 'Shown when the job ends.'}</p>
          )}
        </div>
      </div>
      <div class="card">
        <h2>Curves over epochs {live.ended ? '' : <span class="badge run">live</span>}</h2>
        {live.streamError ? <ErrorBox error={live.streamError} /> : null}
        {x.length === 0 ? (
          <p class="muted">{live.ended ? 'This job reported no epochs.' : 'Waiting for the first epoch…'}</p>
        ) : (
          <div class="grid-2">
            <LineChart title="Loss" x={x} series={loss} xLabel="epoch" yLabel="loss" testId="loss-chart" />
            {metrics.length ? <LineChart title="Validation metrics" x={x} series={metrics} xLabel="epoch" yLabel="value" testId="metric-chart" /> : <p class="muted">No validation metrics.</p>}
          </div>
        )}
      </div>
      <div class="grid-2">
        <div class="card">
          <h2>Log</h2>
          {live.logs.length ? (
            <div class="logs" role="log" aria-live="polite">
              {live.logs.map((l, i) => (
                <div key={i} class={l.level}>
                  {l.at ? `${new Date(l.at).toLocaleTimeString('en-GB')} ` : ''}
                  {l.level.toUpperCase()} {l.message}
                </div>
              ))}
            </div>
          ) : (
            <p class="muted">No log lines yet.</p>
          )}
        </div>
        <div class="card">
          <h2>Spec</h2>
          <Json value={job.spec} />
        </div>
      </div>
    </>
  );
}

type Placement = NonNullable<TrainingJobView['metrics']['placement']>;

/** Where the job trained (set by its worker once the backend is chosen): device and backend, and on a GPU which one, its memory peak and CUDA Graph use. */
function placementRows(p: Placement | undefined): Array<[string, preact.ComponentChildren]> {
  if (!p) return [];
  const rows: Array<[string, preact.ComponentChildren]> = [['trained on', <span data-testid="placement">{`${p.device} (${p.backend})`}</span>]];
  if (p.fallbackReason) rows.push(['CPU because', p.fallbackReason]);
  const g = p.gpu;
  if (!g) return rows;
  rows.push(
    ['GPU', <span data-testid="placement-gpu">{`${g.name} (#${g.index}, compute ${g.computeCapability}, ${g.precision})`}</span>],
    ['GPU memory peak', <span data-testid="placement-gpu-memory">{`${fmtBytes(g.memoryPeakBytes)} of ${fmtBytes(g.totalMemoryBytes)}`}</span>],
  );
  if (g.utilizationPct !== undefined) rows.push(['GPU utilisation', `${fmtNum(g.utilizationPct, 3)} % (mean of epoch samples)`]);
  const graphs = g.cudaGraphs;
  rows.push(['CUDA Graphs', graphs.replayedSteps > 0 || graphs.capturedSteps > 0 ? `${graphs.replayedSteps} steps replayed (${graphs.capturedSteps} captured)` : `not used${graphs.reason ? `: ${graphs.reason}` : ''}`]);
  return rows;
}

/** The job's final metrics, nested records (test, validation…) flattened to `test.auc`-style rows; per-epoch history and placement (in the summary) left out. */
function flatMetrics(m: Record<string, unknown>, prefix = ''): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(m)) {
    if (Array.isArray(v) || (prefix === '' && k === 'placement')) continue;
    if (v && typeof v === 'object') out.push(...flatMetrics(v as Record<string, unknown>, `${prefix}${k}.`));
    else out.push([`${prefix}${k}`, v]);
  }
  return out;
}

/** The rows a person reads first: held-out test metrics, row counts and how training ended (the last epoch's
 * validation numbers are on the curves already); everything when none of those are there. */
function headline(rows: Array<[string, unknown]>): Array<[string, unknown]> {
  const picked = rows.filter(([k]) => /^(test\.|rows\.|metrics\.)|^(epochsCompleted|bestEpoch|stoppedEarly|verdict)$/.test(k));
  return picked.length ? picked : rows;
}
