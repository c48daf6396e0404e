// `atelier datasets ls|show|push|profile|preview`. push streams the file (a progress bar on a
// terminal), then prints the version and its profile summary.
import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { fileSource } from '../../node/index.js';
import { usage } from '../cli-error.js';
import { action, examples, type Runtime } from '../command-kit.js';
import type { Context } from '../context.js';
import { parsePositiveInt } from '../input.js';
import { progressBar } from '../progress.js';
import { cell, formatBytes } from '../table.js';

const FORMATS = ['csv', 'jsonl', 'parquet'];

/** `customers.v2.csv` → `customers-v2`: a valid dataset name from a file name. */
export function datasetNameFromFile(path: string): string {
  const stem = basename(path, extname(path)).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '');
  return stem.slice(0, 63) || 'dataset';
}

async function latestVersion(ctx: Context, name: string): Promise<number> {
  const ds = await ctx.atl().datasets.get(name, ctx.call());
  const v = ds.latestVersion;
  if (!v) throw usage(`Dataset ${name} has no versions yet: \`atelier datasets push FILE --name ${name}\`.`);
  return v;
}

function printProfile(ctx: Context, profile: any): void {
  const s = ctx.out.style;
  ctx.out.line(s.bold(`Profile: ${profile.rowCount} rows × ${profile.columnCount} columns`));
  ctx.out.table(
    ['COLUMN', 'TYPE', 'NULLS', 'DISTINCT', 'MIN', 'MAX', 'MEAN', 'TOP VALUES'],
    profile.columns.map((c: any) => [
      c.name,
      c.type,
      c.nullCount > 0 ? s.yellow(`${c.nullCount} (${(c.nullFraction * 100).toFixed(1)}%)`) : '0',
      cell(c.approxDistinct),
      cell(c.min),
      cell(c.max),
      cell(c.mean),
      (c.topValues ?? []).slice(0, 3).map((t: any) => `${t.value}×${t.count}`).join(' ') || '-',
    ]),
    'No columns.',
  );
}

export function registerDatasets(program: Command, rt: Runtime): void {
  const datasets = program.command('datasets').description('versioned, profiled datasets');
  examples(datasets, ['atelier datasets push customers.csv', 'atelier datasets ls', 'atelier datasets profile customers']);

  examples(
    datasets
      .command('ls')
      .alias('list')
      .description('datasets of the project')
      .action(
        action(rt, async (ctx) => {
          const all = await ctx.atl().datasets.list(ctx.call()).toArray();
          ctx.out.result(all, () =>
            ctx.out.table(
              ['NAME', 'LATEST', 'CREATED', 'DESCRIPTION'],
              all.map((d) => [d.name, d.latestVersion ? `v${d.latestVersion}` : '-', d.createdAt, cell(d.description)]),
              'No datasets yet: `atelier datasets push FILE`.',
            ),
          all.map((d) => d.name).join('\n'));
        }),
      ),
    ['atelier datasets ls', 'atelier datasets ls --json'],
  );

  examples(
    datasets
      .command('show')
      .argument('<name>')
      .description('a dataset and its versions')
      .action(
        action<[string]>(rt, async (ctx, [name]) => {
          const atl = ctx.atl();
          const ds: any = await atl.datasets.get(name, ctx.call());
          const versions: any[] = [];
          for await (const v of atl.datasets.versions(name, ctx.call())) versions.push(v);
          ctx.out.result({ ...ds, versions }, () => {
            ctx.out.fields([
              ['name', ds.name],
              ['description', cell(ds.description)],
              ['created', ds.createdAt],
            ]);
            ctx.out.line();
            ctx.out.table(
              ['VERSION', 'FORMAT', 'ROWS', 'COLUMNS', 'SIZE', 'SHA256', 'CREATED'],
              versions.map((v) => [String(v.version), v.format, cell(v.rowCount), cell(v.schema?.columns?.length), formatBytes(v.sizeBytes), String(v.sha256).slice(0, 12), v.createdAt]),
              'No versions yet.',
            );
          });
        }),
      ),
    ['atelier datasets show customers'],
  );

  examples(
    datasets
      .command('push')
      .argument('<file>', 'a .csv, .jsonl or .parquet file')
      .option('-n, --name <dataset>', 'the dataset (default: from the file name); created if missing')
      .option('--format <format>', `${FORMATS.join(' | ')} (default: from the extension)`)
      .description('upload a file as a new version (streamed), then show its profile')
      .action(
        action<[string]>(rt, async (ctx, [file], opts) => {
          const path = resolve(ctx.io.cwd, file);
          const info = await stat(path).catch(() => undefined);
          if (!info?.isFile()) throw usage(`Cannot read ${file}: no such file.`);
          if (opts.format && !FORMATS.includes(opts.format)) throw usage(`--format must be one of ${FORMATS.join(', ')}, got '${opts.format}'.`);
          const name = opts.name ?? datasetNameFromFile(file);
          const atl = ctx.atl();
          const source = fileSource(path, opts.format ? { format: opts.format } : {});
          const bar = progressBar(ctx.out.interactive, ctx.io.stderr, `Uploading ${basename(file)}`, ctx.out.errStyle);
          let version: any;
          try {
            version = await atl.datasets.upload(name, source, {
              ...ctx.call(),
              onProgress: ({ bytesSent, totalBytes }: { bytesSent: number; totalBytes?: number }) => bar.update(bytesSent, totalBytes ?? info.size),
            });
          } finally {
            bar.finish();
          }
          const profile: any = await atl.datasets.profile(name, version.version, ctx.call());
          ctx.out.result({ version, profile }, () => {
            const s = ctx.out.style;
            const dup = version.duplicateOf ? s.dim(` (same bytes as version ${version.duplicateOf.version ?? version.duplicateOf})`) : '';
            ctx.out.line(`${s.green('✓')} ${s.bold(`${name} v${version.version}`)}: ${version.rowCount} rows, ${formatBytes(version.sizeBytes)}, sha256 ${String(version.sha256).slice(0, 12)}${dup}`);
            const evo = version.evolution;
            if (evo?.previousVersion) {
              const changes = [
                ...evo.added.map((c: any) => s.green(`+${c.name}`)),
                ...evo.removed.map((c: any) => s.red(`-${c.name}`)),
                ...evo.retyped.map((c: any) => s.yellow(`~${c.name} ${c.from}→${c.to}`)),
              ];
              ctx.out.line(`  schema vs v${evo.previousVersion}: ${changes.length ? changes.join(' ') : 'unchanged'}`);
            }
            ctx.out.line();
            printProfile(ctx, profile);
          }, `${name}:${version.version}`);
        }),
      ),
    ['atelier datasets push customers.csv', 'atelier datasets push events.jsonl --name activity', 'atelier datasets push data.bin --format parquet --name clicks'],
  );

  examples(
    datasets
      .command('profile')
      .argument('<name>')
      .argument('[version]', 'default: the latest')
      .description('column types, nulls, distinct counts, min/max/mean, top values')
      .action(
        action<[string, string | undefined]>(rt, async (ctx, [name, v]) => {
          const version = v ? parsePositiveInt(v, 'VERSION') : await latestVersion(ctx, name);
          const profile: any = await ctx.atl().datasets.profile(name, version, ctx.call());
          ctx.out.result(profile, () => printProfile(ctx, profile));
        }),
      ),
    ['atelier datasets profile customers', 'atelier datasets profile customers 2 --json'],
  );

  examples(
    datasets
      .command('preview')
      .argument('<name>')
      .argument('[version]', 'default: the latest')
      .option('--limit <n>', 'rows', '10')
      .description('the first rows of a version')
      .action(
        action<[string, string | undefined]>(rt, async (ctx, [name, v], opts) => {
          const version = v ? parsePositiveInt(v, 'VERSION') : await latestVersion(ctx, name);
          const preview: any = await ctx.atl().datasets.preview(name, version, { limit: parsePositiveInt(opts.limit, '--limit') }, ctx.call());
          ctx.out.result(preview, () => {
            const rows: any[] = preview.rows ?? [];
            const cols: string[] = preview.columns?.map((c: any) => c.name ?? c) ?? Object.keys(rows[0] ?? {});
            ctx.out.table(cols, rows.map((r) => (Array.isArray(r) ? r.map(cell) : cols.map((c) => cell(r[c])))), 'No rows.');
          });
        }),
      ),
    ['atelier datasets preview customers --limit 5'],
  );
}
