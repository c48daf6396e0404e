// Tuning jobs: the list (filtered by status in the URL), and one study — its summary, the best so far,
// every trial with its point, state and objective (the best highlighted, ASHA-stopped ones marked), the
// aging population, refreshed while the study runs; a cancel button.
import { useEffect } from 'preact/hooks';
import type { TrialView, TuningJobView } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { Link, seg, setQuery } from '../router.js';
import { Async, ErrorBox } from '../ui/states.js';
import { collect, useAction, useAsync } from '../ui/use-async.js';
import { fmtDuration, fmtNum, fmtTime } from '../ui/format.js';
import { Badge, Json, KV, PageHead } from '../ui/widgets.js';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

const total = (t: Record<string, number>) => Object.values(t).reduce((a, b) => a + b, 0);
const specOf = (j: TuningJobView) => j.spec as { strategy?: { kind?: string }; objective?: { metric?: string; direction?: string }; maxTrials?: number; parallelism?: number };

export function TuningJobsScreen({ query }: { query: URLSearchParams }) {
  const { api, project } = useConsole();
  const status = STATUSES.find((s) => s === query.get('status'));
  const jobs = useAsync((signal) => collect(api.tuning.list(status ? { status } : {}, { signal }), 200), [api, status]);
  return (
    <>
      <PageHead title="Tuning jobs" />
      <div class="card">
        <div class="row" style={{ marginBottom: '10px' }}>
          <label class="field" style={{ width: '220px' }}>
            <span>Status</span>
            <select name="status" value={status ?? ''} onChange={(e) => setQuery({ status: e.currentTarget.value || undefined })}>
              <option value="">all</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <span class="spacer" />
          <button type="button" class="btn small" onClick={jobs.reload}>
            Refresh
          </button>
        </div>
        <Async state={jobs} what="tuning jobs" empty={(d) => d.length === 0} emptyText={status ? `No ${status} tuning jobs.` : 'No tuning jobs yet: start one with the SDK (atl.tuning.run) or the CLI (atelier tune run).'}>
          {(list) => (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Study</th>
                    <th>Model</th>
                    <th>Status</th>
                    <th>Strategy</th>
                    <th>Objective</th>
                    <th class="num">Trials</th>
                    <th>Best</th>
                    <th>Created</th>
                    <th>Duration</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((j) => (
                    <tr key={j.id}>
                      <td>
                        <Link to={`/p/${seg(project)}/tuning/${seg(j.id)}`}>
                          <code>{j.id.slice(-8)}</code>
                        </Link>
                      </td>
                      <td>{j.modelName}</td>
                      <td>
                        <Badge value={j.status} />
                      </td>
                      <td>{specOf(j).strategy?.kind ?? '—'}</td>
                      <td>{`${specOf(j).objective?.metric ?? ''} (${specOf(j).objective?.direction ?? ''})`}</td>
                      <td class="num">{`${total(j.trials)} / ${specOf(j).maxTrials ?? '?'}`}</td>
                      <td>{j.bestTrial === null ? '—' : `#${j.bestTrial} ${fmtNum(j.bestObjective, 4)}`}</td>
                      <td>{fmtTime(j.createdAt)}</td>
                      <td>{fmtDuration(j.startedAt, j.finishedAt)}</td>
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

export function TuningJobScreen({ params }: { params: Record<string, string> }) {
  const { api, project } = useConsole();
  const id = params.id;
  const study = useAsync(async (signal) => ({ job: await api.tuning.get(id, { signal }), trials: await api.tuning.trials(id, { signal }) }), [api, id]);
  const running = study.data !== undefined && !TERMINAL.has(study.data.job.status);
  // While the study runs, look again every 2 s (trials start, finish and get stopped on the server).
  useEffect(() => {
    if (!running) return;
    const t = setInterval(study.reload, 2000);
    return () => clearInterval(t);
  }, [running]);
  const cancel = useAction(async () => {
    await api.tuning.cancel(id);
    study.reload();
  });
  const status = study.data?.job.status;
  return (
    <>
      <PageHead title={<>Tuning job <code>{id.slice(-8)}</code></>} crumbs={[[`/p/${seg(project)}/tuning`, 'Tuning jobs']]}>
        <span data-testid="study-status">
          <Badge value={status} />
        </span>
        {status && !TERMINAL.has(status) ? (
          <button type="button" class="btn danger" disabled={cancel.busy} onClick={() => confirm('Cancel this tuning job and its running trials?') && void cancel.run()}>
            Cancel study
          </button>
        ) : null}
      </PageHead>
      <ErrorBox error={cancel.error} />
      <Async state={study} what="the tuning job">
        {({ job, trials }) => <StudyBody job={job} trials={trials} project={project} />}
      </Async>
    </>
  );
}

function fmtParam(v: unknown): string {
  return typeof v === 'number' ? fmtNum(v, 4) : JSON.stringify(v);
}

function StudyBody({ job, trials, project }: { job: TuningJobView; trials: TrialView[]; project: string }) {
  const spec = specOf(job);
  const paths = [...new Set(trials.flatMap((t) => Object.keys(t.params)))];
  return (
    <>
      <div class="grid-2">
        <div class="card">
          <h2>Summary</h2>
          <KV
            items={[
              ['model', job.modelName],
              ['strategy', spec.strategy?.kind ?? '—'],
              ['objective', `${spec.objective?.metric ?? ''} (${spec.objective?.direction ?? ''})`],
              ['trials', <span data-testid="trial-count">{`${total(job.trials)} of ${spec.maxTrials ?? '?'} (${Object.entries(job.trials).map(([k, v]) => `${v} ${k}`).join(', ') || 'none yet'})`}</span>],
              ['parallelism', String(spec.parallelism ?? 1)],
              ['best', <span data-testid="best-trial">{job.bestTrial === null ? '—' : `trial ${job.bestTrial}: ${fmtNum(job.bestObjective, 4)}`}</span>],
              ['controller', job.controller ?? '—'],
              ['created', fmtTime(job.createdAt)],
              ['ran for', fmtDuration(job.startedAt, job.finishedAt)],
              ...(job.modelVersionId
                ? ([['registered', <Link to={`/p/${seg(project)}/models/${seg(job.modelName)}`}>{`the best trial, as a version of ${job.modelName}`}</Link>]] as Array<[string, preact.ComponentChildren]>)
                : []),
            ]}
          />
          {job.error ? <ErrorBox error={new Error(job.error)} /> : null}
        </div>
        <div class="card">
          <h2>Spec</h2>
          <Json value={job.spec} />
        </div>
      </div>
      <div class="card">
        <h2>Trials</h2>
        {trials.length === 0 ? (
          <p class="muted">No trials yet.</p>
        ) : (
          <div class="table-wrap">
            <table data-testid="trials">
              <thead>
                <tr>
                  <th class="num">#</th>
                  <th>State</th>
                  <th class="num">Objective</th>
                  <th class="num">Epochs</th>
                  {paths.map((p) => (
                    <th key={p}>
                      <code>{p}</code>
                    </th>
                  ))}
                  <th>Job</th>
                </tr>
              </thead>
              <tbody>
                {trials.map((t) => (
                  <tr key={t.trial} class={t.trial === job.bestTrial ? 'best' : undefined} style={t.trial === job.bestTrial ? { fontWeight: 600 } : undefined}>
                    <td class="num">{t.trial}</td>
                    <td>
                      <Badge value={t.state} />
                      {t.stop ? <span class="muted">{` at epoch ${String((t.stop as { epoch?: number }).epoch ?? '?')}`}</span> : null}
                    </td>
                    <td class="num">{fmtNum(t.objective, 4)}</td>
                    <td class="num">{fmtNum((t.job.metrics as { epoch?: number }).epoch, 0)}</td>
                    {paths.map((p) => (
                      <td key={p}>{p in t.params ? fmtParam(t.params[p]) : <span class="muted">—</span>}</td>
                    ))}
                    <td>
                      <Link to={`/p/${seg(project)}/jobs/${seg(t.job.id)}`}>
                        <code>{t.job.id.slice(-8)}</code>
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
