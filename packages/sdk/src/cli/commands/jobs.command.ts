// `atelier jobs run|ls|show|cancel|logs`. `run --follow` prints one line per epoch as the SSE stream
// delivers it, then the outcome; a failed or cancelled job exits 8.
import type { Command } from 'commander';
import { usage } from '../cli-error.js';
import { action, examples, type Runtime } from '../command-kit.js';
import type { Context } from '../context.js';
import { collect, parseNameVersion, parsePositiveInt, readSpecFile } from '../input.js';
import { statusColour, type Style } from '../style.js';
import { cell } from '../table.js';
import type { TrainingJobEvent } from '../../index.js';

const KINDS = ['linear', 'logistic', 'softmax', 'mlp', 'wide_deep', 'two_tower'];
const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** `--feature age:numeric:standardize` → a feature spec (the transform defaults by type). */
export function parseFeature(arg: string): { name: string; type: string; transform: string } {
  const [name, type = 'numeric', transform] = arg.split(':');
  if (!name || !['numeric', 'categorical'].includes(type)) {
    throw usage(`--feature takes NAME[:numeric|categorical[:TRANSFORM]], got '${arg}'.`);
  }
  return { name, type, transform: transform ?? (type === 'numeric' ? 'standardize' : 'vocabulary') };
}

/** The training job request from the flags (what a SPEC.json would hold). */
function specFromFlags(opts: Record<string, any>): Record<string, unknown> {
  const missing = ['modelName', 'dataset'].filter((k) => !opts[k]);
  if (missing.length > 0 || opts.feature.length === 0) {
    throw usage('jobs run needs SPEC.json, or --model-name, --dataset NAME[:VERSION] and at least one --feature (and --label for a supervised model).');
  }
  if (!KINDS.includes(opts.kind)) throw usage(`--kind must be one of ${KINDS.join(', ')}, got '${opts.kind}'.`);
  const ds = parseNameVersion(opts.dataset, '--dataset');
  return {
    modelName: opts.modelName,
    data: { dataset: ds.name, version: ds.version ?? 1 },
    ...(opts.label ? { label: opts.label } : {}),
    features: (opts.feature as string[]).map(parseFeature),
    model: { kind: opts.kind },
    ...(opts.maxEpochs ? { maxEpochs: parsePositiveInt(opts.maxEpochs, '--max-epochs') } : {}),
    ...(opts.seed !== undefined ? { seed: Number(opts.seed) } : {}),
  };
}

function num(v: unknown): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : cell(v);
}

// The validation metrics a reader looks for first, per task; the rest only fit when these are absent.
const PREFERRED = ['auc', 'accuracy', 'f1', 'pr_auc', 'rmse', 'mae', 'r2', 'ndcg', 'map', 'recall', 'precision'];
const MAX_METRIC_COLUMNS = 4;

/** The per-epoch columns: training loss, validation loss, then up to four validation metrics. */
export function epochColumns(first: Record<string, unknown>): string[] {
  const vals = Object.keys(first).filter((k) => k.startsWith('val_') && k !== 'val_loss' && k !== 'val_log_loss' && typeof first[k] === 'number');
  const rank = (k: string) => {
    const i = PREFERRED.indexOf(k.slice(4));
    return i < 0 ? PREFERRED.length : i;
  };
  vals.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return [...['trainLoss', 'val_loss'].filter((k) => typeof first[k] === 'number'), ...vals.slice(0, MAX_METRIC_COLUMNS)];
}

/** Prints a job's events as they come: a header before the first epoch, then one row per epoch. */
export function eventPrinter(ctx: Context, style: Style): (ev: TrainingJobEvent) => void {
  let columns: string[] | undefined;
  const pad = (c: string) => Math.max(c.length, 8) + 2;
  return (ev) => {
    if (ev.type === 'metric') {
      const data = ev.data as Record<string, unknown>;
      if (!columns) {
        columns = epochColumns(data);
        ctx.out.line(style.bold(['epoch'.padStart(7), ...columns.map((c) => c.padStart(pad(c)))].join('')));
      }
      ctx.out.line([String(data.epoch).padStart(7), ...columns.map((c) => num(data[c]).padStart(pad(c)))].join(''));
    } else if (ev.type === 'state') {
      const data = ev.data;
      const extra = data.waitingReason ? ` (${data.waitingReason})` : data.worker ? ` on ${data.worker}` : data.error ? `: ${data.error}` : '';
      ctx.out.line(`${style.dim('state')} ${statusColour(style, String(data.status))}${extra}`);
    } else if (ev.type === 'log') {
      const data = ev.data;
      const lvl = data.level === 'error' ? style.red(data.level) : data.level === 'warn' ? style.yellow(data.level) : style.dim(data.level);
      ctx.out.line(`${lvl} ${data.message}`);
    }
  };
}

function printJob(ctx: Context, job: any): void {
  const s = ctx.out.style;
  const m = job.metrics ?? {};
  ctx.out.fields([
    ['id', job.id],
    ['type', job.type],
    ['model', job.modelName],
    ['status', statusColour(s, job.status) + (job.waitingReason ? s.dim(` (${job.waitingReason})`) : '')],
    ['device', cell(job.device)],
    ['attempts', `${job.attempts}/${job.maxAttempts}`],
    ['epoch', cell(m.epoch ?? job.checkpointEpoch)],
    ['error', cell(job.error)],
    ['created', job.createdAt],
    ['finished', cell(job.finishedAt)],
  ]);
  if (m.test && typeof m.test === 'object') {
    ctx.out.line();
    ctx.out.line(s.bold('Holdout metrics'));
    ctx.out.table(['METRIC', 'VALUE'], Object.entries(m.test).map(([k, v]) => [k, num(v)]), 'none');
  }
}

export function registerJobs(program: Command, rt: Runtime): void {
  const jobs = program.command('jobs').description('training and evaluation jobs');
  examples(jobs, ['atelier jobs run train.json --follow', 'atelier jobs ls --status running', 'atelier jobs logs JOB_ID']);

  examples(
    jobs
      .command('run')
      .argument('[spec]', 'a JSON or YAML training job request (the body of POST …/training-jobs)')
      .option('--model-name <name>', 'the model the job registers a version of')
      .option('--dataset <name[:version]>', 'the training data (version 1 when omitted)')
      .option('--label <column>', 'the label column')
      .option('--feature <name[:type[:transform]]>', 'a feature column; repeat (type numeric | categorical)', collect, [])
      .option('--kind <kind>', KINDS.join(' | '), 'mlp')
      .option('--max-epochs <n>')
      .option('--seed <n>')
      .option('-f, --follow', 'stream per-epoch metrics until the job ends (exit 8 if it fails)')
      .description('start a training job (from a spec file or flags)')
      .action(
        action<[string | undefined]>(rt, async (ctx, [specFile], opts) => {
          const spec = specFile ? await readSpecFile(specFile, ctx.io) : specFromFlags(opts);
          const atl = ctx.atl();
          const handle: any = await atl.jobs.create(spec as any, ctx.call());
          const s = ctx.out.style;
          if (!opts.follow) {
            ctx.out.result(handle.job, () => {
              ctx.out.line(`${s.green('✓')} Started job ${s.bold(handle.id)} (${statusColour(s, handle.job.status)}).`);
              ctx.out.line(s.dim(`  follow it: atelier jobs logs ${handle.id}`));
            }, handle.id);
            return;
          }
          ctx.out.note(s.dim(`Job ${handle.id}: following (Ctrl-C stops following; the job keeps running)`));
          let final: any;
          try {
            final = await handle.wait({ signal: ctx.signal, onEvent: eventPrinter(ctx, s) });
          } catch (err) {
            if (ctx.signal.aborted) ctx.io.stderr.write(`\nStopped following job ${handle.id}; it keeps running (atelier jobs cancel ${handle.id} stops it).\n`);
            throw err;
          }
          ctx.out.result(final, () => {
            ctx.out.line();
            printJob(ctx, final);
            const v = final.modelVersion;
            if (final.status === 'succeeded') {
              ctx.out.line(`\n${s.green('✓')} ${final.modelName}${v ? ` v${v}` : ''} registered. Next: atelier models evaluate ${final.modelName} ${v ?? 'VERSION'} --dataset …`);
            }
          }, final.id);
        }),
      ),
    [
      'atelier jobs run train.json --follow',
      'atelier jobs run --model-name churn --dataset customers:1 --label churned \\\n      --feature age --feature income --feature city:categorical --max-epochs 5 --follow',
      'JOB=$(atelier jobs run train.json --quiet)',
    ],
  );

  examples(
    jobs
      .command('ls')
      .alias('list')
      .option('--status <status>', STATUSES.join(' | '))
      .description('jobs of the project, newest first')
      .action(
        action(rt, async (ctx, _a, opts) => {
          if (opts.status && !STATUSES.includes(opts.status)) throw usage(`--status must be one of ${STATUSES.join(', ')}, got '${opts.status}'.`);
          const all: any[] = [];
          for await (const j of ctx.atl().jobs.list(opts.status ? { status: opts.status } : {}, ctx.call())) all.push(j);
          ctx.out.result(all, () =>
            ctx.out.table(
              ['ID', 'TYPE', 'MODEL', 'STATUS', 'EPOCH', 'CREATED'],
              all.map((j) => [j.id, j.type, j.modelName, statusColour(ctx.out.style, j.status), cell(j.metrics?.epoch), j.createdAt]),
              'No jobs.',
            ),
          all.map((j) => j.id).join('\n'));
        }),
      ),
    ['atelier jobs ls', 'atelier jobs ls --status failed --json'],
  );

  examples(
    jobs
      .command('show')
      .argument('<id>')
      .description('one job: status, attempts, metrics')
      .action(
        action<[string]>(rt, async (ctx, [id]) => {
          const job: any = await ctx.atl().jobs.get(id, ctx.call());
          ctx.out.result(job, () => printJob(ctx, job), job.status);
        }),
      ),
    ['atelier jobs show JOB_ID', 'atelier jobs show JOB_ID --quiet    # prints the status'],
  );

  examples(
    jobs
      .command('cancel')
      .argument('<id>')
      .description('ask a queued or running job to stop')
      .action(
        action<[string]>(rt, async (ctx, [id]) => {
          const job: any = await ctx.atl().jobs.cancel(id, ctx.call());
          ctx.out.result(job, () => ctx.out.line(`Cancel requested for job ${id} (now ${statusColour(ctx.out.style, job.status)}).`));
        }),
      ),
    ['atelier jobs cancel JOB_ID'],
  );

  examples(
    jobs
      .command('logs')
      .argument('<id>')
      .description("the job's events from the start (state changes, per-epoch metrics, log lines); follows an unfinished job to its end")
      .action(
        action<[string]>(rt, async (ctx, [id]) => {
          const events: any[] = [];
          const print = eventPrinter(ctx, ctx.out.style);
          // The SDK's iterator ends when the job ends, so a finished job's log is replayed and done.
          for await (const ev of ctx.atl().jobs.events(id, { signal: ctx.signal })) {
            events.push(ev);
            print(ev);
          }
          if (ctx.out.mode === 'json') ctx.out.result(events, () => {});
        }),
      ),
    ['atelier jobs logs JOB_ID', 'atelier jobs logs JOB_ID --json | jq \'.[] | select(.type=="metric")\''],
  );
}
