/**
 * Serves a private copy of the built viewer: dist/ is copied once into a temporary folder, so another test run
 * that rebuilds dist/ in the same working tree (Vitest's global setup does when sources changed) cannot pull
 * files from under a page that is loading.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureViewerBuilt } from '../../tiling/server/build-viewer.ts';
import { REPO_ROOT, type RunningViewer } from '../../tiling/server/serve-viewer.ts';
import { createStaticServer, listen } from '../../tiling/server/static-server.ts';

/** A copy of dist/, shared by the servers of one test file or benchmark; `dispose` removes it. */
export interface ViewerSnapshot {
  readonly appDir: string;
  /** Serves the snapshot with a data folder on a free loopback port. */
  serve(options: { dataDir: string; ranges?: boolean }): Promise<RunningViewer>;
  dispose(): void;
}

/** Builds dist/ when stale and copies it. */
export async function snapshotViewer(): Promise<ViewerSnapshot> {
  const { outDir } = await ensureViewerBuilt(REPO_ROOT);
  const appDir = mkdtempSync(join(tmpdir(), 'twinview-dist-'));
  cpSync(outDir, appDir, { recursive: true });
  return {
    appDir,
    async serve({ dataDir, ranges }) {
      const server = createStaticServer({ appDir, dataDir, ...(ranges !== undefined ? { ranges } : {}) });
      const { url, port } = await listen(server, { port: 0, host: '127.0.0.1' });
      const close = (): Promise<void> =>
        new Promise((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
      return { url, port, server, close };
    },
    dispose: () => rmSync(appDir, { recursive: true, force: true }),
  };
}
