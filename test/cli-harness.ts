// Shared by the CLI suites: a real platform (`atelier-server start`, embedded defaults, a temp data
// dir, a random admin key) and a runner that spawns `bin/atelier.js` as a user's shell would, with
// its own ATELIER_CONFIG. Optionally records every command and its output as a transcript.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
export const CLI = join(ROOT, 'packages/sdk/bin/atelier.js');
const SERVER = join(ROOT, 'apps/launcher/bin/atelier-server.js');

/** The variables that would move the CLI or the server off what a test sets explicitly. */
const SCRUB = [
  'ATELIER_ENDPOINT', 'ATELIER_API_KEY', 'ATELIER_PROJECT', 'ATELIER_PROFILE', 'ATELIER_CONFIG', 'NO_COLOR', 'FORCE_COLOR',
  'DATABASE_URL', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'ATELIER_ADMIN_KEY', 'ATELIER_SERVING_URL',
];

export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SCRUB) delete env[name];
  return { ...env, ...extra };
}

const dirs: string[] = [];
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface Platform {
  url: string;
  adminKey: string;
  child: ChildProcess;
  log(): string;
  stop(): Promise<number | null>;
}

/** One platform process on a free port; resolves once it printed its URL. */
export async function startPlatform(): Promise<Platform> {
  const adminKey = randomBytes(32).toString('base64url');
  const child = spawn(process.execPath, [SERVER, 'start'], {
    env: cleanEnv({ ATELIER_DATA_DIR: tempDir('atelier-cli-data-'), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ATELIER_ADMIN_KEY: adminKey }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // A fresh PGlite data dir takes seconds to create, much longer on a loaded machine.
  const deadline = Date.now() + 200_000;
  let m: RegExpExecArray | null = null;
  while (!m) {
    m = /API:\s+(http:\/\/[\d.]+:\d+)\/v1/.exec(out);
    if (child.exitCode !== null) throw new Error(`atelier-server exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`atelier-server did not print its URL:\n${out}`);
    if (!m) await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: m[1],
    adminKey,
    child,
    log: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws with the output when it is not). */
  json(): any;
}

export interface CliRunner {
  (args: string[], opts?: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string }): Promise<CliResult>;
}

/**
 * A runner for `atelier …` with a private ATELIER_CONFIG and cwd. When `transcript` is a path, each
 * human-mode command and its output are appended there (as `$ atelier …` and the lines it printed).
 */
export function cliRunner(base: { configPath: string; cwd: string; env?: NodeJS.ProcessEnv; transcript?: string; redact?: Record<string, string> }): CliRunner {
  return (args, opts = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], {
        cwd: opts.cwd ?? base.cwd,
        env: cleanEnv({ ATELIER_CONFIG: base.configPath, ...base.env, ...opts.env }),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      let both = ''; // stdout and stderr in the order they arrived, as a terminal would show them
      child.stdout.on('data', (d) => ((stdout += d), (both += d)));
      child.stderr.on('data', (d) => ((stderr += d), (both += d)));
      child.on('error', reject);
      child.stdin.end(opts.stdin ?? '');
      const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (base.transcript && !args.includes('--json')) {
          const shown = args.map((a) => (/[\s'"{}[\]$|<>]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ');
          const envShown = Object.entries(opts.env ?? {})
            .filter(([k]) => k.startsWith('ATELIER_') && k !== 'ATELIER_CONFIG')
            .map(([k, v]) => `${k}=${v} `)
            .join('');
          let text = `$ ${envShown}atelier ${shown}\n${both}${code ? `[exit ${code}]\n` : ''}\n`;
          for (const [secret, name] of Object.entries(base.redact ?? {})) text = text.split(secret).join(name);
          text = text.replace(/atl_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/g, 'atl_…'); // generated keys (printed by `keys create`)
          appendFileSync(base.transcript, text);
        }
        resolve({
          code,
          stdout,
          stderr,
          json: () => {
            try {
              return JSON.parse(stdout);
            } catch {
              throw new Error(`stdout of atelier ${args.join(' ')} is not one JSON document (exit ${code}):\n${stdout}\n--- stderr ---\n${stderr}`);
            }
          },
        });
      });
    });
}
