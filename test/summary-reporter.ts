// Prints one plain closing line, "N passed, N failed, N skipped", after vitest's own summary, so any
// CI reader can tell how many tests ran; above it, each test file that failed or never finished (a
// worker that died mid-file leaves its file unfinished, and vitest's own error does not name it), so
// the tail of a CI log always says where to look.
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    const lines: string[] = [];
    for (const mod of testModules) {
      const tests = [...mod.children.allTests()];
      if (mod.state() === 'failed' && tests.length === 0) failed++;
      let unfinished = 0;
      for (const test of tests) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') {
          failed++;
          lines.push(`failed: ${mod.moduleId} > ${test.fullName}`);
        } else {
          skipped++;
          if (state === 'pending' && test.options.mode === 'run') unfinished++;
        }
      }
      const modState = mod.state();
      if (modState === 'failed' && tests.length === 0) lines.push(`failed: ${mod.moduleId} (the file itself)`);
      if (modState === 'pending' || modState === 'queued' || unfinished > 0) {
        lines.push(`unfinished: ${mod.moduleId} (${modState}; ${unfinished} of ${tests.length} tests never ran to the end)`);
      }
    }
    const root = process.cwd() + '/';
    const listing = lines.map((l) => l.replace(root, '')).join('\n');
    process.stdout.write(`\n${listing ? listing + '\n' : ''}${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
