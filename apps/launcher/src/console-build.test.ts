// `npm start` must serve a working console with no other step: the launcher builds apps/console when its
// dist is missing or older than any source, and leaves a fresh build alone. Real files, a real Vite build
// (of a copy of the console, so the checkout's own dist is never swapped under a running suite).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSOLE_APP_DIR, consoleBuildIsStale, ensureConsoleBuilt } from './console-build.js';

// Beside the real app, so that the copy resolves the repository's node_modules (vite, preact, the SDK).
const appsDir = join(CONSOLE_APP_DIR, '..');
const copies: string[] = [];
afterAll(() => {
  for (const c of copies) rmSync(c, { recursive: true, force: true });
});

function copyOfConsole(): string {
  const dir = mkdtempSync(join(appsDir, '.console-build-test-'));
  copies.push(dir);
  for (const part of ['src', 'public', 'index.html', 'vite.config.ts', 'package.json']) cpSync(join(CONSOLE_APP_DIR, part), join(dir, part), { recursive: true });
  return dir;
}

describe('the console build the launcher keeps current', () => {
  it('is stale without a dist, fresh after a build, and stale again when a source changes', () => {
    const dir = mkdtempSync(join(appsDir, '.console-build-test-'));
    copies.push(dir);
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/main.tsx'), 'export {};\n');
    expect(consoleBuildIsStale(dir)).toBe(true);
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/index.html'), '<!doctype html>');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'src/main.tsx'), past, past);
    utimesSync(join(dir, 'src'), past, past);
    expect(consoleBuildIsStale(dir)).toBe(false);
    writeFileSync(join(dir, 'src/main.tsx'), 'export const changed = 1;\n');
    expect(consoleBuildIsStale(dir)).toBe(true);
  });

  it('builds a missing dist with Vite (index.html and hashed assets under /console/), then finds it fresh', async () => {
    const dir = copyOfConsole();
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    expect(await ensureConsoleBuilt(dir)).toBe('built');
    const html = readFileSync(join(dir, 'dist/index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" crossorigin src="\/console\/assets\/index-[\w-]+\.js"><\/script>/);
    const builtAt = statSync(join(dir, 'dist/index.html')).mtimeMs;
    expect(await ensureConsoleBuilt(dir)).toBe('fresh');
    expect(statSync(join(dir, 'dist/index.html')).mtimeMs).toBe(builtAt);
    // No lock or half-built folder is left behind.
    expect(existsSync(join(dir, '.build.lock'))).toBe(false);
  }, 120_000);

  it('fails with Vite\'s own message when the sources do not build', async () => {
    const dir = copyOfConsole();
    writeFileSync(join(dir, 'src/main.tsx'), 'import { nothing } from "./no-such-module.js";\nnothing();\n');
    await expect(ensureConsoleBuilt(dir)).rejects.toThrow(/vite build exited with 1[\s\S]*no-such-module/);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    expect(existsSync(join(dir, '.build.lock'))).toBe(false);
  }, 120_000);
});
