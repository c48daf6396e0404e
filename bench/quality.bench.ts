// Model quality with DEFAULT settings, side by side with scikit-learn, XGBoost and PyTorch, over every
// tabular dataset scikit-learn bundles with more than 100 rows plus generated synthetic tasks, for
// several seeds. Atelier trains through the HTTP API (in-process gateway + orchestrator worker
// threads, PGlite, filesystem artifacts); a job names only what the API requires (data, label, the
// feature names and types, the model kind and, for non-binary MLP-like kinds, the task). The peers
// (bench/quality/peers.py) train on exactly the train rows of each seed's split and are scored on the
// same holdout rows. A measurement, not a test.
//
//   npm run bench -- quality                 full: synthetic tasks of 200k rows, seeds 0 1 2
//   npm run bench -- quality --quick         synthetic tasks of 20k rows
//   flags: --rows N (synthetic rows), --seeds N, --datasets a,b, --kinds a,b, --peers a,b,
//          --transform standardize (send an explicit numeric transform, as clients had to before
//          transforms had a default)
// Needs /usr/bin/python3 with Debian's python3-sklearn, python3-xgboost and python3-torch.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCatalog } from '@atelier/catalog';
import { FilesystemArtifactStore } from '@atelier/artifacts';
import { buildGatewayApp } from '@atelier/gateway';
import { defaultOrchestratorConfig, splitRows, start as startOrchestrator } from '@atelier/training-orchestrator';
import { MODEL_KINDS, type TrainJobSpec } from '@atelier/contracts';
import { loadDatasetVersionColumns, resolveDatasetVersion } from '@atelier/feature-store';
import { checkPrerequisites, pythonModule } from './prerequisites.js';

const here = dirname(fileURLToPath(import.meta.url));
const PY = '/usr/bin/python3';
const ADMIN = 'atl_quality-bench-admin-key-0123456789abcdef';

/**
 * The Atelier side: model kinds trained on every dataset. 'linear' means the task's linear kind
 * (logistic / softmax / linear). A kind this build does not know (say 'gbdt' before it lands) is
 * skipped with a note; add new kinds here.
 */
const ATELIER_KINDS = ['linear', 'mlp', 'wide_deep', 'gbdt'];
const PEERS = ['sklearn', 'xgboost', 'torch_mlp'];

type Task = 'binary' | 'multiclass' | 'regression';
const METRICS: Record<Task, string[]> = { binary: ['auc', 'accuracy', 'log_loss'], multiclass: ['accuracy', 'log_loss'], regression: ['rmse', 'r2'] };
/** The metric the gap is taken on, and its target: best Atelier vs best peer. */
const PRIMARY: Record<Task, { metric: string; higherIsBetter: boolean; target: string }> = {
  binary: { metric: 'auc', higherIsBetter: true, target: 'AUC within 0.005' },
  multiclass: { metric: 'accuracy', higherIsBetter: true, target: 'accuracy within 0.01' },
  regression: { metric: 'rmse', higherIsBetter: false, target: 'RMSE within 2%' },
};
const withinTarget = (task: Task, gap: number) => (task === 'binary' ? gap >= -0.005 : task === 'multiclass' ? gap >= -0.01 : gap <= 0.02);

// ---- flags
const argv = process.argv.slice(3);
const flag = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const syntheticRows = Number(flag('rows') ?? (quick ? 20_000 : 200_000));
const seeds = Array.from({ length: Number(flag('seeds') ?? 3) }, (_, i) => i);
const kindsWanted = flag('kinds')?.split(',') ?? ATELIER_KINDS;
const peersWanted = flag('peers')?.split(',') ?? PEERS;
const explicitTransform = flag('transform');

// ---- prerequisites
await checkPrerequisites('quality', [
  pythonModule('sklearn', 'python3-sklearn', "the datasets (sklearn's bundled ones) and the scikit-learn peers"),
  pythonModule('xgboost', 'python3-xgboost', 'the XGBoost (hist) peer'),
  pythonModule('torch', 'python3-torch', 'the PyTorch MLP peer'),
  pythonModule('scipy', 'python3-scipy', 'the synthetic tasks'),
]);
const known = new Set<string>(MODEL_KINDS);
const kinds = kindsWanted.filter((k) => {
  if (k === 'linear' || known.has(k)) return true;
  console.log(`note: model kind '${k}' is not in this build (MODEL_KINDS: ${MODEL_KINDS.join(', ')}); skipped`);
  return false;
});

const work = mkdtempSync(join(tmpdir(), 'atelier-quality-'));
const dataDir = join(work, 'data');
console.log(`exporting datasets (synthetic tasks: ${syntheticRows} rows)…`);
const meta = JSON.parse(
  execFileSync(PY, [join(here, 'quality/export_datasets.py'), dataDir, String(syntheticRows), ...(flag('datasets')?.split(',') ?? [])], {
    maxBuffer: 1 << 26,
  }).toString(),
) as Record<string, { task: Task; numeric: string[]; categorical: string[]; rows: number }>;

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

interface Row {
  dataset: string;
  model: string;
  seed: number;
  metrics: Record<string, number>;
  seconds: number;
  epochs?: number;
}
const rows: Row[] = [];
const notes: string[] = [];
const splits: Record<string, { task: Task; numeric: string[]; categorical: string[]; seeds: Record<number, Record<string, number[]>> }> = {};
const kindFor = (kind: string, task: Task) => (kind === 'linear' ? { binary: 'logistic', multiclass: 'softmax', regression: 'linear' }[task] : kind);

try {
  for (const [dataset, m] of Object.entries(meta)) {
    const name = dataset.replace(/_/g, '-');
    await call('POST', `${P}/datasets`, { name });
    await call('POST', `${P}/datasets/${name}/versions`, readFileSync(join(dataDir, `${dataset}.csv`)).toString('utf8'), { 'content-type': 'text/csv' });
    const features = [
      ...m.numeric.map((n) => ({ name: n, type: 'numeric', ...(explicitTransform && { transform: explicitTransform }) })),
      ...m.categorical.map((n) => ({ name: n, type: 'categorical', ...(explicitTransform && { transform: 'vocabulary' }) })),
    ];
    splits[dataset] = { task: m.task, numeric: m.numeric, categorical: m.categorical, seeds: {} };
    for (const seed of seeds) {
      for (const k of kinds) {
        const kind = kindFor(k, m.task);
        const spec = {
          modelName: `${name}-${kind}`,
          data: { dataset: name, version: 1 },
          label: 'target',
          features,
          seed,
          model: { kind, ...(m.task !== 'binary' && !['logistic', 'softmax', 'linear'].includes(kind) && { hyperparameters: { task: m.task } }) },
        };
        const t0 = performance.now();
        let job;
        try {
          job = await call('POST', `${P}/training-jobs`, spec);
        } catch (e) {
          notes.push(`${dataset} ${kind}: not submitted (${(e as Error).message.slice(0, 200)})`);
          continue;
        }
        let done;
        for (;;) {
          done = await call('GET', `${P}/training-jobs/${job.id}`);
          if (['succeeded', 'failed', 'cancelled'].includes(done.status)) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const seconds = (performance.now() - t0) / 1000;
        if (done.status !== 'succeeded') {
          notes.push(`${dataset} ${kind} seed ${seed}: ${done.status} ${done.error ?? ''}`);
          continue;
        }
        rows.push({ dataset, model: `atelier ${kind}`, seed, metrics: done.metrics.test, seconds, epochs: done.progress?.epoch ?? done.epochsCompleted });
        console.log(`  ${dataset} seed ${seed} atelier ${kind}: ${METRICS[m.task].map((x) => `${x} ${done.metrics.test[x]?.toFixed(4)}`).join(', ')} (${seconds.toFixed(1)} s)`);
        if (!splits[dataset].seeds[seed]) {
          const version = await resolveDatasetVersion(catalog, project.id, spec.data);
          const table = await loadDatasetVersionColumns(artifacts, version, { target: 'number' });
          const s = splitRows(spec as unknown as TrainJobSpec, table);
          splits[dataset].seeds[seed] = { train: [...s.train], validation: [...s.validation], test: [...s.test] };
        }
      }
    }
  }
  writeFileSync(join(work, 'splits.json'), JSON.stringify(splits));
  console.log(`peers (${peersWanted.join(', ')})…`);
  const peers = JSON.parse(
    execFileSync(PY, [join(here, 'quality/peers.py'), dataDir, join(work, 'splits.json'), ...peersWanted], { maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] }).toString(),
  ) as Record<string, Record<string, Record<string, Record<string, number>>>>;
  for (const [dataset, bySeed] of Object.entries(peers)) {
    for (const [seed, byPeer] of Object.entries(bySeed)) {
      for (const [peer, metrics] of Object.entries(byPeer)) rows.push({ dataset, model: peer, seed: Number(seed), metrics, seconds: metrics.seconds });
    }
  }

  // ---- report: mean ± sd over seeds, per dataset and model; the gap of the best Atelier model vs the best peer
  const stat = (xs: number[]) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
    return { mean, sd };
  };
  const results: Record<string, Record<string, Record<string, { mean: number; sd: number }>>> = {};
  const gaps: Record<string, { metric: string; bestAtelier: string; bestPeer: string; atelier: number; peer: number; gap: number; withinTarget: boolean }> = {};
  console.log(`\nQuality on the holdout split with default settings: mean ± sd over seeds ${seeds.join(', ')} (same rows for every model)\n`);
  for (const [dataset, m] of Object.entries(meta)) {
    const metrics = METRICS[m.task];
    const models = [...new Set(rows.filter((r) => r.dataset === dataset).map((r) => r.model))];
    results[dataset] = {};
    console.log(`${dataset} (${m.task}, ${m.rows} rows, ${m.numeric.length} numeric + ${m.categorical.length} categorical)`);
    console.log(`  ${'model'.padEnd(22)}${metrics.map((x) => x.padStart(18)).join('')}${'train s'.padStart(10)}`);
    for (const model of models) {
      const rs = rows.filter((r) => r.dataset === dataset && r.model === model);
      results[dataset][model] = Object.fromEntries(metrics.map((x) => [x, stat(rs.map((r) => r.metrics[x]))]));
      const cells = metrics.map((x) => `${results[dataset][model][x].mean.toFixed(4)} ± ${results[dataset][model][x].sd.toFixed(4)}`.padStart(18));
      console.log(`  ${model.padEnd(22)}${cells.join('')}${stat(rs.map((r) => r.seconds)).mean.toFixed(1).padStart(10)}`);
    }
    const p = PRIMARY[m.task];
    const better = (a: number, b: number) => (p.higherIsBetter ? a > b : a < b);
    let bestA: [string, number] | null = null;
    let bestP: [string, number] | null = null;
    for (const model of models) {
      const v = results[dataset][model][p.metric].mean;
      if (model.startsWith('atelier ')) {
        if (!bestA || better(v, bestA[1])) bestA = [model, v];
      } else if (!bestP || better(v, bestP[1])) bestP = [model, v];
    }
    if (bestA && bestP) {
      const gap = m.task === 'regression' ? bestA[1] / bestP[1] - 1 : bestA[1] - bestP[1];
      gaps[dataset] = { metric: p.metric, bestAtelier: bestA[0], bestPeer: bestP[0], atelier: bestA[1], peer: bestP[1], gap, withinTarget: withinTarget(m.task, gap) };
      const shown = m.task === 'regression' ? `${(gap * 100).toFixed(2)}%` : gap.toFixed(4);
      console.log(`  gap (${p.metric}) best Atelier ${bestA[0]} vs best peer ${bestP[0]}: ${shown} — target ${p.target}: ${gaps[dataset].withinTarget ? 'met' : 'NOT met'}`);
    }
    console.log('');
  }
  for (const n of notes) console.log(`note: ${n}`);
  const met = Object.values(gaps).filter((g) => g.withinTarget).length;
  console.log(`targets met on ${met} of ${Object.keys(gaps).length} datasets`);
  console.log(JSON.stringify({ bench: 'quality', syntheticRows, seeds, kinds, transform: explicitTransform ?? 'default', results, gaps, targetsMet: met, datasets: Object.keys(gaps).length }));
} finally {
  await orchestrator.stop();
  await app.close();
  await artifacts.close();
  await catalog.close();
  rmSync(work, { recursive: true, force: true });
}
