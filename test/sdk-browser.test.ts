// The browser entry of @atelier/sdk: it bundles for the browser without reaching a single Node
// built-in, and the bundle, loaded into headless Chromium on the platform's own origin (no CORS
// needed), makes authenticated calls: create a project, upload a Blob with progress, list, and a
// typed error.
import { builtinModules } from 'node:module';
import { build, type Plugin } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './sdk-platform.js';

const ROOT = new URL('..', import.meta.url).pathname;
const NODE_BUILTIN = new RegExp(`^(node:.*|${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})(\\/.*)?$`);

/** Bundles an entry for the browser; every import of a Node built-in is recorded with its importer. */
async function browserBundle(entry: string): Promise<{ code: string; nodeImports: string[] }> {
  const nodeImports: string[] = [];
  const recordNode: Plugin = {
    name: 'record-node-builtins',
    setup(b) {
      b.onResolve({ filter: NODE_BUILTIN }, (args) => {
        nodeImports.push(`${args.importer.replace(ROOT, '')} imports ${args.path}`);
        return { path: args.path, external: true };
      });
    },
  };
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'AtelierSDK',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [recordNode],
  });
  return { code: out.outputFiles[0].text, nodeImports };
}

let platform: TestPlatform;
let browser: Browser;
beforeAll(async () => {
  platform = await startTestPlatform();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
});
afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

describe('@atelier/sdk in the browser', () => {
  it('bundles src/index.ts for the browser with no node: import (and the ./node entry is the one that has them)', async () => {
    const web = await browserBundle(`${ROOT}packages/sdk/src/index.ts`);
    expect(web.nodeImports, `the browser entry reaches Node built-ins:\n${web.nodeImports.join('\n')}`).toEqual([]);
    // The check can fail: the Node entry does reach them.
    const node = await browserBundle(`${ROOT}packages/sdk/src/node/index.ts`);
    expect(node.nodeImports.some((line) => line.includes('node:fs'))).toBe(true);
  });

  it('loads in headless Chromium and makes authenticated calls', async () => {
    const { code } = await browserBundle(`${ROOT}packages/sdk/src/index.ts`);
    const page = await browser.newPage();
    try {
      const health = await page.goto(`${platform.url}/healthz`);
      expect(health?.status()).toBe(200);
      await page.addScriptTag({ content: code });
      const result = await page.evaluate(async (apiKey) => {
        const { Atelier, AtelierError } = (globalThis as any).AtelierSDK;
        const atl = new Atelier({ baseUrl: (globalThis as any).location.origin, apiKey, project: 'web' });
        await atl.projects.create({ name: 'web' });
        const progress: number[] = [];
        const blob = new Blob(['a,b\n1,2\n3,4\n'], { type: 'text/csv' });
        const version = await atl.datasets.upload('from-browser', blob, { onProgress: (p: { bytesSent: number }) => progress.push(p.bytesSent) });
        const names: string[] = [];
        for await (const d of atl.datasets.list()) names.push(d.name);
        const anonymous = new Atelier({ baseUrl: (globalThis as any).location.origin, project: 'web' });
        const err = await anonymous.datasets.get('from-browser').catch((e: unknown) => e);
        return {
          rowCount: version.rowCount,
          progress,
          names,
          error: { isAtelierError: err instanceof AtelierError, status: (err as any).status, code: (err as any).code, requestId: (err as any).requestId },
        };
      }, platform.adminKey);
      expect(result.rowCount).toBe(2);
      expect(result.progress).toEqual([0, 12]);
      expect(result.names).toEqual(['from-browser']);
      expect(result.error).toMatchObject({ isAtelierError: true, status: 401, code: 'ATL_UNAUTHENTICATED' });
      expect(result.error.requestId).toBeTruthy();
    } finally {
      await page.close();
    }
  });
});
