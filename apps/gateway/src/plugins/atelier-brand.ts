// Atelier's mark and the Swagger UI theme that carries it at /docs (instead of Swagger's own logo), with a
// link to the console. The console ships its own copy of the mark in its build: the gateway never
// imports console code.
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';

/** An easel-like "A" in a rounded square; readable at 16 px. */
export const ATELIER_LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
<rect width="64" height="64" rx="14" fill="#4f46e5"/>
<path d="M32 12 L48 52 H40.5 L37 42.5 H27 L23.5 52 H16 Z M29.3 36 H34.7 L32 28.4 Z" fill="#fff"/>
<circle cx="48" cy="16" r="5" fill="#f59e0b"/>
</svg>`;

const DOCS_CSS = `
.swagger-ui .topbar { background: #1e1b4b; padding: 6px 0; }
.swagger-ui .topbar .link img { height: 36px; }
.swagger-ui .topbar .download-url-wrapper { display: none; }
.swagger-ui .topbar .link::after { content: 'Atelier API'; color: #fff; font: 600 18px/36px system-ui, sans-serif; margin-left: 10px; }
.atelier-console-link { position: fixed; top: 12px; right: 20px; z-index: 10; color: #fff; background: #4f46e5;
  font: 600 14px system-ui, sans-serif; padding: 6px 12px; border-radius: 6px; text-decoration: none; }
.atelier-console-link:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
`;

// Added after Swagger UI renders: a plain link to the console in the top bar (a static file, so the
// page's script-src 'self' policy holds).
const DOCS_JS = `
window.addEventListener('load', function () {
  var a = document.createElement('a');
  a.href = '/console/'; a.className = 'atelier-console-link'; a.textContent = 'Open the console';
  document.body.appendChild(a);
});
`;

export const DOCS_UI_BRANDING: Pick<FastifySwaggerUiOptions, 'theme' | 'logo'> = {
  theme: {
    title: 'Atelier API — reference',
    css: [{ filename: 'atelier.css', content: DOCS_CSS }],
    js: [{ filename: 'atelier-console-link.js', content: DOCS_JS }],
    favicon: [{ filename: 'favicon.svg', rel: 'icon', type: 'image/svg+xml', sizes: 'any', content: Buffer.from(ATELIER_LOGO_SVG) }],
  },
  logo: { type: 'image/svg+xml', content: Buffer.from(ATELIER_LOGO_SVG), href: '/console/', target: '_self' },
};
