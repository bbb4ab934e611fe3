import { defineConfig } from 'vite';

/**
 * The web console: built into dist/console/ (served by the service at `/`) by scripts/build.mjs, which
 * passes this folder as the root. `npm run console:dev` serves it with hot reload, the API proxied to a
 * service on 127.0.0.1:8080.
 */
export default defineConfig({
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    // Our own budget is checked by test/unit/console-bundle-size.test.ts (gzipped), not by this warning.
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:8080', '/openapi.json': 'http://127.0.0.1:8080' },
  },
});
