// `atelier tune run|ls|show|trials|cancel|logs`. `run --follow` prints a line per trial event, each new
// best, and the outcome; a failed or cancelled study exits 8.
import type { Command } from 'commander';
import { usage } from '../cli-error.js';
import { action, examples, type Runtime } from '../command-kit.js';
import type { Context } from '../context.js';
import { readSpecFile } from '../input.js';
import { statusColour, type Style } from '../style.js';
import { cell } from '../table.js';
import type { TuningJobEvent } from '../../index.js';

const STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

function num(v: unknown): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(5)) : cell(v);
}

/** `{'/optimizer/lr': 0.01, '/model/kind': 'mlp'}` → `lr=0.01 kind=mlp`. */
export function formatParams(params: Record<string, unknown> | undefined): string {
  return Object.entries(params ?? {})
    .map(([path, v]) => `${path.split('/').pop()}=${typeof v === 'number' ? num(v) : JSON.stringify(v)}`)
    .join(' ');
}

/** One line per event of a study, as they come. */
export function tuningEventPrinter(ctx: Context, style: Style): (ev: TuningJobEvent) => void {
  return (ev) => {
    const d = ev.data as Record<string, any>;
    if (ev.type === 'trial') {
      const how = d.state === 'queued' ? (d.origin === 'mutation' ? style.dim(` (mutated ${d.mutated ?? ''} of trial ${d.parentTrial})`) : style.dim(' (random)')) : '';
      const tail = d.objective !== undefined && d.objective !== null ? ` objective ${num(d.objective)}` : d.state === 'stopped' ? ` at epoch ${d.epoch} (rung ${d.rung})` : d.error ? `: ${d.error}` : '';
      ctx.out.line(`trial ${String(d.trial).padStart(3)} ${statusColour(style, String(d.state))}${tail}${d.state === 'queued' ? ` ${formatParams(d.params)}` : ''}${how}`);
    } else if (ev.type === 'best') {
      ctx.out.line(`${style.green('best')}      trial ${d.trial}: ${num(d.objective)} ${style.dim(formatParams(d.params))}`);
    } else if (ev.type === 'population') {
      ctx.out.line(style.dim(`population [${(d.members as number[]).join(', ')}]${d.died !== null && d.died !== undefined ? `; trial ${d.died} died` : ''}`));
    } else if (ev.type === 'state') {
      const extra = d.worker ? ` on ${d.worker}` : d.error ? `: ${d.error}` : d.modelVersion ? `: trial ${d.bestTrial} registered as v${d.modelVersion}` : '';
      ctx.out.line(`${style.dim('state')} ${statusColour(style, String(d.status))}${extra}`);
    } else if (ev.type === 'log') {
      ctx.out.line(`${style.dim(String(d.level))} ${d.message}`);
    }
  };
}

function printStudy(ctx: Context, job: any): void {
  const s = ctx.out.style;
  const spec = job.spec ?? {};
  ctx.out.fields([
    ['id', job.id],
    ['model', job.modelName],
    ['status', statusColour(s, job.status)],
    ['strategy', cell(spec.strategy?.kind)],
    ['objective', `${spec.objective?.metric ?? ''} (${spec.objective?.direction ?? ''})`],
    ['trials', `${Object.entries(job.trials ?? {}).map(([k, v]) => `${v} ${k}`).join(', ') || '0'} of ${spec.maxTrials ?? '?'}`],
    ['best', job.bestTrial === null ? '—' : `trial ${job.bestTrial}: ${num(job.bestObjective)}`],
    ['version', cell(job.modelVersionId)],
    ['error', cell(job.error)],
    ['created', job.createdAt],
    ['finished', cell(job.finishedAt)],
  ]);
}

export function registerTune(program: Command, rt: Runtime): void {
  const tune = program.command('tune').description('tuning jobs: hyperparameter search whose best trial becomes a model version');
  examples(tune, ['atelier tune run study.json --follow', 'atelier tune trials STUDY_ID', 'atelier tune ls --status running']);

  examples(
    tune
      .command('run')
      .argument('<spec>', 'a JSON or YAML tuning job request (the body of POST …/tuning-jobs: base, searchSpace, strategy, earlyStopping, objective, maxTrials, parallelism, seed)')
      .option('-f, --follow', 'print trials and the best so far until the study ends (exit 8 if it fails)')
      .description('start a tuning job')
      .action(
        action<[string]>(rt, async (ctx, [specFile], opts) => {
          const spec = await readSpecFile(specFile, ctx.io);
          const handle = await ctx.atl().tuning.create(spec as any, ctx.call());
          const s = ctx.out.style;
          if (!opts.follow) {
            ctx.out.result(handle.job, () => {
              ctx.out.line(`${s.green('✓')} Started tuning job ${s.bold(handle.id)} (${statusColour(s, String(handle.job?.status))}).`);
              ctx.out.line(s.dim(`  follow it: atelier tune logs ${handle.id}`));
            }, handle.id);
            return;
          }
          ctx.out.note(s.dim(`Tuning job ${handle.id}: following (Ctrl-C stops following; the study keeps running)`));
          let final: any;
          try {
            final = await handle.wait({ signal: ctx.signal, onEvent: tuningEventPrinter(ctx, s) });
          } catch (err) {
            if (ctx.signal.aborted) ctx.io.stderr.write(`\nStopped following tuning job ${handle.id}; it keeps running (atelier tune cancel ${handle.id} stops it).\n`);
            throw err;
          }
          ctx.out.result(final, () => {
            ctx.out.line();
            printStudy(ctx, final);
            ctx.out.line(`\n${s.green('✓')} the best trial was registered as a version of ${final.modelName}.`);
          }, final.id);
        }),
      ),
    ['atelier tune run study.json --follow', 'STUDY=$(atelier tune run study.json --quiet)'],
  );

  examples(
    tune
      .command('ls')
      .alias('list')
      .option('--status <status>', STATUSES.join(' | '))
      .description('tuning jobs of the project, newest first')
      .action(
        action(rt, async (ctx, _a, opts) => {
          if (opts.status && !STATUSES.includes(opts.status)) throw usage(`--status must be one of ${STATUSES.join(', ')}, got '${opts.status}'.`);
          const all: any[] = [];
          for await (const j of ctx.atl().tuning.list(opts.status ? { status: opts.status } : {}, ctx.call())) all.push(j);
          ctx.out.result(all, () =>
            ctx.out.table(
              ['ID', 'MODEL', 'STATUS', 'TRIALS', 'BEST', 'CREATED'],
              all.map((j) => [j.id, j.modelName, statusColour(ctx.out.style, j.status), String(Object.values(j.trials as Record<string, number>).reduce((a, b) => a + b, 0)), num(j.bestObjective), j.createdAt]),
              'No tuning jobs.',
            ),
          all.map((j) => j.id).join('\n'));
        }),
      ),
    ['atelier tune ls', 'atelier tune ls --status succeeded --json'],
  );

  examples(
    tune
      .command('show')
      .argument('<id>')
      .description('one study: status, trials by state, the best so far')
      .action(
        action<[string]>(rt, async (ctx, [id]) => {
          const job: any = await ctx.atl().tuning.get(id, ctx.call());
          ctx.out.result(job, () => printStudy(ctx, job), job.status);
        }),
      ),
    ['atelier tune show STUDY_ID', 'atelier tune show STUDY_ID --quiet    # prints the status'],
  );

  examples(
    tune
      .command('trials')
      .argument('<id>')
      .description('the trials of a study: state, objective, params')
      .action(
        action<[string]>(rt, async (ctx, [id]) => {
          const trials: any[] = await ctx.atl().tuning.trials(id, ctx.call());
          ctx.out.result(trials, () =>
            ctx.out.table(
              ['TRIAL', 'STATE', 'OBJECTIVE', 'EPOCHS', 'PARAMS'],
              trials.map((t) => [String(t.trial), statusColour(ctx.out.style, t.state), num(t.objective), cell(t.job.metrics?.epoch), formatParams(t.params)]),
              'No trials yet.',
            ),
          trials.map((t) => t.job.id).join('\n'));
        }),
      ),
    ['atelier tune trials STUDY_ID', 'atelier tune trials STUDY_ID --json | jq \'max_by(.objective)\''],
  );

  examples(
    tune
      .command('cancel')
      .argument('<id>')
      .description('stop a study: no new trials, running trials cancelled')
      .action(
        action<[string]>(rt, async (ctx, [id]) => {
          const job: any = await ctx.atl().tuning.cancel(id, ctx.call());
          ctx.out.result(job, () => ctx.out.line(`Cancel requested for tuning job ${id} (now ${statusColour(ctx.out.style, job.status)}).`));
        }),
      ),
    ['atelier tune cancel STUDY_ID'],
  );

  examples(
    tune
      .command('logs')
      .argument('<id>')
      .description("the study's events from the start (trials, population, best so far); follows an unfinished study to its end")
      .action(
        action<[string]>(rt, async (ctx, [id]) => {
          const events: any[] = [];
          const print = tuningEventPrinter(ctx, ctx.out.style);
          for await (const ev of ctx.atl().tuning.events(id, { signal: ctx.signal })) {
            events.push(ev);
            print(ev);
          }
          if (ctx.out.mode === 'json') ctx.out.result(events, () => {});
        }),
      ),
    ['atelier tune logs STUDY_ID', 'atelier tune logs STUDY_ID --json | jq \'.[] | select(.type=="best")\''],
  );
}
