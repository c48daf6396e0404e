// The SDK's generated types must be what the live OpenAPI document generates today: a route or schema
// changed in the gateway without `npm run generate -w @atelier/sdk` fails here, naming the first line
// that differs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const COMMITTED = join(ROOT, 'packages/sdk/src/generated/openapi.ts');
const dir = mkdtempSync(join(tmpdir(), 'atelier-sdk-drift-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function firstDifference(a: string, b: string): string {
  const left = a.split('\n');
  const right = b.split('\n');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i] !== right[i]) return `line ${i + 1}:\n  committed: ${left[i] ?? '<end of file>'}\n  generated: ${right[i] ?? '<end of file>'}`;
  }
  return 'none';
}

describe('@atelier/sdk generated types', () => {
  it('match what the live OpenAPI document generates', () => {
    const out = join(dir, 'openapi.ts');
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'packages/sdk/src/codegen/generate-openapi.ts', '--out', out], { cwd: ROOT, encoding: 'utf8', env });
    expect(run.status, `the generator failed:\n${run.stdout}\n${run.stderr}`).toBe(0);
    const committed = readFileSync(COMMITTED, 'utf8');
    const generated = readFileSync(out, 'utf8');
    if (committed !== generated) {
      throw new Error(
        `packages/sdk/src/generated/openapi.ts is out of date with the gateway's OpenAPI document.\n` +
          `Run \`npm run generate -w @atelier/sdk\` and commit the result. First difference at ${firstDifference(committed, generated)}`,
      );
    }
    expect(generated).toContain('Regenerate with: npm run generate -w @atelier/sdk');
  }, 180_000);
});
