// `atelier-server start` runs the whole platform in one process (what `npm start` runs);
// `atelier-server gateway` runs one app. SIGTERM/SIGINT stop gracefully: stop accepting, finish
// in-flight work, close the database.
import { resolve } from 'node:path';
import { PlatformConfigError, platformConfigFromEnv } from './platform.config.js';
import { ALL_IN_ONE, startPlatform, type AppName } from './platform.js';
import { ensureConsoleBuilt } from './console-build.js';
import { catalogConfigFromEnv, migrateToLatest, openCatalogDatabase } from '@atelier/catalog';

const USAGE = `usage: atelier-server <start|gateway|orchestrator|serving|migrate>
  start         the whole platform in one process (embedded defaults: PGlite + filesystem under ATELIER_DATA_DIR)
  gateway       the REST gateway alone (point DATABASE_URL and S3_* at shared services)
  orchestrator  a training worker alone (ATELIER_WORKER_CORES, ATELIER_WORKER_GPUS, ATELIER_WORKER_CONCURRENCY;
                /healthz /readyz /metrics on ATELIER_WORKER_PORT when set; the chart sets 8082)
  serving       a serving node alone, with its predict routes on ATELIER_SERVING_PORT (default 8081; ATELIER_SERVING_POOL)
  migrate       apply pending database migrations and exit (a deployment's pre-upgrade step; every app also migrates on start)`;

const COMMANDS: Record<string, AppName[]> = { start: ALL_IN_ONE, gateway: ['gateway'], orchestrator: ['orchestrator'], serving: ['serving'] };

/** `atelier-server migrate`: the pending migrations, under the migrator's lock, then exit 0 (2: bad settings, 1: failed). */
async function migrate(): Promise<void> {
  let config;
  try {
    config = catalogConfigFromEnv(process.env, resolve(process.env.ATELIER_DATA_DIR || './.atelier'));
  } catch (err) {
    console.error(`atelier: bad configuration:\n${(err as Error).message.split('\n').map((p) => `  - ${p}`).join('\n')}`);
    process.exit(2);
  }
  const database = await openCatalogDatabase(config);
  try {
    const applied = await migrateToLatest(database.db);
    console.log(applied.length ? `atelier: applied ${applied.length} migrations: ${applied.join(', ')}` : 'atelier: the schema is current (no migration to apply)');
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'start';
  if (command === 'migrate') return migrate();
  const apps = COMMANDS[command];
  if (!apps) {
    console.error(USAGE);
    process.exit(2);
  }
  // A serving node alone listens on its own port (in the all-in-one process the gateway calls it in-process).
  if (command === 'serving') process.env.ATELIER_SERVING_PORT ??= '8081';
  // A training worker alone answers health, readiness and metrics on ATELIER_WORKER_PORT only when it is
  // set (the chart sets 8082): several workers on one host (tests, the multi-replica proof) need no port each.
  let config;
  try {
    config = platformConfigFromEnv(process.env, apps);
  } catch (err) {
    const problems = err instanceof PlatformConfigError ? err.problems : [(err as Error).message];
    console.error(`atelier: bad configuration (${problems.length} ${problems.length === 1 ? 'setting' : 'settings'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(2);
  }
  const startedAt = performance.now();
  // The console is static files the gateway serves; build them first when this checkout's are stale.
  let consoleNote = '';
  if (apps.includes('gateway') && config.consoleBuild) {
    try {
      if ((await ensureConsoleBuilt()) === 'built') consoleNote = ` (built in ${Math.round(performance.now() - startedAt)} ms)`;
    } catch (err) {
      consoleNote = ` (NOT built, /console answers 503: ${(err as Error).message.split('\n')[0]})`;
      console.error(`atelier: the console could not be built; the API runs without it.\n${(err as Error).message}`);
    }
  }
  const platform = await startPlatform(config, apps);
  const gateway = platform.gateway;
  const lines = [`Atelier is running (${apps.join(' + ')}) in ${Math.round(performance.now() - startedAt)} ms`];
  lines.push(`  database:  ${config.catalog.databaseUrl ? 'Postgres (DATABASE_URL)' : `PGlite at ${config.catalog.dataDir}`}`);
  lines.push(`  artifacts: ${config.artifacts.kind === 's3' ? `S3 ${config.artifacts.endpoint}/${config.artifacts.bucket}` : config.artifacts.rootDir}`);
  if (gateway) {
    lines.push(`  API:       ${gateway.url}/v1`);
    lines.push(`  OpenAPI:   ${gateway.url}/openapi.json   Swagger UI: ${gateway.url}/docs`);
    lines.push(`  Console:   ${gateway.url}/console/${consoleNote}`);
    if (gateway.bootstrapAdminKey) {
      lines.push(`  Admin API key (shown once, store it now): ${gateway.bootstrapAdminKey}`);
    } else if (!config.gateway.adminKey) {
      lines.push('  Admin API key: created on first start (set ATELIER_ADMIN_KEY to choose one)');
    }
  }
  if (platform.serving) {
    const s = platform.serving.node.config;
    lines.push(`  serving node: ${s.nodeId} (pool ${s.pool}${platform.serving.url ? `, predict API ${platform.serving.url}/v1` : ', in-process'})`);
  }
  if (platform.orchestrator) {
    const o = platform.orchestrator.config;
    lines.push(`  training worker: ${o.workerId} (${o.cores} cores, ${o.gpus} GPUs, ${o.concurrency} at once)`);
    if (platform.workerEndpoints) lines.push(`  worker health and metrics: ${platform.workerEndpoints.url}/healthz /readyz /metrics`);
  }
  console.log(lines.join('\n'));

  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    console.log(`atelier: ${signal} received, shutting down…`);
    const force = setTimeout(() => {
      console.error('atelier: shutdown took longer than 30 s; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    platform.stop().then(
      () => process.exit(0),
      (err) => {
        console.error('atelier: shutdown failed', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`atelier: failed to start: ${err?.message ?? err}`);
  process.exit(1);
});
