// `atelier deploy FILE` applies a deployment spec (YAML or JSON: `name` plus the body of
// PUT …/deployments/{name}), waits until every serving node answers with it, and shows its routes.
// `atelier deployments ls|show|revisions|rollback|delete` manage what is deployed.
import type { Command } from 'commander';
import { usage } from '../cli-error.js';
import { action, examples, type Runtime } from '../command-kit.js';
import type { Context } from '../context.js';
import { parsePositiveInt, readSpecFile } from '../input.js';
import { statusColour } from '../style.js';
import { cell } from '../table.js';

function printDeployment(ctx: Context, d: any): void {
  const s = ctx.out.style;
  const st = d.status;
  ctx.out.fields([
    ['deployment', d.name],
    ['model', d.model],
    ['revision', String(d.revision)],
    ['state', st ? statusColour(s, st.state) + (st.reason ? s.dim(` (${st.reason})`) : '') : '-'],
    ['serving', st ? (st.versions.length ? st.versions.map((v: number) => `v${v}`).join(', ') : '-') : '-'],
  ]);
  ctx.out.line();
  const routes: any[] = d.spec?.routes ?? [];
  ctx.out.table(['ROUTE', 'WEIGHT'], routes.map((r) => [r.alias ? `alias ${r.alias}` : `version ${r.version}`, `${r.weight}%`]), 'No routes.');
  const shadows: any[] = d.spec?.shadows ?? [];
  if (shadows.length) {
    ctx.out.line();
    ctx.out.table(['SHADOW', 'SAMPLE'], shadows.map((r) => [r.alias ? `alias ${r.alias}` : `version ${r.version}`, cell(r.percent ?? r.sampleRate ?? r.weight)]), '');
  }
  if (st?.nodes?.length) {
    ctx.out.line();
    ctx.out.table(['NODE', 'STATE', 'REVISION', 'VERSIONS'], st.nodes.map((n: any) => [n.node, statusColour(s, n.state) + (n.reason ? s.dim(` (${n.reason})`) : ''), cell(n.revision), n.versions.map((v: number) => `v${v}`).join(', ') || '-']), '');
  }
}

export function registerDeploy(program: Command, rt: Runtime): void {
  examples(
    program
      .command('deploy')
      .argument('<file>', 'YAML or JSON: name, model, routes (and shadows, batching, featureViews…)')
      .option('--name <name>', 'the deployment name (overrides the file’s `name`)')
      .option('--timeout <seconds>', 'how long the server waits for ready (at most 120)', '120')
      .option('--no-wait', 'apply and return without waiting for the serving nodes')
      .description('create or update a deployment, wait until it is ready, show its routes')
      .action(
        action<[string]>(rt, async (ctx, [file], opts) => {
          const { name: fileName, ...body } = await readSpecFile(file, ctx.io);
          const name = (opts.name as string | undefined) ?? (typeof fileName === 'string' ? fileName : undefined);
          if (!name) throw usage(`${file} has no \`name\`; add one or pass --name NAME.`);
          const timeoutMs = parsePositiveInt(opts.timeout, '--timeout') * 1000;
          if (timeoutMs > 120_000) throw usage('--timeout is at most 120 seconds (the longest the server waits); check on it later with `atelier deployments show`.');
          const atl = ctx.atl();
          ctx.out.note(ctx.out.errStyle.dim(opts.wait ? `Applying ${name} and waiting for the serving nodes (up to ${timeoutMs / 1000} s)…` : `Applying ${name}…`));
          let applied: any;
          try {
            applied = await atl.deployments.apply({ name, ...body } as any, {
              ...(opts.wait ? { wait: 'ready' as const, waitTimeoutMs: timeoutMs } : {}),
              signal: ctx.signal,
            });
          } catch (err: any) {
            // Applied, but not ready in time (or a node refused it): show where it stands, then fail (exit 1).
            if (err?.code === 'ATL_DEPLOYMENT_NOT_READY' && ctx.out.human) printDeployment(ctx, await atl.deployments.get(name, ctx.call()));
            throw err;
          }
          ctx.out.result(applied, () => printDeployment(ctx, applied), applied.status?.state ?? String(applied.revision));
        }),
      ),
    ['atelier deploy churn-live.yaml', 'atelier deploy churn-live.json --timeout 300', 'atelier deploy canary.yaml --name churn-canary --no-wait'],
  );

  const deployments = program.command('deployments').description('what is deployed: list, inspect, roll back, delete');
  examples(deployments, ['atelier deployments ls', 'atelier deployments show churn-live', 'atelier deployments rollback churn-live --revision 1']);
  examples(
    deployments
      .command('ls')
      .alias('list')
      .description('deployments of the project')
      .action(
        action(rt, async (ctx) => {
          const all = await ctx.atl().deployments.list({}, ctx.call()).toArray();
          ctx.out.result(all, () =>
            ctx.out.table(
              ['NAME', 'MODEL', 'REVISION', 'STATE', 'ROUTES'],
              all.map((d) => [d.name, d.model, String(d.revision), d.status ? statusColour(ctx.out.style, d.status.state) : '-', ((d.spec as any)?.routes ?? []).map((r: any) => `${r.alias ?? `v${r.version}`}:${r.weight}%`).join(' ')]),
              'No deployments yet: `atelier deploy FILE`.',
            ),
          all.map((d) => d.name).join('\n'));
        }),
      ),
    ['atelier deployments ls'],
  );
  examples(
    deployments
      .command('show')
      .argument('<name>')
      .description('a deployment: routes, state of each serving node')
      .action(
        action<[string]>(rt, async (ctx, [name]) => {
          const d: any = await ctx.atl().deployments.get(name, ctx.call());
          ctx.out.result(d, () => printDeployment(ctx, d), d.status?.state);
        }),
      ),
    ['atelier deployments show churn-live'],
  );
  examples(
    deployments
      .command('revisions')
      .argument('<name>')
      .description('every revision of a deployment, newest first')
      .action(
        action<[string]>(rt, async (ctx, [name]) => {
          const all = await ctx.atl().deployments.revisions(name, ctx.call()).toArray();
          ctx.out.result(all, () =>
            ctx.out.table(['REVISION', 'ROUTES', 'CREATED'], all.map((r) => [String(r.revision), ((r.spec as any)?.routes ?? []).map((x: any) => `${x.alias ?? `v${x.version}`}:${x.weight}%`).join(' '), cell(r.createdAt)]), 'No revisions.'),
          );
        }),
      ),
    ['atelier deployments revisions churn-live'],
  );
  examples(
    deployments
      .command('rollback')
      .argument('<name>')
      .requiredOption('--revision <n>', 'the revision to restore (as a new revision)')
      .description('route as an earlier revision did')
      .action(
        action<[string]>(rt, async (ctx, [name], opts) => {
          const d: any = await ctx.atl().deployments.rollback(name, { revision: parsePositiveInt(opts.revision, '--revision') }, ctx.call());
          ctx.out.result(d, () => printDeployment(ctx, d));
        }),
      ),
    ['atelier deployments rollback churn-live --revision 1'],
  );
  examples(
    deployments
      .command('delete')
      .alias('rm')
      .argument('<name>')
      .description('stop routing traffic through a deployment')
      .action(
        action<[string]>(rt, async (ctx, [name]) => {
          await ctx.atl().deployments.delete(name, ctx.call());
          ctx.out.result({ name, deleted: true }, () => ctx.out.line(`Deleted deployment ${name}.`));
        }),
      ),
    ['atelier deployments delete churn-canary'],
  );
}
