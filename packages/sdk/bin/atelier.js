#!/usr/bin/env node
// The `atelier` CLI: runs the TypeScript sources directly through tsx's loader, like atelier-server,
// so there is no build step between `npm install` and a working command.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
