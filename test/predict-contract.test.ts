// One predict contract: the gateway and a standalone serving node validate predict and rank bodies
// with the same schemas (@atelier/contracts) compiled the same way (@atelier/http-edge), so a request
// over a limit is refused by both with the same status, code, detail and field list.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREDICT_LIMITS } from '../packages/contracts/src/index.js';
import { HttpPredictionBackend, predictionsExtension } from '../apps/gateway/src/routes/predictions.routes.js';
import { start as startServing, defaultServingConfig, type ServingHandle } from '../apps/serving/src/index.js';
import { createTestGateway, type TestGateway } from './gateway.js';

const P = '/v1/projects/ml/models/churn';

describe('the predict contract across the gateway and the serving node', () => {
  let gw: TestGateway;
  let node: ServingHandle;
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), 'atelier-contract-cache-'));
    // The gateway proxies to the node's own port, as in a cluster; the node serves nothing (validation comes before routing).
    const proxy: { to?: HttpPredictionBackend } = {};
    gw = await createTestGateway({ extensions: [predictionsExtension({ predict: (r) => proxy.to!.predict(r), rank: (r) => proxy.to!.rank(r) })] });
    node = await startServing(defaultServingConfig({ cacheDir, port: 0, host: '127.0.0.1', reconcileIntervalMs: 60_000 }), {
      catalog: gw.catalog,
      artifacts: gw.artifacts,
      log: () => {},
    });
    proxy.to = new HttpPredictionBackend(node.url!, null);
  });

  afterAll(async () => {
    await node?.stop();
    await gw?.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  /** The same body to both: the gateway (authenticated) and the node's own port. */
  async function both(path: string, body: unknown) {
    const viaGateway = await gw.app.inject({ method: 'POST', url: path, headers: gw.adminAuth, payload: body as object });
    const direct = await fetch(`${node.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const strip = (b: Record<string, unknown>): Record<string, unknown> => ({ ...b, requestId: undefined });
    return {
      gateway: { status: viaGateway.statusCode, type: viaGateway.headers['content-type'], body: strip(JSON.parse(viaGateway.body)) },
      node: { status: direct.status, type: direct.headers.get('content-type'), body: strip((await direct.json()) as Record<string, unknown>) },
    };
  }

  const overLimit: Array<[string, string, unknown, string]> = [
    ['entityKeys', `${P}/predict`, { entityKeys: Array.from({ length: PREDICT_LIMITS.maxEntityKeys + 1 }, (_, i) => ({ user: `u${i}` })) }, '/body/entityKeys'],
    ['featureViews', `${P}/predict`, { instances: [{ a: 1 }], featureViews: Array.from({ length: PREDICT_LIMITS.maxFeatureViews + 1 }, (_, i) => `v${i}`) }, '/body/featureViews'],
    ['candidates', `${P}/rank`, { candidates: Array.from({ length: PREDICT_LIMITS.maxCandidates + 1 }, () => ({ a: 1 })) }, '/body/candidates'],
    ['timeoutMs', `${P}/versions/1/predict`, { instances: [{ a: 1 }], timeoutMs: PREDICT_LIMITS.maxTimeoutMs + 1 }, '/body/timeoutMs'],
  ];

  it.each(overLimit)('refuses too many %s identically on both', async (_what, path, body, field) => {
    const { gateway, node: direct } = await both(path, body);
    expect(gateway.status).toBe(400);
    expect(gateway.type).toMatch(/^application\/problem\+json/);
    expect(gateway.body).toMatchObject({ code: 'ATL_VALIDATION_FAILED', errors: [{ field }] });
    expect(direct).toEqual(gateway);
  });

  it('refuses an unknown field and a too-long requestId identically on both', async () => {
    const { gateway, node: direct } = await both(`${P}/predict`, { instances: [{ a: true }], bogus: 1, requestId: 'x'.repeat(PREDICT_LIMITS.maxRequestIdLength + 1) });
    expect(gateway.status).toBe(400);
    expect((gateway.body.errors as Array<{ field: string }>).map((e) => e.field).sort()).toEqual(['/body/bogus', '/body/requestId']);
    expect(direct).toEqual(gateway);
  });
});
