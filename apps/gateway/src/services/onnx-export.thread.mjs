// Worker-thread entry of model-onnx-export.service.ts when it runs from TypeScript source: registers
// tsx's loader in this thread (Node 20 does not apply `--import` hooks to worker threads reliably), then
// runs onnx-export.worker.ts. The compiled build (`npm run build`) starts onnx-export.worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./onnx-export.worker.ts');
