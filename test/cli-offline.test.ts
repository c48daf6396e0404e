// The `atelier` CLI where no platform is needed: every command's --help has examples, usage errors
// exit 2, an unreachable endpoint exits 7, and the generated bash completion completes in a real bash.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../packages/sdk/src/cli/program.js';
import { CLI, cleanEnv, cliRunner, removeTempDirs, tempDir } from './cli-harness.js';

afterAll(() => removeTempDirs());

const configDir = tempDir('atelier-cli-offline-');
const cli = cliRunner({ configPath: join(configDir, 'profiles.json'), cwd: configDir });

function allCommands(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...prefix, c.name()], ...allCommands(c, [...prefix, c.name()])]);
}

/** A TCP port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe('atelier CLI without a platform', () => {
  it('every command and group has --help with at least one example', async () => {
    const program = buildProgram({ io: { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {}, cwd: '/' }, signal: new AbortController().signal });
    const paths = allCommands(program);
    expect(paths.length).toBeGreaterThan(40);
    const names = paths.map((p) => p.join(' '));
    for (const want of ['login', 'projects ls', 'keys create', 'datasets push', 'datasets profile', 'features views apply', 'features materialize', 'features online get', 'jobs run', 'jobs logs', 'jobs cancel', 'models evaluate', 'models promote', 'deploy', 'predict', 'rank', 'completion', 'tune run', 'tune ls', 'tune show', 'tune trials', 'tune cancel', 'tune logs']) {
      expect(names).toContain(want);
    }
    // Spawning 40+ processes is slow on a shared machine: render the help in-process, and spawn a few.
    for (const path of paths) {
      let cmd: Command = program;
      for (const part of path) cmd = cmd.commands.find((c) => c.name() === part)!;
      let help = '';
      cmd.configureOutput({ writeOut: (s) => (help += s) });
      cmd.outputHelp();
      expect(help, `atelier ${path.join(' ')} --help`).toMatch(/Examples:\n {2}\$ .*atelier /);
    }
    const root = await cli(['--help']);
    expect(root.code).toBe(0);
    expect(root.stdout).toContain('Exit codes:');
    const push = await cli(['datasets', 'push', '--help']);
    expect(push.code).toBe(0);
    expect(push.stdout).toContain('$ atelier datasets push customers.csv');
  });

  it('usage errors exit 2 with a message naming what is wrong', async () => {
    const unknown = await cli(['datasets', 'ls', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    expect((await cli(['models', 'promote', 'churn', '1'])).code).toBe(2); // --alias is required
    const notLoggedIn = await cli(['datasets', 'ls']);
    expect(notLoggedIn.code).toBe(2);
    expect(notLoggedIn.stderr).toContain('atelier login');
    expect((await cli(['datasets', 'ls', '--json', '--quiet'])).code).toBe(2);
    const noProject = await cli(['models', 'ls'], { env: { ATELIER_ENDPOINT: 'http://127.0.0.1:9' } });
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toContain('No project: pass --project NAME');
    const badVersion = await cli(['models', 'versions', 'churn', 'two'], { env: { ATELIER_ENDPOINT: 'http://127.0.0.1:9', ATELIER_PROJECT: 'p' } });
    expect(badVersion.code).toBe(2);
    expect(badVersion.stderr).toContain("VERSION must be a positive integer, got 'two'");
    writeFileSync(join(configDir, 'bad.yaml'), 'name: [unclosed');
    const badYaml = await cli(['deploy', 'bad.yaml'], { env: { ATELIER_ENDPOINT: 'http://127.0.0.1:9' } });
    expect(badYaml.code).toBe(2);
    expect(badYaml.stderr).toContain('bad.yaml is not valid YAML');
  });

  it('an endpoint nobody answers on exits 7 (unavailable), in --json too', async () => {
    const port = await closedPort();
    const env = { ATELIER_ENDPOINT: `http://127.0.0.1:${port}`, ATELIER_API_KEY: 'k', ATELIER_PROJECT: 'p' };
    const human = await cli(['models', 'ls'], { env });
    expect(human.code).toBe(7);
    expect(human.stderr).toContain('ATL_NETWORK');
    const json = await cli(['models', 'ls', '--json'], { env });
    expect(json.code).toBe(7);
    expect(JSON.parse(json.stderr).error.code).toBe('ATL_NETWORK');
    const login = await cli(['login', '--endpoint', `http://127.0.0.1:${port}`, '--api-key', 'k']);
    expect(login.code).toBe(7);
  });

  it('bash completion completes commands, subcommands and options in a real bash', () => {
    const script = spawnSync(process.execPath, [CLI, 'completion', 'bash'], { env: cleanEnv(), encoding: 'utf8' });
    expect(script.status).toBe(0);
    const complete = (...words: string[]) => {
      const r = spawnSync(
        'bash',
        ['-c', `${script.stdout}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _atelier; printf '%s\\n' "\${COMPREPLY[@]}"`],
        { encoding: 'utf8' },
      );
      expect(r.stderr).toBe('');
      return r.stdout.trim().split('\n').filter(Boolean).sort();
    };
    expect(complete('atelier', 'da')).toEqual(['datasets']);
    expect(complete('atelier', 'datasets', 'p')).toEqual(['preview', 'profile', 'push']);
    expect(complete('atelier', 'features', 'views', '')).toEqual(['apply', 'list', 'ls', 'show']);
    expect(complete('atelier', 'tune', 't')).toEqual(['trials']);
    expect(complete('atelier', '--json', 'models', 'promote', '--al')).toEqual(['--alias']);
    const zsh = spawnSync(process.execPath, [CLI, 'completion', 'zsh'], { env: cleanEnv(), encoding: 'utf8' });
    expect(zsh.stdout).toContain('bashcompinit');
    expect((spawnSync(process.execPath, [CLI, 'completion', 'fish'], { env: cleanEnv(), encoding: 'utf8' })).status).toBe(2);
  });
});
