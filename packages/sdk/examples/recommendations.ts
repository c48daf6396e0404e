// A recommendation team: a two-tower retrieval model learns user and item embeddings from
// interactions (no label: the other items of a batch are the negatives); `rank` then scores a
// user (the context) against candidate items.
import { atelierFromProfile } from '@atelier/sdk/node';

const atl = atelierFromProfile();

// Interactions: users in three taste groups, each group picking from its own third of the catalogue.
let interactions = 'user_id,age,item_id\n';
for (let n = 0; n < 1200; n++) {
  const user = n % 60;
  const group = user % 3;
  const item = group * 10 + ((n * 7) % 10);
  interactions += `user${user},${20 + group * 15 + (user % 5)},item${item}\n`;
}
const data = await atl.datasets.upload('interactions', interactions, { format: 'csv' });

const trained = await atl.jobs
  .train({
    modelName: 'recs',
    data: { dataset: 'interactions', version: data.version },
    model: {
      kind: 'two_tower',
      hyperparameters: { userFeatures: ['user_id', 'age'], itemFeatures: ['item_id'], hiddenUnits: [32], outputDim: 16 },
    },
    maxEpochs: 20,
    batchSize: 64,
    optimizer: { kind: 'adam', lr: 0.02 },
    seed: 12,
    features: [
      { name: 'user_id', type: 'categorical', transform: 'vocabulary' },
      { name: 'age', type: 'numeric', transform: 'standardize' },
      { name: 'item_id', type: 'categorical', transform: 'vocabulary' },
    ],
  })
  .wait({ onEvent: (e) => e.type === 'metric' && console.log(`epoch ${e.data.epoch}: val_loss ${Number(e.data.val_loss).toFixed(3)}`) });

await atl.models.promote('recs', trained.modelVersion!, 'production');
await atl.deployments.apply({ name: 'recs', model: 'recs', routes: [{ alias: 'production', weight: 100 }] }, { wait: 'ready' });

// Score all 30 items for user4 (group 1: items 10-19) and keep the best five.
const items = Array.from({ length: 30 }, (_, i) => `item${i}`);
const ranked = await atl.rank('recs', {
  context: { user_id: 'user4', age: 39 },
  candidates: items.map((item_id) => ({ item_id })),
  topK: 5,
});
const top = ranked.ranking.map((r) => items[r.index]);
console.log(`top 5 for user4: ${top.join(', ')}`);
console.log(JSON.stringify({ model: ranked.model, version: ranked.version, top, scores: ranked.ranking.map((r) => r.score) }));
