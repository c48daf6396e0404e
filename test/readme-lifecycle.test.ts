// The README's "lifecycle in curl" block, run exactly as a user pastes it: bash (set -euo pipefail)
// against a fresh `npm start` on the embedded defaults, with KEY set to the admin key it printed. A README
// that shows a flow that does not run fails here.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const MARKER = '<!-- readme-lifecycle';

/** The fenced `sh` block right after the `<!-- readme-lifecycle … -->` comment in README.md. */
function lifecycleBlock(readme: string): string {
  const at = readme.indexOf(MARKER);
  if (at < 0 || readme.indexOf(MARKER, at + 1) >= 0) throw new Error(`README.md must hold exactly one ${MARKER} comment`);
  const m = /-->\s*\n```sh\n([\s\S]*?)\n```/.exec(readme.slice(at));
  if (!m) throw new Error(`no \`\`\`sh block right after the ${MARKER} comment in README.md`);
  return m[1];
}

const dirs: string[] = [];
let serverLog = '';
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** The environment of a user's shell: none of the settings that would move the server off the embedded defaults. */
function userEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ['DATABASE_URL', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'ATELIER_ADMIN_KEY', 'ATELIER_SERVING_URL']) {
    delete env[name];
  }
  return env;
}

function collect(child: ChildProcess) {
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { output: () => output, exited };
}

describe("README's lifecycle in curl", () => {
  it('the extractor finds the block (and only the one marked)', () => {
    expect(() => lifecycleBlock('# no marker here\n```sh\necho\n```\n')).toThrow(/exactly one/);
    expect(lifecycleBlock(`${MARKER} -->\n\`\`\`sh\necho one\necho two\n\`\`\`\n`)).toBe('echo one\necho two');
  });

  it('runs as written against a fresh `npm start`: every step succeeds, and predict and v2 infer give the same answers', async () => {
    const block = lifecycleBlock(readFileSync(join(ROOT, 'README.md'), 'utf8'));

    const server = spawn('npm', ['start'], {
      cwd: ROOT,
      env: userEnv({ ATELIER_DATA_DIR: tempDir('atelier-readme-data-'), PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(server);
    const srv = collect(server);
    // A fresh PGlite data dir takes seconds to create, much longer on a loaded machine.
    const deadline = Date.now() + 200_000;
    let started: RegExpExecArray | null = null;
    while (!started) {
      started = /API:\s+http:\/\/[\d.]+:(\d+)\/v1[\s\S]*Admin API key \(shown once, store it now\): (\S+)/.exec(srv.output());
      if (server.exitCode !== null) throw new Error(`npm start exited (${server.exitCode}):\n${srv.output()}`);
      if (Date.now() > deadline) throw new Error(`npm start did not print its URL and admin key:\n${srv.output()}`);
      if (!started) await new Promise((r) => setTimeout(r, 50));
    }
    const [, port, key] = started;

    // The user's shell: a scratch working directory (the block writes its CSVs there), PORT and KEY set.
    const shell = spawn('bash', ['-c', `set -euo pipefail\n${block}\n`], {
      cwd: tempDir('atelier-readme-cwd-'),
      env: userEnv({ PORT: port, KEY: key }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(shell);
    const sh = collect(shell);
    const timer = setTimeout(() => shell.kill('SIGKILL'), 240_000);
    const code = await sh.exited;
    clearTimeout(timer);
    expect(code, `the README block failed (exit ${code}):\n${sh.output()}\n--- server log ---\n${srv.output()}`).toBe(0);

    // The answers: the predict of step 4, the same rows over the Open Inference Protocol (step 5), and the
    // dataset version that the batch prediction of step 6 published.
    const answers = sh
      .output()
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);
    const answer = answers.find((a) => a.deployment === 'churn-live' && Array.isArray(a.predictions))!;
    expect(answer).toMatchObject({ model: 'churn', version: 1, deployment: 'churn-live', outputs: ['probability'] });
    expect(answer.predictions).toHaveLength(2);
    const scores = answers.at(-1)!;
    expect(scores).toMatchObject({ version: 1, rowCount: 400, lineage: { kind: 'batch-prediction', model: { name: 'churn', version: 1 } } });
    const inferred = answers.find((a) => a.model_name === 'churn')!;
    expect(inferred).toMatchObject({ model_name: 'churn', model_version: '1', id: '1', outputs: [{ name: 'probability', shape: [2, 1], datatype: 'FP32' }] });
    expect(inferred.outputs[0].data).toEqual(answer.predictions);
    for (const p of answer.predictions) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }

    server.kill('SIGTERM');
    expect(await srv.exited).toBe(0);
    serverLog = srv.output();
  }, 480_000);

  it("logs the run above through one logger: JSON lines from the gateway, the serving node and the training worker", () => {
    expect(serverLog, 'the lifecycle run did not finish').not.toBe('');
    const lines = serverLog.split('\n').filter((l) => l.startsWith('{'));
    const apps = new Set<string>();
    for (const line of lines) {
      const entry = JSON.parse(line);
      expect(entry, line).toMatchObject({ level: expect.any(Number), time: expect.any(Number), msg: expect.any(String) });
      apps.add(entry.app);
    }
    expect([...apps].sort()).toEqual(['gateway', 'orchestrator', 'serving']);
    expect(lines.some((l) => /"app":"orchestrator".*"msg":"claimed job/.test(l))).toBe(true);
    expect(lines.some((l) => /"app":"serving".*"msg":"loaded model version"/.test(l))).toBe(true);
    // Everything else on the server's output is npm's two lines and the start-up banner, for a person
    // (and Node's own process warnings, which are not ours to format).
    const other = serverLog
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('{') && !/^(> |Atelier is running| {2}\S|atelier: SIGTERM|\(node:\d+\) |\(Use `node --trace)/.test(l));
    expect(other).toEqual([]);
  });
});
