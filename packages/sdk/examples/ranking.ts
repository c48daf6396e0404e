// A ranking team: item features in the feature store, an MLP click model trained on a point-in-time
// training set, deployed, then `rank` orders candidate items for a user with their online features.
import { atelierFromProfile } from '@atelier/sdk/node';

// The profile file (`atelier login`), overridden by ATELIER_ENDPOINT / ATELIER_API_KEY / ATELIER_PROJECT.
const atl = atelierFromProfile();

// Item statistics (the feature source) and impressions with clicks (the labels), as CSV text.
let stats = 'item_id,ts,ctr_7d,price\n';
for (let i = 0; i < 40; i++) stats += `item${i},2024-03-01T00:00:00Z,${(i / 40).toFixed(3)},${5 + (i % 7) * 3}\n`;
let impressions = 'item_id,event_time,user_age,clicked\n';
for (let n = 0; n < 800; n++) {
  const i = (n * 17) % 40;
  impressions += `item${i},2024-03-0${2 + (n % 5)}T12:00:00Z,${18 + (n % 50)},${i / 40 + ((n * 7) % 10) / 25 > 0.6 ? 1 : 0}\n`;
}
await atl.datasets.upload('item-stats', stats, { format: 'csv' });
const labels = await atl.datasets.upload('impressions', impressions, { format: 'csv' });

// Features: the item entity and a view over its statistics; a point-in-time training set joins them
// to each impression as of its time.
await atl.features.entities.create({ name: 'item', joinKeys: [{ name: 'item_id', type: 'string' }] });
await atl.features.views.apply({
  name: 'item_stats',
  entity: 'item',
  source: { dataset: 'item-stats' },
  eventTimestampColumn: 'ts',
  ttlSeconds: 0,
  features: [
    { name: 'ctr_7d', type: 'float' },
    { name: 'price', type: 'float' },
  ],
});
const trainingSet = await atl.features.trainingSet({
  labelDataset: { name: 'impressions', version: labels.version },
  eventTimestampColumn: 'event_time',
  entity: 'item',
  featureViews: [{ name: 'item_stats' }],
  output: { dataset: 'ranker-train' },
});

// Train an MLP click model and follow it epoch by epoch.
const job = await atl.jobs
  .train({
    modelName: 'item-ranker',
    data: { dataset: 'ranker-train', version: trainingSet.version },
    label: 'clicked',
    model: { kind: 'mlp', hyperparameters: { hiddenUnits: [16] } },
    maxEpochs: 8,
    seed: 7,
    features: [
      { name: 'user_age', type: 'numeric', transform: 'standardize' },
      { name: 'ctr_7d', type: 'numeric', transform: 'standardize' },
      { name: 'price', type: 'numeric', transform: 'standardize' },
    ],
  })
  .wait({ onEvent: (e) => e.type === 'metric' && console.log(`epoch ${e.data.epoch}: val_auc ${Number(e.data.val_auc).toFixed(3)}`) });
const version = job.modelVersion!;

// Promote, deploy, and load the item features into the online store.
await atl.models.promote('item-ranker', version, 'production');
await atl.deployments.apply({ name: 'item-ranker', model: 'item-ranker', routes: [{ alias: 'production', weight: 100 }] }, { wait: 'ready' });
await atl.features.materialize('item_stats', { mode: 'full' });

// Rank ten candidate items for a 31-year-old: their features come from the online store.
const candidates = ['item3', 'item39', 'item12', 'item27', 'item8', 'item33', 'item1', 'item20', 'item36', 'item15'];
const online = await atl.features.online({ featureViews: ['item_stats'], entityKeys: candidates.map((id) => ({ item_id: id })) });
const ranked = await atl.rank('item-ranker', {
  context: { user_age: 31 },
  candidates: online.results.map((r) => r.features.item_stats.values as Record<string, number>),
  topK: 5,
});
for (const { index, score } of ranked.ranking) console.log(`${candidates[index]}  ${score.toFixed(3)}`);
console.log(JSON.stringify({ model: ranked.model, version: ranked.version, top: ranked.ranking.map((r) => candidates[r.index]), scores: ranked.ranking.map((r) => r.score) }));
