/**
 * One decode thread of tiling/measure/decode-threads.ts: decodes the chunk tasks it is sent with core/laz and
 * sends the columns back (moved, not copied). Says `ready` once its modules are loaded.
 */
import { parentPort } from 'node:worker_threads';
import type { LazChunkColumns } from '../../core/laz/chunk-decoder.ts';
import { runChunkDecodeTask, type ChunkDecodeTask } from '../../core/query/point-source.ts';

/** The buffers of a result's columns, each once. */
function buffersOf(columns: LazChunkColumns): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const value of Object.values(columns)) if (ArrayBuffer.isView(value)) out.add(value.buffer as ArrayBuffer);
  return [...out];
}

const port = parentPort!;
port.on('message', (task: ChunkDecodeTask) => {
  let columns: LazChunkColumns;
  try {
    columns = runChunkDecodeTask(task);
  } catch (error) {
    port.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.postMessage({ kind: 'done', columns }, buffersOf(columns));
});
port.postMessage({ kind: 'ready' });
