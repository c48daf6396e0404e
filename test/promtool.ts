// promtool (Prometheus's own linter for the exposition format), when this machine has it: $PROMTOOL, then
// PATH, then where test/services/promtool.sh unpacks it. CI runs that script, so CI always has it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PROMTOOL_UNPACKED = '/tmp/atelier-promtool/usr/bin/promtool';

/** The promtool to use; undefined off CI when there is none (the test then skips), an error on CI. */
export function findPromtool(): string | undefined {
  const candidates = [process.env.PROMTOOL, 'promtool', PROMTOOL_UNPACKED].filter((c): c is string => !!c);
  const found = candidates.find((c) => (c.includes('/') ? existsSync(c) : spawnSync(c, ['--version']).status === 0));
  if (!found && process.env.CI) throw new Error('CI needs promtool for the /metrics checks: run test/services/promtool.sh (.ci/run does)');
  return found;
}

/** promtool's complaints about an exposition ('' when clean). */
export function promtoolCheck(promtool: string, exposition: string): { status: number | null; output: string } {
  const run = spawnSync(promtool, ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}
