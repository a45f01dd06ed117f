/**
 * Runs tile jobs (decode LAZ chunks, encode octree nodes) on worker threads (node:worker_threads); with fewer
 * than two threads it runs them on the calling thread.
 */
import { Worker } from 'node:worker_threads';
import { createLazPerf } from 'laz-perf';
import type { LazPerfChunkModule } from '../../core/copc/copc-file.ts';
import type { LazLayout } from '../../core/laz/chunk-encoder.ts';
import { runDecodeJob, runEncodeJob, type DecodeJob, type DecodeResult, type EncodeJob } from './tile-jobs.ts';

interface Waiting {
  readonly worker: number;
  /** Points of the job, counted in the worker's load until it is done. */
  readonly points: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * A fixed set of workers, each job going to the one with the fewest points in hand (jobs differ a lot in size:
 * an octree node holds from one to 100 000 points, so counting jobs leaves one worker idle while another works
 * through a queue of big nodes).
 */
export class WorkerPool {
  /** Number of workers (0: jobs run on the calling thread). */
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly busy: number[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private lazPerf: Promise<LazPerfChunkModule> | undefined;

  constructor(threads: number) {
    this.size = threads >= 2 ? Math.floor(threads) : 0;
    for (let w = 0; w < this.size; w++) {
      const worker = new Worker(new URL('./tile-worker.mjs', import.meta.url));
      worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
        const waiting = this.waiting.get(id);
        this.waiting.delete(id);
        if (!waiting) return;
        this.busy[w]! -= waiting.points;
        if (error !== undefined) waiting.reject(new Error(error));
        else waiting.resolve(result);
      });
      worker.on('error', (error) => {
        for (const [id, waiting] of this.waiting) {
          if (waiting.worker !== w) continue;
          this.waiting.delete(id);
          waiting.reject(error);
        }
      });
      this.workers.push(worker);
      this.busy.push(0);
    }
  }

  /** Encodes `count` PDRF 6/7/8 records into one LAZ chunk (the buffer is transferred: do not reuse it). */
  encode(records: Uint8Array, count: number, layout: LazLayout): Promise<Uint8Array> {
    const job: EncodeJob = { kind: 'encode', records, count, layout };
    if (this.size === 0) return new Promise((resolve) => resolve(runEncodeJob(job)));
    return this.post(job, count, [records.buffer as ArrayBuffer]) as Promise<Uint8Array>;
  }

  /** Decodes LAZ chunks and converts their records (the byte buffer is transferred). */
  decode(job: Omit<DecodeJob, 'kind'>): Promise<DecodeResult> {
    const full: DecodeJob = { kind: 'decode', ...job };
    if (this.size === 0) {
      this.lazPerf ??= createLazPerf() as unknown as Promise<LazPerfChunkModule>;
      return this.lazPerf.then((lazPerf) => runDecodeJob(full, lazPerf));
    }
    return this.post(full, job.chunks.reduce((s, c) => s + c.pointCount, 0), [job.bytes.buffer as ArrayBuffer]) as Promise<DecodeResult>;
  }

  private post(job: EncodeJob | DecodeJob, points: number, transfer: ArrayBuffer[]): Promise<unknown> {
    let w = 0;
    for (let k = 1; k < this.size; k++) if (this.busy[k]! < this.busy[w]!) w = k;
    const id = this.nextId++;
    this.busy[w]! += points;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { worker: w, points, resolve, reject });
      this.workers[w]!.postMessage({ id, job }, transfer);
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }
}
