#!/usr/bin/env node
// Development (the default): runs the TypeScript sources directly through tsx's loader, so there is no
// build step between `npm install` and a running platform. Production (NODE_ENV=production, what the
// container image sets): runs the compiled JavaScript that `npm run build` writes to dist/ folders, with
// plain Node and source maps, in this process and in every worker thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

if (process.env.NODE_ENV === 'production') {
  const main = new URL('../dist/main.js', import.meta.url);
  if (!existsSync(fileURLToPath(main))) {
    console.error(`atelier: NODE_ENV=production runs the compiled build, and ${fileURLToPath(main)} is missing: run \`npm run build\` first`);
    process.exit(2);
  }
  process.setSourceMapsEnabled(true);
  await import(main.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
