// `atelier projects ls|create|show|use`.
import type { Command } from 'commander';
import { usage } from '../cli-error.js';
import { action, examples, type Runtime } from '../command-kit.js';
import { writeProfile } from '../../node/index.js';
import { cell } from '../table.js';

export function registerProjects(program: Command, rt: Runtime): void {
  const projects = program.command('projects').description('list, create and pick projects');
  examples(projects, ['atelier projects ls', 'atelier projects create shop', 'atelier projects use shop']);

  examples(
    projects
      .command('ls')
      .alias('list')
      .description('projects this key can see')
      .action(
        action(rt, async (ctx) => {
          const all = await ctx.atl().projects.list(ctx.call()).toArray();
          ctx.out.result(all, () =>
            ctx.out.table(
              ['NAME', 'DISPLAY NAME', 'CREATED'],
              all.map((p) => [p.name, cell(p.displayName), p.createdAt]),
              'No projects yet: `atelier projects create NAME`.',
            ),
          all.map((p) => p.name).join('\n'));
        }),
      ),
    ['atelier projects ls', 'atelier projects ls --json'],
  );

  examples(
    projects
      .command('create')
      .argument('<name>', 'lowercase letters, digits, - and _, starting with a letter')
      .option('--display-name <text>', 'a name for people')
      .option('--description <text>', 'what the project is for')
      .option('--use', 'also make it the default project of the profile')
      .description('create a project')
      .action(
        action<[string]>(rt, async (ctx, [name], opts) => {
          const created = await ctx
            .atl()
            .projects.create({ name, ...(opts.displayName ? { displayName: opts.displayName } : {}), ...(opts.description ? { description: opts.description } : {}) }, ctx.call());
          if (opts.use) setDefaultProject(ctx, name);
          ctx.out.result(created, () => ctx.out.line(`${ctx.out.style.green('✓')} Created project ${ctx.out.style.bold(created.name)}${opts.use ? ' (now the default project)' : ''}.`), created.name);
        }),
      ),
    ['atelier projects create shop --display-name "Shop" --use'],
  );

  examples(
    projects
      .command('show')
      .argument('[name]', 'the project (default: the current one)')
      .description('one project')
      .action(
        action<[string | undefined]>(rt, async (ctx, [name]) => {
          const p = await ctx.atl().projects.get(name ?? ctx.project(), ctx.call());
          ctx.out.result(p, () =>
            ctx.out.fields([
              ['name', p.name],
              ['display name', cell(p.displayName)],
              ['description', cell(p.description)],
              ['created', p.createdAt],
            ]),
          );
        }),
      ),
    ['atelier projects show shop'],
  );

  examples(
    projects
      .command('use')
      .argument('<name>', 'the project')
      .description('make a project the default of the current profile (checked first)')
      .action(
        action<[string]>(rt, async (ctx, [name]) => {
          const p = await ctx.atl().projects.get(name, ctx.call());
          setDefaultProject(ctx, p.name);
          ctx.out.result({ profile: ctx.profileName(), project: p.name }, () => ctx.out.line(`Default project of profile ${ctx.profileName()} is now ${ctx.out.style.bold(p.name)}.`));
        }),
      ),
    ['atelier projects use shop'],
  );
}

function setDefaultProject(ctx: import('../context.js').Context, project: string): void {
  const file = ctx.profiles();
  const name = ctx.profileName(file);
  const profile = file.profiles[name];
  if (!profile) throw usage(`No profile ${name} to set a default project on: run \`atelier login\` first.`);
  writeProfile(name, { ...profile, project }, { path: ctx.configPath, makeCurrent: false });
}
