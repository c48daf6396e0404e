// A fraud team: card activity in the feature store, a model trained on transactions joined point-in-time
// with it, evaluated and promoted; at predict time the caller sends only the transaction and the card
// id, and the deployment joins the card's online features in (entityKeys).
import { atelierFromProfile } from '@atelier/sdk/node';

const atl = atelierFromProfile();

// Card activity (the feature source): cards 0-9 are busy ones, with many transactions a day.
let activity = 'card_id,ts,txn_count_24h,avg_amount\n';
for (let c = 0; c < 50; c++) activity += `card${c},2024-05-01T00:00:00Z,${c < 10 ? 30 + c : 2 + (c % 5)},${(40 + (c % 9) * 10).toFixed(2)}\n`;
// Past transactions with their outcome: large amounts on busy cards were fraud.
let transactions = 'card_id,event_time,amount,is_fraud\n';
for (let n = 0; n < 1000; n++) {
  const c = (n * 13) % 50;
  const amount = 5 + ((n * 37) % 1000);
  transactions += `card${c},2024-05-0${2 + (n % 7)}T08:00:00Z,${amount},${c < 10 && amount > 400 ? 1 : 0}\n`;
}
await atl.datasets.upload('card-activity', activity, { format: 'csv' });
const labels = await atl.datasets.upload('transactions', transactions, { format: 'csv' });

await atl.features.entities.create({ name: 'card', joinKeys: [{ name: 'card_id', type: 'string' }] });
await atl.features.views.apply({
  name: 'card_activity',
  entity: 'card',
  source: { dataset: 'card-activity' },
  eventTimestampColumn: 'ts',
  ttlSeconds: 0,
  features: [
    { name: 'txn_count_24h', type: 'int' },
    { name: 'avg_amount', type: 'float' },
  ],
});
const trainingSet = await atl.features.trainingSet({
  labelDataset: { name: 'transactions', version: labels.version },
  eventTimestampColumn: 'event_time',
  entity: 'card',
  featureViews: [{ name: 'card_activity' }],
  output: { dataset: 'fraud-train' },
});

const trained = await atl.jobs
  .train({
    modelName: 'fraud',
    data: { dataset: 'fraud-train', version: trainingSet.version },
    label: 'is_fraud',
    model: { kind: 'mlp', hyperparameters: { hiddenUnits: [16, 8] } },
    maxEpochs: 15,
    optimizer: { kind: 'adam', lr: 0.03 },
    seed: 3,
    features: [
      { name: 'amount', type: 'numeric', transform: 'standardize' },
      { name: 'txn_count_24h', type: 'numeric', transform: 'standardize' },
      { name: 'avg_amount', type: 'numeric', transform: 'standardize' },
    ],
  })
  .wait();
console.log(`trained fraud v${trained.modelVersion}: test auc ${Number((trained.metrics.test as Record<string, number>).auc).toFixed(3)}`);

// Evaluate against a gate before promoting: the promotion is refused (ATL_GATE_REJECTED) if it fails.
const evaluation = await (
  await atl.models.evaluate('fraud', trained.modelVersion!, {
    dataset: { name: 'fraud-train', version: trainingSet.version },
    gate: [{ metric: 'auc', direction: 'higher_is_better', minAbsolute: 0.8 }],
  })
).wait();
console.log(`evaluation verdict: ${evaluation.verdict}`);
await atl.models.promote('fraud', trained.modelVersion!, 'production');

// Online features for serving, and a deployment that joins them by card id.
await atl.features.materialize('card_activity', { mode: 'full' });
await atl.deployments.apply(
  { name: 'fraud', model: 'fraud', routes: [{ alias: 'production', weight: 100 }], featureViews: ['card_activity'] },
  { wait: 'ready' },
);

// Two incoming transactions: the caller knows the amount and the card, nothing else.
const scored = await atl.predict('fraud', {
  instances: [{ amount: 950 }, { amount: 950 }],
  entityKeys: [{ card_id: 'card3' }, { card_id: 'card42' }],
});
const [busyCard, quietCard] = scored.predictions as number[];
console.log(`P(fraud): card3 ${busyCard.toFixed(3)}, card42 ${quietCard.toFixed(3)}`);
console.log(JSON.stringify({ model: scored.model, version: scored.version, verdict: evaluation.verdict, busyCard, quietCard }));
