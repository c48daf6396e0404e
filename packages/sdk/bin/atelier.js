#!/usr/bin/env node
// The `atelier` CLI: runs the TypeScript sources directly through tsx's loader, like atelier-server,
// so there is no build step between `npm install` and a working command.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv);
process.exitCode = code;
// The command is done: do not let an idle keep-alive socket hold the process open. The timer is
// unref'd, so a process with nothing left to do exits at once, with its output flushed.
setTimeout(() => process.exit(code), 1000).unref();
