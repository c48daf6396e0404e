// Live serving figures for a deployment's model: request rate, mean latency and mean batch size, from the
// serving node's Prometheus series on this gateway's /metrics (read through the SDK's raw client every few
// seconds; rates are the differences between two reads). In the all-in-one process the gateway's
// /metrics holds the serving node's series; a gateway in front of a separate serving pool has none, and
// the panel says so.
import { useEffect, useState } from 'preact/hooks';
import { useConsole } from '../context.js';
import { fmtNum } from '../ui/format.js';
import { OverTimeChart } from '../charts/drift-charts.js';

const POLL_MS = 3000;
const KEEP = 100;

interface Totals {
  at: number;
  requests: number;
  latencySum: number;
  batches: number;
  batchRowsSum: number;
}

/** Sums one series' samples over the lines whose labels include project and model. */
function sumSeries(text: string, name: string, project: string, model: string): number | null {
  let total = 0;
  let seen = false;
  const needle = `${name}{`;
  for (const line of text.split('\n')) {
    if (!line.startsWith(needle)) continue;
    if (!line.includes(`project="${project}"`) || !line.includes(`model="${model}"`)) continue;
    const v = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(v)) {
      total += v;
      seen = true;
    }
  }
  return seen ? total : null;
}

export function ServingLive({ model }: { model: string }) {
  const { api, project } = useConsole();
  const [points, setPoints] = useState<Array<{ t: number; rate: number; latencyMs: number | null; batch: number | null }>>([]);
  const [status, setStatus] = useState<'waiting' | 'ok' | 'none' | 'error'>('waiting');

  useEffect(() => {
    let last: Totals | null = null;
    let stopped = false;
    // The serving series are labelled with the project's id, not its name.
    let projectId: string | null = null;
    const read = async () => {
      try {
        projectId ??= (await api.projects.get(project)).id;
        const { data, response } = await api.raw.GET('/metrics', { parseAs: 'text' });
        if (!response.ok || typeof data !== 'string') throw new Error(`/metrics answered ${response.status}`);
        const requests = sumSeries(data, 'atelier_serving_request_duration_seconds_count', projectId, model);
        if (requests === null) {
          setStatus('none');
          return;
        }
        const now: Totals = {
          at: Date.now(),
          requests,
          latencySum: sumSeries(data, 'atelier_serving_request_duration_seconds_sum', projectId, model) ?? 0,
          batches: sumSeries(data, 'atelier_serving_batch_rows_count', projectId, model) ?? 0,
          batchRowsSum: sumSeries(data, 'atelier_serving_batch_rows_sum', projectId, model) ?? 0,
        };
        if (last && !stopped) {
          const dt = (now.at - last.at) / 1000;
          const dReq = now.requests - last.requests;
          const dBatches = now.batches - last.batches;
          const point = {
            t: now.at / 1000,
            rate: dReq / dt,
            latencyMs: dReq > 0 ? ((now.latencySum - last.latencySum) / dReq) * 1000 : null,
            batch: dBatches > 0 ? (now.batchRowsSum - last.batchRowsSum) / dBatches : null,
          };
          setPoints((p) => [...p.slice(-(KEEP - 1)), point]);
        }
        last = now;
        setStatus('ok');
      } catch {
        if (!stopped) setStatus('error');
      }
    };
    void read();
    const timer = setInterval(read, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, project, model]);

  const latest = points[points.length - 1];
  return (
    <div class="card" data-testid="serving-live">
      <h2>Live traffic</h2>
      {status === 'none' ? (
        <p class="muted">No serving series for {model} on this gateway’s /metrics (no request served yet, or the serving pool runs in other processes: read it from Prometheus).</p>
      ) : status === 'error' ? (
        <p class="muted">Could not read /metrics.</p>
      ) : points.length === 0 ? (
        <p class="muted">Measuring… (one reading every {POLL_MS / 1000} s)</p>
      ) : (
        <>
          <p>
            <strong data-testid="request-rate">{fmtNum(latest.rate, 3)}</strong> requests/s · mean latency <strong>{latest.latencyMs === null ? '—' : `${fmtNum(latest.latencyMs, 3)} ms`}</strong> · mean batch{' '}
            <strong>{latest.batch === null ? '—' : `${fmtNum(latest.batch, 3)} rows`}</strong>
          </p>
          <OverTimeChart
            title="Requests per second"
            times={points.map((p) => p.t)}
            end={latest.t + POLL_MS / 1000}
            start={Math.min(points[0].t, latest.t - 120)}
            series={[{ label: 'requests/s', values: points.map((p) => p.rate) }]}
            threshold={null}
            yLabel="req/s"
            testId="request-rate-chart"
          />
        </>
      )}
    </div>
  );
}
