// Training jobs: newest first, filtered by status (the filter lives in the URL).
import type { TrainingJobView } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { Link, seg, setQuery } from '../router.js';
import { Async } from '../ui/states.js';
import { collect, useAsync } from '../ui/use-async.js';
import { fmtDuration, fmtNum, fmtTime } from '../ui/format.js';
import { Badge, PageHead } from '../ui/widgets.js';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export function JobsScreen({ query }: { query: URLSearchParams }) {
  const { api, project } = useConsole();
  const status = STATUSES.find((s) => s === query.get('status'));
  const jobs = useAsync((signal) => collect(api.jobs.list(status ? { status } : {}, { signal }), 200), [api, status]);

  return (
    <>
      <PageHead title="Training jobs">
        <Link class="btn primary" to={`/p/${seg(project)}/jobs/new`}>
          New training job
        </Link>
      </PageHead>
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
        <Async state={jobs} what="training jobs" empty={(d) => d.length === 0} emptyText={status ? `No ${status} jobs.` : 'No training jobs yet: start one from a dataset.'}>
          {(list) => <JobsTable jobs={list} project={project} />}
        </Async>
      </div>
    </>
  );
}

export function JobsTable({ jobs, project }: { jobs: TrainingJobView[]; project: string }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Job</th>
            <th>Type</th>
            <th>Model</th>
            <th>Status</th>
            <th>Data</th>
            <th>Device</th>
            <th class="num">Attempts</th>
            <th>Primary metric</th>
            <th>Created</th>
            <th>Duration</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => {
            const data = (j.spec as { data?: { dataset?: string; version?: number } }).data;
            const primary = primaryMetric(j.metrics ?? {});
            return (
              <tr key={j.id}>
                <td>
                  <Link to={`/p/${seg(project)}/jobs/${seg(j.id)}`}>
                    <code>{j.id.slice(-8)}</code>
                  </Link>
                </td>
                <td>{j.type}</td>
                <td>{j.modelName}</td>
                <td>
                  <Badge value={j.status} />
                </td>
                <td>{data ? `${data.dataset} v${data.version}` : '—'}</td>
                <td>{j.device}</td>
                <td class="num">
                  {j.attempts}/{j.maxAttempts}
                </td>
                <td>{primary ? `${primary[0]} ${fmtNum(primary[1], 3)}` : '—'}</td>
                <td>{fmtTime(j.createdAt)}</td>
                <td>{fmtDuration(j.startedAt, j.finishedAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const PRIMARY = ['auc', 'accuracy', 'r2', 'rmse', 'f1', 'mae'];

/** The job's headline metric: the test split's (training) or the evaluation's, by the usual preference. */
function primaryMetric(m: Record<string, unknown>): [string, number] | null {
  for (const source of [m.test, m.metrics]) {
    if (!source || typeof source !== 'object') continue;
    const rec = source as Record<string, unknown>;
    const key = PRIMARY.find((k) => typeof rec[k] === 'number');
    if (key) return [key, rec[key] as number];
  }
  return null;
}
