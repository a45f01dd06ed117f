/**
 * Removes temporary files and folders when the process is interrupted (SIGINT, SIGTERM), so that an aborted
 * `twinview tile` leaves neither a partial output nor spill files behind.
 */
import { rmSync } from 'node:fs';

const paths = new Set<string>();

function onSignal(signal: NodeJS.Signals): void {
  for (const path of paths) rmSync(path, { recursive: true, force: true });
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/** Registers a path to remove on interruption; returns the function that unregisters it. */
export function removeOnSignal(path: string): () => void {
  if (paths.size === 0) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  paths.add(path);
  return () => {
    paths.delete(path);
    if (paths.size === 0) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };
}
