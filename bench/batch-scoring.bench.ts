// `npm run bench -- batch-scoring [--rows 10000000[,1000000]] [--chunk-rows 8192]`: see batch-scoring.ts.
import { runBatchScoringBench } from './batch-scoring.js';

await runBatchScoringBench(process.argv.slice(3));
