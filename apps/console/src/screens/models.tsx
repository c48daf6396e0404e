// The model registry: models with their latest version and aliases.
import { useConsole } from '../context.js';
import { Link, seg } from '../router.js';
import { Async } from '../ui/states.js';
import { collect, useAsync } from '../ui/use-async.js';
import { fmtTime } from '../ui/format.js';
import { PageHead } from '../ui/widgets.js';

export function ModelsScreen() {
  const { api, project } = useConsole();
  const models = useAsync((signal) => collect(api.models.list({ signal })), [api]);
  return (
    <>
      <PageHead title="Models" />
      <div class="card">
        <Async state={models} what="models" empty={(d) => d.length === 0} emptyText="No models yet: a training job registers one when it succeeds.">
          {(list) => (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Task</th>
                    <th class="num">Latest version</th>
                    <th>Aliases</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((m) => (
                    <tr key={m.id}>
                      <td>
                        <Link to={`/p/${seg(project)}/models/${seg(m.name)}`}>{m.name}</Link>
                      </td>
                      <td>{m.task ?? '—'}</td>
                      <td class="num">{m.latestVersion ?? '—'}</td>
                      <td>{(m.aliases ?? []).map((a) => `${a.alias} → v${a.version}`).join(', ') || '—'}</td>
                      <td>{fmtTime(m.createdAt)}</td>
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
