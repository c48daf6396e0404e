#!/usr/bin/env node
/* global process, console, performance */
// `npm run build`: compiles the server's TypeScript to JavaScript with source maps, one dist/ beside each
// src/ (packages/<p>/src/x.ts → packages/<p>/dist/x.js, migrations/*.ts → migrations/dist/*.js), so that
// the layout, and every path a module computes from its own URL (migrations, the native addon, the
// console build, worker-thread entries), stays the same. `NODE_ENV=production atelier-server …` then runs
// this output with plain Node: no TypeScript loader in the process or in its worker threads.
//
// esbuild transpiles each file on its own (types are `npm run typecheck`'s job). Every import stays
// external; the only rewrite is `@atelier/<pkg>[/sub]`, which the packages export as TypeScript source
// (what tests and `npm start` run through tsx): it becomes the relative path to that package's compiled
// file. Plain-JavaScript modules (`*.mjs`) are copied as they are; those that register tsx (worker-thread
// entries for running from source) are development-only and are left out: compiled code starts its
// threads on the compiled thread modules directly.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The workspaces the server image runs (the console is built by Vite, the SDK is a client). */
export const SERVER_WORKSPACES = [
  'packages/contracts',
  'packages/telemetry',
  'packages/engine',
  'packages/engine-cpu',
  'packages/engine-gpu',
  'packages/artifacts',
  'packages/catalog',
  'packages/feature-store',
  'packages/http-edge',
  'apps/gateway',
  'apps/serving',
  'apps/training-orchestrator',
  'apps/launcher',
];

const SKIP_FILE = /\.(test|bench)\.ts$|\.d\.ts$/;

function listSources(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      out.push(...listSources(path));
    } else if (entry.endsWith('.ts') && !SKIP_FILE.test(entry)) {
      out.push(path);
    } else if (entry.endsWith('.mjs') && !/from ['"]tsx|import\(['"]tsx/.test(readFileSync(path, 'utf8'))) {
      out.push(path);
    }
  }
  return out;
}

/** `@atelier/<name>` → { dir, exports } for every server workspace. */
function workspaceMap() {
  const map = new Map();
  for (const ws of SERVER_WORKSPACES) {
    const pkg = JSON.parse(readFileSync(join(ROOT, ws, 'package.json'), 'utf8'));
    map.set(pkg.name, { dir: join(ROOT, ws), exports: pkg.exports ?? {} });
  }
  return map;
}

/** The compiled file a workspace import resolves to: its export's src/…ts path mapped into dist/…js. */
function compiledTarget(workspaces, specifier) {
  const [scope, name, ...rest] = specifier.split('/');
  const ws = workspaces.get(`${scope}/${name}`);
  if (!ws) throw new Error(`${specifier}: not a server workspace (add it to SERVER_WORKSPACES in scripts/build.mjs)`);
  const subpath = rest.length ? `./${rest.join('/')}` : '.';
  const target = typeof ws.exports === 'string' && subpath === '.' ? ws.exports : ws.exports[subpath];
  if (typeof target !== 'string' || !target.startsWith('./src/')) throw new Error(`${specifier}: ${ws.dir}/package.json exports no ./src/ file for ${subpath}`);
  return join(ws.dir, 'dist', target.slice('./src/'.length).replace(/\.ts$/, '.js'));
}

function rewriteWorkspaceImports(workspaces) {
  return {
    name: 'atelier-workspace-imports',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        if (!args.path.startsWith('@atelier/')) return { path: args.path, external: true };
        // The importer's output file sits at the same place under dist/ as its source under src/.
        const outDir = dirname(args.importer.replace(`${sep}src${sep}`, `${sep}dist${sep}`).replace(/([\\/])migrations\1/, `$1migrations$1dist$1`));
        let rel = relative(outDir, compiledTarget(workspaces, args.path)).split(sep).join('/');
        if (!rel.startsWith('.')) rel = `./${rel}`;
        return { path: rel, external: true };
      });
    },
  };
}

async function compile(srcDir, outDir, workspaces) {
  rmSync(outDir, { recursive: true, force: true });
  const sources = listSources(srcDir);
  const entryPoints = sources.filter((f) => f.endsWith('.ts'));
  for (const file of sources.filter((f) => f.endsWith('.mjs'))) {
    if (/from ['"]@atelier\//.test(readFileSync(file, 'utf8'))) throw new Error(`${file}: a plain .mjs module may not import a workspace (write it in TypeScript)`);
    const out = join(outDir, relative(srcDir, file));
    mkdirSync(dirname(out), { recursive: true });
    copyFileSync(file, out);
  }
  await build({
    entryPoints,
    outbase: srcDir,
    outdir: outDir,
    outExtension: { '.js': '.js' },
    bundle: true, // per file, every import external: bundling only so the plugin sees (and rewrites) imports
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [rewriteWorkspaceImports(workspaces)],
  });
  return sources.length;
}

export async function buildServer() {
  const workspaces = workspaceMap();
  const startedAt = performance.now();
  let files = 0;
  for (const ws of SERVER_WORKSPACES) files += await compile(join(ROOT, ws, 'src'), join(ROOT, ws, 'dist'), workspaces);
  files += await compile(join(ROOT, 'migrations'), join(ROOT, 'migrations', 'dist'), workspaces);
  const addon = join(ROOT, 'packages/engine-cpu/build/Release/atelier_engine_cpu.node');
  return { files, ms: Math.round(performance.now() - startedAt), nativeAddon: existsSync(addon) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, ms, nativeAddon } = await buildServer();
  console.log(`built ${files} modules into dist/ folders in ${ms} ms${nativeAddon ? '' : ' (note: the engine-cpu addon is not built; the TypeScript kernels run)'}`);
}
