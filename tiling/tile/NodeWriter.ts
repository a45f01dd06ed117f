/**
 * Writes encoded octree nodes to the output in submission order while the pool encodes ahead: a bounded
 * window of nodes in flight keeps memory flat and both cores busy.
 */
import type { FileHandle } from 'node:fs/promises';
import type { CopcAssembler } from '../../core/copc/writer/CopcAssembler.ts';
import type { VoxelKey } from '../../core/copc/writer/cube.ts';
import type { LazLayout } from '../../core/laz/chunk-encoder.ts';
import type { Progress } from './Progress.ts';
import type { WorkerPool } from './WorkerPool.ts';

/** Encodes and appends node chunks. */
export class NodeWriter {
  private readonly queue: Array<{ key: VoxelKey; count: number; chunk: Promise<Uint8Array> }> = [];
  private readonly window: number;
  nodeCount = 0;
  maxDepth = 0;

  constructor(
    private readonly pool: WorkerPool,
    private readonly layout: LazLayout,
    private readonly assembler: CopcAssembler,
    private readonly handle: FileHandle,
    private readonly progress: Progress,
  ) {
    this.window = Math.max(2, 2 * pool.size);
  }

  /** Queues a node's records (the buffer is handed over); waits while too many nodes are in flight. */
  async add(key: VoxelKey, records: Uint8Array, count: number): Promise<void> {
    if (count === 0) return;
    const chunk = this.pool.encode(records, count, this.layout);
    // Note: a rejected chunk is observed when it is written; this keeps Node from reporting it unhandled.
    chunk.catch(() => undefined);
    this.queue.push({ key, count, chunk });
    while (this.queue.length > this.window) await this.writeNext();
  }

  /** Writes every queued node. */
  async flush(): Promise<void> {
    while (this.queue.length > 0) await this.writeNext();
  }

  private async writeNext(): Promise<void> {
    const { key, count, chunk } = this.queue.shift()!;
    const bytes = await chunk;
    const offset = this.assembler.addChunk(key, count, bytes.byteLength);
    await this.handle.write(bytes, 0, bytes.byteLength, offset);
    this.nodeCount++;
    this.maxDepth = Math.max(this.maxDepth, key[0]);
    this.progress.advance(count);
  }
}
