// Worker-thread entry for httpOpenLoop: registers tsx's loader in this thread (Node 20 does not apply
// `--import` hooks to worker threads reliably), then runs the TypeScript client.
import { register } from 'tsx/esm/api';

register();
await import('./features-http-client.ts');
