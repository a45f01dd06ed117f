/**
 * The viewer's handle on decoding: runs workers/decode-api.ts in module Web Workers through comlink, so the page
 * stays responsive while LAZ is decompressed, and falls back to calling the same api on the main thread when a
 * worker cannot be created or fails to start.
 * - `createWorkerPool`: the streaming viewer's pool (navigator.hardwareConcurrency workers, at least 2) for COPC
 *   node decoding and change distances, with transfer of typed arrays both ways and cancellation by AbortSignal;
 * - `createDecodeClient`: one worker loading a whole LAS/LAZ file (or the first COPC levels) for display.
 *
 * @example
 * const pool = createWorkerPool();
 * const points = await pool.decodeNode(input, { signal });
 * const decoder = createDecodeClient();
 * const result = await decoder.loadPointCloud(new URL('/data/drive-2023.las', location.href).href, { name: '/data/drive-2023.las' });
 */
import { proxy, transfer, wrap, type Endpoint, type Remote } from 'comlink';
import {
  decodeApi,
  type ChangeInput,
  type DecodeApi,
  type DecodeNodeInput,
  type DecodeProgress,
  type LazPerfSource,
  type LoadPointCloudOptions,
  type LoadResult,
  type NodePoints,
} from './decode-api.ts';
import type { LazChunkColumns } from '../core/laz/chunk-decoder.ts';
import type { ChunkDecodeTask } from '../core/query/chunk-task.ts';

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

/** Options of one pool task. */
export interface TaskOptions {
  /** Aborting drops the task: a queued task never starts, a running one's result is discarded. */
  readonly signal?: AbortSignal;
}

/** Decoding on several workers at once, or on the main thread where there are none (Node, tests). */
export interface WorkerPool {
  /** `worker` when tasks run in Web Workers, `main` when they run on the calling thread. */
  readonly mode: 'worker' | 'main';
  /** Number of workers (1 in main mode). */
  readonly size: number;
  /** Tasks queued or running. */
  readonly pending: number;
  /** See decode-api.ts `decodeNode`; the input chunk is transferred to the worker (detached here). */
  decodeNode(input: DecodeNodeInput, options?: TaskOptions): Promise<NodePoints>;
  /**
   * See decode-api.ts `decodeChunk` (a measurement query's COPC chunk); the chunk goes to the worker as a copy,
   * so a task caught by a worker failure can still run on the calling thread.
   */
  decodeChunk(task: ChunkDecodeTask, options?: TaskOptions): Promise<LazChunkColumns>;
  /** See decode-api.ts `changeDistances`; the inputs are copied, never transferred (they stay in caches). */
  changeDistances(input: ChangeInput, options?: TaskOptions): Promise<Float32Array>;
  /** Ends the workers; queued tasks reject. */
  dispose(): void;
}

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** Workers to start (default: navigator.hardwareConcurrency, at least 2). */
  readonly size?: number;
  /** False runs every task on the calling thread. */
  readonly useWorker?: boolean;
  /** Main mode only: the laz-perf instance (Node tests pass core's default; the browser build needs a page). */
  readonly lazPerf?: LazPerfSource;
  /** Creates worker `index` (default: a module Web Worker running decode.worker.ts; Node tests use worker_threads). */
  readonly createWorker?: (index: number) => PoolWorker;
}

/** The error a cancelled task rejects with (`name` is `AbortError`, like fetch's). */
export function abortError(): Error {
  const error = new Error('Invalid task: aborted');
  error.name = 'AbortError';
  return error;
}

/** One pool worker as the pool sees it: a comlink endpoint it can end and that reports fatal errors. */
export interface PoolWorker {
  readonly endpoint: Endpoint;
  terminate(): void;
  /** Registers a listener for a fatal error (a script that fails to load, an uncaught exception). */
  onError(listener: (message: string) => void): void;
}

/** The browser's pool worker: a module Web Worker running decode.worker.ts. */
function createBrowserWorker(index: number): PoolWorker {
  const worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module', name: `twinview-decode-${index}` });
  return {
    endpoint: worker,
    terminate: () => worker.terminate(),
    onError: (listener) => worker.addEventListener('error', (event) => listener(event.message)),
  };
}

interface Slot {
  readonly worker: PoolWorker;
  readonly remote: Remote<DecodeApi>;
  /** Rejects when the worker reports an error (a script that fails to load never answers). */
  readonly broken: Promise<never>;
  busy: boolean;
  /** True once the worker answered warmUp (laz-perf instantiated), or failed to: tasks go to ready workers first. */
  ready: boolean;
}

interface Task {
  readonly run: (remote: Remote<DecodeApi> | undefined) => Promise<unknown>;
  readonly resolve: (value: never) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
}

/** A standalone copy of bytes when they are a view into a larger buffer, so transferring cannot detach others. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/**
 * Creates the decode pool: `size` module workers running decode.worker.ts, a FIFO queue, one task per worker at
 * a time. Falls back to the main thread when Worker is missing or a worker fails to start.
 *
 * @example
 * const pool = createWorkerPool();
 * const points = await pool.decodeNode(input, { signal });
 */
export function createWorkerPool(options: WorkerPoolOptions = {}): WorkerPool {
  const createWorker = options.createWorker ?? createBrowserWorker;
  const wanted = options.useWorker !== false && (options.createWorker !== undefined || typeof Worker !== 'undefined');
  const hardware = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  const size = Math.max(1, options.size ?? Math.max(2, hardware));
  const slots: Slot[] = [];
  let failed = false;
  if (wanted) {
    try {
      for (let i = 0; i < size; i++) {
        const worker = createWorker(i);
        const broken = new Promise<never>((_, reject) => {
          worker.onError((message) => {
            console.warn('twinview: decode worker failed, decoding on the main thread:', message);
            failed = true;
            reject(new Error(`decode worker failed: ${message}`));
            // Tasks waiting in the queue for a ready worker now run on the main thread.
            next();
          });
        });
        broken.catch(() => undefined);
        const remote = wrap<DecodeApi>(worker.endpoint);
        const slot: Slot = { worker, remote, broken, busy: false, ready: false };
        slots.push(slot);
        // laz-perf is instantiated while the page still reads the header and hierarchy, not on the first node.
        // Note: a worker without warmUp (a test's script) or whose wasm fails answers an error: it counts as ready
        // (the task then reports the failure).
        const onReady = (): void => {
          slot.ready = true;
          next();
        };
        remote.warmUp().then(() => {
          if (typeof performance !== 'undefined') performance.mark(`twinview:worker-${i}-ready`);
          onReady();
        }, onReady);
      }
    } catch (error) {
      console.warn('twinview: decoding on the main thread, no worker:', error);
      for (const slot of slots) slot.worker.terminate();
      slots.length = 0;
    }
  }
  const queue: Task[] = [];
  let running = 0;

  const next = (): void => {
    while (queue.length > 0) {
      // Note: a task waits in the queue (cancellable) for a free worker that is ready, rather than queueing inside
      // a worker still instantiating laz-perf: the root node waited there up to 130 ms while the other was idle.
      const slot = failed ? undefined : slots.find((s) => !s.busy && s.ready);
      if (slots.length > 0 && !failed && !slot) return;
      const task = queue.shift()!;
      if (task.signal?.aborted) {
        task.reject(abortError());
        continue;
      }
      if (slot) slot.busy = true;
      running++;
      const result = slot
        ? Promise.race([task.run(slot.remote), slot.broken]).catch((error: unknown) => {
            // A task caught by a worker failure runs again on the main thread; its own errors pass through.
            if (failed) return task.run(undefined);
            throw error;
          })
        : task.run(undefined);
      result
        .then(
          (value) => (task.signal?.aborted ? task.reject(abortError()) : task.resolve(value as never)),
          (error: unknown) => task.reject(error),
        )
        .finally(() => {
          if (slot) slot.busy = false;
          running--;
          next();
        });
    }
  };

  const submit = <T>(run: (remote: Remote<DecodeApi> | undefined) => Promise<T>, signal?: AbortSignal): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const task: Task = { run, resolve: resolve as (value: never) => void, reject, signal };
      queue.push(task);
      // A queued task leaves the queue as soon as its signal fires (a running one is dropped when it ends).
      signal?.addEventListener(
        'abort',
        () => {
          const at = queue.indexOf(task);
          if (at < 0) return;
          queue.splice(at, 1);
          reject(abortError());
        },
        { once: true },
      );
      next();
    });

  return {
    get mode() {
      return slots.length > 0 && !failed ? 'worker' : 'main';
    },
    get size() {
      return slots.length > 0 && !failed ? slots.length : 1;
    },
    get pending() {
      return queue.length + running;
    },
    decodeNode(input, taskOptions = {}) {
      return submit(async (remote) => {
        if (!remote) {
          // Note: a chunk transferred to a worker that then failed is detached here; answering "aborted" makes the
          // entity ask for the node again, which now decodes on the main thread.
          if (input.compressed.byteLength === 0 && input.pointCount > 0) throw abortError();
          return decodeApi.decodeNode(input, options.lazPerf);
        }
        const own = { ...input, compressed: ownBuffer(input.compressed) };
        return (await remote.decodeNode(transfer(own, [own.compressed.buffer as ArrayBuffer]))) as NodePoints;
      }, taskOptions.signal);
    },
    decodeChunk(task, taskOptions = {}) {
      return submit(async (remote) => {
        if (!remote) return decodeApi.decodeChunk(task);
        const copy = task.chunk.slice();
        return (await remote.decodeChunk(transfer({ ...task, chunk: copy }, [copy.buffer as ArrayBuffer]))) as LazChunkColumns;
      }, taskOptions.signal);
    },
    changeDistances(input, taskOptions = {}) {
      return submit(async (remote) => (remote ? remote.changeDistances(input) : decodeApi.changeDistances(input)), taskOptions.signal);
    },
    dispose() {
      for (const slot of slots) slot.worker.terminate();
      slots.length = 0;
      for (const task of queue.splice(0)) task.reject(abortError());
    },
  };
}
