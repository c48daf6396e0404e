// `npm run lint:openapi`: the document clients generate from, checked as they will read it. Starts the
// platform the way `atelier-server start` assembles it (gateway + in-process serving node, so the
// predict routes are in), on an embedded database in a temp dir, writes /openapi.json to a temp file
// and runs Redocly's lint on it with the repository's redocly.yaml. Exits with Redocly's status.
// `-- --out <file>` also keeps the document there (to generate a client from, or read).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { platformConfigFromEnv } from './platform.config.js';
import { startPlatform } from './platform.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = mkdtempSync(join(tmpdir(), 'atelier-openapi-'));

// The document does not depend on where data lives: use the embedded defaults whatever CI exports.
for (const name of ['DATABASE_URL', 'S3_ENDPOINT', 'ATELIER_SERVING_URL', 'ATELIER_SERVING_PORT', 'ATELIER_ADMIN_KEY']) delete process.env[name];
Object.assign(process.env, { ATELIER_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ATELIER_GC_INTERVAL_MS: '0' });

let status = 1;
const platform = await startPlatform(platformConfigFromEnv(process.env), ['serving', 'gateway']);
try {
  const res = await platform.gateway!.app.inject({ method: 'GET', url: '/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`GET /openapi.json answered ${res.statusCode}`);
  const file = join(dataDir, 'openapi.json');
  const document = JSON.stringify(JSON.parse(res.body), null, 2);
  writeFileSync(file, document);
  const out = process.argv.indexOf('--out');
  if (out > 0 && process.argv[out + 1]) writeFileSync(resolve(process.argv[out + 1]), document);
  const redocly = spawnSync(join(root, 'node_modules/.bin/redocly'), ['lint', '--config', join(root, 'redocly.yaml'), file], {
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  status = redocly.status ?? 1;
} finally {
  await platform.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(status);
