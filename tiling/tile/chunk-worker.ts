/**
 * Worker side of ChunkEncoderPool: encodes raw PDRF 6/7/8 records into one LAZ chunk per message.
 */
import { parentPort } from 'node:worker_threads';
import { encodeChunk } from '../../core/laz/chunk-encoder.ts';
import type { ChunkJob, ChunkResult } from './ChunkEncoderPool.ts';

parentPort!.on('message', (job: ChunkJob) => {
  try {
    const chunk = encodeChunk(job.records, job.count, job.layout);
    const result: ChunkResult = { id: job.id, chunk };
    parentPort!.postMessage(result, [chunk.buffer as ArrayBuffer]);
  } catch (error) {
    const result: ChunkResult = { id: job.id, error: error instanceof Error ? error.message : String(error) };
    parentPort!.postMessage(result);
  }
});
