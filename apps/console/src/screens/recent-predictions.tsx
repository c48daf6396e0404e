// Recent predictions of a deployment's model, from the sampled prediction log (newest first; looked at
// again every 5 s). Only what the serving nodes sampled and flushed appears, so it lags a little.
import { useEffect } from 'preact/hooks';
import { useConsole } from '../context.js';
import { Async } from '../ui/states.js';
import { useAsync } from '../ui/use-async.js';
import { fmtNum, fmtTime } from '../ui/format.js';

const short = (v: unknown) => {
  const s = JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 160)}…` : s;
};

export function RecentPredictions({ model }: { model: string }) {
  const { api } = useConsole();
  const recent = useAsync((signal) => api.models.recentPredictions(model, { limit: 20 }, { signal }), [api, model]);
  useEffect(() => {
    const t = setTimeout(recent.reload, 5000);
    return () => clearTimeout(t);
  }, [recent.data, recent.error]);
  return (
    <div class="card" data-testid="recent-predictions">
      <h2>Recent predictions</h2>
      <p class="muted">
        Sampled predict requests of model <code>{model}</code> from the prediction log (the serving nodes' sample rate and flush interval
        decide what appears, and when).
      </p>
      <Async state={recent} what="logged predictions" empty={(d) => d.length === 0} emptyText="No logged predictions yet: make a prediction, then wait for the next flush.">
        {(list) => (
          <div class="table-wrap">
            <table aria-label="Recent predictions">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Version</th>
                  <th>Deployment</th>
                  <th>Latency</th>
                  <th>Inputs</th>
                  <th>Outputs</th>
                </tr>
              </thead>
              <tbody>
                {list.map((p, i) => (
                  <tr key={`${p.ts}-${p.requestId ?? i}`} title={p.requestId ? `request ${p.requestId}` : undefined}>
                    <td>{fmtTime(p.ts)}</td>
                    <td>
                      v{p.version}
                      {p.shadow ? ' (shadow)' : ''}
                    </td>
                    <td>{p.deployment ?? '—'}</td>
                    <td>{fmtNum(p.latencyMs, 3)} ms</td>
                    <td>
                      <code>{short(p.inputs)}</code>
                    </td>
                    <td>
                      <code>{short(p.outputs)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Async>
    </div>
  );
}
