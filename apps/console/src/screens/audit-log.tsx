// A project's audit log (project admins): who changed what, when; filters and the page live in the URL.
import { useEffect, useState } from 'preact/hooks';
import { useConsole } from '../context.js';
import { setQuery } from '../router.js';
import { Async } from '../ui/states.js';
import { useAsync } from '../ui/use-async.js';
import { fmtTime } from '../ui/format.js';
import { PageHead } from '../ui/widgets.js';

const PAGE = 50;

export function AuditLogScreen({ query }: { query: URLSearchParams }) {
  const { api } = useConsole();
  const action = query.get('action') ?? '';
  const resourceType = query.get('resource') ?? '';
  const before = Number(query.get('before')) || undefined;
  // One page at a time: the newest entries below `before`, under the filters.
  const entries = useAsync(async () => {
    for await (const page of api.auditLog.list({ action: action || undefined, resourceType: resourceType || undefined, before }, { pageSize: PAGE }).byPage()) return page;
    return [];
  }, [api, action, resourceType, before]);
  const [draftAction, setDraftAction] = useState(action);
  const [draftResource, setDraftResource] = useState(resourceType);
  useEffect(() => {
    setDraftAction(action);
    setDraftResource(resourceType);
  }, [action, resourceType]);

  return (
    <>
      <PageHead title="Audit log" crumbs={[['/projects', 'Projects']]} />
      <form
        class="card form-grid"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ action: draftAction.trim() || undefined, resource: draftResource.trim() || undefined, before: undefined }, { push: true });
        }}
      >
        <label class="field">
          <span>Action</span>
          <input name="action" value={draftAction} onInput={(e) => setDraftAction(e.currentTarget.value)} placeholder="e.g. api-key.create" />
        </label>
        <label class="field">
          <span>Resource type</span>
          <input name="resourceType" value={draftResource} onInput={(e) => setDraftResource(e.currentTarget.value)} placeholder="e.g. deployment" />
        </label>
        <button class="btn primary" type="submit">
          Filter
        </button>
      </form>
      <div class="card">
        <Async state={entries} what="audit entries" empty={(d) => d.length === 0} emptyText={action || resourceType ? 'No audit entries match these filters.' : undefined}>
          {(list) => (
            <>
              <div class="table-wrap">
                <table aria-label="Audit log entries">
                  <thead>
                    <tr>
                      <th>When</th>
                      <th>Who</th>
                      <th>Action</th>
                      <th>Resource</th>
                      <th>Details</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((e) => (
                      <tr key={e.id}>
                        <td>{fmtTime(e.at)}</td>
                        <td>
                          {e.actor ? (
                            <>
                              {e.actor.name ?? 'platform key'} {e.actor.prefix ? <code>{e.actor.prefix}…</code> : null}
                            </>
                          ) : (
                            'the platform'
                          )}
                        </td>
                        <td>
                          <code>{e.action}</code>
                        </td>
                        <td>
                          {e.resourceType} <code>{e.resourceId}</code>
                        </td>
                        <td>
                          <code>{JSON.stringify(e.details)}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div class="row" style={{ marginTop: '10px' }}>
                {before ? (
                  <button type="button" class="btn small" onClick={() => setQuery({ before: undefined }, { push: true })}>
                    Newest
                  </button>
                ) : null}
                {list.length === PAGE ? (
                  <button type="button" class="btn small" onClick={() => setQuery({ before: list[list.length - 1].id }, { push: true })}>
                    Older entries
                  </button>
                ) : null}
              </div>
            </>
          )}
        </Async>
      </div>
    </>
  );
}
