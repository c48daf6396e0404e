// The closing summary names every failed test and every file a dead worker left unfinished: vitest's
// own "Worker exited unexpectedly" does not say which file, and a CI log shows only its tail.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

it('names the failed test and the file whose worker died, then counts', () => {
  const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [vitest, 'run', '--config', 'test/fixtures/summary-reporter/vitest.config.ts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toContain('failed: test/fixtures/summary-reporter/fails.fixture.ts > fails on purpose');
  expect(lines.find((l) => l.startsWith('unfinished: test/fixtures/summary-reporter/dies.fixture.ts'))).toMatch(/never ran to the end/);
  expect(lines.at(-1)).toMatch(/^\d+ passed, \d+ failed, \d+ skipped$/);
});
