/**
 * Loads the laz-perf WebAssembly module in the browser. The wasm file is bundled by Vite as an asset of this
 * origin (`?url` import) and handed to Emscripten through `locateFile`, so no request leaves the origin and the
 * CSP needs only 'wasm-unsafe-eval'.
 */
import createLazPerf from 'laz-perf/lib/web/laz-perf.js';
import wasmUrl from 'laz-perf/lib/web/laz-perf.wasm?url';

/** The laz-perf module instance (LASZip, ChunkDecoder, the wasm heap). */
export type LazPerf = Awaited<ReturnType<typeof createLazPerf>>;

let instance: Promise<LazPerf> | undefined;

/** The page's laz-perf instance, created on first use. */
export function loadLazPerf(): Promise<LazPerf> {
  if (!instance) {
    instance = createLazPerf({ locateFile: (path: string) => (path.endsWith('.wasm') ? wasmUrl : path) }) as Promise<LazPerf>;
  }
  return instance;
}

/**
 * Forgets the page's laz-perf instance, so the next {@link loadLazPerf} creates a fresh one. Note: a chunk that
 * makes the WebAssembly code trap (a RuntimeError: out-of-bounds access, abort) can leave the instance's memory
 * in an unknown state; a fresh instance keeps one corrupt node from spoiling the rest.
 */
export function resetLazPerf(): void {
  instance = undefined;
}
