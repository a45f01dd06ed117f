/**
 * The pool hands tasks to workers that have finished warming up (laz-perf instantiated) first, so a node does not
 * queue inside a worker that is still starting while another one idles.
 */
import { MessageChannel } from 'node:worker_threads';
import { expose } from 'comlink';
import { describe, expect, it } from 'vitest';
import { createWorkerPool, type PoolWorker } from '../../workers/client.ts';
import type { DecodeNodeInput } from '../../workers/decode-api.ts';
import { nodeEndpoint } from './node-endpoint.ts';

/** A pool worker on a message channel whose warmUp resolves after `warmUpMs` and whose decodeNode names it. */
function fakeWorker(index: number, warmUpMs: number, log: string[]): PoolWorker {
  const { port1, port2 } = new MessageChannel();
  const api = {
    warmUp: () => new Promise<void>((resolve) => setTimeout(() => (log.push(`ready ${index}`), resolve()), warmUpMs)),
    decodeNode: async (input: DecodeNodeInput) => {
      log.push(`decode ${input.name} on ${index}`);
      return { count: index };
    },
  };
  expose(api, nodeEndpoint(port2));
  return {
    endpoint: nodeEndpoint(port1),
    terminate: () => {
      port1.close();
      port2.close();
    },
    onError: () => undefined,
  };
}

const input = (name: string): DecodeNodeInput => ({
  compressed: new Uint8Array(4),
  pointCount: 1,
  pointFormat: 6,
  recordLength: 30,
  scale: [0.01, 0.01, 0.01],
  offset: [0, 0, 0],
  centre: [0, 0, 0],
  name,
});

describe('worker pool readiness', () => {
  it('sends the first task to the worker that is ready, not to the first one still warming up', async () => {
    const log: string[] = [];
    const pool = createWorkerPool({ size: 2, createWorker: (i) => fakeWorker(i, i === 0 ? 300 : 20, log) });
    const first = await pool.decodeNode(input('root'));
    expect(first.count).toBe(1);
    expect(log).toEqual(['ready 1', 'decode root on 1']);
    pool.dispose();
  });

  it('keeps a task in the queue, still cancellable, until a worker is ready', async () => {
    const log: string[] = [];
    const pool = createWorkerPool({ size: 1, createWorker: (i) => fakeWorker(i, 200, log) });
    const controller = new AbortController();
    const dropped = pool.decodeNode(input('dropped'), { signal: controller.signal });
    const kept = pool.decodeNode(input('kept'));
    controller.abort();
    await expect(dropped).rejects.toMatchObject({ name: 'AbortError' });
    expect((await kept).count).toBe(0);
    expect(log).toEqual(['ready 0', 'decode kept on 0']);
    pool.dispose();
  });
});
