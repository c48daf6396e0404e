// Model quality with default settings, side by side with scikit-learn and PyTorch. Atelier trains
// through the HTTP API (in-process gateway + orchestrator worker threads, PGlite, filesystem
// artifacts) on sklearn's bundled datasets exported to CSV; the peers train on exactly the same train
// rows and are scored on the same holdout rows (bench/quality/peers.py). A measurement, not a test.
//
//   npm run bench -- quality        (needs /usr/bin/python3 with python3-sklearn and python3-torch)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCatalog } from '@atelier/catalog';
import { FilesystemArtifactStore } from '@atelier/artifacts';
import { buildGatewayApp } from '@atelier/gateway';
import {
  defaultOrchestratorConfig,
  splitRows,
  start as startOrchestrator,
} from '@atelier/training-orchestrator';
import type { TrainJobSpec } from '@atelier/contracts';
import { loadDatasetVersionColumns, resolveDatasetVersion } from '@atelier/feature-store';
import { checkPrerequisites, pythonModule } from './prerequisites.js';

await checkPrerequisites('quality', [
  pythonModule('sklearn', 'python3-sklearn', "the datasets (sklearn's bundled ones) and the scikit-learn peers"),
  pythonModule('torch', 'python3-torch', 'the PyTorch MLP peer'),
]);

const here = dirname(fileURLToPath(import.meta.url));
const PY = '/usr/bin/python3';
const ADMIN = 'atl_quality-bench-admin-key-0123456789abcdef';

interface Case {
  dataset: string;
  task: 'binary' | 'multiclass' | 'regression';
  linear: 'logistic' | 'softmax' | 'linear';
  metrics: string[];
}
const CASES: Case[] = [
  { dataset: 'breast_cancer', task: 'binary', linear: 'logistic', metrics: ['auc', 'accuracy', 'log_loss'] },
  { dataset: 'wine', task: 'multiclass', linear: 'softmax', metrics: ['accuracy', 'log_loss'] },
  { dataset: 'diabetes', task: 'regression', linear: 'linear', metrics: ['rmse', 'r2'] },
];
// Atelier rows use the job defaults: adam (lr 0.01; 0.1 for linear regression), batch 128, seed 0,
// random 70/15/15 split, and without maxEpochs enough epochs for ~2000 steps (10–300) with early
// stopping on val_loss (patience 10, best weights restored). The '+200ep/ES' rows set maxEpochs 200
// and that early stopping explicitly. The PyTorch MLP mirrors the engine's MLP (hidden [256, 128],
// relu) trained for 10 epochs of batch 128 at lr 0.01.
const MLP = { hiddenUnits: [256, 128], epochs: 10, batchSize: 128, lr: 0.01, seed: 0 };

const work = mkdtempSync(join(tmpdir(), 'atelier-quality-'));
const dataDir = join(work, 'data');
execFileSync(PY, [join(here, 'quality/export_datasets.py'), dataDir]);

const catalog = await createCatalog({ dataDir: join(work, 'db') });
const artifacts = new FilesystemArtifactStore({ rootDir: join(work, 'artifacts') });
const { app, services } = await buildGatewayApp(
  { jsonBodyLimitBytes: 8 * 1024 * 1024, authCacheTtlMs: 5000, logLevel: 'silent' },
  { catalog, artifacts, logger: false },
);
await services.apiKeys.bootstrapAdmin(ADMIN);
const orchestrator = await startOrchestrator(defaultOrchestratorConfig({ workerId: 'bench', cores: 1, pollIntervalMs: 100 }), { catalog, artifacts });
const auth = { authorization: `Bearer ${ADMIN}` };
const call = async (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
  const res = await app.inject({ method, url, headers: { ...auth, ...headers }, ...(payload !== undefined && { payload: payload as string }) });
  if (res.statusCode >= 400) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body);
};

const P = '/v1/projects/bench';
await call('POST', '/v1/projects', { name: 'bench' });
const project = (await catalog.projects.findByName('bench'))!;
const rows: Array<{ dataset: string; model: string; metrics: Record<string, number>; seconds?: number }> = [];
const splits: Record<string, unknown> = {};

try {
  for (const c of CASES) {
    const name = c.dataset.replace(/_/g, '-');
    await call('POST', `${P}/datasets`, { name });
    const csv = readFileSync(join(dataDir, `${c.dataset}.csv`));
    await call('POST', `${P}/datasets/${name}/versions`, csv.toString('utf8'), { 'content-type': 'text/csv' });
    const columns = csv.toString('utf8').split(/\r?\n/)[0].split(',');
    const features = columns.filter((n) => n !== 'target').map((n) => ({ name: n, type: 'numeric', transform: 'standardize' }));
    const variants = [
      { kind: c.linear, label: '', extra: {} },
      { kind: 'mlp', label: '', extra: {} },
      // The same with more steps: small datasets get few optimizer steps in 10 epochs of batch 128.
      { kind: c.linear, label: ' +200ep/ES', extra: { maxEpochs: 200, earlyStopping: { patience: 10 } } },
      { kind: 'mlp', label: ' +200ep/ES', extra: { maxEpochs: 200, earlyStopping: { patience: 10 } } },
    ];
    for (const { kind, label: variant, extra } of variants) {
      // Default settings: only what the API requires (plus the MLP's task for non-binary data).
      const spec = {
        ...extra,
        modelName: `${name}-${kind}${variant ? '-long' : ''}`,
        data: { dataset: name, version: 1 },
        label: 'target',
        features,
        model: { kind, ...(kind === 'mlp' && c.task !== 'binary' && { hyperparameters: { task: c.task } }) },
      };
      const t0 = performance.now();
      const job = await call('POST', `${P}/training-jobs`, spec);
      let done;
      for (;;) {
        done = await call('GET', `${P}/training-jobs/${job.id}`);
        if (['succeeded', 'failed', 'cancelled'].includes(done.status)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (done.status !== 'succeeded') throw new Error(`${spec.modelName}: ${done.status} ${done.error}`);
      rows.push({ dataset: c.dataset, model: `atelier ${kind}${variant}`, metrics: done.metrics.test, seconds: (performance.now() - t0) / 1000 });
      if (kind === 'mlp' && !variant) {
        const version = await resolveDatasetVersion(catalog, project.id, spec.data);
        const table = await loadDatasetVersionColumns(artifacts, version, { target: 'number' });
        const s = splitRows(spec as unknown as TrainJobSpec, table);
        splits[c.dataset] = { task: c.task, train: [...s.train], test: [...s.test], mlp: MLP };
      }
    }
  }
  writeFileSync(join(work, 'splits.json'), JSON.stringify(splits));
  const peers = JSON.parse(execFileSync(PY, [join(here, 'quality/peers.py'), dataDir, join(work, 'splits.json')]).toString()) as Record<
    string,
    Record<string, Record<string, number>>
  >;
  for (const c of CASES) {
    rows.push({ dataset: c.dataset, model: `sklearn ${c.task === 'regression' ? 'LinearRegression' : 'LogisticRegression'}`, metrics: peers[c.dataset].sklearn });
    rows.push({ dataset: c.dataset, model: 'pytorch MLP (same config)', metrics: peers[c.dataset].torch_mlp });
  }

  const fmt = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(4));
  console.log('\nQuality on the holdout split (same rows for every model), default settings\n');
  for (const c of CASES) {
    console.log(`${c.dataset} (${c.task})`);
    console.log(`  ${'model'.padEnd(30)}${c.metrics.map((m) => m.padStart(10)).join('')}${'train s'.padStart(10)}`);
    for (const r of rows.filter((x) => x.dataset === c.dataset)) {
      console.log(`  ${r.model.padEnd(30)}${c.metrics.map((m) => fmt(r.metrics[m]).padStart(10)).join('')}${(r.seconds === undefined ? '' : r.seconds.toFixed(1)).padStart(10)}`);
    }
  }
  const summary: Record<string, unknown> = {};
  for (const r of rows) summary[`${r.dataset}/${r.model}`] = Object.fromEntries(Object.entries(r.metrics).filter(([k]) => CASES.find((c) => c.dataset === r.dataset)!.metrics.includes(k)));
  console.log(JSON.stringify({ bench: 'quality', results: summary }));
} finally {
  await orchestrator.stop();
  await app.close();
  await artifacts.close();
  await catalog.close();
  rmSync(work, { recursive: true, force: true });
}
