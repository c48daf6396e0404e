// The lifecycle in a page: data → train (following each epoch) → promote → deploy → predict, with the
// client configured explicitly. Run it with an admin key (it creates the project when missing).
import { Atelier, isAtelierError } from '@atelier/sdk';

const atl = new Atelier({
  baseUrl: process.env.ATELIER_ENDPOINT ?? 'http://localhost:8080', // the gateway (what `npm start` printed)
  apiKey: process.env.ATELIER_API_KEY, // sent as `Authorization: Bearer …`
  project: process.env.ATELIER_PROJECT ?? 'shop', // default project; any call may pass { project: 'other' }
  timeoutMs: 30_000, // per attempt; 0 = none
  retries: { max: 3, baseDelayMs: 200, maxDelayMs: 10_000 }, // 429/503/network, idempotent calls
});

try {
  await atl.projects.create({ name: atl.project! });
} catch (e) {
  if (!isAtelierError(e, 'ATL_PROJECT_EXISTS')) throw e;
}

// 400 customers: the young ones churn more.
let csv = 'age,income,city,churned\n';
for (let i = 0; i < 400; i++) {
  const age = 18 + ((i * 37) % 60);
  csv += `${age},${20000 + ((i * 7919) % 80000)},${i % 3 ? 'paris' : 'lyon'},${age < 35 && i % 5 !== 0 ? 1 : 0}\n`;
}
const data = await atl.datasets.upload('customers', csv, { format: 'csv' });
console.log(`customers v${data.version}: ${data.rowCount} rows, columns ${data.schema.columns.map((c) => c.name).join(', ')}`);

const job = await atl.jobs
  .train({
    modelName: 'churn',
    data: { dataset: 'customers', version: data.version },
    label: 'churned',
    model: { kind: 'mlp' },
    maxEpochs: 6,
    seed: 7,
    features: [
      { name: 'age', type: 'numeric', transform: 'standardize' },
      { name: 'income', type: 'numeric', transform: 'standardize' },
      { name: 'city', type: 'categorical', transform: 'vocabulary' },
    ],
  })
  .wait({ onEvent: (e) => e.type === 'metric' && console.log(`epoch ${e.data.epoch}: train loss ${Number(e.data.trainLoss).toFixed(4)}`) });

await atl.models.promote('churn', job.modelVersion!, 'production');
const deployment = await atl.deployments.apply(
  { name: 'churn-live', model: 'churn', routes: [{ alias: 'production', weight: 100 }] },
  { wait: 'ready' }, // answers once the serving pool serves it (ATL_DEPLOYMENT_NOT_READY otherwise)
);
const { predictions, version } = await atl.predict('churn', [
  { age: 25, income: 40000, city: 'paris' },
  { age: 60, income: 90000, city: 'lyon' },
]);
console.log(`${deployment.name} (revision ${deployment.revision}) answers with v${version}: ${JSON.stringify(predictions)}`);
console.log(JSON.stringify({ model: 'churn', version, predictions }));
