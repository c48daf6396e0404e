// `atelier features entities|views|materialize|training-set|online`: the feature store.
import type { Command } from 'commander';
import { usage } from '../cli-error.js';
import { action, examples, type Runtime } from '../command-kit.js';
import { collect, parseKeyValues, readSpecFile } from '../input.js';
import { statusColour } from '../style.js';
import { cell } from '../table.js';

const KEY_TYPES = ['string', 'int'];

export function registerFeatures(program: Command, rt: Runtime): void {
  const features = program.command('features').description('entities, feature views, materialization, online reads');
  examples(features, [
    'atelier features entities create user --key user_id:string',
    'atelier features views apply activity.yaml',
    'atelier features materialize activity',
    'atelier features online get --view activity --key user_id=u1',
  ]);

  // --- entities -------------------------------------------------------------------------------
  const entities = features.command('entities').description('the things features describe (a user, an item)');
  examples(entities, ['atelier features entities ls', 'atelier features entities create user --key user_id:string']);
  examples(
    entities
      .command('ls')
      .alias('list')
      .description('entities of the project')
      .action(
        action(rt, async (ctx) => {
          const all: any[] = [];
          for await (const e of ctx.atl().features.entities.list(ctx.call())) all.push(e);
          ctx.out.result(all, () =>
            ctx.out.table(['NAME', 'JOIN KEYS', 'CREATED'], all.map((e) => [e.name, e.joinKeys.map((k: any) => `${k.name}:${k.type}`).join(', '), e.createdAt]), 'No entities yet.'),
          all.map((e) => e.name).join('\n'));
        }),
      ),
    ['atelier features entities ls'],
  );
  examples(
    entities
      .command('create')
      .argument('<name>')
      .option('-k, --key <column:type>', `a join key column (type ${KEY_TYPES.join(' | ')}); repeat for a compound key`, collect, [])
      .option('--description <text>')
      .description('create an entity')
      .action(
        action<[string]>(rt, async (ctx, [name], opts) => {
          const keys: string[] = opts.key;
          if (keys.length === 0) throw usage('entities create needs at least one --key COLUMN:TYPE, e.g. --key user_id:string.');
          const joinKeys = keys.map((k) => {
            const [col, type = 'string'] = k.split(':');
            if (!col || !KEY_TYPES.includes(type)) throw usage(`--key takes COLUMN:TYPE with TYPE ${KEY_TYPES.join(' or ')}, got '${k}'.`);
            return { name: col, type };
          });
          const created: any = await ctx.atl().features.entities.create({ name, joinKeys, ...(opts.description ? { description: opts.description } : {}) } as any, ctx.call());
          ctx.out.result(created, () => ctx.out.line(`${ctx.out.style.green('✓')} Entity ${ctx.out.style.bold(created.name)} (${joinKeys.map((k) => k.name).join(', ')}).`), created.name);
        }),
      ),
    ['atelier features entities create user --key user_id:string', 'atelier features entities create pair --key user_id:string --key item_id:int'],
  );
  examples(
    entities
      .command('show')
      .argument('<name>')
      .description('one entity')
      .action(
        action<[string]>(rt, async (ctx, [name]) => {
          const e: any = await ctx.atl().features.entities.get(name, ctx.call());
          ctx.out.result(e, () => ctx.out.fields([['name', e.name], ['join keys', e.joinKeys.map((k: any) => `${k.name}:${k.type}`).join(', ')], ['description', cell(e.description)], ['created', e.createdAt]]));
        }),
      ),
    ['atelier features entities show user'],
  );

  // --- views ----------------------------------------------------------------------------------
  const views = features.command('views').description('feature views: named, typed features over a dataset');
  examples(views, ['atelier features views apply activity.yaml', 'atelier features views ls', 'atelier features views show activity']);
  examples(
    views
      .command('ls')
      .alias('list')
      .description('feature views of the project (latest versions)')
      .action(
        action(rt, async (ctx) => {
          const all: any[] = [];
          for await (const v of ctx.atl().features.views.list(ctx.call())) all.push(v);
          ctx.out.result(all, () =>
            ctx.out.table(
              ['NAME', 'VERSION', 'ENTITY', 'SOURCE', 'FEATURES'],
              all.map((v) => [v.name, cell(v.version ?? v.latestVersion?.version), cell(v.entity ?? v.latestVersion?.entity), cell(v.source?.dataset ?? v.latestVersion?.source?.dataset), cell((v.features ?? v.latestVersion?.features ?? []).map((f: any) => f.name).join(', '))]),
              'No feature views yet: `atelier features views apply FILE`.',
            ),
          all.map((v) => v.name).join('\n'));
        }),
      ),
    ['atelier features views ls'],
  );
  examples(
    views
      .command('show')
      .argument('<name>')
      .description('a feature view (latest version)')
      .action(
        action<[string]>(rt, async (ctx, [name]) => {
          const v: any = await ctx.atl().features.views.get(name, ctx.call());
          ctx.out.result(v, () => {
            const cur = v.latestVersion ?? v;
            ctx.out.fields([
              ['name', v.name],
              ['version', cell(cur.version)],
              ['entity', cell(cur.entity)],
              ['source', cell(cur.source)],
              ['timestamp', cell(cur.eventTimestampColumn)],
              ['ttl (s)', cell(cur.ttlSeconds)],
            ]);
            ctx.out.line();
            ctx.out.table(['FEATURE', 'TYPE'], (cur.features ?? []).map((f: any) => [f.name, f.type]), 'No features.');
          });
        }),
      ),
    ['atelier features views show activity --json'],
  );
  examples(
    views
      .command('apply')
      .argument('<file>', 'a YAML or JSON feature view spec (the body of POST …/feature-views)')
      .description('create the view, or a new version of it when the definition changed')
      .action(
        action<[string]>(rt, async (ctx, [file]) => {
          const spec = await readSpecFile(file, ctx.io);
          const applied: any = await ctx.atl().features.views.apply(spec as any, ctx.call());
          ctx.out.result(applied, () => ctx.out.line(`${ctx.out.style.green('✓')} Feature view ${ctx.out.style.bold(applied.name)} v${applied.version} (${(applied.features ?? []).length} features).`), `${applied.name}:${applied.version}`);
        }),
      ),
    ['atelier features views apply activity.yaml'],
  );

  // --- materialize, training sets, online reads -----------------------------------------------
  examples(
    features
      .command('materialize')
      .argument('<view>')
      .option('--mode <mode>', 'full | incremental', 'full')
      .description('load the latest feature values into the online store')
      .action(
        action<[string]>(rt, async (ctx, [view], opts) => {
          if (!['full', 'incremental'].includes(opts.mode)) throw usage(`--mode must be full or incremental, got '${opts.mode}'.`);
          const run: any = await ctx.atl().features.materialize(view, { mode: opts.mode }, ctx.call());
          ctx.out.result(run, () =>
            ctx.out.line(`${ctx.out.style.green('✓')} Materialized ${ctx.out.style.bold(`${run.featureView} v${run.featureViewVersion}`)} (${opts.mode}): ${statusColour(ctx.out.style, String(run.status))}, ${run.rowsWritten} rows written.`),
          run.id);
        }),
      ),
    ['atelier features materialize activity', 'atelier features materialize activity --mode incremental'],
  );
  examples(
    features
      .command('training-set')
      .argument('<file>', 'a YAML or JSON training-set spec (the body of POST …/training-sets)')
      .description('join features point-in-time onto a label dataset; writes a new dataset version')
      .action(
        action<[string]>(rt, async (ctx, [file]) => {
          const spec = await readSpecFile(file, ctx.io);
          const made: any = await ctx.atl().features.trainingSet(spec as any, ctx.call());
          ctx.out.result(made, () => ctx.out.line(`${ctx.out.style.green('✓')} Training set ${ctx.out.style.bold(`${made.dataset} v${made.version}`)}: ${made.rowCount} rows.`), `${made.dataset}:${made.version}`);
        }),
      ),
    ['atelier features training-set conversion.yaml'],
  );
  const online = features.command('online').description('online feature reads');
  examples(online, ['atelier features online get --view activity --key user_id=u1']);
  examples(
    online
      .command('get')
      .option('--view <name[@version]>', 'a feature view; repeat for several', collect, [])
      .option('-k, --key <col=value[,col=value]>', 'one entity key; repeat for several entities', collect, [])
      .description('the latest feature values of some entities')
      .action(
        action(rt, async (ctx, _a, opts) => {
          if (opts.view.length === 0) throw usage('online get needs at least one --view NAME.');
          if (opts.key.length === 0) throw usage('online get needs at least one --key COLUMN=VALUE.');
          const entityKeys = (opts.key as string[]).map((k) => parseKeyValues(k, '--key'));
          const res: any = await ctx.atl().features.online({ featureViews: opts.view, entityKeys }, ctx.call());
          ctx.out.result(res, () => {
            // One row per entity key, one column per feature (prefixed by its view when several are read).
            const several = opts.view.length > 1;
            const cols: Array<{ view: string; feature: string }> = [];
            for (const v of res.featureViews ?? []) for (const f of v.features) cols.push({ view: v.name, feature: f });
            const s = ctx.out.style;
            ctx.out.table(
              ['KEY', 'FOUND', ...cols.map((c) => (several ? `${c.view}.${c.feature}` : c.feature).toUpperCase())],
              (res.results ?? []).map((r: any) => [
                JSON.stringify(r.entityKey),
                r.found ? s.green('yes') : s.yellow('no'),
                ...cols.map((c) => cell(r.features?.[c.view]?.values?.[c.feature])),
              ]),
              'No results.',
            );
          });
        }),
      ),
    ['atelier features online get --view activity --key user_id=u1 --key user_id=u2'],
  );
}
