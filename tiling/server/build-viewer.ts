/**
 * Builds the viewer into dist/ with Vite's JavaScript API when dist/ is missing or older than its sources, so
 * that `npm start` on a fresh clone serves a current viewer without a separate build step.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Files and folders whose changes require a rebuild, relative to the repository root. */
const VIEWER_SOURCES = ['index.html', 'vite.config.ts', 'package-lock.json', 'viewer', 'workers', 'core', 'public'];

/** Newest modification time (ms since epoch) of any file below `path`; 0 when it does not exist. */
function newestMtimeMs(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtimeMs(join(path, name)));
  }
  return newest;
}

/** True when `outDir/index.html` is missing or older than any viewer source below `repoRoot`. */
export function isViewerBuildStale(repoRoot: string, outDir = join(repoRoot, 'dist')): boolean {
  const built = join(outDir, 'index.html');
  if (!existsSync(built)) return true;
  const builtMs = statSync(built).mtimeMs;
  return VIEWER_SOURCES.some((source) => newestMtimeMs(join(repoRoot, source)) > builtMs);
}

/**
 * Builds the viewer into `repoRoot/dist` when stale (see {@link isViewerBuildStale}); returns the dist folder and
 * whether it was built now.
 */
export async function ensureViewerBuilt(
  repoRoot: string,
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<{ outDir: string; built: boolean }> {
  const outDir = join(repoRoot, 'dist');
  if (!options.force && !isViewerBuildStale(repoRoot, outDir)) return { outDir, built: false };
  options.log?.('building the viewer into dist/ …');
  const { build } = await import('vite');
  // Note: the viewer bundles three.js and laz-perf's glue into one chunk of ~650 kB; that is expected, not a warning.
  await build({
    root: repoRoot,
    configFile: join(repoRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { chunkSizeWarningLimit: 4096 },
  });
  if (!existsSync(join(outDir, 'index.html'))) throw new Error(`Invalid viewer build: ${outDir}/index.html is missing`);
  return { outDir, built: true };
}
