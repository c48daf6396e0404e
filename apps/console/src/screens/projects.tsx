// Projects: the ones this key can see, and (platform admins) creating one.
import { useState } from 'preact/hooks';
import { useConsole } from '../context.js';
import { Link, navigate, seg } from '../router.js';
import { Async, ErrorBox } from '../ui/states.js';
import { collect, useAction, useAsync } from '../ui/use-async.js';
import { fmtTime } from '../ui/format.js';
import { PageHead } from '../ui/widgets.js';

export function ProjectsScreen() {
  const { api, project } = useConsole();
  const projects = useAsync((signal) => collect(api.projects.list({ signal })), [api]);
  const [name, setName] = useState('');
  const create = useAction(async () => {
    const p = await api.projects.create({ name: name.trim() });
    setName('');
    navigate(`/p/${seg(p.name)}/datasets`);
  });

  return (
    <>
      <PageHead title="Projects" />
      <form
        class="card row"
        aria-label="Create a project"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <label class="field" style={{ flex: 1 }}>
          <span>New project name</span>
          <input name="projectName" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. shop" />
        </label>
        <button class="btn primary" type="submit" disabled={create.busy || !name.trim()} style={{ alignSelf: 'flex-end' }}>
          Create project
        </button>
      </form>
      <ErrorBox error={create.error} />
      <div class="card">
        <Async state={projects} what="projects" empty={(d) => d.length === 0} emptyText="No projects yet: create one above.">
          {(list) => (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Display name</th>
                    <th>Description</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((p) => (
                    <tr key={p.id} class={p.name === project ? 'selected' : undefined}>
                      <td>
                        <Link to={`/p/${seg(p.name)}/datasets`}>{p.name}</Link>
                      </td>
                      <td>{p.displayName}</td>
                      <td>{p.description}</td>
                      <td>{fmtTime(p.createdAt)}</td>
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
