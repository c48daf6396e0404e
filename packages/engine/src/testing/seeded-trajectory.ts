// The seeded training run whose per-step losses are stored in fixtures/seeded-trajectory.json.
// It exercises the engine's own init (Random), shuffling, dropout, LayerNorm and AdamW together,
// so any change to their numerics or RNG consumption shows up as a changed trajectory.
import { fit } from '../training/fit.js';
import { batchesFromArrays } from '../training/batches.js';
import { Mlp } from '../models/mlp.js';
import { Random } from '../util/random.js';

export async function seededTrajectory(): Promise<number[]> {
  const rng = new Random(2024);
  const n = 96;
  const x = Float32Array.from({ length: n * 5 }, () => rng.normal());
  const cat = Int32Array.from({ length: n }, () => rng.nextInt(7));
  const y = Float32Array.from({ length: n }, (_, i) => (x[i * 5] * x[i * 5 + 1] + (cat[i] % 2) - 0.5 > 0 ? 1 : 0));
  const model = new Mlp({
    inputs: [{ name: 'x', kind: 'dense', width: 5 }, { name: 'cat', kind: 'categorical', vocabSize: 7, embeddingDim: 3 }],
    hiddenUnits: [12, 6], dropout: 0.2, normalization: 'layer', seed: 11,
  });
  const losses: number[] = [];
  await fit(model, {
    epochs: 3,
    seed: 5,
    data: batchesFromArrays({ numRows: n, inputs: { x, cat }, labels: y }, { batchSize: 16, shuffle: true, seed: 6 }),
    optimizer: { kind: 'adamw', lr: 0.01, weightDecay: 0.05 },
    callbacks: { onStep: (e) => void losses.push(e.loss) },
  });
  model.dispose();
  return losses;
}
