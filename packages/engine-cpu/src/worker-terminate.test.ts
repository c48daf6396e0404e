// A job's training thread is terminated when the job is cancelled, abandoned or loses its lease, often
// while a kernel runs. The addon's bindings must then fail quietly: a Node-API call that can run JS
// (napi_coerce_to_bool did) fails on a terminating thread, and node-addon-api turned that failure into
// a fatal error that aborted the whole process (CI: "Worker exited unexpectedly", orchestrator tests).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addon } from './testing/native-under-test.js';

const script = fileURLToPath(new URL('./testing/terminate-mid-training.mjs', import.meta.url));

describe.skipIf(!addon)('native-cpu under worker termination', () => {
  it('survives 40 worker threads terminated mid-training', () => {
    const run = spawnSync(process.execPath, [script, '40'], { encoding: 'utf8', timeout: 240_000 });
    expect(run.stderr.match(/FATAL ERROR.*/)?.[0] ?? null).toBeNull();
    expect(run.signal).toBeNull();
    expect(run.stdout.trim()).toBe('survived 40');
    expect(run.status).toBe(0);
  });
});
