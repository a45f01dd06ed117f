/**
 * The viewer's handle on measuring: runs workers/measure-api.ts in a module Web Worker through comlink, so fetching
 * and decoding the full-resolution nodes of a footprint or slab never blocks the page, and falls back to calling
 * the same api on the main thread when a worker cannot be created or fails.
 *
 * @example
 * const measure = createMeasureClient();
 * const { section } = await measure.cutSection(new URL('/data/drive.copc.laz', location.href).href, { from, to });
 */
import { wrap, type Remote } from 'comlink';
import { measureApi, type MeasureApi } from './measure-api.ts';

/** Measuring, in a worker or on the main thread. */
export interface MeasureClient extends Omit<MeasureApi, 'reset'> {
  /** Where the next call runs: `worker` (started on the first call) or `main` (the fallback). */
  readonly mode: 'worker' | 'main';
  /** Ends the worker. */
  dispose(): void;
}

type AsyncMethod = Exclude<keyof MeasureApi, 'reset'>;

/** Creates the measure client; `useWorker: false` forces the main-thread path (tests, old browsers). */
export function createMeasureClient(options: { useWorker?: boolean; api?: MeasureApi } = {}): MeasureClient {
  const direct = options.api ?? measureApi;
  let wanted = options.useWorker !== false && typeof Worker !== 'undefined';
  let worker: Worker | undefined;
  let remote: Remote<MeasureApi> | undefined;
  let broken: Promise<never> = new Promise<never>(() => undefined);
  // Note: the worker starts on the first measurement, not with the page: most sessions only look.
  const start = (): void => {
    if (!wanted || worker) return;
    try {
      worker = new Worker(new URL('./measure.worker.ts', import.meta.url), { type: 'module', name: 'twinview-measure' });
    } catch (error) {
      console.warn('twinview: measuring on the main thread, no worker:', error);
      wanted = false;
      return;
    }
    remote = wrap<MeasureApi>(worker);
    // A worker whose script fails to load reports an 'error' event and never answers.
    const w = worker;
    broken = new Promise<never>((_, reject) => {
      w.addEventListener('error', (event) => reject(new Error(`measure worker failed: ${event.message}`)), { once: true });
    });
    broken.catch(() => undefined);
  };
  const stop = (): void => {
    worker?.terminate();
    worker = undefined;
    remote = undefined;
  };

  const call = <K extends AsyncMethod>(name: K) =>
    (async (...args: Parameters<MeasureApi[K]>) => {
      start();
      if (remote) {
        const r = remote;
        let started: Promise<unknown>;
        try {
          started = (r[name] as unknown as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (error) {
          started = Promise.reject(error);
        }
        try {
          return await Promise.race([started, broken]);
        } catch (error) {
          // A measurement error (bad footprint, no points) comes back as a rejection too: only a dead worker
          // switches to the main thread.
          if (!(error instanceof Error && error.message.startsWith('measure worker failed'))) throw error;
          console.warn('twinview: measuring on the main thread after a worker failure:', error);
          wanted = false;
          stop();
        }
      }
      return (direct[name] as unknown as (...a: unknown[]) => Promise<unknown>)(...args);
    }) as MeasureApi[K];

  return {
    get mode() {
      return wanted ? 'worker' : 'main';
    },
    checkPick: call('checkPick'),
    spotHeight: call('spotHeight'),
    cutSection: call('cutSection'),
    cutSectionSeries: call('cutSectionSeries'),
    measureBuilding: call('measureBuilding'),
    clipLas: call('clipLas'),
    dispose() {
      wanted = false;
      stop();
    },
  };
}
