// Node: where the SDK and the `atelier` CLI keep endpoints and keys. The file is JSON, mode 0600:
//   { "current": "default", "profiles": { "default": { "endpoint": "http://…", "apiKey": "atl_…", "project": "shop" } } }
// at $ATELIER_CONFIG, else ~/.config/atelier/profiles.json ($XDG_CONFIG_HOME respected). Env overrides:
// ATELIER_PROFILE picks the profile; ATELIER_ENDPOINT / ATELIER_API_KEY / ATELIER_PROJECT override its fields.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Atelier, type AtelierOptions } from '../atelier.js';
import { AtelierError, CLIENT_ERROR_CODES } from '../atelier-error.js';

export interface Profile {
  endpoint: string;
  apiKey?: string;
  project?: string;
}

export interface ProfilesFile {
  /** The profile used when none is named. */
  current?: string;
  profiles: Record<string, Profile>;
}

export interface ResolvedProfile extends Partial<Profile> {
  /** The profile's name (undefined when only env variables gave the settings). */
  name: string | undefined;
  /** The file read (whether or not it existed). */
  path: string;
}

type Env = Record<string, string | undefined>;

export function profilesPath(env: Env = process.env): string {
  if (env.ATELIER_CONFIG) return env.ATELIER_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'atelier', 'profiles.json');
}

/** The profiles file, or an empty one when it does not exist; a malformed file is an error naming it. */
export function readProfiles(path: string = profilesPath()): ProfilesFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw configError(path, `not JSON (${(err as Error).message})`, 'profiles');
  }
  if (!parsed || typeof parsed !== 'object' || typeof (parsed as ProfilesFile).profiles !== 'object' || (parsed as ProfilesFile).profiles === null) {
    throw configError(path, 'expected { "current": "...", "profiles": { "<name>": { "endpoint": "...", "apiKey": "...", "project": "..." } } }', 'profiles');
  }
  const file = parsed as ProfilesFile;
  for (const [name, profile] of Object.entries(file.profiles)) {
    if (!profile || typeof profile.endpoint !== 'string') throw configError(path, `profile "${name}" has no endpoint`, `profiles.${name}.endpoint`);
  }
  return file;
}

/** Adds or replaces a profile (and makes it current unless told not to); the file is written 0600, atomically. */
export function writeProfile(name: string, profile: Profile, opts: { path?: string; makeCurrent?: boolean } = {}): string {
  const path = opts.path ?? profilesPath();
  const file = readProfiles(path);
  file.profiles[name] = profile;
  if (opts.makeCurrent !== false) file.current = name;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
  return path;
}

/** The settings in force: the named (or ATELIER_PROFILE, or current, or "default") profile, then env overrides. */
export function resolveProfile(opts: { profile?: string; env?: Env; path?: string } = {}): ResolvedProfile {
  const env = opts.env ?? process.env;
  const path = opts.path ?? profilesPath(env);
  const file = readProfiles(path);
  const requested = opts.profile ?? env.ATELIER_PROFILE;
  const name = requested ?? file.current ?? (file.profiles.default ? 'default' : undefined);
  const profile = name ? file.profiles[name] : undefined;
  if (requested && !profile) throw configError(path, `no profile "${requested}" (have: ${Object.keys(file.profiles).join(', ') || 'none'})`, 'profile');
  return {
    name: profile ? name : undefined,
    path,
    endpoint: env.ATELIER_ENDPOINT || profile?.endpoint,
    apiKey: env.ATELIER_API_KEY || profile?.apiKey,
    project: env.ATELIER_PROJECT || profile?.project,
  };
}

/** A client from the profile in force (see resolveProfile); `overrides` win over both. */
export function atelierFromProfile(opts: { profile?: string; env?: Env; path?: string } & Partial<AtelierOptions> = {}): Atelier {
  const { profile, env, path, ...overrides } = opts;
  const resolved = resolveProfile({ profile, env, path });
  const baseUrl = overrides.baseUrl ?? resolved.endpoint;
  if (!baseUrl) throw configError(resolved.path, 'no endpoint: run `atelier login` or set ATELIER_ENDPOINT', 'endpoint');
  return new Atelier({ apiKey: resolved.apiKey, project: resolved.project, ...overrides, baseUrl });
}

function configError(path: string, detail: string, field: string): AtelierError {
  return new AtelierError({ status: 0, code: CLIENT_ERROR_CODES.config, title: 'Bad Atelier configuration', detail: `${path}: ${detail}`, errors: [{ field, message: detail }] });
}
