// The SDK README's three examples (ranking, recommendations, fraud) are files under
// packages/sdk/examples, included in the README verbatim; each runs here, as a user runs it, against a
// real platform: a Node process configured by a profiles file or by the environment alone.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Atelier } from '@atelier/sdk';
import { writeProfile } from '@atelier/sdk/node';
import { startTestPlatform, type TestPlatform } from './sdk-platform.js';

const ROOT = new URL('..', import.meta.url).pathname;
const EXAMPLES = join(ROOT, 'packages/sdk/examples');
const README = join(ROOT, 'packages/sdk/README.md');

/** path → the ```ts block right after its `<!-- example: path -->` marker. */
function readmeExamples(readme: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)\n```/g)) found.set(m[1], m[2]);
  return found;
}

describe('SDK README examples match their files', () => {
  it('includes every example file verbatim, and names no file that is not there', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts'));
    expect(files.sort()).toEqual(['fraud.ts', 'ranking.ts', 'recommendations.ts']);
    const included = readmeExamples(readFileSync(README, 'utf8'));
    expect([...included.keys()].sort()).toEqual(files.map((f) => `packages/sdk/examples/${f}`).sort());
    for (const file of files) {
      const source = readFileSync(join(EXAMPLES, file), 'utf8').replace(/\n$/, '');
      expect(included.get(`packages/sdk/examples/${file}`), `README's copy of examples/${file} differs from the file`).toBe(source);
    }
  });
});

let platform: TestPlatform;
const dir = mkdtempSync(join(tmpdir(), 'atelier-sdk-examples-'));
const keys: Record<string, string> = {};
beforeAll(async () => {
  platform = await startTestPlatform();
  // Each team has its own project and an editor key of it, as in real life.
  const admin = new Atelier({ baseUrl: platform.url, apiKey: platform.adminKey });
  for (const project of ['ranking', 'recs', 'fraud']) {
    await admin.projects.create({ name: project });
    keys[project] = (await admin.withProject(project).apiKeys.create({ name: `${project}-team`, role: 'editor' })).secret;
  }
});
afterAll(async () => {
  await platform?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs an example file as a process; its last stdout line is a JSON summary. */
function runExample(file: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string; summary: any }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of ['ATELIER_ENDPOINT', 'ATELIER_API_KEY', 'ATELIER_PROJECT', 'ATELIER_PROFILE', 'ATELIER_CONFIG']) if (!(name in env)) delete childEnv[name];
  const child = spawn(process.execPath, ['--import', 'tsx', join(EXAMPLES, file)], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      const last = output.trim().split('\n').at(-1) ?? '';
      let summary: unknown;
      try {
        summary = JSON.parse(last);
      } catch {
        summary = undefined;
      }
      resolve({ code, output, summary });
    }),
  );
}

describe('SDK README examples run against a real platform', () => {
  it('ranking: trains on feature-store features, deploys, and ranks candidates by their online features', async () => {
    // Configured by a profiles file, as after `atelier login` (and the file is private to its owner).
    const config = join(dir, 'profiles.json');
    writeProfile('ranking-team', { endpoint: platform.url, apiKey: keys.ranking, project: 'ranking' }, { path: config });
    expect(statSync(config).mode & 0o777).toBe(0o600);
    const run = await runExample('ranking.ts', { ATELIER_CONFIG: config });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/epoch 8: val_auc/);
    expect(run.summary).toMatchObject({ model: 'item-ranker', version: 1 });
    expect(run.summary.top).toHaveLength(5);
    const scores: number[] = run.summary.scores;
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Click-through rate grows with the item number in the data: the best candidates are the high ones.
    expect(Number(run.summary.top[0].replace('item', ''))).toBeGreaterThanOrEqual(27);
  }, 300_000);

  it('recommendations: trains a two-tower model and ranks items for a user, their group first', async () => {
    const run = await runExample('recommendations.ts', { ATELIER_ENDPOINT: platform.url, ATELIER_API_KEY: keys.recs, ATELIER_PROJECT: 'recs' });
    expect(run.code, run.output).toBe(0);
    expect(run.summary).toMatchObject({ model: 'recs', version: 1 });
    const top: string[] = run.summary.top;
    expect(top).toHaveLength(5);
    // user4 is in the second taste group, whose items are item10 … item19.
    const inGroup = top.filter((item) => Number(item.replace('item', '')) >= 10 && Number(item.replace('item', '')) < 20);
    expect(inGroup.length, `top 5: ${top.join(', ')}`).toBeGreaterThanOrEqual(3);
    expect(inGroup).toContain(top[0]);
  }, 300_000);

  it('fraud: evaluates, promotes, deploys with a feature view, and joins online features by card id at predict', async () => {
    const run = await runExample('fraud.ts', { ATELIER_ENDPOINT: platform.url, ATELIER_API_KEY: keys.fraud, ATELIER_PROJECT: 'fraud' });
    expect(run.code, run.output).toBe(0);
    expect(run.summary).toMatchObject({ model: 'fraud', version: 1 });
    expect(run.summary.verdict).not.toBe('rejected');
    // Same amount, different card: only the online features tell them apart.
    expect(run.summary.busyCard).toBeGreaterThan(0.5);
    expect(run.summary.quietCard).toBeLessThan(0.5);
  }, 300_000);
});
