// The whole lifecycle through the `atelier` CLI alone, each command a spawned process against one real
// platform: login → project → datasets push → features → jobs run --follow → evaluate → promote (the
// gate refusing, then allowing) → deploy → predict / rank. --json output is parsed, exit codes are
// checked per error class, and the terminal path (colours, progress bar) runs under a pseudo-terminal.
// With ATELIER_CLI_TRANSCRIPT=path the human-mode commands and their output are written there.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, cliRunner, removeTempDirs, startPlatform, tempDir, type CliRunner, type Platform } from './cli-harness.js';

const ESC = '\u001b[';

/** A small seeded PRNG, so the data (and so the model) is the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function customersCsv(rows: number): string {
  const r = rng(7);
  const lines = ['age,income,city,churned'];
  for (let i = 0; i < rows; i++) {
    const age = Math.floor(18 + r() * 60);
    lines.push(`${age},${Math.floor(20000 + r() * 80000)},${r() < 0.5 ? 'paris' : 'lyon'},${age < 35 && r() < 0.8 ? 1 : 0}`);
  }
  return `${lines.join('\n')}\n`;
}

let platform: Platform;
let cli: CliRunner;
let work: string;
let configPath: string;
const transcript = process.env.ATELIER_CLI_TRANSCRIPT;

beforeAll(async () => {
  platform = await startPlatform();
  work = tempDir('atelier-cli-work-');
  configPath = join(tempDir('atelier-cli-config-'), 'nested', 'profiles.json');
  if (transcript) writeFileSync(transcript, `# atelier CLI lifecycle, recorded by test/cli-lifecycle.test.ts against a fresh \`atelier-server start\`\n# (the commands the test runs with --json are left out; [exit N] marks a non-zero exit)\n\n`);
  cli = cliRunner({ configPath, cwd: work, transcript, redact: { [platform.adminKey]: '$ADMIN_KEY' } });
  writeFileSync(join(work, 'customers.csv'), customersCsv(400));
  writeFileSync(join(work, 'activity.csv'), 'user_id,ts,clicks,spend\nu1,2024-01-01T00:00:00Z,3,10.5\nu2,2024-01-02T00:00:00Z,1,2.0\nu1,2024-01-05T00:00:00Z,7,30.0\n');
});

afterAll(async () => {
  if (platform) await platform.stop();
  removeTempDirs();
});

/** Assert an exit code, showing the command's output when it differs. */
function expectExit(r: { code: number | null; stdout: string; stderr: string }, code: number): void {
  expect(r.code, `exit ${r.code}, expected ${code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`).toBe(code);
}

// Each step spawns the CLI as a user would (a process running the TypeScript through tsx: ~1 s idle, 2–3 s
// when CI's second worker is busy); the longest test runs ~30 of them, so the bound is per test, not per call.
describe('atelier CLI: the lifecycle against a real platform', { timeout: 240_000 }, () => {
  it('login refuses a bad key (exit 3, nothing saved), then saves endpoint + key in a 0600 profile file', async () => {
    const bad = await cli(['login', '--endpoint', platform.url, '--api-key', 'atl_0000000000000000_not-a-real-key-not-a-real-key-not-a-real-k']);
    expectExit(bad, 3);
    expect(bad.stderr).toMatch(/ATL_UNAUTHENTICATED|ATL_API_KEY/);
    expect(existsSync(configPath)).toBe(false);

    // The key on stdin keeps it out of the process list and shell history.
    const ok = await cli(['login', '--endpoint', platform.url, '--api-key', '-'], { stdin: `${platform.adminKey}\n` });
    expectExit(ok, 0);
    expect(ok.stdout).toContain(`Logged in to ${platform.url}`);
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(configPath, 'utf8'));
    expect(file.profiles[file.current]).toMatchObject({ endpoint: platform.url, apiKey: platform.adminKey });
  });

  it('projects: create --use makes it the default project of the profile', async () => {
    expectExit(await cli(['projects', 'create', 'shop', '--display-name', 'Shop', '--use']), 0);
    const shown = await cli(['projects', 'show', '--json']);
    expectExit(shown, 0);
    expect(shown.json()).toMatchObject({ name: 'shop', displayName: 'Shop' });
    const list = await cli(['projects', 'ls', '--json']);
    expect(list.json().map((p: any) => p.name)).toContain('shop');
  });

  it('datasets push: streams the file, prints the version and its profile; --json has both', async () => {
    const pushed = await cli(['datasets', 'push', 'customers.csv']);
    expectExit(pushed, 0);
    expect(pushed.stdout).toMatch(/customers v1.*400 rows/);
    expect(pushed.stdout).toMatch(/Profile: 400 rows × 4 columns/);
    expect(pushed.stdout).toMatch(/^age\s+integer/m);
    // Piped: no progress bar and no colour anywhere.
    expect(pushed.stdout + pushed.stderr).not.toContain(ESC);
    expect(pushed.stderr).not.toContain('Uploading');

    const again = await cli(['datasets', 'push', 'activity.csv', '--json']);
    expectExit(again, 0);
    const doc = again.json();
    expect(doc.version).toMatchObject({ dataset: 'activity', version: 1, rowCount: 3 });
    expect(doc.profile.columns.map((c: any) => c.name)).toEqual(['user_id', 'ts', 'clicks', 'spend']);

    const ls = await cli(['datasets', 'ls', '--json']);
    expect(ls.json().map((d: any) => d.name).sort()).toEqual(['activity', 'customers']);
    const prof = await cli(['datasets', 'profile', 'customers', '--json']);
    expect(prof.json()).toMatchObject({ rowCount: 400, columnCount: 4 });
  });

  it('features: entity, view from YAML, materialize, online get', async () => {
    expectExit(await cli(['features', 'entities', 'create', 'user', '--key', 'user_id:string']), 0);
    writeFileSync(
      join(work, 'activity-view.yaml'),
      [
        'name: activity',
        'entity: user',
        'source: { dataset: activity }',
        'eventTimestampColumn: ts',
        'ttlSeconds: 0',
        'features:',
        '  - { name: clicks, type: int }',
        '  - { name: spend, type: float }',
        '',
      ].join('\n'),
    );
    expectExit(await cli(['features', 'views', 'apply', 'activity-view.yaml']), 0);
    const mat = await cli(['features', 'materialize', 'activity', '--json']);
    expectExit(mat, 0);
    expect(mat.json()).toMatchObject({ featureView: 'activity', rowsWritten: 2 });
    const online = await cli(['features', 'online', 'get', '--view', 'activity', '--key', 'user_id=u1', '--key', 'user_id=nobody', '--json']);
    expectExit(online, 0);
    const res = online.json().results;
    expect(res[0]).toMatchObject({ found: true, features: { activity: { values: { clicks: 7, spend: 30 } } } });
    expect(res[1].found).toBe(false);
    const human = await cli(['features', 'online', 'get', '--view', 'activity', '--key', 'user_id=u1']);
    expect(human.stdout).toMatch(/CLICKS\s+SPEND/);

    // A point-in-time training set from labels: a new dataset version the jobs can train on.
    writeFileSync(join(work, 'labels.csv'), 'user_id,event_time,converted\nu1,2024-01-03T00:00:00Z,0\nu1,2024-01-06T00:00:00Z,1\nu2,2024-01-03T00:00:00Z,0\n');
    expectExit(await cli(['datasets', 'push', 'labels.csv', '--quiet']), 0);
    writeFileSync(
      join(work, 'conversion.json'),
      JSON.stringify({ labelDataset: { name: 'labels', version: 1 }, eventTimestampColumn: 'event_time', entity: 'user', featureViews: [{ name: 'activity' }], output: { dataset: 'conversion-train' } }),
    );
    const ts = await cli(['features', 'training-set', 'conversion.json']);
    expectExit(ts, 0);
    expect(ts.stdout).toMatch(/Training set conversion-train v1: 3 rows/);
  });

  let jobId = '';
  it('jobs run --follow prints each epoch as it streams, then the outcome', async () => {
    writeFileSync(
      join(work, 'train.json'),
      JSON.stringify({
        modelName: 'churn',
        data: { dataset: 'customers', version: 1 },
        label: 'churned',
        model: { kind: 'mlp' },
        maxEpochs: 5,
        seed: 7,
        features: [
          { name: 'age', type: 'numeric', transform: 'standardize' },
          { name: 'income', type: 'numeric', transform: 'standardize' },
          { name: 'city', type: 'categorical', transform: 'vocabulary' },
        ],
      }),
    );
    // The same job with many epochs on more rows, for the Ctrl-C test below.
    const spec = JSON.parse(readFileSync(join(work, 'train.json'), 'utf8'));
    writeFileSync(join(work, 'long.json'), JSON.stringify({ ...spec, modelName: 'churn-long', maxEpochs: 10000, batchSize: 1, earlyStopping: { patience: 10000 } }));
    const run = await cli(['jobs', 'run', 'train.json', '--follow']);
    expectExit(run, 0);
    const epochRows = run.stdout.split('\n').filter((l) => /^\s+\d+\s+-?\d+\.\d{4}/.test(l));
    expect(epochRows.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual([1, 2, 3, 4, 5]);
    expect(run.stdout).toMatch(/^\s+epoch\s+trainLoss\s+val_loss\s+val_auc\s+val_accuracy/m);
    expect(run.stdout).toMatch(/status:\s+succeeded/);

    const jobs = await cli(['jobs', 'ls', '--json']);
    const [job] = jobs.json();
    expect(job).toMatchObject({ modelName: 'churn', status: 'succeeded' });
    jobId = job.id;
    const logs = await cli(['jobs', 'logs', jobId, '--json']);
    const metricEvents = logs.json().filter((e: any) => (e.type ?? e.event) === 'metric');
    expect(metricEvents).toHaveLength(5);
    const quiet = await cli(['jobs', 'show', jobId, '--quiet']);
    expect(quiet.stdout).toBe('succeeded\n');
  });

  it('Ctrl-C stops following (exit 130) and the job keeps running; jobs cancel stops it', async () => {
    const child = spawn(process.execPath, [CLI, 'jobs', 'run', 'long.json', '--follow'], { cwd: work, env: cleanEnv({ ATELIER_CONFIG: configPath }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 120_000;
    while (!/^\s+1\s+\d/m.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no first epoch from jobs run --follow (exit ${child.exitCode}):\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const id = /Job (\S+): following/.exec(out)![1];
    expect(out).toContain(`Stopped following job ${id}; it keeps running`);
    const running = await cli(['jobs', 'show', id, '--json']);
    expect(['queued', 'running']).toContain(running.json().status);
    expectExit(await cli(['jobs', 'cancel', id]), 0);
    let status = '';
    while (status !== 'cancelled') {
      if (Date.now() > deadline) throw new Error(`job ${id} is still ${status} after cancel`);
      status = (await cli(['jobs', 'show', id, '--quiet'])).stdout.trim();
      expect(['queued', 'running', 'cancelled']).toContain(status);
    }
  });

  it('jobs run from flags: a label that is not a column is refused up front (exit 6); a cancelled job exits 8', async () => {
    const refused = await cli(['jobs', 'run', '--model-name', 'churn', '--dataset', 'customers:1', '--label', 'no_such_column', '--feature', 'age', '--max-epochs', '1', '--follow', '--json']);
    expectExit(refused, 6);
    expect(refused.stdout).toBe('');
    expect(JSON.stringify(JSON.parse(refused.stderr).error)).toContain('no_such_column');

    // A follower whose job is cancelled elsewhere ends with exit 8 and the job's outcome.
    const following = cli(['jobs', 'run', 'long.json', '--follow', '--json']);
    const deadline = Date.now() + 120_000;
    let id: string | undefined;
    while (!id) {
      if (Date.now() > deadline) throw new Error('the long job never started running');
      const running = (await cli(['jobs', 'ls', '--status', 'running', '--json'])).json();
      id = running.find((j: any) => j.modelName === 'churn-long')?.id;
    }
    expectExit(await cli(['jobs', 'cancel', id]), 0);
    const ended = await following;
    expectExit(ended, 8);
    expect(ended.stdout).toBe('');
    expect(JSON.parse(ended.stderr)).toMatchObject({ exitCode: 8, error: { code: 'ATL_JOB_CANCELLED' } });
  });

  it('models evaluate shows the verdict; promote is refused by the gate (exit 5, checks shown), then allowed', async () => {
    const strict = await cli(['models', 'evaluate', 'churn', '1', '--dataset', 'customers:1', '--gate', 'accuracy>=1.5', '--json']);
    expectExit(strict, 0);
    expect(strict.json()).toMatchObject({ model: 'churn', version: 1, verdict: 'rejected' });

    const refused = await cli(['models', 'promote', 'churn', '1', '--alias', 'production']);
    expectExit(refused, 5);
    expect(refused.stderr).toContain('Refused by the blessing gate');
    expect(refused.stderr).toContain('ATL_GATE_REJECTED');
    expect(refused.stderr).toMatch(/gate\/accuracy/);

    const lax = await cli(['models', 'evaluate', 'churn', '1', '--dataset', 'customers:1', '--gate', 'accuracy>=0.5']);
    expectExit(lax, 0);
    expect(lax.stdout).toMatch(/verdict:\s+(no_baseline|blessed)/);
    expect(lax.stdout).toMatch(/accuracy\s+min_absolute\s+0\.5\s+[\d.]+\s+-\s+pass/);

    const promoted = await cli(['models', 'promote', 'churn', '1', '--alias', 'production']);
    expectExit(promoted, 0);
    expect(promoted.stdout).toContain('churn@production → v1');
    const model = await cli(['models', 'show', 'churn', '--json']);
    expect(model.json().aliases).toEqual([expect.objectContaining({ alias: 'production', version: 1 })]);
  });

  it('models batch-predict scores a dataset version into a new dataset version; bad input exits 2 / 6', async () => {
    const quiet = await cli(['models', 'batch-predict', 'churn', '--alias', 'production', '--input', 'customers:1', '--output', 'churn-scores', '--passthrough', 'age', '--quiet']);
    expectExit(quiet, 0);
    expect(quiet.stdout.trim()).toBe('churn-scores:1');
    const shown = await cli(['datasets', 'show', 'churn-scores', '--json']);
    expectExit(shown, 0);
    expect(shown.json().versions[0]).toMatchObject({ version: 1, format: 'parquet', rowCount: 400 });
    const human = await cli(['models', 'batch-predict', 'churn', '--model-version', '1', '--input', 'customers:1', '--output', 'churn-classes', '--outputs', 'class']);
    expectExit(human, 0);
    expect(human.stdout).toMatch(/output:\s+churn-classes v1/);
    expect(human.stdout).toMatch(/rows:\s+400/);
    const usageErr = await cli(['models', 'batch-predict', 'churn', '--model-version', '1', '--output', 'x']);
    expectExit(usageErr, 2);
    expect(usageErr.stderr).toContain('--input');
    const invalid = await cli(['models', 'batch-predict', 'churn', '--model-version', '1', '--input', 'customers:1', '--output', 'x', '--passthrough', 'nope']);
    expectExit(invalid, 6);
    expect(invalid.stderr).toContain('/body/passthroughColumns/0');
  });

  it('deploy applies a YAML spec, waits for ready and shows the routes; predict and rank answer', async () => {
    writeFileSync(join(work, 'churn-live.yaml'), 'name: churn-live\nmodel: churn\nroutes:\n  - alias: production\n    weight: 100\n');
    const dep = await cli(['deploy', 'churn-live.yaml']);
    expectExit(dep, 0);
    expect(dep.stdout).toMatch(/state:\s+ready/);
    expect(dep.stdout).toMatch(/alias production\s+100%/);
    const shown = await cli(['deployments', 'show', 'churn-live', '--json']);
    expect(shown.json()).toMatchObject({ name: 'churn-live', model: 'churn', status: { state: 'ready', versions: [1] } });

    const rows = [{ age: 25, income: 40000, city: 'paris' }, { age: 60, income: 90000, city: 'lyon' }];
    const human = await cli(['predict', 'churn', '--data', JSON.stringify(rows)]);
    expectExit(human, 0);
    expect(human.stdout).toMatch(/churn v1 via churn-live/);
    writeFileSync(join(work, 'rows.json'), JSON.stringify(rows));
    const fromFile = await cli(['predict', 'churn', '--data', '@rows.json', '--json']);
    expectExit(fromFile, 0);
    const answer = fromFile.json();
    expect(answer).toMatchObject({ model: 'churn', version: 1, deployment: 'churn-live' });
    expect(answer.predictions).toHaveLength(2);
    for (const p of answer.predictions) expect(p).toBeGreaterThanOrEqual(0);
    const fromStdin = await cli(['predict', 'churn', '--data', '-', '--json'], { stdin: JSON.stringify({ instances: rows }) });
    expect(fromStdin.json().predictions).toEqual(answer.predictions);

    const ranked = await cli(['rank', 'churn', '--data', JSON.stringify({ context: { city: 'paris', income: 50000 }, candidates: [{ age: 70 }, { age: 22 }, { age: 45 }] }), '--json']);
    expectExit(ranked, 0);
    const ranking = ranked.json().ranking;
    expect(ranking.map((r: any) => r.index).sort()).toEqual([0, 1, 2]);
    for (let i = 1; i < ranking.length; i++) expect(ranking[i - 1].score).toBeGreaterThanOrEqual(ranking[i].score);
  });

  it('exit codes by error class: not found 4, validation 6 (fields named), auth 3, permission 3, usage 2', async () => {
    const missing = await cli(['models', 'show', 'nope']);
    expectExit(missing, 4);
    expect(missing.stderr).toContain('ATL_MODEL_NOT_FOUND');
    const missingJson = await cli(['models', 'show', 'nope', '--json']);
    expectExit(missingJson, 4);
    expect(missingJson.stdout).toBe('');
    expect(JSON.parse(missingJson.stderr)).toMatchObject({ exitCode: 4, error: { status: 404, code: 'ATL_MODEL_NOT_FOUND' } });

    writeFileSync(join(work, 'bad-job.json'), JSON.stringify({ modelName: 'Bad Name', data: { dataset: 'customers', version: 0 }, features: [], model: { kind: 'mlp' } }));
    const invalid = await cli(['jobs', 'run', 'bad-job.json', '--json']);
    expectExit(invalid, 6);
    const problem = JSON.parse(invalid.stderr).error;
    expect(problem.status).toBe(400);
    const fields = problem.errors.map((e: any) => e.field).join(' ');
    expect(fields).toMatch(/modelName/);
    expect(fields).toMatch(/version/);

    const unauth = await cli(['datasets', 'ls'], { env: { ATELIER_API_KEY: 'atl_0000000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwro' } });
    expectExit(unauth, 3);

    // A viewer key of the project reads, but cannot write: 403 is exit 3 too.
    const key = await cli(['keys', 'create', 'ci-viewer', '--role', 'viewer', '--quiet']);
    expectExit(key, 0);
    const secret = key.stdout.trim();
    expect(secret).toMatch(/^atl_/);
    const asViewer = { env: { ATELIER_API_KEY: secret } };
    expectExit(await cli(['models', 'ls', '--json'], asViewer), 0);
    const forbidden = await cli(['datasets', 'push', 'activity.csv'], asViewer);
    expectExit(forbidden, 3);
    expect(forbidden.stderr).toContain('ATL_FORBIDDEN');

    expectExit(await cli(['datasets', 'push', 'no-such-file.csv']), 2);
    expectExit(await cli(['no-such-command']), 2);
    expectExit(await cli(['predict', 'churn', '--data', '{not json']), 2);
    // A project that does not exist: not found, like any other missing thing.
    expectExit(await cli(['datasets', 'ls', '--project', 'someone-else']), 4);
  });

  it('the read and housekeeping commands answer in both modes: show, preview, versions, aliases, keys, deployments', async () => {
    const human = async (args: string[], ...want: RegExp[]) => {
      const r = await cli(args);
      expectExit(r, 0);
      for (const w of want) expect(r.stdout, `atelier ${args.join(' ')}`).toMatch(w);
      return r;
    };
    const json = async (args: string[]) => {
      const r = await cli([...args, '--json']);
      expectExit(r, 0);
      return r.json();
    };
    expect((await json(['datasets', 'show', 'customers'])).versions).toHaveLength(1);
    await human(['datasets', 'show', 'customers'], /^1\s+csv\s+400\s+4\s/m);
    expect((await json(['datasets', 'preview', 'customers', '--limit', '3'])).rows).toHaveLength(3);
    await human(['datasets', 'preview', 'customers', '--limit', '2'], /^age\s+income\s+city\s+churned$/m);
    expect((await json(['features', 'entities', 'ls'])).map((e: any) => e.name)).toEqual(['user']);
    await human(['features', 'entities', 'show', 'user'], /join keys:\s+user_id:string/);
    await human(['features', 'views', 'ls'], /^activity\s+1\s+user\s+activity\s+clicks, spend$/m);
    await human(['features', 'views', 'show', 'activity'], /^clicks\s+int$/m);
    await human(['models', 'ls'], /^churn\s+binary\s+20\d\d-/m);
    await human(['models', 'show', 'churn'], /latest:\s+v1/, /aliases:\s+production→v1/);
    await human(['datasets', 'ls'], /^customers\s+v1\s/m);
    await human(['models', 'versions', 'churn'], /^1\s+atelier\s+production\s+f1=[\d.]+ auc=[\d.]+/m);
    await human(['models', 'versions', 'churn', '1'], /evaluation:\s+no_baseline/);
    expect(await json(['models', 'versions', 'churn', '1'])).toMatchObject({ model: 'churn', version: 1 });
    expect(await json(['models', 'aliases', 'churn'])).toEqual([expect.objectContaining({ alias: 'production', version: 1 })]);
    await human(['jobs', 'ls', '--status', 'succeeded'], /succeeded/);

    // Keys: a revoked key stops working at once.
    const viewer = (await json(['keys', 'ls'])).find((k: any) => k.name === 'ci-viewer');
    expect(viewer).toMatchObject({ role: 'viewer', revokedAt: null });
    const created = await cli(['keys', 'create', 'short-lived', '--role', 'viewer', '--quiet']);
    const secret = created.stdout.trim();
    expectExit(await cli(['models', 'ls', '--quiet'], { env: { ATELIER_API_KEY: secret } }), 0);
    const id = (await json(['keys', 'ls'])).find((k: any) => k.name === 'short-lived').id;
    await human(['keys', 'revoke', id], /Revoked key/);
    expectExit(await cli(['models', 'ls'], { env: { ATELIER_API_KEY: secret } }), 3);
    expect((await json(['keys', 'ls', '--all'])).find((k: any) => k.id === id).revokedAt).not.toBeNull();

    // Deployments: a second revision, a rollback to the first (a third revision), delete.
    writeFileSync(join(work, 'churn-v2.json'), JSON.stringify({ name: 'churn-live', model: 'churn', routes: [{ version: 1, weight: 100 }], description: 'pinned' }));
    expect(await json(['deploy', 'churn-v2.json'])).toMatchObject({ revision: 2, status: { state: 'ready' } });
    expect((await json(['deployments', 'revisions', 'churn-live'])).map((r: any) => r.revision).sort()).toEqual([1, 2]);
    await human(['deployments', 'ls'], /^churn-live\s+churn\s+2\s/m);
    expect(await json(['deployments', 'rollback', 'churn-live', '--revision', '1'])).toMatchObject({ revision: 3 });
    await human(['deployments', 'show', 'churn-live'], /alias production\s+100%/);
    await human(['deployments', 'delete', 'churn-live'], /Deleted deployment churn-live/);
    expectExit(await cli(['deployments', 'show', 'churn-live']), 4);
  });

  it('settings precedence: flag over environment over profile', async () => {
    // The profile names project shop; the environment overrides it, the flag overrides the environment.
    expectExit(await cli(['datasets', 'ls'], { env: { ATELIER_PROJECT: 'other' } }), 4);
    const flag = await cli(['datasets', 'ls', '--project', 'shop', '--quiet'], { env: { ATELIER_PROJECT: 'other' } });
    expectExit(flag, 0);
    expect(flag.stdout.split('\n')).toContain('customers');
    // A second profile, chosen by ATELIER_PROFILE, with its own key; an unknown profile is a usage error.
    const second = await cli(['login', '--profile', 'viewer', '--api-key', '-'], { stdin: platform.adminKey, env: { ATELIER_ENDPOINT: platform.url, ATELIER_PROJECT: 'shop' } });
    expectExit(second, 0);
    const file = JSON.parse(readFileSync(configPath, 'utf8'));
    expect(Object.keys(file.profiles).sort()).toEqual(['default', 'viewer']);
    expect(file.current).toBe('default');
    expectExit(await cli(['models', 'ls', '--quiet'], { env: { ATELIER_PROFILE: 'viewer' } }), 0);
    const unknown = await cli(['models', 'ls'], { env: { ATELIER_PROFILE: 'nope' } });
    expectExit(unknown, 2);
    expect(unknown.stderr).toContain('no profile "nope"');
  });

  it('on a terminal: colours and a progress bar; piped or NO_COLOR: plain text', async () => {
    // `script` gives the command a pseudo-terminal for stdin, stdout and stderr, as a person's shell does.
    const env = cleanEnv({ ATELIER_CONFIG: configPath, TERM: 'xterm-256color', COLUMNS: '120' });
    const big = join(work, 'big.csv');
    writeFileSync(big, customersCsv(60_000));
    const underTty = (cmd: string, extra: NodeJS.ProcessEnv = {}) =>
      execFileSync('script', ['-qfec', cmd, '/dev/null'], { cwd: work, env: { ...env, ...extra }, encoding: 'utf8', timeout: 120_000 });
    const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

    const tty = underTty(`${shq(process.execPath)} ${shq(CLI)} datasets push big.csv --name big`);
    expect(tty).toContain('Uploading big.csv');
    expect(tty).toMatch(/100%/);
    expect(tty).toContain('█');
    expect(tty).toContain(`${ESC}1m`); // bold table headers
    expect(tty).toContain(`${ESC}32m✓`); // the green tick

    const noColor = underTty(`${shq(process.execPath)} ${shq(CLI)} models ls`, { NO_COLOR: '1' });
    expect(noColor).toContain('churn');
    expect(noColor).not.toContain(ESC);

    // The same command piped: no bar, no escapes.
    const piped = await cli(['datasets', 'push', 'big.csv', '--name', 'big']);
    expectExit(piped, 0);
    expect(piped.stdout + piped.stderr).not.toContain(ESC);
    expect(piped.stderr).not.toContain('█');
    expect(piped.stdout).toMatch(/big v\d+: 60000 rows/);
  });
});
