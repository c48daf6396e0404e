// A form that builds a training job spec from a dataset version's schema: pick the label, tick the
// features (numeric columns are standardized, the rest get a vocabulary by default), the model kind and
// epochs. The spec it will send is shown as JSON before it is sent.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ColumnProfileView, TrainingJobRequest } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { navigate, seg, setQuery } from '../router.js';
import { Async, ErrorBox } from '../ui/states.js';
import { collect, useAction, useAsync } from '../ui/use-async.js';
import { Json, PageHead } from '../ui/widgets.js';

type FeatureSpec = TrainingJobRequest['features'][number];
const MODEL_KINDS = ['logistic', 'mlp', 'linear', 'softmax', 'wide_deep'] as const;
const NUMERIC_TRANSFORMS = ['standardize', 'minmax', 'none'] as const;
const CATEGORICAL_TRANSFORMS = ['vocabulary', 'hash'] as const;

interface ColumnChoice {
  include: boolean;
  type: 'numeric' | 'categorical';
  transform: FeatureSpec['transform'];
}

function defaultChoice(c: ColumnProfileView): ColumnChoice {
  const numeric = c.type === 'integer' || c.type === 'float';
  const usable = numeric || c.type === 'string' || c.type === 'boolean';
  return { include: usable, type: numeric ? 'numeric' : 'categorical', transform: numeric ? 'standardize' : 'vocabulary' };
}

export function NewJobScreen({ query }: { query: URLSearchParams }) {
  const { api, project } = useConsole();
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
      <PageHead title="New training job" crumbs={[[`/p/${seg(project)}/jobs`, 'Training jobs']]} />
      <div class="card form-grid">
        <label class="field">
          <span>Dataset</span>
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
          <span>Version</span>
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
          {(p) => (p ? <SpecForm key={`${dataset}@${version}`} dataset={dataset} version={version} columns={p.columns} /> : null)}
        </Async>
      ) : (
        <p class="muted">Choose a dataset and a version: the form is built from its columns.</p>
      )}
    </>
  );
}

function SpecForm({ dataset, version, columns }: { dataset: string; version: number; columns: ColumnProfileView[] }) {
  const { api, project } = useConsole();
  const guessLabel = columns.find((c) => /^(label|target|y|churned|converted|clicked)$/i.test(c.name))?.name ?? columns[columns.length - 1]?.name ?? '';
  const [label, setLabel] = useState(guessLabel);
  const [choices, setChoices] = useState<Record<string, ColumnChoice>>(() => Object.fromEntries(columns.map((c) => [c.name, defaultChoice(c)])));
  const [modelName, setModelName] = useState(dataset.replace(/[^a-z0-9_-]+/gi, '-'));
  const [kind, setKind] = useState<(typeof MODEL_KINDS)[number]>('mlp');
  const [maxEpochs, setMaxEpochs] = useState(10);
  const [seed, setSeed] = useState(7);

  const spec: TrainingJobRequest = useMemo(
    () => ({
      modelName,
      data: { dataset, version },
      label,
      model: { kind },
      maxEpochs,
      seed,
      features: columns
        .filter((c) => c.name !== label && choices[c.name]?.include)
        .map((c) => ({ name: c.name, type: choices[c.name].type, transform: choices[c.name].transform })),
    }),
    [modelName, dataset, version, label, kind, maxEpochs, seed, columns, choices],
  );

  const start = useAction(async () => {
    const handle = await api.jobs.create(spec);
    navigate(`/p/${seg(project)}/jobs/${seg(handle.id)}`);
  });
  const set = (name: string, patch: Partial<ColumnChoice>) => setChoices((c) => ({ ...c, [name]: { ...c[name], ...patch } }));

  return (
    <form
      aria-label="Training job spec"
      onSubmit={(e) => {
        e.preventDefault();
        void start.run();
      }}
    >
      <div class="card">
        <h2>Model</h2>
        <div class="form-grid">
          <label class="field">
            <span>Model name</span>
            <input name="modelName" value={modelName} onInput={(e) => setModelName(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>Label column</span>
            <select name="label" value={label} onChange={(e) => setLabel(e.currentTarget.value)}>
              {columns.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({c.type})
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>Model kind</span>
            <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as typeof kind)}>
              {MODEL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>Max epochs</span>
            <input name="maxEpochs" type="number" min={1} max={1000} value={maxEpochs} onInput={(e) => setMaxEpochs(Number(e.currentTarget.value))} />
          </label>
          <label class="field">
            <span>Seed</span>
            <input name="seed" type="number" value={seed} onInput={(e) => setSeed(Number(e.currentTarget.value))} />
          </label>
        </div>
      </div>
      <div class="grid-2">
        <div class="card">
          <h2>Features</h2>
          <table>
            <thead>
              <tr>
                <th>Use</th>
                <th>Column</th>
                <th>As</th>
                <th>Transform</th>
              </tr>
            </thead>
            <tbody>
              {columns
                .filter((c) => c.name !== label)
                .map((c) => {
                  const ch = choices[c.name];
                  return (
                    <tr key={c.name}>
                      <td>
                        <input type="checkbox" aria-label={`Use ${c.name} as a feature`} checked={ch.include} onChange={(e) => set(c.name, { include: e.currentTarget.checked })} />
                      </td>
                      <td>
                        {c.name} <span class="muted">({c.type})</span>
                      </td>
                      <td>
                        <select
                          aria-label={`${c.name} feature type`}
                          value={ch.type}
                          onChange={(e) => {
                            const type = e.currentTarget.value as ColumnChoice['type'];
                            set(c.name, { type, transform: type === 'numeric' ? 'standardize' : 'vocabulary' });
                          }}
                        >
                          <option value="numeric">numeric</option>
                          <option value="categorical">categorical</option>
                        </select>
                      </td>
                      <td>
                        <select aria-label={`${c.name} transform`} value={ch.transform} onChange={(e) => set(c.name, { transform: e.currentTarget.value as FeatureSpec['transform'] })}>
                          {(ch.type === 'numeric' ? NUMERIC_TRANSFORMS : CATEGORICAL_TRANSFORMS).map((t) => (
                            <option key={t} value={t}>
                              {t}
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
        </div>
        <div class="card stack">
          <h2>Spec to send</h2>
          <Json value={spec} />
          <ErrorBox error={start.error} />
          <button class="btn primary" type="submit" disabled={start.busy || !spec.features.length || !modelName}>
            {start.busy ? 'Starting…' : 'Start training'}
          </button>
        </div>
      </div>
    </form>
  );
}
