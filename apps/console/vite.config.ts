// The console is a static build served by the gateway at /console: no CDN, everything bundled.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  // Preact's automatic JSX runtime (no React, no Babel plugin needed).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 400, reportCompressedSize: false },
  server: { proxy: { '/v1': 'http://localhost:8080', '/healthz': 'http://localhost:8080' } },
});
