/**
 * A COPC node's LAZ chunk as a task that can cross to another thread (Node worker threads, nested Web Workers):
 * the compressed bytes, the options of core/laz's decodeLazChunk and the query region as plain data. Kept apart
 * from point-source.ts so that a decode worker loads core/laz and the region tests only.
 */
import { decodeLazChunk, type LazChunkColumns, type LazChunkDecodeOptions } from '../laz/chunk-decoder.ts';
import { prepareRegion, type QueryRegion } from './region.ts';

/**
 * One chunk for a {@link ChunkDecodeFn}: the compressed bytes (may be transferred, so the caller must not read
 * them afterwards) and the options of decodeLazChunk, with the region as plain data (it crosses threads).
 */
export interface ChunkDecodeTask {
  readonly chunk: Uint8Array;
  readonly options: Omit<LazChunkDecodeOptions, 'region'>;
  readonly region?: QueryRegion;
}

/** Resolves to what `decodeLazChunk(task.chunk, { ...task.options, region: prepareRegion(task.region) })` returns. */
export type ChunkDecodeFn = (task: ChunkDecodeTask) => Promise<LazChunkColumns>;

/** Runs a {@link ChunkDecodeTask} on the calling thread (what a decode thread does with a task it receives). */
export function runChunkDecodeTask(task: ChunkDecodeTask): LazChunkColumns {
  return decodeLazChunk(task.chunk, { ...task.options, ...(task.region ? { region: prepareRegion(task.region) } : {}) });
}

/** The buffers behind a result's columns, each once (to transfer them back from a worker). */
export function chunkColumnBuffers(columns: LazChunkColumns): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const value of Object.values(columns)) if (ArrayBuffer.isView(value)) out.add(value.buffer as ArrayBuffer);
  return [...out];
}
