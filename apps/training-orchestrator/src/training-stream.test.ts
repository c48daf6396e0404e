// The streamed training path against the in-memory one on the same rows, spec and seed: the same
// split (hash of each row's position), the same preprocessing statistics, and validation metrics
// within tolerance (batches are shuffled by a bounded buffer instead of a full permutation).
import { describe, expect, it } from 'vitest';
import type { TrainJobSpec } from '@atelier/contracts';
import type { ColumnChunk } from '@atelier/feature-store';
import { loadBundle, type Checkpoint } from '@atelier/engine';
import { runTraining, type TrainingTable } from './training-core.js';
import { runStreamingTraining, streamable, type ChunkSource } from './training-stream.js';

const n = 6000;
const r = (i: number) => (((Math.sin(i * 12.9898 + 1) * 43758.5453) % 1) + 1) % 1;
const age = Float64Array.from({ length: n }, (_, i) => (i % 23 === 4 ? NaN : 20 + r(i) * 50));
const income = Float64Array.from({ length: n }, (_, i) => 20 + r(i + 3) * 100);
const city = Array.from({ length: n }, (_, i) => (i % 31 === 2 ? null : ['paris', 'lyon', 'nice'][Math.floor(r(i + 7) * 3)]));
const y = Float64Array.from({ length: n }, (_, i) => (i % 97 === 1 ? NaN : (age[i] || 40) + 0.2 * income[i] + (city[i] === 'nice' ? 8 : 0) + (r(i + 11) - 0.5) * 10 > 65 ? 1 : 0));
const spend = Float64Array.from({ length: n }, (_, i) => 3 * income[i] - 0.5 * (age[i] || 40) + (r(i + 13) - 0.5) * 5);
const table: TrainingTable = { numRows: n, columns: { age, income, city, y, spend } };

/** The table as a chunked source (chunks of 700 rows: not a multiple of anything the pipeline uses). */
const source: ChunkSource = async function* () {
  for (let offset = 0; offset < n; offset += 700) {
    const end = Math.min(n, offset + 700);
    const columns: ColumnChunk['columns'] = {};
    for (const [k, v] of Object.entries(table.columns)) columns[k] = v.slice(offset, end);
    yield { offset, numRows: end - offset, columns };
  }
};

const spec = (over: Partial<TrainJobSpec> = {}): TrainJobSpec => ({
  modelName: 'm',
  data: { dataset: 'd', version: 1 },
  label: 'y',
  features: [
    { name: 'age', type: 'numeric', transform: 'standardize' },
    { name: 'income', type: 'numeric', transform: 'standardize' },
    { name: 'city', type: 'categorical', transform: 'vocabulary' },
  ],
  model: { kind: 'logistic' },
  maxEpochs: 4,
  batchSize: 64,
  optimizer: { kind: 'adam', lr: 0.05 },
  seed: 3,
  ...over,
});

describe('streamed training', () => {
  it('sees the same rows and statistics as the in-memory run, and reaches the same validation metrics', async () => {
    const memory = await runTraining(spec(), table);
    const streamed = await runStreamingTraining(spec(), source, {}, undefined, { shuffleRows: 1000, blockRows: 512 });
    expect(streamed.rows).toEqual(memory.rows);
    expect(streamed.rows.droppedMissingLabel).toBeGreaterThan(0);
    expect(streamed.labelClasses).toEqual(memory.labelClasses);
    expect(streamed.epochsCompleted).toBe(memory.epochsCompleted);
    // Same preprocessing state (exact streaming moments and vocabularies).
    const preprocessing = (bytes: Uint8Array) => {
      const { model, manifest } = loadBundle(bytes);
      model.dispose();
      return manifest.preprocessing as { fittedRows: number; features: Array<{ spec: { name: string }; state: unknown }> };
    };
    const pa = preprocessing(memory.bundle!);
    expect(pa.features.map((f) => f.spec.name)).toEqual(['age', 'income', 'city']);
    expect(pa.fittedRows).toBe(memory.rows.train);
    expect(JSON.stringify(preprocessing(streamed.bundle!))).toBe(JSON.stringify(pa));
    expect(memory.validationMetrics.val_auc).toBeGreaterThan(0.85);
    expect(Math.abs(streamed.validationMetrics.val_auc - memory.validationMetrics.val_auc)).toBeLessThan(0.01);
    expect(Math.abs(streamed.validationMetrics.val_loss - memory.validationMetrics.val_loss)).toBeLessThan(0.02);
    expect(Math.abs(streamed.testMetrics.auc - memory.testMetrics.auc)).toBeLessThan(0.01);
  });

  it('streams regression and multiclass the same way', async () => {
    const reg = spec({ label: 'spend', model: { kind: 'linear' }, maxEpochs: 12, optimizer: { kind: 'adam', lr: 0.5 } });
    const m = await runTraining(reg, table);
    const s = await runStreamingTraining(reg, source, {}, undefined, { shuffleRows: 2000, blockRows: 1024 });
    expect(s.rows).toEqual(m.rows);
    expect(m.validationMetrics.val_r2).toBeGreaterThan(0.99);
    expect(Math.abs(s.validationMetrics.val_r2 - m.validationMetrics.val_r2)).toBeLessThan(0.005);

    const multi = spec({ label: 'city', features: [{ name: 'age', type: 'numeric', transform: 'standardize' }], model: { kind: 'softmax' } });
    const mm = await runTraining(multi, table);
    const ms = await runStreamingTraining(multi, source, {}, undefined, { shuffleRows: 500 });
    expect(ms.labelClasses).toEqual(['lyon', 'nice', 'paris']);
    expect(ms.rows).toEqual(mm.rows);
  });

  it('resumes from an epoch checkpoint and finishes like an uninterrupted run', async () => {
    const checkpoints: Checkpoint[] = [];
    const full = await runStreamingTraining(spec(), source, { onCheckpoint: (c) => void checkpoints.push(c) }, undefined, { shuffleRows: 1000 });
    const resumed = await runStreamingTraining(spec(), source, {}, checkpoints[1], { shuffleRows: 1000 });
    expect(resumed.epochsCompleted).toBe(full.epochsCompleted);
    expect(resumed.validationMetrics.val_loss).toBeCloseTo(full.validationMetrics.val_loss, 6);
  });

  it('refuses what it cannot stream, saying why', async () => {
    expect(streamable(spec({ split: { method: 'time', timeColumn: 'age' } }))).toEqual({ ok: false, reason: 'a time split orders every row by time' });
    await expect(runStreamingTraining(spec({ split: { method: 'time', timeColumn: 'age' } }), source)).rejects.toThrow(/cannot be streamed: a time split/);
  });
});
