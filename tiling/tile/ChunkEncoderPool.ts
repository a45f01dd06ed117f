/**
 * Encodes LAZ chunks on worker threads (node:worker_threads), one job per octree node; with fewer than two
 * threads it encodes on the calling thread.
 */
import { Worker } from 'node:worker_threads';
import { encodeChunk, type LazLayout } from '../../core/laz/chunk-encoder.ts';

/** A message to a worker. */
export interface ChunkJob {
  readonly id: number;
  readonly records: Uint8Array;
  readonly count: number;
  readonly layout: LazLayout;
}

/** A worker's answer. */
export interface ChunkResult {
  readonly id: number;
  readonly chunk?: Uint8Array;
  readonly error?: string;
}

interface Waiting {
  resolve(chunk: Uint8Array): void;
  reject(error: Error): void;
}

/** A fixed set of encoding workers fed round-robin by load. */
export class ChunkEncoderPool {
  /** Number of workers (0: encoding on the calling thread). */
  readonly size: number;
  private readonly layout: LazLayout;
  private readonly workers: Worker[] = [];
  private readonly busy: number[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;

  constructor(threads: number, layout: LazLayout) {
    this.layout = layout;
    this.size = threads >= 2 ? Math.floor(threads) : 0;
    for (let w = 0; w < this.size; w++) {
      const worker = new Worker(new URL('./chunk-worker.mjs', import.meta.url));
      worker.on('message', (result: ChunkResult) => {
        this.busy[w]!--;
        const waiting = this.waiting.get(result.id);
        this.waiting.delete(result.id);
        if (!waiting) return;
        if (result.chunk) waiting.resolve(result.chunk);
        else waiting.reject(new Error(`Invalid chunk: ${result.error}`));
      });
      worker.on('error', (error) => {
        for (const waiting of this.waiting.values()) waiting.reject(error);
        this.waiting.clear();
      });
      this.workers.push(worker);
      this.busy.push(0);
    }
  }

  /** Encodes `count` records (the buffer is transferred to a worker: do not use it afterwards). */
  encode(records: Uint8Array, count: number): Promise<Uint8Array> {
    if (this.size === 0) {
      try {
        return Promise.resolve(encodeChunk(records, count, this.layout));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    let w = 0;
    for (let k = 1; k < this.size; k++) if (this.busy[k]! < this.busy[w]!) w = k;
    const id = this.nextId++;
    this.busy[w]!++;
    const job: ChunkJob = { id, records, count, layout: this.layout };
    return new Promise<Uint8Array>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[w]!.postMessage(job, [records.buffer as ArrayBuffer]);
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }
}
