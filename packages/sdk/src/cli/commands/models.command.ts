// `atelier models ls|show|versions|aliases|evaluate|promote|batch-predict`. promote shows the blessing
// gate's verdict when it refuses (exit 5); evaluate waits for the evaluation job and prints the verdict;
// batch-predict waits for the batch prediction and prints the dataset version it wrote.
import type { Command } from 'commander';
import { CliError, usage } from '../cli-error.js';
import { action, examples, type Runtime } from '../command-kit.js';
import type { Context } from '../context.js';
import { collect, parseNameVersion, parsePositiveInt, readSpecFile } from '../input.js';
import { statusColour } from '../style.js';
import { cell } from '../table.js';

/** `auc>=0.7` → a higher_is_better floor; `logloss<=0.5` → a lower_is_better ceiling. */
export function parseGate(arg: string): { metric: string; direction: string; minAbsolute: number } {
  const m = /^([A-Za-z0-9_.\-/]+)\s*(>=|<=)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)$/.exec(arg);
  if (!m) throw usage(`--gate takes METRIC>=VALUE or METRIC<=VALUE (e.g. auc>=0.7), got '${arg}'.`);
  return { metric: m[1], direction: m[2] === '>=' ? 'higher_is_better' : 'lower_is_better', minAbsolute: Number(m[3]) };
}

function verdictColour(ctx: Context, verdict: string): string {
  const s = ctx.out.style;
  return verdict === 'blessed' ? s.green(verdict) : verdict === 'rejected' ? s.red(verdict) : s.yellow(verdict);
}

function printEvaluation(ctx: Context, ev: any): void {
  const s = ctx.out.style;
  ctx.out.fields([
    ['evaluation', ev.id],
    ['model', `${ev.model} v${ev.version}`],
    ['status', statusColour(s, ev.status)],
    ['verdict', verdictColour(ctx, ev.verdict)],
    ['baseline', ev.baselineVersion ? `v${ev.baselineVersion}` : '-'],
  ]);
  ctx.out.line();
  ctx.out.table(['METRIC', 'VALUE'], Object.entries(ev.metrics ?? {}).map(([k, v]) => [k, cell(v)]), 'No metrics.');
  const checks: any[] = ev.gate?.checks ?? [];
  if (checks.length > 0) {
    ctx.out.line();
    ctx.out.line(s.bold('Blessing gate'));
    ctx.out.table(
      ['METRIC', 'CHECK', 'LIMIT', 'CANDIDATE', 'BASELINE', 'RESULT'],
      checks.map((c) => [c.metric, c.kind, cell(c.limit), cell(c.candidate), cell(c.baseline), c.passed ? s.green('pass') : s.red(`fail: ${c.reason}`)]),
      '',
    );
  }
}

export function registerModels(program: Command, rt: Runtime): void {
  const models = program.command('models').description('registered models, versions, evaluations and aliases');
  examples(models, [
    'atelier models ls',
    'atelier models versions churn',
    'atelier models evaluate churn 1 --dataset customers:1',
    'atelier models promote churn 1 --alias production',
    'atelier models batch-predict churn --alias production --input customers:3 --output churn-scores --passthrough customer_id',
  ]);

  examples(
    models
      .command('ls')
      .alias('list')
      .description('models of the project')
      .action(
        action(rt, async (ctx) => {
          const all: any[] = [];
          for await (const m of ctx.atl().models.list(ctx.call())) all.push(m);
          ctx.out.result(all, () =>
            // The list answer carries no versions or aliases (`models show NAME` has them).
            ctx.out.table(
              ['NAME', 'TASK', 'CREATED', 'DESCRIPTION'],
              all.map((m) => [m.name, cell(m.task), m.createdAt, cell(m.description)]),
              'No models yet: train one with `atelier jobs run`.',
            ),
          all.map((m) => m.name).join('\n'));
        }),
      ),
    ['atelier models ls'],
  );

  const listVersions = async (ctx: Context, name: string) => {
    const versions: any[] = [];
    for await (const v of ctx.atl().models.versions(name, ctx.call())) versions.push(v);
    return versions;
  };
  /** The versions table; the VERDICT column only when the answer carries evaluations (a list may not). */
  const versionTable = (ctx: Context, versions: any[]) => {
    const withVerdict = versions.some((v) => v.latestEvaluation);
    const rows = versions.map((v) => {
      const metrics = Object.entries(v.metrics?.test ?? v.metrics ?? {})
        .filter(([, x]) => typeof x === 'number')
        .slice(0, 3)
        .map(([k, x]) => `${k}=${cell(x)}`)
        .join(' ');
      const verdict = v.latestEvaluation ? [verdictColour(ctx, v.latestEvaluation.verdict)] : withVerdict ? ['-'] : [];
      return [String(v.version), v.format, (v.aliases ?? []).join(',') || '-', ...verdict, metrics || '-', v.createdAt];
    });
    ctx.out.table(['VERSION', 'FORMAT', 'ALIASES', ...(withVerdict ? ['VERDICT'] : []), 'METRICS', 'CREATED'], rows, 'No versions yet.');
  };

  examples(
    models
      .command('show')
      .argument('<name>')
      .description('a model, its aliases and versions')
      .action(
        action<[string]>(rt, async (ctx, [name]) => {
          const m: any = await ctx.atl().models.get(name, ctx.call());
          const versions = await listVersions(ctx, name);
          ctx.out.result({ ...m, versions }, () => {
            ctx.out.fields([
              ['name', m.name],
              ['task', cell(m.task)],
              ['description', cell(m.description)],
              ['latest', m.latestVersion ? `v${m.latestVersion}` : '-'],
              ['aliases', (m.aliases ?? []).map((a: any) => `${a.alias}→v${a.version}`).join(' ') || '-'],
              ['created', m.createdAt],
            ]);
            ctx.out.line();
            versionTable(ctx, versions);
          });
        }),
      ),
    ['atelier models show churn'],
  );

  examples(
    models
      .command('versions')
      .argument('<name>')
      .argument('[version]', 'show one version in full')
      .description('versions of a model (or one version: bundle, signature, metrics, lineage)')
      .action(
        action<[string, string | undefined]>(rt, async (ctx, [name, v]) => {
          if (v) {
            const ver: any = await ctx.atl().models.version(name, parsePositiveInt(v, 'VERSION'), ctx.call());
            ctx.out.result(ver, () => {
              ctx.out.fields([
                ['model', `${ver.model} v${ver.version}`],
                ['format', ver.format],
                ['bundle', cell(ver.bundle?.sha256 ?? ver.bundle)],
                ['aliases', (ver.aliases ?? []).join(', ') || '-'],
                ['evaluation', ver.latestEvaluation ? `${verdictColour(ctx, ver.latestEvaluation.verdict)} (${ver.latestEvaluation.id})` : '-'],
                ['lineage', cell(ver.lineage)],
                ['created', ver.createdAt],
              ]);
              const test = ver.metrics?.test;
              if (test) {
                ctx.out.line();
                ctx.out.table(['METRIC', 'VALUE'], Object.entries(test).map(([k, x]) => [k, cell(x)]), '');
              }
            });
            return;
          }
          const versions = await listVersions(ctx, name);
          ctx.out.result(versions, () => versionTable(ctx, versions), versions.map((x) => x.version).join('\n'));
        }),
      ),
    ['atelier models versions churn', 'atelier models versions churn 2 --json'],
  );

  examples(
    models
      .command('aliases')
      .argument('<name>')
      .description('aliases of a model (production, staging…) and the versions they name')
      .action(
        action<[string]>(rt, async (ctx, [name]) => {
          const items = await ctx.atl().models.aliases(name, ctx.call());
          ctx.out.result(items, () => ctx.out.table(['ALIAS', 'VERSION', 'PREVIOUS', 'UPDATED'], items.map((a) => [a.alias, `v${a.version}`, a.previousVersion ? `v${a.previousVersion}` : '-', a.updatedAt]), 'No aliases.'));
        }),
      ),
    ['atelier models aliases churn'],
  );

  examples(
    models
      .command('evaluate')
      .argument('<name>')
      .argument('<version>')
      .option('--dataset <name:version>', 'the labelled data to evaluate on')
      .option('--gate <metric>=…', 'a blessing gate threshold, METRIC>=VALUE or METRIC<=VALUE; repeat', collect, [])
      .option('--label-column <column>')
      .option('--slice-column <column>', 'also report metrics per value of this column')
      .option('--spec <file>', 'the whole evaluation request as YAML/JSON (instead of the flags)')
      .option('--no-wait', 'return once the evaluation job is queued')
      .description('evaluate a version on a dataset (holdout metrics, slices, the blessing gate verdict)')
      .action(
        action<[string, string]>(rt, async (ctx, [name, v], opts) => {
          const version = parsePositiveInt(v, 'VERSION');
          let body: Record<string, unknown>;
          if (opts.spec) body = await readSpecFile(opts.spec, ctx.io);
          else {
            if (!opts.dataset) throw usage('evaluate needs --dataset NAME:VERSION (or --spec FILE).');
            const ds = parseNameVersion(opts.dataset, '--dataset');
            body = {
              dataset: { name: ds.name, version: ds.version ?? 1 },
              ...(opts.gate.length ? { gate: (opts.gate as string[]).map(parseGate) } : {}),
              ...(opts.labelColumn ? { labelColumn: opts.labelColumn } : {}),
              ...(opts.sliceColumn ? { sliceColumn: opts.sliceColumn } : {}),
            };
          }
          const atl = ctx.atl();
          const handle = await atl.models.evaluate(name, version, body as any, ctx.call());
          if (!opts.wait) {
            ctx.out.result(handle.job ?? { jobId: handle.id }, () => ctx.out.line(`Evaluation job ${handle.id} queued: atelier jobs logs ${handle.id}`), handle.id);
            return;
          }
          ctx.out.note(ctx.out.errStyle.dim(`Evaluating ${name} v${version} (job ${handle.id})…`));
          // wait() answers the evaluation the job's final event names, and throws (exit 8) when the job failed.
          let { evaluationId } = await handle.wait({ signal: ctx.signal });
          if (!evaluationId) {
            // A job log without it: the version's newest evaluation is the one just written.
            evaluationId = (await atl.models.evaluations(name, version, ctx.call()))[0]?.id;
          }
          if (!evaluationId) throw new CliError(`The evaluation job ${handle.id} succeeded but no evaluation of ${name} v${version} was found.`, { code: 'ATL_EVALUATION_NOT_FOUND' });
          const evaluation: any = await atl.models.evaluation(evaluationId, ctx.call());
          ctx.out.result(evaluation, () => printEvaluation(ctx, evaluation), evaluation.verdict);
        }),
      ),
    [
      'atelier models evaluate churn 1 --dataset customers:1',
      "atelier models evaluate churn 2 --dataset customers:2 --gate 'auc>=0.75' --gate 'logloss<=0.6'",
      'atelier models evaluate churn 2 --spec eval.yaml --json',
    ],
  );

  examples(
    models
      .command('batch-predict')
      .argument('<name>')
      .option('--model-version <n>', 'the model version to score with (`--version` is the CLI\'s own)')
      .option('-a, --alias <alias>', 'or an alias of the model (resolved when the job is queued)')
      .option('--input <name:version>', 'the dataset version to score')
      .option('--output <dataset>', 'the dataset the predictions become the next version of (created when missing)')
      .option('--passthrough <column>', 'an input column copied to the output (ids, keys); repeat', collect, [])
      .option('--outputs <list>', 'comma-separated: probabilities, class (classifiers) or prediction (default: all the model has)')
      .option('--chunk-rows <n>', 'rows per forward pass')
      .option('--spec <file>', 'the whole batch prediction request as YAML/JSON (instead of the flags)')
      .option('--no-wait', 'return once the job is queued')
      .description('score a dataset version offline; the predictions become a new dataset version (with lineage)')
      .action(
        action<[string]>(rt, async (ctx, [name], opts) => {
          let body: Record<string, unknown>;
          if (opts.spec) body = await readSpecFile(opts.spec, ctx.io);
          else {
            if (!opts.input) throw usage('batch-predict needs --input NAME:VERSION (or --spec FILE).');
            if (!opts.output) throw usage('batch-predict needs --output DATASET (or --spec FILE).');
            if ((opts.modelVersion === undefined) === (opts.alias === undefined)) throw usage('batch-predict needs exactly one of --model-version N and --alias NAME.');
            const input = parseNameVersion(opts.input, '--input');
            body = {
              ...(opts.modelVersion !== undefined ? { version: parsePositiveInt(opts.modelVersion, '--model-version') } : { alias: opts.alias }),
              input: { dataset: input.name, version: input.version ?? 1 },
              output: { dataset: opts.output },
              ...(opts.passthrough.length ? { passthroughColumns: opts.passthrough } : {}),
              ...(opts.outputs ? { outputs: String(opts.outputs).split(',').map((x) => x.trim()).filter(Boolean) } : {}),
              ...(opts.chunkRows !== undefined ? { chunkRows: parsePositiveInt(opts.chunkRows, '--chunk-rows') } : {}),
            };
          }
          const handle = await ctx.atl().models.batchPredict(name, body as any, ctx.call());
          const s = ctx.out.style;
          if (!opts.wait) {
            ctx.out.result(handle.job, () => ctx.out.line(`Batch prediction ${handle.id} queued: atelier jobs logs ${handle.id}`), handle.id);
            return;
          }
          ctx.out.note(ctx.out.errStyle.dim(`Scoring ${handle.job?.input.dataset} v${handle.job?.input.version} with ${name} v${handle.job?.modelVersion} (job ${handle.id})…`));
          // wait() throws (exit 8) when the job failed or was cancelled.
          const done = await handle.wait({ signal: ctx.signal });
          ctx.out.result(
            done,
            () =>
              ctx.out.fields([
                ['job', done.id],
                ['status', statusColour(s, done.status)],
                ['model', `${done.model} v${done.modelVersion}${done.alias ? ` (${done.alias})` : ''}`],
                ['input', `${done.input.dataset} v${done.input.version}`],
                ['output', `${done.output.dataset} v${done.output.version}`],
                ['rows', String(done.rowsScored)],
              ]),
            `${done.output.dataset}:${done.output.version}`,
          );
        }),
      ),
    [
      'atelier models batch-predict churn --model-version 2 --input customers:3 --output churn-scores',
      'atelier models batch-predict churn --alias production --input customers:3 --output churn-scores --passthrough customer_id --outputs probabilities',
      'OUT=$(atelier models batch-predict churn --alias production --input customers:3 --output churn-scores --quiet)',
    ],
  );

  examples(
    models
      .command('promote')
      .argument('<name>')
      .argument('<version>')
      .requiredOption('-a, --alias <alias>', 'the alias to point at the version, e.g. production')
      .option('--require-blessing', 'also refuse a version with no completed evaluation')
      .description('point an alias at a version; the blessing gate may refuse (exit 5, verdict shown)')
      .action(
        action<[string, string]>(rt, async (ctx, [name, v], opts) => {
          const version = parsePositiveInt(v, 'VERSION');
          const atl = ctx.atl();
          try {
            const moved = await atl.models.promote(name, version, opts.alias, { ...ctx.call(), ...(opts.requireBlessing ? { requireBlessing: true } : {}) });
            ctx.out.result(moved, () => {
              const prev = moved?.previousVersion ? ` (was v${moved.previousVersion})` : '';
              ctx.out.line(`${ctx.out.style.green('✓')} ${name}@${opts.alias} → v${version}${prev}.`);
            });
          } catch (err: any) {
            if (err?.code === 'ATL_GATE_REJECTED' && ctx.out.human) {
              const s = ctx.out.errStyle;
              ctx.io.stderr.write(`${s.red('✗ Refused by the blessing gate:')} ${name} v${version} cannot become ${opts.alias}.\n`);
              for (const f of err.errors ?? []) ctx.io.stderr.write(`  ${s.yellow('•')} ${s.bold(f.field)}: ${f.message}\n`);
            }
            throw err;
          }
        }),
      ),
    ['atelier models promote churn 1 --alias production', 'atelier models promote churn 2 --alias production --require-blessing'],
  );
}
