// What every command action gets: the output (mode, colours), the abort signal of Ctrl-C, and the
// client built from the resolved settings. Precedence, highest first: flags, environment
// (ATELIER_ENDPOINT / ATELIER_API_KEY / ATELIER_PROJECT / ATELIER_PROFILE), the profile file. The file
// and the env rules are the SDK's ('@atelier/sdk/node' resolveProfile); the CLI adds the flags on top.
import { Atelier } from '../index.js';
import { profilesPath, readProfiles, resolveProfile, type ProfilesFile } from '../node/index.js';
import { usage } from './cli-error.js';
import { Output, type Mode, type OutputStreams } from './output.js';

export interface GlobalOptions {
  profile?: string;
  endpoint?: string;
  apiKey?: string;
  project?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
}

export interface Settings {
  profileName: string;
  endpoint?: string;
  apiKey?: string;
  project?: string;
}

export interface Io extends OutputStreams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  cwd: string;
}

export function modeOf(opts: GlobalOptions): Mode {
  if (opts.json) return 'json';
  if (opts.quiet) return 'quiet';
  return 'human';
}

export class Context {
  readonly out: Output;
  readonly io: Io;
  readonly opts: GlobalOptions;
  readonly signal: AbortSignal;
  private client?: Atelier;

  constructor(io: Io, opts: GlobalOptions, signal: AbortSignal) {
    this.io = io;
    this.opts = opts;
    this.signal = signal;
    if (opts.json && opts.quiet) throw usage('--json and --quiet cannot be combined: pick one.');
    this.out = new Output(modeOf(opts), opts.color === false, io);
  }

  get configPath(): string {
    return profilesPath(this.io.env);
  }

  profiles(): ProfilesFile {
    return readProfiles(this.configPath);
  }

  /** The profile this invocation reads and writes: --profile, ATELIER_PROFILE, the file's current, "default". */
  profileName(file: ProfilesFile = this.profiles()): string {
    return this.opts.profile ?? this.io.env.ATELIER_PROFILE ?? file.current ?? 'default';
  }

  settings(): Settings {
    // resolveProfile throws ATL_CONFIG (exit 2) for a named profile that does not exist.
    const resolved = resolveProfile({ profile: this.opts.profile, env: this.io.env, path: this.configPath });
    return {
      profileName: resolved.name ?? this.profileName(),
      endpoint: this.opts.endpoint ?? resolved.endpoint,
      apiKey: this.opts.apiKey ?? resolved.apiKey,
      project: this.opts.project ?? resolved.project,
    };
  }

  /** The SDK client for the resolved settings; a usage error (exit 2) when there is no endpoint. */
  atl(): Atelier {
    if (this.client) return this.client;
    const s = this.settings();
    if (!s.endpoint) {
      throw usage('No endpoint: run `atelier login --endpoint URL --api-key KEY`, or set ATELIER_ENDPOINT and ATELIER_API_KEY.');
    }
    this.client = new Atelier({ baseUrl: s.endpoint, apiKey: s.apiKey, project: s.project, userAgent: 'atelier-cli' });
    return this.client;
  }

  /** The project for project-scoped commands; a usage error naming the ways to set one. */
  project(): string {
    const p = this.settings().project;
    if (!p) throw usage('No project: pass --project NAME, set ATELIER_PROJECT, or run `atelier projects use NAME`.');
    return p;
  }

  /** Options for an SDK call: Ctrl-C aborts it. */
  call(extra: { timeoutMs?: number } = {}): { signal: AbortSignal; timeoutMs?: number } {
    return { signal: this.signal, ...extra };
  }
}

