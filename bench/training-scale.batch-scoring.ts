// The training-scale bench's batch-scoring hook (see bench/training-scale.bench.ts): batch scoring at
// the largest size that bench ran, measured by bench/batch-scoring.ts (its own generated data of that
// many rows × 20 features, scored through the real batch-prediction job; peak RSS sampled).
import { join } from 'node:path';
import { benchBatchScoring } from './batch-scoring.js';

export async function measureBatchScoring(ctx: { files: Map<number, string>; dataDir: string }): Promise<Record<string, number>> {
  const rows = Math.max(...ctx.files.keys());
  console.log(`\nbatch scoring, ${rows} rows (bench/batch-scoring.ts):`);
  const r = await benchBatchScoring({ rows, dir: join(ctx.dataDir, 'batch-scoring'), log: (l) => console.log(`  ${l}`) });
  return {
    batch_score_rows_per_s: r.batch_score_rows_per_s,
    batch_score_peak_rss_mb: r.batch_score_peak_rss_mb,
    batch_score_vs_duckdb_sql: r.batch_score_vs_duckdb_sql,
  };
}
