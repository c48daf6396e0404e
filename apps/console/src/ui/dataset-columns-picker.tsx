// The first step of every form built from a dataset's columns (a training job spec, a feature view): pick
// a dataset and a version — kept in the URL, the newest version chosen when the URL names none — then the
// form is rendered from that version's profiled columns.
import { useEffect } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { ColumnProfileView } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { setQuery } from '../router.js';
import { Async, ErrorBox } from './states.js';
import { collect, useAsync } from './use-async.js';

export interface DatasetColumnsPickerProps {
  query: URLSearchParams;
  datasetLabel: string;
  versionLabel: string;
  /** The form for the chosen version; it is re-created when the choice changes. */
  children: (dataset: string, version: number, columns: ColumnProfileView[]) => ComponentChildren;
}

export function DatasetColumnsPicker({ query, datasetLabel, versionLabel, children }: DatasetColumnsPickerProps) {
  const { api } = useConsole();
  const dataset = query.get('dataset') ?? '';
  const version = Number(query.get('version')) || 0;
  const datasets = useAsync((signal) => collect(api.datasets.list({ signal })), [api]);
  const versions = useAsync(async (signal) => (dataset ? collect(api.datasets.versions(dataset, { signal })) : []), [api, dataset]);
  const profile = useAsync(async (signal) => (dataset && version ? api.datasets.profile(dataset, version, { signal }) : null), [api, dataset, version]);

  // Choose the newest version once the versions arrive, when the URL names none.
  useEffect(() => {
    if (dataset && !version && versions.data?.length) setQuery({ version: Math.max(...versions.data.map((v) => v.version)) });
  }, [dataset, version, versions.data]);

  return (
    <>
      <div class="card form-grid">
        <label class="field">
          <span>{datasetLabel}</span>
          <select name="dataset" value={dataset} onChange={(e) => setQuery({ dataset: e.currentTarget.value || undefined, version: undefined })}>
            <option value="">choose…</option>
            {(datasets.data ?? []).map((d) => (
              <option key={d.id} value={d.name}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{versionLabel}</span>
          <select name="version" value={version || ''} onChange={(e) => setQuery({ version: e.currentTarget.value || undefined })} disabled={!dataset}>
            <option value="">choose…</option>
            {(versions.data ?? []).map((v) => (
              <option key={v.id} value={v.version}>
                v{v.version} ({v.rowCount} rows)
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorBox error={datasets.error ?? versions.error} />
      {dataset && version ? (
        <Async state={profile} what="the dataset's columns">
          {(p) => (p ? children(dataset, version, p.columns) : null)}
        </Async>
      ) : (
        <p class="muted">Choose a dataset and a version: the form is built from its columns.</p>
      )}
    </>
  );
}
