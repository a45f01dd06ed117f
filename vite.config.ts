import { defineConfig } from 'vite';

/** The viewer: index.html at the root, built into dist/. */
export default defineConfig({
  root: '.',
  build: { outDir: 'dist', target: 'es2022', sourcemap: true },
  worker: { format: 'es' },
  server: { fs: { allow: ['.', '../shared'] } },
});
