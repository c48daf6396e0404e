// A form that defines features from a dataset's columns: the entity (an existing one, or a new one keyed
// by a column), the event time column, the feature columns with their types, the TTL; it creates the
// entity when new, applies the view, materializes it, and opens the features screen on it.
import { useMemo, useState } from 'preact/hooks';
import type { ColumnProfileView, FeatureViewBody } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { navigate, seg } from '../router.js';
import { ErrorBox } from '../ui/states.js';
import { collect, useAction, useAsync } from '../ui/use-async.js';
import { DatasetColumnsPicker } from '../ui/dataset-columns-picker.js';
import { Json, PageHead } from '../ui/widgets.js';

type ValueType = FeatureViewBody['features'][number]['type'];
const VALUE_TYPES: ValueType[] = ['int', 'float', 'string', 'bool', 'timestamp'];

/** The feature store's value type for a dataset column's logical type. */
function valueTypeOf(c: ColumnProfileView): ValueType {
  const t = String(c.type);
  if (t === 'integer') return 'int';
  if (t === 'float') return 'float';
  if (t === 'boolean') return 'bool';
  if (t === 'timestamp' || t === 'date') return 'timestamp';
  return 'string';
}

export function NewFeatureViewScreen({ query }: { query: URLSearchParams }) {
  const { project } = useConsole();
  return (
    <>
      <PageHead title="New feature view" crumbs={[[`/p/${seg(project)}/features`, 'Features']]} />
      <DatasetColumnsPicker query={query} datasetLabel="Source dataset" versionLabel="Source version">
        {(dataset, version, columns) => <ViewForm key={`${dataset}@${version}`} dataset={dataset} version={version} columns={columns} />}
      </DatasetColumnsPicker>
    </>
  );
}

function ViewForm({ dataset, version, columns }: { dataset: string; version: number; columns: ColumnProfileView[] }) {
  const { api, project } = useConsole();
  const entities = useAsync((signal) => collect(api.features.entities.list({ signal })), [api]);
  const [entity, setEntity] = useState('');
  const [newEntity, setNewEntity] = useState('');
  const [keyColumn, setKeyColumn] = useState(() => columns.find((c) => /(_id|^id)$/i.test(c.name))?.name ?? columns[0]?.name ?? '');
  const [tsColumn, setTsColumn] = useState(() => columns.find((c) => valueTypeOf(c) === 'timestamp')?.name ?? columns.find((c) => /^(ts|time|timestamp|event_time)$/i.test(c.name))?.name ?? '');
  const [name, setName] = useState(dataset);
  const [ttl, setTtl] = useState('0');
  const [chosen, setChosen] = useState<Record<string, { include: boolean; type: ValueType }>>(() =>
    Object.fromEntries(columns.map((c) => [c.name, { include: true, type: valueTypeOf(c) }])),
  );
  const [materializeNow, setMaterializeNow] = useState(true);
  const existing = entities.data?.find((e) => e.name === entity);
  const keyNames = existing ? existing.joinKeys.map((k) => k.name) : [keyColumn];

  const spec: FeatureViewBody = useMemo(
    () => ({
      name: name.trim(),
      entity: existing ? existing.name : newEntity.trim(),
      source: { dataset, version },
      eventTimestampColumn: tsColumn,
      ttlSeconds: Number(ttl),
      features: columns.filter((c) => chosen[c.name]?.include && !keyNames.includes(c.name) && c.name !== tsColumn).map((c) => ({ name: c.name, type: chosen[c.name].type })),
    }),
    [name, existing, newEntity, dataset, version, tsColumn, ttl, columns, chosen, keyNames.join(',')],
  );

  const apply = useAction(async () => {
    if (!existing) {
      const col = columns.find((c) => c.name === keyColumn);
      await api.features.entities.create({ name: newEntity.trim(), joinKeys: [{ name: keyColumn, type: col && valueTypeOf(col) === 'int' ? 'int' : 'string' }] });
    }
    const applied = await api.features.views.apply(spec);
    if (materializeNow) await api.features.materialize(applied.name, { mode: 'full' });
    navigate(`/p/${seg(project)}/features?view=${encodeURIComponent(applied.name)}&version=${applied.version}`);
  });

  return (
    <form
      class="card"
      aria-label="Define a feature view"
      onSubmit={(e) => {
        e.preventDefault();
        void apply.run();
      }}
    >
      <div class="form-grid">
        <label class="field">
          <span>View name</span>
          <input name="viewName" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>Entity</span>
          <select name="entity" value={entity} onChange={(e) => setEntity(e.currentTarget.value)}>
            <option value="">a new entity…</option>
            {(entities.data ?? []).map((e) => (
              <option key={e.id} value={e.name}>
                {e.name} ({e.joinKeys.map((k) => k.name).join(', ')})
              </option>
            ))}
          </select>
        </label>
        {existing ? null : (
          <>
            <label class="field">
              <span>New entity name</span>
              <input name="newEntity" value={newEntity} onInput={(e) => setNewEntity(e.currentTarget.value)} placeholder="e.g. user" />
            </label>
            <label class="field">
              <span>Join key column</span>
              <select name="keyColumn" value={keyColumn} onChange={(e) => setKeyColumn(e.currentTarget.value)}>
                {columns.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <label class="field">
          <span>Event time column</span>
          <select name="tsColumn" value={tsColumn} onChange={(e) => setTsColumn(e.currentTarget.value)}>
            <option value="">choose…</option>
            {columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({String(c.type)})
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>TTL (seconds, 0 = never expire)</span>
          <input name="ttl" type="number" min={0} value={ttl} onInput={(e) => setTtl(e.currentTarget.value)} />
        </label>
      </div>
      <h2>Features</h2>
      <table aria-label="Feature columns">
        <thead>
          <tr>
            <th>Column</th>
            <th>Include</th>
            <th>Type</th>
          </tr>
        </thead>
        <tbody>
          {columns
            .filter((c) => !keyNames.includes(c.name) && c.name !== tsColumn)
            .map((c) => (
              <tr key={c.name}>
                <td>{c.name}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Include ${c.name}`}
                    checked={chosen[c.name]?.include ?? false}
                    onChange={(e) => setChosen({ ...chosen, [c.name]: { ...chosen[c.name], include: e.currentTarget.checked } })}
                  />
                </td>
                <td>
                  <select
                    aria-label={`Type of ${c.name}`}
                    value={chosen[c.name]?.type}
                    onChange={(e) => setChosen({ ...chosen, [c.name]: { ...chosen[c.name], type: e.currentTarget.value as ValueType } })}
                  >
                    {VALUE_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      <label class="row" style={{ margin: '10px 0' }}>
        <input type="checkbox" checked={materializeNow} onChange={(e) => setMaterializeNow(e.currentTarget.checked)} />
        Materialize it now (full)
      </label>
      <details>
        <summary>The spec sent</summary>
        <Json value={spec} />
      </details>
      <ErrorBox error={apply.error ?? entities.error} />
      <button class="btn primary" type="submit" disabled={apply.busy}>
        Apply feature view
      </button>
    </form>
  );
}
