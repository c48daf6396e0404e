// `atelier login` / `logout`: check the endpoint and key against the platform, then store them (and
// the default project) in a profile of the profile file, 0600. A key the platform refuses is not saved.
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { Atelier } from '../../index.js';
import { usage } from '../cli-error.js';
import { action, examples, type Runtime } from '../command-kit.js';
import type { Context } from '../context.js';
import { writeProfile } from '../../node/index.js';
import { removeProfile } from '../profiles.js';

async function readKey(ctx: Context, fromFlag: string | undefined): Promise<string> {
  const given = fromFlag ?? ctx.io.env.ATELIER_API_KEY;
  if (given && given !== '-') return given;
  const { stdin, stderr } = ctx.io;
  if (given === '-' || !stdin.isTTY) {
    // `--api-key -` or a pipe: the key is the first line of stdin (keeps it out of shell history).
    let text = '';
    for await (const chunk of stdin) text += chunk;
    const key = text.split('\n')[0]?.trim();
    if (!key) throw usage('No API key on stdin. Pass --api-key KEY, set ATELIER_API_KEY, or pipe the key in.');
    return key;
  }
  // A person at a terminal: ask, without echoing the key.
  const muted = new Writable({ write: (_c, _e, cb) => cb() });
  stderr.write('API key: ');
  const rl = createInterface({ input: stdin, output: muted, terminal: true });
  try {
    const key = await new Promise<string>((resolve) => rl.question('', resolve));
    stderr.write('\n');
    if (!key.trim()) throw usage('No API key given.');
    return key.trim();
  } finally {
    rl.close();
  }
}

export function registerLogin(program: Command, rt: Runtime): void {
  const login = program
    .command('login')
    .description('check an endpoint and API key, and save them (and a default project) in a profile')
    .action(
      action(rt, async (ctx) => {
        const file = ctx.profiles();
        const name = ctx.profileName(file);
        const existing = file.profiles[name];
        const endpoint = (ctx.opts.endpoint ?? ctx.io.env.ATELIER_ENDPOINT ?? existing?.endpoint)?.replace(/\/+$/, '');
        if (!endpoint) throw usage('login needs --endpoint URL (e.g. http://localhost:8080) or ATELIER_ENDPOINT.');
        if (!/^https?:\/\//.test(endpoint)) throw usage(`--endpoint must be an http(s) URL, got '${endpoint}'.`);
        const apiKey = await readKey(ctx, ctx.opts.apiKey);
        const project = ctx.opts.project ?? ctx.io.env.ATELIER_PROJECT ?? existing?.project;

        // Prove the key works before saving it: a project read when one is named, else the project list.
        const atl = new Atelier({ baseUrl: endpoint, apiKey, userAgent: 'atelier-cli' });
        if (project) await atl.projects.get(project, ctx.call());
        else for await (const _ of atl.projects.list(ctx.call())) break;

        // The first login becomes the current profile; `--profile other` adds one without switching.
        writeProfile(name, { endpoint, apiKey, ...(project ? { project } : {}) }, { path: ctx.configPath, makeCurrent: !file.current || file.current === name });
        const saved = { profile: name, endpoint, project: project ?? null, configPath: ctx.configPath };
        ctx.out.result(saved, () => {
          const s = ctx.out.style;
          ctx.out.line(`${s.green('✓')} Logged in to ${s.bold(endpoint)} as profile ${s.bold(name)}${project ? `, project ${s.bold(project)}` : ''}.`);
          ctx.out.line(s.dim(`  saved to ${ctx.configPath} (readable by you only)`));
          if (!project) ctx.out.line(s.dim('  no default project yet: `atelier projects create NAME` then `atelier projects use NAME`'));
        });
      }),
    );
  examples(login, [
    'atelier login --endpoint http://localhost:8080 --api-key "$KEY" --project shop',
    'printf "%s" "$KEY" | atelier login --endpoint https://atelier.example.com --api-key -',
    'atelier login --profile staging --endpoint https://staging.example.com    # asks for the key',
  ]);

  const logout = program
    .command('logout')
    .description('forget the stored key of a profile')
    .action(
      action(rt, async (ctx) => {
        const name = ctx.profileName();
        const had = removeProfile(ctx.configPath, name);
        ctx.out.result({ profile: name, removed: had }, () =>
          ctx.out.line(had ? `Removed profile ${name} from ${ctx.configPath}.` : `No profile ${name} in ${ctx.configPath}; nothing to do.`),
        );
      }),
    );
  examples(logout, ['atelier logout', 'atelier logout --profile staging']);
}
