// Worker-thread entry of every compute thread (see compute-threads.ts): registers tsx's loader in this
// thread (Node 20 does not apply `--import` hooks to worker threads reliably), then runs the
// TypeScript thread module whose URL the pool passed as the last argv entry.
import { argv } from 'node:process';
import { register } from 'tsx/esm/api';

register();
await import(argv[argv.length - 1]);
