/**
 * The viewer's handle on decoding: runs workers/decode-api.ts in a module Web Worker through comlink, so the page
 * stays responsive while LAZ is decompressed, and falls back to calling the same api on the main thread when a
 * worker cannot be created or fails to start.
 *
 * @example
 * const decoder = createDecodeClient();
 * const result = await decoder.loadPointCloud(new URL('/data/drive-2023.las', location.href).href, { name: '/data/drive-2023.las' });
 */
import { proxy, wrap, type Remote } from 'comlink';
import { decodeApi, type DecodeApi, type DecodeProgress, type LoadPointCloudOptions, type LoadResult } from './decode-api.ts';

/** The options a caller may pass across the worker boundary (plain data, no functions). */
export type DecodeOptions = Pick<LoadPointCloudOptions, 'name' | 'pointBudget' | 'copcMaxDepth'>;

/** Decoding, in a worker or on the main thread. */
export interface DecodeClient {
  /** Where the last call ran (or the next one will): `worker` or `main` (the fallback). */
  readonly mode: 'worker' | 'main';
  /** See decode-api.ts `loadPointCloud`; `url` must be absolute (a worker resolves relative URLs elsewhere). */
  loadPointCloud(url: string, options?: DecodeOptions, onDecode?: DecodeProgress): Promise<LoadResult>;
  /** Ends the worker. */
  dispose(): void;
}

/** Creates the decode client; `useWorker: false` forces the main-thread path. */
export function createDecodeClient(options: { useWorker?: boolean } = {}): DecodeClient {
  let worker: Worker | undefined;
  if (options.useWorker !== false && typeof Worker !== 'undefined') {
    try {
      worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: 'twinview-decode' });
    } catch (error) {
      console.warn('twinview: decoding on the main thread, no worker:', error);
      worker = undefined;
    }
  }
  let remote: Remote<DecodeApi> | undefined = worker ? wrap<DecodeApi>(worker) : undefined;
  // A worker whose script fails to load or throws at the top level reports an 'error' event and never answers.
  const broken = new Promise<never>((_, reject) => {
    worker?.addEventListener('error', (event) => reject(new Error(`decode worker failed: ${event.message}`)), { once: true });
  });
  broken.catch(() => undefined);

  const client: DecodeClient = {
    get mode() {
      return remote ? 'worker' : 'main';
    },
    async loadPointCloud(url, callOptions = {}, onDecode) {
      if (remote) {
        try {
          return await Promise.race([remote.loadPointCloud(url, callOptions, onDecode ? proxy(onDecode) : undefined), broken]);
        } catch (error) {
          console.warn('twinview: decoding on the main thread after a worker failure:', error);
          worker?.terminate();
          worker = undefined;
          remote = undefined;
        }
      }
      return decodeApi.loadPointCloud(url, callOptions, onDecode);
    },
    dispose() {
      worker?.terminate();
      worker = undefined;
      remote = undefined;
    },
  };
  return client;
}
