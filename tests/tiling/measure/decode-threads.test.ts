import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PointColumns } from '../../../core/las/point-columns.ts';
import { MEASURE_FIELDS, openPointSource, type ChunkDecodeTask, type PointSource } from '../../../core/query/point-source.ts';
import { Region, type QueryRegion } from '../../../core/query/region.ts';
import { createFileGetter, type FileGetter } from '../../../tiling/file-getter.ts';
import { startDecodeThreads, type DecodeThreads } from '../../../tiling/measure/decode-threads.ts';
import { REPO_ROOT, sharedPath } from '../../helpers/shared-data.ts';

// A real 3.6 M-point NRW COPC (PDAL-written): queries through the threads must give exactly the rows of the
// same queries decoded on the calling thread alone.
const NRW = sharedPath('derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz');

const REGIONS: [string, QueryRegion][] = [
  ['polygon (a building footprint with buffer)', Region.polygon([[291400, 5744300], [291440, 5744300], [291440, 5744330], [291400, 5744330]], 1)],
  ['slab (a 60 m section, 2 m wide)', Region.slab([291300, 5744500], [291360, 5744520], 1)],
  ['disc (a spot)', Region.disc([291700.5, 5744800.25], 8)],
];

/** Every column of a and b equal, value for value (NaN payloads aside: GPS time compared as bits). */
function expectSameRows(a: PointColumns, b: PointColumns): void {
  expect(a.count).toBe(b.count);
  const keys = Object.keys(b).filter((k) => ArrayBuffer.isView((b as unknown as Record<string, unknown>)[k]));
  expect(Object.keys(a).filter((k) => ArrayBuffer.isView((a as unknown as Record<string, unknown>)[k])).sort()).toEqual(keys.sort());
  for (const k of keys) {
    const x = (a as unknown as Record<string, ArrayLike<number>>)[k]!;
    const y = (b as unknown as Record<string, ArrayLike<number>>)[k]!;
    let same = x.length === y.length;
    for (let i = 0; same && i < x.length; i++) same = Object.is(x[i], y[i]);
    expect(same, `column ${k}`).toBe(true);
  }
}

describe('decode threads', () => {
  let threads: DecodeThreads;
  const getters: FileGetter[] = [];
  let threaded: PointSource;
  let single: PointSource;

  beforeAll(async () => {
    threads = startDecodeThreads({ threads: 2 });
    await threads.ready;
    for (let i = 0; i < 2; i++) getters.push(await createFileGetter(NRW));
    threaded = await openPointSource(getters[0]!, { decodeChunk: threads.decode });
    single = await openPointSource(getters[1]!);
  }, 60_000);

  afterAll(async () => {
    await threads?.close();
    for (const g of getters) await g.close();
  });

  it.each(REGIONS)('give the rows of a single-thread query: %s', async (_name, region) => {
    const before = threads.counts();
    const [a, b] = await Promise.all([threaded.query(region, { fields: MEASURE_FIELDS }), single.query(region, { fields: MEASURE_FIELDS })]);
    expect(a.points.count).toBeGreaterThan(100);
    expectSameRows(a.points, b.points);
    expect(a.stats.nodeKeys).toEqual(b.stats.nodeKeys);
    expect(a.stats.pointsRead).toBe(b.stats.pointsRead);
    // Every node went through the threads: as many tasks as nodes decoded.
    const after = threads.counts();
    const tasks = (c: ReturnType<DecodeThreads['counts']>): number => c.caller + c.workers.reduce((s, n) => s + n, 0);
    expect(tasks(after) - tasks(before)).toBe(a.stats.nodesFetched);
  });

  it('spreads a query over the workers and the calling thread, and serves every field', async () => {
    const before = threads.counts();
    const region = Region.box([291000, 5744000], [291250, 5744250]);
    // All fields (RGB, intensity, flags, GPS time…) of a 250 m square: the upper levels' big nodes and many small ones.
    const [a, b] = await Promise.all([threaded.query(region), single.query(region)]);
    expectSameRows(a.points, b.points);
    const after = threads.counts();
    expect(after.workers.length).toBe(2);
    for (let w = 0; w < 2; w++) expect(after.workers[w]! - before.workers[w]!, `worker ${w}`).toBeGreaterThan(0);
    expect(after.caller - before.caller).toBeGreaterThan(0);
  }, 60_000);

  it('rejects a corrupt chunk with the decoder message naming it, and carries on', async () => {
    const region = Region.disc([291700.5, 5744800.25], 2);
    const good = await single.query(region, { fields: MEASURE_FIELDS });
    const options: ChunkDecodeTask['options'] = { pointFormat: 7, extraBytes: 0, count: 1000, scale: [0.01, 0.01, 0.01], offset: [0, 0, 0], name: 'broken.copc.laz node 3-1-2-0' };
    // A chunk whose header says it holds 5 points where 1000 are expected, and one cut short.
    const header = new Uint8Array(36 + 4 + 4 * 9);
    new DataView(header.buffer).setUint32(36, 5, true);
    const failures = await Promise.allSettled([threads.decode({ chunk: header, options }), threads.decode({ chunk: new Uint8Array(10), options })]);
    for (const f of failures) {
      expect(f.status).toBe('rejected');
      expect(String((f as PromiseRejectedResult).reason.message)).toMatch(/^Invalid LAZ chunk: .* in broken\.copc\.laz node 3-1-2-0$/);
    }
    const again = await threaded.query(region, { fields: MEASURE_FIELDS });
    expectSameRows(again.points, good.points);
  });

  it('finishes queued tasks on the calling thread when closed, and decodes alone with no workers', async () => {
    const alone = startDecodeThreads({ threads: 0 });
    const getter = await createFileGetter(NRW);
    try {
      const source = await openPointSource(getter, { decodeChunk: alone.decode });
      const region = REGIONS[1]![1];
      const [a, b] = await Promise.all([source.query(region, { fields: MEASURE_FIELDS }), single.query(region, { fields: MEASURE_FIELDS })]);
      expectSameRows(a.points, b.points);
      expect(alone.counts()).toEqual({ workers: [], caller: a.stats.nodesFetched });

      const closing = startDecodeThreads({ threads: 1 });
      await closing.ready;
      const closingGetter = await createFileGetter(NRW);
      try {
        const closingSource = await openPointSource(closingGetter, { decodeChunk: closing.decode });
        const pending = closingSource.query(REGIONS[0]![1], { fields: MEASURE_FIELDS });
        await closing.close();
        const reference = await single.query(REGIONS[0]![1], { fields: MEASURE_FIELDS });
        expectSameRows((await pending).points, reference.points);
      } finally {
        await closingGetter.close();
      }
    } finally {
      await alone.close();
      await getter.close();
    }
  }, 60_000);

  it('refuses a bad thread count', () => {
    expect(() => startDecodeThreads({ threads: -1 })).toThrow('Invalid decode thread count: -1');
    expect(() => startDecodeThreads({ threads: 1.5 })).toThrow('Invalid decode thread count: 1.5');
  });

  it('keep a process alive while it awaits their start or their answers, and let it end when idle', async () => {
    // A CLI's top-level await on a worker's answer: unreferenced workers made Node exit with code 13.
    const [e, n] = (REGIONS[2]![1] as unknown as { center: [number, number] }).center;
    const child = await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'bin', 'run-ts.mjs'), join(REPO_ROOT, 'tests', 'tiling', 'measure', 'decode-threads-child.ts'), NRW, String(e), String(n)], { timeout: 60_000 });
    const out = JSON.parse(child.stdout) as { count: number; nodes: number; counts: { workers: number[]; caller: number } };
    const reference = await single.query(REGIONS[2]![1], { fields: MEASURE_FIELDS });
    expect(out.count).toBe(reference.points.count);
    expect(out.counts.workers[0]! + out.counts.caller).toBe(out.nodes);
  }, 90_000);
});
