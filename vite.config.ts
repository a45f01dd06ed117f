import { defineConfig } from 'vite';

/**
 * The viewer: index.html at the root, built into dist/.
 * Note: three.js, laz-perf's glue and sql.js make one large chunk (about 1 MB); that is expected, not a warning.
 */
export default defineConfig({
  root: '.',
  build: { outDir: 'dist', target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4096 },
  worker: { format: 'es' },
  server: { fs: { allow: ['.', '../shared'] } },
});
