// `npm run bench -- gpu-training`: the GPU training benchmark lives in gpu-training.ts (also runnable alone with `npx tsx`).
import './gpu-training.js';
