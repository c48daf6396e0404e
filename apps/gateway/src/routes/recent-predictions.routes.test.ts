// Recent predictions read bounded: log objects written where serving nodes write them (real artifact
// store, real database); the route reads at most the 20 newest objects and 4 MiB, newest first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictionLogKeys, type PredictionLogRecord } from '@atelier/contracts';
import { createTestGateway, type TestGateway } from '../../../../test/gateway.js';

let gw: TestGateway;
const json = (res: { body: string }) => JSON.parse(res.body);
let projectId = '';

async function writeLog(model: string, objects: number, inputBytes: number, start: number): Promise<void> {
  for (let i = 0; i < objects; i++) {
    const at = new Date(start + i * 1000);
    const record: PredictionLogRecord = {
      ts: at.toISOString(),
      projectId,
      model,
      version: 1,
      deployment: 'live',
      shadow: false,
      requestId: `req-${i}`,
      latencyMs: 1.5,
      inputs: [{ note: 'x'.repeat(inputBytes) }],
      outputs: [0.5],
    };
    await gw.artifacts.put(predictionLogKeys.object(projectId, model, at, 'node-a', i), Buffer.from(JSON.stringify(record) + '\n'));
  }
}

beforeAll(async () => {
  gw = await createTestGateway();
  const created = await gw.app.inject({ method: 'POST', url: '/v1/projects', headers: gw.adminAuth, payload: { name: 'logs' } });
  projectId = json(created).id;
  for (const name of ['small', 'big']) {
    expect((await gw.app.inject({ method: 'POST', url: '/v1/projects/logs/models', headers: gw.adminAuth, payload: { name } })).statusCode).toBe(201);
  }
  const start = Date.now() - 60_000;
  await writeLog('small', 30, 10, start);
  await writeLog('big', 30, 300_000, start);
});
afterAll(async () => gw?.close());

describe('recent predictions, bounded', () => {
  it('reads at most the 20 newest objects, newest first', async () => {
    const res = await gw.app.inject({ url: '/v1/projects/logs/models/small/predictions?limit=200', headers: gw.adminAuth });
    expect(res.statusCode).toBe(200);
    const items = json(res).items as Array<{ requestId: string }>;
    expect(items.map((i) => i.requestId)).toEqual(Array.from({ length: 20 }, (_, k) => `req-${29 - k}`));
  });

  it('stops at 4 MiB read: big records give fewer, whole, newest ones', async () => {
    const items = json(await gw.app.inject({ url: '/v1/projects/logs/models/big/predictions?limit=200', headers: gw.adminAuth })).items as Array<{ requestId: string; inputs: Array<{ note: string }> }>;
    // 13 objects of ~300 kB fit in 4 MiB whole; the 14th is read from its middle and its cut line dropped
    expect(items.map((i) => i.requestId)).toEqual(Array.from({ length: 13 }, (_, k) => `req-${29 - k}`));
    for (const i of items) expect(i.inputs[0].note).toHaveLength(300_000);
  });
});
