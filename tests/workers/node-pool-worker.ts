/**
 * The decode API in a Node worker thread, for testing the pool across real threads. Note: decode-api.ts loads the
 * browser laz-perf build through a Vite `?url` import that Node cannot resolve, so this worker exposes the same
 * functions over core's Node laz-perf instance; each answer names its thread.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { expose, transfer } from 'comlink';
import { nodeEndpoint } from './node-endpoint.ts';
import type { LazPerfChunkModule } from '../../core/copc/copc-file.ts';
import { getDefaultLazPerf } from '../../core/las/laz.ts';
import { chunkColumnBuffers, runChunkDecodeTask, type ChunkDecodeTask } from '../../core/query/chunk-task.ts';
import { computeChangeDistances, type ChangeInput } from '../../workers/change-distance.ts';
import { decodeCopcNode, nodePointBuffers, type DecodeNodeInput } from '../../workers/node-decode.ts';

const api = {
  async decodeNode(input: DecodeNodeInput) {
    const points = decodeCopcNode((await getDefaultLazPerf()) as unknown as LazPerfChunkModule, input);
    return transfer({ ...points, threadId }, nodePointBuffers(points));
  },
  async changeDistances(input: ChangeInput) {
    const distances = computeChangeDistances(input);
    return transfer(distances, [distances.buffer as ArrayBuffer]);
  },
  decodeChunk(task: ChunkDecodeTask) {
    const columns = runChunkDecodeTask(task);
    return transfer({ ...columns, threadId }, chunkColumnBuffers(columns));
  },
};

expose(api, nodeEndpoint(parentPort!));
