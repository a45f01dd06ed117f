/**
 * One decode thread of tiling/measure/decode-threads.ts: decodes the chunk tasks it is sent with core/laz and
 * sends the columns back (moved, not copied). Says `ready` once its modules are loaded.
 */
import { parentPort } from 'node:worker_threads';
import type { LazChunkColumns } from '../../core/laz/chunk-decoder.ts';
import { chunkColumnBuffers, runChunkDecodeTask, type ChunkDecodeTask } from '../../core/query/chunk-task.ts';

const port = parentPort!;
port.on('message', (task: ChunkDecodeTask) => {
  let columns: LazChunkColumns;
  try {
    columns = runChunkDecodeTask(task);
  } catch (error) {
    port.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.postMessage({ kind: 'done', columns }, chunkColumnBuffers(columns));
});
port.postMessage({ kind: 'ready' });
