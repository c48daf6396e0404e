// `engines.node` in package.json promises the Node versions Atelier runs on; it must not promise one that a
// package in the lockfile (what `npm ci` installs) says it does not support.
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(`${ROOT}package-lock.json`, 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; link?: boolean }>;
};

// Packages that declare `>=22` only because they are ESM-only and their users load them with require():
// Node 20.19 runs require(esm) unflagged, and CI runs the whole suite on Node 20 (fastify's inject and
// @fastify/static use them). Anything else that rules out a promised version fails below.
const REQUIRE_ESM_ONLY = new Map([
  ['cookie', 'light-my-request (fastify inject) require()s it'],
  ['content-disposition', '@fastify/static (the /docs UI) require()s it'],
]);

describe('engines.node', () => {
  const promised = manifest.engines.node;

  it('is a valid range that includes the LTS lines 22 and 24 and Node 20', () => {
    expect(semver.validRange(promised)).not.toBeNull();
    for (const v of ['20.19.0', '22.13.0', '24.0.0']) expect(semver.satisfies(v, promised), v).toBe(true);
  });

  it('promises no Node version that a locked dependency rules out', () => {
    const wrong: string[] = [];
    for (const [path, pkg] of Object.entries(lock.packages)) {
      const range = pkg.engines && !Array.isArray(pkg.engines) ? pkg.engines.node : undefined;
      if (!range || pkg.link || path === '') continue;
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      if (semver.subset(promised, range, { includePrerelease: false })) continue;
      if (REQUIRE_ESM_ONLY.has(name)) {
        const installed = JSON.parse(readFileSync(`${ROOT}${path}/package.json`, 'utf8')) as { type?: string };
        if (installed.type === 'module' && semver.subset(promised, `${range} || ^20.19.0`)) continue;
      }
      wrong.push(`${name}@${pkg.version} needs node ${range}`);
    }
    expect(wrong, `package.json engines.node "${promised}" promises versions these rule out`).toEqual([]);
  });
});
