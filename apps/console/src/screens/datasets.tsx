// Datasets: the list, and uploading a file as a new version (a new dataset is created on the way).
import { useState } from 'preact/hooks';
import { useConsole } from '../context.js';
import { Link, navigate, seg } from '../router.js';
import { Async, ErrorBox } from '../ui/states.js';
import { collect, useAction, useAsync } from '../ui/use-async.js';
import { fmtBytes, fmtTime } from '../ui/format.js';
import { PageHead } from '../ui/widgets.js';

const FORMATS = { csv: 'csv', jsonl: 'jsonl', ndjson: 'jsonl', parquet: 'parquet' } as const;

export function DatasetsScreen() {
  const { api, project } = useConsole();
  const datasets = useAsync((signal) => collect(api.datasets.list({ signal })), [api]);
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total?: number } | null>(null);
  const ext = file?.name.split('.').pop()?.toLowerCase() ?? '';
  const format = FORMATS[ext as keyof typeof FORMATS];
  const upload = useAction(async () => {
    if (!file || !format) return;
    const target = name.trim();
    const version = await api.datasets.upload(target, file, {
      format,
      onProgress: (p) => setProgress({ sent: p.bytesSent, total: p.totalBytes }),
    });
    setProgress(null);
    navigate(`/p/${seg(project)}/datasets/${seg(target)}?version=${version.version}&tab=profile`);
  });

  return (
    <>
      <PageHead title="Datasets" />
      <form
        class="card form-grid"
        aria-label="Upload a dataset version"
        onSubmit={(e) => {
          e.preventDefault();
          void upload.run();
        }}
      >
        <label class="field">
          <span>Dataset name</span>
          <input name="datasetName" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="new or existing, e.g. customers" />
        </label>
        <label class="field">
          <span>File (CSV, JSONL or Parquet)</span>
          <input
            type="file"
            name="datasetFile"
            accept=".csv,.jsonl,.ndjson,.parquet"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0] ?? null;
              setFile(f);
              if (f && !name.trim()) setName(f.name.replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-'));
            }}
          />
        </label>
        <button class="btn primary" type="submit" disabled={upload.busy || !file || !format || !name.trim()}>
          {upload.busy ? (progress ? `Uploading… ${fmtBytes(progress.sent)}${progress.total ? ` of ${fmtBytes(progress.total)}` : ''}` : 'Uploading…') : 'Upload new version'}
        </button>
        {file && !format ? <span class="muted">Unknown file type “.{ext}”: use .csv, .jsonl or .parquet.</span> : null}
      </form>
      <ErrorBox error={upload.error} />
      <div class="card">
        <Async state={datasets} what="datasets" empty={(d) => d.length === 0} emptyText="No datasets yet: upload a file above.">
          {(list) => (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th class="num">Latest version</th>
                    <th>Description</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((d) => (
                    <tr key={d.id}>
                      <td>
                        <Link to={`/p/${seg(project)}/datasets/${seg(d.name)}`}>{d.name}</Link>
                      </td>
                      <td class="num">{d.latestVersion ?? '—'}</td>
                      <td>{d.description}</td>
                      <td>{fmtTime(d.createdAt)}</td>
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
