import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDefaultLazPerf } from '../../core/las/laz.ts';
import { createDecodeClient } from '../../workers/client.ts';
import { loadPointCloud, type DisplayColumns, type LoadPointCloudOptions } from '../../workers/decode-api.ts';
import type { LazPerf } from '../../workers/load-laz-perf.ts';
import { createStaticServer, listen } from '../../tiling/server/static-server.ts';
import { pdalStats, pdalSummary, SHARED_DATA, sharedPath } from '../helpers/shared-data.ts';

// Node has no browser laz-perf; the core default instance (the package's node build) decodes the same way.
const NODE_OPTIONS: LoadPointCloudOptions = { lazPerf: getDefaultLazPerf as () => Promise<LazPerf> };

let server: Server;
let noRanges: Server;
let base: string;
let noRangeBase: string;

function close(s: Server): Promise<void> {
  return new Promise((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  });
}

beforeAll(async () => {
  server = createStaticServer({ appDir: SHARED_DATA, dataDir: SHARED_DATA });
  noRanges = createStaticServer({ appDir: SHARED_DATA, dataDir: SHARED_DATA, ranges: false });
  base = (await listen(server, { port: 0, host: '127.0.0.1' })).url;
  noRangeBase = (await listen(noRanges, { port: 0, host: '127.0.0.1' })).url;
});

afterAll(async () => {
  await close(server);
  await close(noRanges);
});

/** Min and max of a column. */
function range(values: Float64Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return [min, max];
}

/** Checks the X/Y/Z ranges of displayed columns against PDAL's full-read statistics (to the file's 0.01 m scale). */
function expectPdalRanges(columns: DisplayColumns, file: string): void {
  const stats = pdalStats(file).stats.statistic as Array<{ name: string; minimum: number; maximum: number }>;
  for (const [name, column] of [['X', columns.x], ['Y', columns.y], ['Z', columns.z]] as const) {
    const truth = stats.find((s) => s.name === name)!;
    const [min, max] = range(column);
    expect(min, `${file} ${name} min`).toBeCloseTo(truth.minimum, 6);
    expect(max, `${file} ${name} max`).toBeCloseTo(truth.maximum, 6);
  }
}

describe('decode api loadPointCloud', () => {
  it.each(['PDAL/test/data/las/autzen_trim.las', 'PDAL/test/data/laz/autzen_trim.laz', 'PDAL/test/data/las/1.2-with-color.las'])(
    'reads every point of %s over HTTP ranges, matching PDAL',
    async (file) => {
      const progress: number[] = [];
      const result = await loadPointCloud(`${base}data/${file}`, NODE_OPTIONS, (n) => progress.push(n));
      if (!result.ok) throw new Error(JSON.stringify(result.failure));
      const count = pdalSummary(file).summary.num_points;
      expect(result.cloud.kind).toBe(file.endsWith('.laz') ? 'laz' : 'las');
      expect(result.cloud.totalCount).toBe(count);
      expect(result.cloud.columns.count).toBe(count);
      expect(progress).toEqual([count]);
      expectPdalRanges(result.cloud.columns, file);
      expect(result.cloud.columns.red?.length).toBe(count);
    },
  );

  it('thins a LAS file evenly to the point budget', async () => {
    const file = 'PDAL/test/data/las/autzen_trim.las';
    const full = await loadPointCloud(`${base}data/${file}`, NODE_OPTIONS);
    const thinned = await loadPointCloud(`${base}data/${file}`, { ...NODE_OPTIONS, pointBudget: 10_000 });
    if (!full.ok || !thinned.ok) throw new Error('load failed');
    expect(thinned.cloud.totalCount).toBe(110_000);
    expect(thinned.cloud.columns.count).toBe(10_000); // stride 11
    for (const k of [0, 1, 4321, 9999]) expect(thinned.cloud.columns.x[k]).toBe(full.cloud.columns.x[k * 11]);
  });

  it('reads the root and first levels of a COPC file, inside its header bounds', async () => {
    const file = 'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz';
    const result = await loadPointCloud(`${base}data/${file}`, { ...NODE_OPTIONS, copcMaxDepth: 2 });
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    const summary = pdalSummary(file).summary;
    expect(result.cloud.kind).toBe('copc');
    expect(result.cloud.totalCount).toBe(summary.num_points);
    expect(result.cloud.nodeCount).toBeGreaterThan(1);
    expect(result.cloud.nodeCount).toBeLessThanOrEqual(1 + 8 + 64);
    expect(result.cloud.columns.count).toBeGreaterThan(0);
    expect(result.cloud.columns.count).toBeLessThan(summary.num_points);
    const [minX, maxX] = range(result.cloud.columns.x);
    const [minZ, maxZ] = range(result.cloud.columns.z);
    expect(minX).toBeGreaterThanOrEqual(summary.bounds.minx - 0.005);
    expect(maxX).toBeLessThanOrEqual(summary.bounds.maxx + 0.005);
    expect(minZ).toBeGreaterThanOrEqual(summary.bounds.minz - 0.005);
    expect(maxZ).toBeLessThanOrEqual(summary.bounds.maxz + 0.005);
  });

  it('returns failures as data: 404, not LAS, no range support', async () => {
    const missing = await loadPointCloud(`${base}data/none.las`, { ...NODE_OPTIONS, name: '/data/none.las' });
    expect(missing).toMatchObject({ ok: false, failure: { kind: 'notFound', url: '/data/none.las', status: 404 } });
    const notLas = await loadPointCloud(`${base}data/MANIFEST.md`, NODE_OPTIONS);
    expect(notLas).toMatchObject({ ok: false, failure: { kind: 'notLas', detail: 'signature "# Po" instead of "LASF"' } });
    const noRange = await loadPointCloud(`${noRangeBase}data/PDAL/test/data/las/100-points.las`, NODE_OPTIONS);
    expect(noRange).toMatchObject({ ok: false, failure: { kind: 'noRange', status: 200 } });
    const network = await loadPointCloud('http://127.0.0.1:1/data/x.las', NODE_OPTIONS);
    expect(network).toMatchObject({ ok: false, failure: { kind: 'network' } });
  });

  it('reports a truncated LAS file as not readable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'twinview-truncated-'));
    const bytes = readFileSync(sharedPath('PDAL/test/data/las/autzen_trim.las'));
    writeFileSync(join(dir, 'cut.las'), bytes.subarray(0, 100_000));
    const cut = createStaticServer({ appDir: dir, dataDir: dir });
    const { url } = await listen(cut, { port: 0, host: '127.0.0.1' });
    try {
      const result = await loadPointCloud(`${url}data/cut.las`, { ...NODE_OPTIONS, name: '/data/cut.las' });
      expect(result).toMatchObject({ ok: false, failure: { kind: 'notLas', url: '/data/cut.las' } });
      if (!result.ok) expect(result.failure.detail).toMatch(/^Invalid point count: 110000 records/);
    } finally {
      await close(cut);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('decode client', () => {
  it('falls back to the main thread where there is no Worker (Node) and gives the api result', async () => {
    const client = createDecodeClient();
    expect(client.mode).toBe('main');
    const file = 'PDAL/test/data/las/1.2-with-color.las';
    const result = await client.loadPointCloud(`${base}data/${file}`, {});
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    expect(result.cloud.totalCount).toBe(pdalSummary(file).summary.num_points);
    client.dispose();
  });
});
