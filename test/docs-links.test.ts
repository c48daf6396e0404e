// The README and the docs are read in a clone: every link and every path they name must be inside the
// repository and exist there (a link to ../something is dead in a fresh checkout).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('..', import.meta.url).pathname);

function markdownFiles(): string[] {
  const files = ['README.md'];
  for (const dir of ['apps', 'packages']) {
    for (const name of readdirSync(join(ROOT, dir))) if (existsSync(join(ROOT, dir, name, 'README.md'))) files.push(`${dir}/${name}/README.md`);
  }
  if (existsSync(join(ROOT, 'docs'))) for (const name of readdirSync(join(ROOT, 'docs'))) if (name.endsWith('.md')) files.push(`docs/${name}`);
  return files;
}

/** Problems with the links (`[text](target)`) and the `../…` paths a markdown file names. */
function linkProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  const check = (target: string, what: string) => {
    const path = resolve(dirname(join(ROOT, file)), target.split('#')[0]);
    const inside = relative(ROOT, path);
    if (inside.startsWith('..')) problems.push(`${file}: ${what} ${target} is outside the repository`);
    else if (!existsSync(path)) problems.push(`${file}: ${what} ${target} does not exist`);
  };
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    check(target, 'link');
  }
  for (const [path] of text.matchAll(/(?:\.\.\/)+[\w./-]+/g)) check(path, 'path');
  return problems;
}

describe('README and docs links', () => {
  it('finds a link outside the repository and a missing file', () => {
    expect(linkProblems('README.md', 'See `../shared/ARCHITECTURE.md` and [x](docs/nope.md), [ok](#layout), [web](https://example.org).')).toEqual([
      'README.md: link docs/nope.md does not exist',
      'README.md: path ../shared/ARCHITECTURE.md is outside the repository',
    ]);
  });

  it('every link and path in the README, the package READMEs and docs/ is inside the repository and exists', () => {
    const problems = markdownFiles().flatMap((file) => linkProblems(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(problems).toEqual([]);
  });

  it('the README links to the architecture page', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('](docs/architecture.md)');
    expect(existsSync(join(ROOT, 'docs/architecture.md'))).toBe(true);
  });
});
