// Serves the admin console's static build (apps/console/dist, built by Vite) at /console. The gateway
// never imports console code: it is handed a folder of files and serves them. Deep links (/console/p/…)
// fall back to index.html so that the console's client-side router restores the page from the URL.
// Hashed assets are cached for a year; index.html is revalidated on every load, so a new build shows at
// once. A strict Content-Security-Policy: everything comes from this origin (no CDN), no inline script.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface ConsoleStaticOptions {
  /** The folder holding the console's index.html and assets/ (a Vite build). */
  dir: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * style-src needs 'unsafe-inline' because the chart library positions its cursor and legend with
 * style attributes; scripts stay 'self' only. connect-src 'self': the console talks to this gateway.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const MOUNT = '/console';

export async function consoleStaticPlugin(app: FastifyInstance, opts: ConsoleStaticOptions): Promise<void> {
  const root = normalize(opts.dir + sep);

  const send = async (reply: FastifyReply, relative: string): Promise<FastifyReply> => {
    // Resolve inside the build folder only: '..' segments and encoded separators never leave it.
    const path = normalize(join(root, relative));
    const isAsset = path.startsWith(root) && relative !== '' && !relative.endsWith('/');
    let file = isAsset ? path : join(root, 'index.html');
    let body: Buffer;
    try {
      if (isAsset && !(await stat(file)).isFile()) throw new Error('not a file');
      body = await readFile(file);
    } catch {
      // An unknown asset (a stale hashed name) is a 404; any other path is a console route.
      if (isAsset && (relative.startsWith('assets/') || extname(relative) !== '')) {
        return reply.code(404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('Not found');
      }
      file = join(root, 'index.html');
      try {
        body = await readFile(file);
      } catch {
        return reply
          .code(503)
          .type('application/problem+json')
          .header('cache-control', 'no-store')
          .send({
            type: 'about:blank',
            title: 'Console not built',
            status: 503,
            code: 'ATL_CONSOLE_NOT_BUILT',
            detail: `No console build in ${opts.dir}: run \`npm run build -w @atelier/console\` (npm start builds it when missing).`,
          });
      }
    }
    const immutable = file.startsWith(join(root, 'assets') + sep);
    return reply
      .type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream')
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('x-frame-options', 'DENY')
      .send(body);
  };

  app.get(MOUNT, { schema: { hide: true } }, (_request, reply) => reply.redirect(`${MOUNT}/`, 302));
  app.get(`${MOUNT}/*`, { schema: { hide: true } }, (request, reply) => {
    // The router has already percent-decoded the wildcard.
    const relative = (request.params as { '*'?: string })['*'] ?? '';
    return send(reply, relative.includes('\0') ? '' : relative);
  });
}
