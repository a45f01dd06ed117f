/**
 * COPC queries through core/laz's selective decoder against the same queries through laz-perf (decoder:
 * 'laz-perf', whole records): identical columns, rows and order, with and without a node cache; and the `fields`
 * option: only the asked columns (plus x/y/z, returns, channel, GPS time), equal to the full query's, from COPC
 * and LAS sources alike.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { PointColumns } from '../../../core/las/point-columns.ts';
import { MEASURE_FIELDS, openPointSource, type PointSourceOptions } from '../../../core/query/point-source.ts';
import { Region, type QueryRegion } from '../../../core/query/region.ts';
import { createFileGetter, type FileGetter } from '../../../tiling/file-getter.ts';
import { sharedPath } from '../../helpers/shared-data.ts';

const getters: FileGetter[] = [];
afterAll(async () => {
  await Promise.all(getters.map((g) => g.close()));
});

async function open(path: string, options: PointSourceOptions = {}) {
  const g = await createFileGetter(sharedPath(path));
  getters.push(g);
  return openPointSource(g, options);
}

/** Every column as comparable numbers (float64 as bit patterns), keyed by name (extra columns as extra.<name>). */
function columnBits(p: PointColumns): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const add = (name: string, a: ArrayLike<number>): void => {
    out[name] = Array.from(a instanceof Float64Array ? new Uint32Array(a.buffer, a.byteOffset, a.length * 2) : a);
  };
  for (const [name, value] of Object.entries(p)) {
    if (name === 'count') continue;
    if (name === 'extra') for (const [e, column] of Object.entries(value as Record<string, Float64Array>)) add(`extra.${e}`, column);
    else add(name, value as ArrayLike<number>);
  }
  return out;
}

/** Regions around a plan fraction (fx, fy) of the file's extent, sized by s metres. */
function regions(h: { min: readonly number[]; max: readonly number[] }, fx: number, fy: number, s: number): QueryRegion[] {
  const cx = h.min[0]! + (h.max[0]! - h.min[0]!) * fx;
  const cy = h.min[1]! + (h.max[1]! - h.min[1]!) * fy;
  return [
    Region.disc([cx, cy], s),
    Region.slab([cx - 4 * s, cy - s], [cx + 4 * s, cy + s], s / 10),
    Region.polygon([[cx, cy], [cx + 2 * s, cy], [cx + s, cy + 2 * s]], s / 5),
    Region.box([cx - s, cy - s], [cx + s, cy + s], { zmin: (h.min[2]! + h.max[2]!) / 2 }),
  ];
}

const FILES = [
  { path: 'derived/autzen_trim.copc.laz', fx: 0.4, fy: 0.6, s: 30 },
  { path: 'copc.js/src/test/data/ellipsoid.copc.laz', fx: 0.5, fy: 0.3, s: 20 },
  { path: 'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz', fx: 0.37, fy: 0.52, s: 6 },
];

describe.each(FILES)('COPC queries on $path', ({ path, fx, fy, s }) => {
  it('return the same columns and rows as the laz-perf path, cached or not', async () => {
    const ours = await open(path);
    const cached = await open(path, { nodeCacheSize: 8 });
    const reference = await open(path, { decoder: 'laz-perf' });
    let points = 0;
    for (const region of regions(ours.header, fx, fy, s)) {
      const want = await reference.query(region);
      const got = await ours.query(region);
      const fromCache = await cached.query(region);
      points += want.points.count;
      expect(got.points.count, region.kind).toBe(want.points.count);
      expect(columnBits(got.points), region.kind).toEqual(columnBits(want.points));
      expect(columnBits(fromCache.points), region.kind).toEqual(columnBits(want.points));
      expect(got.stats).toEqual(want.stats);
    }
    expect(points).toBeGreaterThan(0);
  });

  it('with fields, decodes only those columns, equal to the full query', async () => {
    const source = await open(path, { nodeCacheSize: 8 });
    for (const region of regions(source.header, fx, fy, s)) {
      const full = columnBits((await source.query(region)).points);
      for (const fields of [MEASURE_FIELDS, ['intensity', 'rgb'] as const, []]) {
        const { points } = await source.query(region, { fields });
        const got = columnBits(points);
        const names = ['x', 'y', 'z', 'returnNumber', 'numberOfReturns', 'scannerChannel', 'gpsTime'];
        if (fields.includes('classification' as never)) names.push('classification');
        if (fields.includes('intensity' as never)) names.push('intensity');
        if (fields.includes('rgb' as never)) names.push('red', 'green', 'blue');
        expect(Object.keys(got).sort(), `${region.kind} ${fields.join()}`).toEqual(names.sort());
        for (const name of names) expect(got[name], `${region.kind} ${name}`).toEqual(full[name]);
      }
    }
  });
});

describe('fields on a LAS source', () => {
  it('give the same columns and rows as the COPC of the same points', async () => {
    const las = await open('PDAL/test/data/las/autzen_trim.las');
    const copc = await open('derived/autzen_trim.copc.laz');
    const region = regions(las.header, 0.4, 0.6, 30)[0]!;
    const a = await las.query(region, { fields: MEASURE_FIELDS });
    const b = await copc.query(region, { fields: MEASURE_FIELDS });
    expect(a.points.count).toBeGreaterThan(0);
    // PDRF 3 has no scanner channel; everything else of the measurement columns is equal.
    const { scannerChannel: _, ...bColumns } = columnBits(b.points);
    expect(columnBits(a.points)).toEqual(bColumns);
    expect(a.points.intensity).toBeUndefined();
  });

  it('rejects an unknown field', async () => {
    const copc = await open('derived/autzen_trim.copc.laz');
    await expect(copc.query(Region.disc([0, 0], 1), { fields: ['colour' as never] })).rejects.toThrow('Invalid query field: colour');
  });
});
