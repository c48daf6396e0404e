// Worker-thread entry: registers tsx's loader in this thread (Node 20 does not apply `--import` hooks
// to worker threads reliably), then runs the TypeScript thread module.
import { register } from 'tsx/esm/api';

register();
await import('./onnx-thread.ts');
