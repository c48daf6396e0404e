// `atelier keys ls|create|revoke`: API keys of the current project. The secret of a new key is
// printed once (it is never shown again).
import type { Command } from 'commander';
import { action, examples, type Runtime } from '../command-kit.js';
import { statusColour } from '../style.js';
import { cell } from '../table.js';

export function registerKeys(program: Command, rt: Runtime): void {
  const keys = program.command('keys').description('API keys of the project');
  examples(keys, ['atelier keys ls', 'atelier keys create ci --role editor', 'atelier keys revoke KEY_ID']);

  examples(
    keys
      .command('ls')
      .alias('list')
      .option('--all', 'include revoked keys')
      .description("the project's keys (never their secrets)")
      .action(
        action(rt, async (ctx, _a, opts) => {
          const all = await ctx.atl().apiKeys.list({ includeRevoked: Boolean(opts.all) }, ctx.call());
          ctx.out.result(all, () =>
            ctx.out.table(
              ['ID', 'NAME', 'ROLE', 'PREFIX', 'STATE', 'EXPIRES', 'LAST USED'],
              all.map((k) => [k.id, k.name, k.role, cell(k.prefix), statusColour(ctx.out.style, k.revokedAt ? 'revoked' : 'active'), cell(k.expiresAt), cell(k.lastUsedAt)]),
              'No keys.',
            ),
          all.map((k) => k.id).join('\n'));
        }),
      ),
    ['atelier keys ls --all'],
  );

  examples(
    keys
      .command('create')
      .argument('<name>', 'what the key is for')
      .requiredOption('--role <role>', 'viewer | editor | admin (as the API defines roles)')
      .option('--expires-at <iso-date>', 'when it stops working, e.g. 2027-01-01T00:00:00Z')
      .description('create a key; its secret is printed once')
      .action(
        action<[string]>(rt, async (ctx, [name], opts) => {
          const created: any = await ctx.atl().apiKeys.create({ name, role: opts.role, ...(opts.expiresAt ? { expiresAt: opts.expiresAt } : {}) }, ctx.call());
          ctx.out.result(created, () => {
            ctx.out.line(`${ctx.out.style.green('✓')} Created key ${ctx.out.style.bold(created.key.name)} (${created.key.role}, id ${created.key.id}).`);
            ctx.out.line(`Secret (shown once, store it now): ${created.secret}`);
          }, created.secret);
        }),
      ),
    ['atelier keys create ci --role editor', 'KEY=$(atelier keys create ci --role editor --quiet)'],
  );

  examples(
    keys
      .command('revoke')
      .argument('<keyId>', 'the key id (from `atelier keys ls`)')
      .description('revoke a key: it stops working at once')
      .action(
        action<[string]>(rt, async (ctx, [id]) => {
          const revoked: any = await ctx.atl().apiKeys.revoke(id, ctx.call());
          ctx.out.result(revoked, () => ctx.out.line(`Revoked key ${id}.`));
        }),
      ),
    ['atelier keys revoke 0193…'],
  );
}
