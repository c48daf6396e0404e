// The profiles file the SDK and the CLI share: real files in a temp dir, env overrides, clear errors.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { atelierFromProfile, profilesPath, readProfiles, resolveProfile, writeProfile } from './profiles.js';

const dir = mkdtempSync(join(tmpdir(), 'atelier-profiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('profiles', () => {
  it('finds the file at $ATELIER_CONFIG, else under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(profilesPath({ ATELIER_CONFIG: '/x/p.json' })).toBe('/x/p.json');
    expect(profilesPath({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/atelier/profiles.json');
    expect(profilesPath({})).toMatch(/\.config\/atelier\/profiles\.json$/);
  });

  it('writes profiles 0600 in a 0700 directory, and the current one is used unless another is named', () => {
    const path = join(dir, 'nested', 'profiles.json');
    writeProfile('local', { endpoint: 'http://localhost:8080', apiKey: 'k-local', project: 'shop' }, { path });
    writeProfile('staging', { endpoint: 'https://staging.example', apiKey: 'k-staging' }, { path, makeCurrent: false });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(path, 'utf8')).current).toBe('local');
    expect(resolveProfile({ path, env: {} })).toMatchObject({ name: 'local', endpoint: 'http://localhost:8080', apiKey: 'k-local', project: 'shop' });
    expect(resolveProfile({ path, env: { ATELIER_PROFILE: 'staging' } })).toMatchObject({ name: 'staging', apiKey: 'k-staging', project: undefined });
    expect(resolveProfile({ path, profile: 'staging', env: { ATELIER_PROFILE: 'local' } }).name).toBe('staging');
  });

  it('lets ATELIER_ENDPOINT / ATELIER_API_KEY / ATELIER_PROJECT override the profile, or stand alone', () => {
    const path = join(dir, 'override.json');
    writeProfile('default', { endpoint: 'http://a:1', apiKey: 'k1', project: 'p1' }, { path });
    expect(resolveProfile({ path, env: { ATELIER_API_KEY: 'k2', ATELIER_PROJECT: 'p2' } })).toMatchObject({ endpoint: 'http://a:1', apiKey: 'k2', project: 'p2' });
    const alone = resolveProfile({ path: join(dir, 'missing.json'), env: { ATELIER_ENDPOINT: 'http://b:2', ATELIER_API_KEY: 'k3' } });
    expect(alone).toMatchObject({ name: undefined, endpoint: 'http://b:2', apiKey: 'k3' });
    const atl = atelierFromProfile({ path, env: { ATELIER_PROJECT: 'p9' } });
    expect(atl.project).toBe('p9');
  });

  it('refuses a malformed file, an unknown profile and a missing endpoint, naming the file', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    expect(() => readProfiles(bad)).toThrow(/bad\.json: not JSON/);
    writeFileSync(bad, JSON.stringify({ profiles: { x: { apiKey: 'k' } } }));
    expect(() => readProfiles(bad)).toThrow(/profile "x" has no endpoint/);
    const path = join(dir, 'override.json');
    expect(() => resolveProfile({ path, env: { ATELIER_PROFILE: 'nope' } })).toThrow(/no profile "nope" \(have: default\)/);
    expect(() => atelierFromProfile({ path: join(dir, 'none.json'), env: {} })).toThrow(expect.objectContaining({ code: 'ATL_CONFIG' }));
  });
});
