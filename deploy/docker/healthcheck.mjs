/* global process, console, fetch, AbortSignal */
// The image's HEALTHCHECK (plain Node, no dependencies): exits 0 when the app this container runs
// answers GET /healthz, 1 otherwise. One image runs every app on its own port: the gateway (and the
// all-in-one `start`) on PORT (8080), a serving node on ATELIER_SERVING_PORT (8081), a training worker
// alone on ATELIER_WORKER_PORT (8082); the ports this container's settings name are tried in turn, each
// with a short deadline, and one answering 200 is healthy. ATELIER_HEALTHCHECK_URL overrides all of it.
const urls = process.env.ATELIER_HEALTHCHECK_URL
  ? [process.env.ATELIER_HEALTHCHECK_URL]
  : [process.env.PORT || '8080', process.env.ATELIER_SERVING_PORT || '8081', process.env.ATELIER_WORKER_PORT || '8082'].map((port) => `http://127.0.0.1:${port}/healthz`);

for (const url of urls) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    if (res.status === 200) process.exit(0);
  } catch {
    // not listening here (or too slow): try the next one
  }
}
console.error(`unhealthy: no 200 from ${urls.join(', ')}`);
process.exit(1);
