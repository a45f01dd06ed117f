/**
 * Vitest global setup: builds the viewer into dist/ once before any test file runs, so that several e2e files
 * (running in parallel) never build into the same folder at the same time.
 */
import { ensureViewerBuilt } from '../tiling/server/build-viewer.ts';
import { REPO_ROOT } from './helpers/shared-data.ts';

export default async function setup(): Promise<void> {
  await ensureViewerBuilt(REPO_ROOT, { log: (line) => console.log(line) });
}
