// A form that builds a training job spec from a dataset version's schema: pick the label, tick the
// features (numeric columns are standardized, the rest get a vocabulary by default), the model kind and
// epochs. The spec it will send is shown as JSON before it is sent.
import { useMemo, useState } from 'preact/hooks';
import type { ColumnProfileView, TrainingJobRequest } from '@atelier/sdk';
import { useConsole } from '../context.js';
import { navigate, seg } from '../router.js';
import { ErrorBox } from '../ui/states.js';
import { useAction } from '../ui/use-async.js';
import { DatasetColumnsPicker } from '../ui/dataset-columns-picker.js';
import { Json, PageHead } from '../ui/widgets.js';

type FeatureSpec = TrainingJobRequest['features'][number];
const MODEL_KINDS = ['logistic', 'mlp', 'linear', 'softmax', 'wide_deep'] as const;
const NUMERIC_TRANSFORMS = ['robust', 'standardize', 'minmax', 'none'] as const;
const CATEGORICAL_TRANSFORMS = ['vocabulary', 'hash'] as const;

interface ColumnChoice {
  include: boolean;
  type: 'numeric' | 'categorical';
  transform: FeatureSpec['transform'];
}

function defaultChoice(c: ColumnProfileView): ColumnChoice {
  const numeric = c.type === 'integer' || c.type === 'float';
  const usable = numeric || c.type === 'string' || c.type === 'boolean';
  return { include: usable, type: numeric ? 'numeric' : 'categorical', transform: numeric ? 'robust' : 'vocabulary' };
}

export function NewJobScreen({ query }: { query: URLSearchParams }) {
  const { project } = useConsole();
  return (
    <>
      <PageHead title="New training job" crumbs={[[`/p/${seg(project)}/jobs`, 'Training jobs']]} />
      <DatasetColumnsPicker query={query} datasetLabel="Dataset" versionLabel="Version">
        {(dataset, version, columns) => <SpecForm key={`${dataset}@${version}`} dataset={dataset} version={version} columns={columns} />}
      </DatasetColumnsPicker>
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
                            set(c.name, { type, transform: type === 'numeric' ? 'robust' : 'vocabulary' });
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
