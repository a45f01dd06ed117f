/**
 * Worker side of WorkerPool: runs tile jobs (tile-jobs.ts) and posts the results back, transferring buffers.
 */
import { parentPort } from 'node:worker_threads';
import { createLazPerf } from 'laz-perf';
import type { LazPerfChunkModule } from '../../core/copc/copc-file.ts';
import { runDecodeJob, runEncodeJob, type DecodeJob, type EncodeJob } from './tile-jobs.ts';

let lazPerf: Promise<LazPerfChunkModule> | undefined;

parentPort!.on('message', async ({ id, job }: { id: number; job: EncodeJob | DecodeJob }) => {
  try {
    if (job.kind === 'encode') {
      const chunk = runEncodeJob(job);
      parentPort!.postMessage({ id, result: chunk }, [chunk.buffer as ArrayBuffer]);
    } else {
      lazPerf ??= createLazPerf() as unknown as Promise<LazPerfChunkModule>;
      const result = runDecodeJob(job, await lazPerf);
      parentPort!.postMessage({ id, result }, [result.records.buffer as ArrayBuffer]);
    }
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
