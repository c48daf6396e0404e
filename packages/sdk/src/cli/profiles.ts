// The profile file: named sets of endpoint + API key + default project, so a person logs in once.
// It holds secrets, so it is written 0600 (and its folder 0700) through a temp file and a rename:
// a crash mid-write never leaves half a file, and the key is never world-readable even for a moment.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './cli-error.js';

export interface Profile {
  endpoint: string;
  apiKey: string;
  project?: string;
}

export interface ProfileFile {
  /** The profile used when neither --profile nor ATELIER_PROFILE names one. */
  current?: string;
  profiles: Record<string, Profile>;
}

/** $ATELIER_CONFIG, else $XDG_CONFIG_HOME/atelier/profiles.json, else ~/.config/atelier/profiles.json. */
export function profilePath(env: NodeJS.ProcessEnv): string {
  if (env.ATELIER_CONFIG) return env.ATELIER_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'atelier', 'profiles.json');
}

export function readProfiles(path: string): ProfileFile {
  if (!existsSync(path)) return { profiles: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliError(`The profile file ${path} is not valid JSON (${(err as Error).message}). Fix it, or delete it and run \`atelier login\` again.`);
  }
  if (!parsed || typeof parsed !== 'object' || typeof (parsed as ProfileFile).profiles !== 'object') {
    throw new CliError(`The profile file ${path} has no "profiles" object. Delete it and run \`atelier login\` again.`);
  }
  return parsed as ProfileFile;
}

export function writeProfiles(path: string, file: ProfileFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // the umask cannot loosen it, and an existing tmp file gets it too
  renameSync(tmp, path);
}

export const DEFAULT_PROFILE = 'default';
