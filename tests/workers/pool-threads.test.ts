import { Worker } from 'node:worker_threads';
import { nodeEndpoint } from './node-endpoint.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDefaultLazPerf } from '../../core/las/laz.ts';
import { createWorkerPool, type PoolWorker, type WorkerPool } from '../../workers/client.ts';
import type { DecodeNodeInput, LazPerfSource } from '../../workers/decode-api.ts';
import { loadNrwNodeFixture, type NrwNodeFixture } from './nrw-node-fixture.ts';
import { LAZ_BASE_RECORD_LENGTH } from '../../core/laz/laz-layout.ts';
import { runChunkDecodeTask, type ChunkDecodeTask } from '../../core/query/chunk-task.ts';
import { Region, type QueryRegion } from '../../core/query/region.ts';

let nrw: NrwNodeFixture;

/** A pool worker on a Node thread running the given script. */
function threadWorker(script: string): PoolWorker {
  const worker = new Worker(new URL(script, import.meta.url));
  return {
    endpoint: nodeEndpoint(worker),
    terminate: () => void worker.terminate(),
    onError: (listener) => worker.on('error', (error) => listener(error.message)),
  };
}

beforeAll(async () => {
  nrw = await loadNrwNodeFixture();
});

const inputOf = (key: string): Promise<DecodeNodeInput> => nrw.inputOf(key);

describe('worker pool on real threads', () => {
  let pool: WorkerPool;
  afterAll(() => pool?.dispose());

  it('spreads nodes over its workers, transfers the chunks in and gives the same points as the main thread', async () => {
    pool = createWorkerPool({ size: 2, createWorker: () => threadWorker('./node-pool-worker.mjs') });
    expect(pool.mode).toBe('worker');
    expect(pool.size).toBe(2);
    const keys = ['2-0-0-0', '2-1-0-0', '2-0-1-0', '2-1-1-0', '2-2-0-0', '2-3-0-0'];
    const inputs = await Promise.all(keys.map(inputOf));
    const results = await Promise.all(inputs.map((input) => pool.decodeNode(input)));
    // The chunks moved to the workers (transfer), they were not copied.
    for (const input of inputs) expect(input.compressed.byteLength).toBe(0);
    const threads = new Set(results.map((r) => (r as unknown as { threadId: number }).threadId));
    expect(threads.size).toBe(2);
    const main = createWorkerPool({ useWorker: false, lazPerf: getDefaultLazPerf as unknown as LazPerfSource });
    for (const [i, key] of keys.entries()) {
      const expected = await main.decodeNode(await inputOf(key));
      expect(results[i]!.count).toBe(expected.count);
      expect(results[i]!.raw).toEqual(expected.raw);
      expect(results[i]!.positions).toEqual(expected.positions);
    }
    // Queued behind two running tasks, an aborted one never reaches a worker.
    const controller = new AbortController();
    const running = [pool.decodeNode(await inputOf('1-0-0-0')), pool.decodeNode(await inputOf('1-1-0-0'))];
    const queued = await inputOf('1-0-1-0');
    const dropped = pool.decodeNode(queued, { signal: controller.signal });
    controller.abort();
    await expect(dropped).rejects.toMatchObject({ name: 'AbortError' });
    expect(queued.compressed.byteLength).toBeGreaterThan(0); // never sent
    await Promise.all(running);
    expect(pool.pending).toBe(0);
  });

  it('falls back to the main thread when a worker script fails', async () => {
    const broken = createWorkerPool({
      size: 1,
      createWorker: () => threadWorker('./failing-worker.mjs'),
      lazPerf: getDefaultLazPerf as unknown as LazPerfSource,
    });
    // The first task may already be in the dead worker's hands: it answers "aborted" so the caller asks again.
    const first = await broken.decodeNode(await inputOf('0-0-0-0')).then(
      (points) => points.count,
      (error: Error) => error.name,
    );
    expect([(await nrw.copc.loadHierarchy()).get('0-0-0-0')!.pointCount, 'AbortError']).toContain(first);
    expect(broken.mode).toBe('main');
    const again = await broken.decodeNode(await inputOf('0-0-0-0'));
    expect(again.count).toBe((await nrw.copc.loadHierarchy()).get('0-0-0-0')!.pointCount);
    broken.dispose();
  });

  it('decodes measurement chunks (decodeChunk) on its threads like the calling thread, and on the calling thread after a worker fails', async () => {
    const keys = ['2-0-0-0', '2-1-0-0', '2-0-1-0', '2-1-1-0'];
    const region: QueryRegion = Region.box([291000, 5744000], [291600, 5744600]);
    const taskOf = async (key: string): Promise<ChunkDecodeTask> => {
      const input = await inputOf(key);
      const pointFormat = input.pointFormat as 6 | 7 | 8;
      return {
        chunk: input.compressed,
        options: { pointFormat, extraBytes: input.recordLength - LAZ_BASE_RECORD_LENGTH[pointFormat]!, count: input.pointCount, scale: input.scale, offset: input.offset, fields: ['classification'], name: `nrw node ${key}` },
        region,
      };
    };
    const threads = createWorkerPool({ size: 2, createWorker: () => threadWorker('./node-pool-worker.mjs') });
    const broken = createWorkerPool({ size: 1, createWorker: () => threadWorker('./failing-worker.mjs'), lazPerf: getDefaultLazPerf as unknown as LazPerfSource });
    try {
      const tasks = await Promise.all(keys.map(taskOf));
      const expected = tasks.map((t) => runChunkDecodeTask({ ...t, chunk: t.chunk.slice() }));
      const viaThreads = await Promise.all(tasks.map((t) => threads.decodeChunk(t)));
      const viaBroken = await Promise.all(tasks.map((t) => broken.decodeChunk(t)));
      expect(new Set(viaThreads.map((c) => (c as unknown as { threadId: number }).threadId)).size).toBe(2);
      for (const [i, want] of expected.entries()) {
        expect(want.count).toBeGreaterThan(0);
        for (const got of [viaThreads[i]!, viaBroken[i]!]) {
          expect(got.count).toBe(want.count);
          for (const column of ['x', 'y', 'z', 'classification', 'gpsTime'] as const) expect(got[column], `${keys[i]} ${column}`).toEqual(want[column]);
        }
      }
      // The chunk went out as a copy: the caller's bytes are intact (a failed worker's task can run again here).
      for (const t of tasks) expect(t.chunk.byteLength).toBeGreaterThan(0);
      expect(broken.mode).toBe('main');
    } finally {
      threads.dispose();
      broken.dispose();
    }
  });
});
