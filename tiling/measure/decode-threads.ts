/**
 * LAZ chunk decoding on every core for the measurement commands: a query's nodes are decoded by worker threads
 * AND by the calling thread, which would otherwise sit idle until the query returns. Plugged into core/query as
 * `PointSourceOptions.decodeChunk`.
 *
 * Scheduling: tasks wait in one queue, largest chunk first (a big shallow node started last would finish
 * last). An idle, started worker takes the next task; the calling thread takes one per turn of the event loop
 * (setImmediate), so between its tasks the workers' answers are handled and they get their next ones. Until the
 * workers have started (loading the TypeScript loader and core/laz takes a few hundred milliseconds) the calling
 * thread decodes everything alone, so a one-shot command never waits for them.
 *
 * @example
 * const threads = startDecodeThreads();
 * const source = await openPointSource(getter, { decodeChunk: threads.decode });
 * // … queries …
 * await threads.close();
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LazChunkColumns } from '../../core/laz/chunk-decoder.ts';
import { runChunkDecodeTask, type ChunkDecodeFn, type ChunkDecodeTask } from '../../core/query/chunk-task.ts';

/** Options of {@link startDecodeThreads}. */
export interface DecodeThreadsOptions {
  /** Worker threads besides the calling thread (default: cores − 1; 0 decodes on the calling thread only). */
  readonly threads?: number;
}

/** Running decode threads. */
export interface DecodeThreads {
  /** Decodes a chunk on a worker or on the calling thread, whichever is free first. */
  readonly decode: ChunkDecodeFn;
  /** Worker threads (the calling thread comes on top). */
  readonly threads: number;
  /** Resolves once every worker has loaded its modules (or died); tasks do not wait for it. */
  readonly ready: Promise<void>;
  /** Tasks decoded so far by each worker and by the calling thread. */
  readonly counts: () => { readonly workers: readonly number[]; readonly caller: number };
  /** Ends the workers; tasks still queued are decoded on the calling thread. */
  close(): Promise<void>;
}

/** A task in the queue. */
interface Pending {
  readonly task: ChunkDecodeTask;
  readonly resolve: (columns: LazChunkColumns) => void;
  readonly reject: (error: Error) => void;
}

/** A worker and its state. */
interface Slot {
  readonly worker: Worker;
  ready: boolean;
  /** Tasks sent and not yet answered, oldest first (a worker answers in order). */
  readonly running: Pending[];
  done: number;
}

/** A message from a decode thread (tiling/measure/decode-thread.ts). */
type ThreadMessage = { readonly kind: 'ready' } | { readonly kind: 'done'; readonly columns: LazChunkColumns } | { readonly kind: 'failed'; readonly message: string };

const WORKER_QUEUE_DEPTH = 2;

const WORKER_URL = new URL('./decode-thread.mjs', import.meta.url);

/** Starts the worker threads (an idle, started pool never keeps the process alive: workers are referenced only while they start or hold tasks). */
export function startDecodeThreads(options: DecodeThreadsOptions = {}): DecodeThreads {
  const count = options.threads ?? Math.max(0, availableParallelism() - 1);
  if (!Number.isInteger(count) || count < 0) throw new Error(`Invalid decode thread count: ${options.threads}`);
  const queue: Pending[] = [];
  const slots: Slot[] = [];
  let callerDone = 0;
  let callerScheduled = false;
  let closed = false;

  const take = (): Pending | undefined => {
    // Largest chunk first: the queue holds a query's nodes, a handful to a few dozen.
    let best = 0;
    for (let i = 1; i < queue.length; i++) if (queue[i]!.task.options.count > queue[best]!.task.options.count) best = i;
    return queue.splice(best, 1)[0];
  };

  const runOnCaller = (pending: Pending): void => {
    try {
      pending.resolve(runChunkDecodeTask(pending.task));
    } catch (error) {
      pending.reject(error instanceof Error ? error : new Error(String(error)));
    }
    callerDone++;
  };

  const pump = (): void => {
    for (const slot of slots) {
      // Two tasks per worker: while the calling thread decodes (its answers wait until the calling thread's
      // task ends) a worker goes on with its second one instead of idling.
      while (slot.ready && slot.running.length < WORKER_QUEUE_DEPTH && queue.length > 0) {
        const pending = take()!;
        // A worker with work keeps the process alive: the caller may be awaiting nothing but its answer.
        if (slot.running.length === 0) slot.worker.ref();
        slot.running.push(pending);
        const { chunk } = pending.task;
        // The chunk is moved, not copied; a view on part of a larger buffer is copied first.
        const own = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : chunk.slice();
        slot.worker.postMessage({ ...pending.task, chunk: own }, [own.buffer as ArrayBuffer]);
      }
    }
    if (queue.length > 0 && !callerScheduled) {
      callerScheduled = true;
      setImmediate(() => {
        callerScheduled = false;
        const pending = take();
        if (pending) runOnCaller(pending);
        pump();
      });
    }
  };

  const started: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    // Referenced while starting (someone may be awaiting `ready`), then only while it holds tasks.
    const worker = new Worker(WORKER_URL);
    started.push(
      new Promise<void>((resolve) => {
        worker.on('message', (m: ThreadMessage) => m.kind === 'ready' && resolve());
        worker.once('error', () => resolve());
        worker.once('exit', () => resolve());
      }),
    );
    const slot: Slot = { worker, ready: false, running: [], done: 0 };
    slots.push(slot);
    worker.on('message', (message: ThreadMessage) => {
      if (message.kind === 'ready') {
        slot.ready = true;
        if (slot.running.length === 0) worker.unref();
      } else {
        const pending = slot.running.shift();
        if (!pending) return; // answered after close() handed its tasks to the caller
        if (slot.running.length === 0) slot.worker.unref();
        slot.done++;
        if (message.kind === 'done') pending.resolve(message.columns);
        else pending.reject(new Error(message.message));
      }
      pump();
    });
    worker.on('error', (error) => {
      // A thread that dies hands its task back: the other threads and the caller carry on without it.
      slots.splice(slots.indexOf(slot), 1);
      queue.push(...slot.running.splice(0));
      if (!closed) process.emitWarning(`decode thread failed: ${error.message}`);
      pump();
    });
  }

  return {
    threads: count,
    ready: Promise.all(started).then(() => undefined),
    decode: (task) =>
      new Promise<LazChunkColumns>((resolve, reject) => {
        queue.push({ task, resolve, reject });
        pump();
      }),
    counts: () => ({ workers: slots.map((s) => s.done), caller: callerDone }),
    close: async () => {
      closed = true;
      const running = slots.splice(0);
      for (const slot of running) queue.push(...slot.running.splice(0));
      pump();
      await Promise.all(running.map((s) => s.worker.terminate()));
    },
  };
}
