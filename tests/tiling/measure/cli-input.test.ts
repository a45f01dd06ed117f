/**
 * The CLI input helpers on their own: `E,N` pairs and rings (zone-prefixed eastings both ways), GeoJSON
 * footprints in their shapes, and the LAZ assembly of clip read back by laz-perf through core/las.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBytesGetter } from '../../../core/io/getter.ts';
import { openLas } from '../../../core/las/las-file.ts';
import type { PointColumns } from '../../../core/las/point-columns.ts';
import { writeLas } from '../../../core/las/writer.ts';
import type { CliInput } from '../../../tiling/measure/cli-input.ts';
import { parsePair, parseRing } from '../../../tiling/measure/cli-input.ts';
import { readFootprints } from '../../../tiling/measure/footprints.ts';
import { compressLasToLaz } from '../../../tiling/measure/write-laz.ts';

const work = mkdtempSync(join(tmpdir(), 'twinview-cli-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const plain = { path: 'plain.las', eastingZone: undefined } as unknown as CliInput;
const prefixed = { path: 'prefixed.las', eastingZone: 32 } as unknown as CliInput;

describe('E,N pairs and rings', () => {
  it('parses pairs and brings zone-prefixed eastings to the file convention', () => {
    expect(parsePair('337300.5,5682370.25', 'x', plain)).toEqual([337300.5, 5682370.25]);
    expect(parsePair(' 32337300.5 , 5682370.25 ', 'x', plain)).toEqual([337300.5, 5682370.25]);
    expect(parsePair('337300.5,5682370.25', 'x', prefixed)).toEqual([32337300.5, 5682370.25]);
    expect(parsePair('32337300.5,5682370.25', 'x', prefixed)).toEqual([32337300.5, 5682370.25]);
  });

  it('rejects malformed pairs naming the value and the file', () => {
    for (const bad of ['1', '1,2,3', 'a,b', '1;2', '', '1e,2']) {
      expect(() => parsePair(bad, '--at', plain), bad).toThrow(`Invalid --at: ${bad} (expected E,N in metres) for plain.las`);
    }
  });

  it('accepts open or closed rings in either orientation and rejects degenerate ones', () => {
    const open = parseRing('0,0;10,0;10,5;0,5', 'footprint', plain);
    expect(open).toHaveLength(4);
    expect(parseRing('0,0;0,5;10,5;10,0;0,0;', 'footprint', plain)).toHaveLength(5);
    expect(() => parseRing('0,0;1,1', 'footprint', plain)).toThrow('Invalid footprint: 0,0;1,1 (needs at least 3 distinct');
    expect(() => parseRing('0,0;1,1;2,2', 'footprint', plain)).toThrow('Invalid footprint');
    expect(() => parseRing('0,0;1,x;2,2', 'footprint', plain)).toThrow('vertex "1,x" is not E,N');
  });
});

describe('GeoJSON footprints', () => {
  const write = (name: string, value: unknown): string => {
    const path = join(work, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };
  const square = [[0, 0], [4, 0], [4, 3], [0, 3], [0, 0]];

  it('reads FeatureCollections, Features, bare geometries and MultiPolygons with their ids', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'A', properties: {}, geometry: { type: 'Polygon', coordinates: [square] } },
        { type: 'Feature', properties: { building_id: 'B' }, geometry: { type: 'MultiPolygon', coordinates: [[square], [square.map(([x, y]) => [x! + 10, y])]] } },
        { type: 'Feature', properties: { name: 'C' }, geometry: { type: 'Point', coordinates: [1, 2] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [square] } },
      ],
    };
    const list = await readFootprints(write('fc.geojson', fc));
    expect(list.map((f) => f.id)).toEqual(['A', 'B.1', 'B.2', '4']);
    expect(list[2]!.ring[1]).toEqual([14, 0]);
    expect((await readFootprints(write('f.json', fc.features[0]))).map((f) => f.id)).toEqual(['A']);
    expect((await readFootprints(write('g.json', { type: 'Polygon', coordinates: [square] }))).map((f) => f.id)).toEqual(['1']);
  });

  it('names the file and the problem', async () => {
    await expect(readFootprints(join(work, 'none.geojson'))).rejects.toThrow(/Invalid footprints: .*none\.geojson \(not found\)/);
    await expect(readFootprints(write('bad.json', '{ nope'))).rejects.toThrow(/Invalid footprints: .*bad\.json \(not GeoJSON or GeoPackage/);
    await expect(readFootprints(write('empty.json', { type: 'FeatureCollection', features: [] }))).rejects.toThrow('(no polygon features)');
    const broken = { type: 'Feature', id: 'X', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 'a']]] } };
    await expect(readFootprints(write('broken.json', broken))).rejects.toThrow('(feature X has no valid exterior ring)');
  });
});

describe('LAZ assembly for clip', () => {
  function points(count: number): PointColumns {
    const x = new Float64Array(count);
    const y = new Float64Array(count);
    const z = new Float64Array(count);
    const gpsTime = new Float64Array(count);
    const intensity = new Uint16Array(count);
    const classification = new Uint8Array(count);
    const red = new Uint16Array(count);
    const green = new Uint16Array(count);
    const blue = new Uint16Array(count);
    for (let i = 0; i < count; i++) {
      x[i] = 337000 + (i % 1000) * 0.013;
      y[i] = 5682000 + Math.floor(i / 1000) * 0.021;
      z[i] = 35 + Math.sin(i / 50);
      gpsTime[i] = 370766618 + i * 1e-5;
      intensity[i] = (i * 37) % 65536;
      classification[i] = 1 + (i % 7);
      red[i] = (i * 11) % 65536;
      green[i] = (i * 13) % 65536;
      blue[i] = (i * 17) % 65536;
    }
    return { count, x, y, z, gpsTime, intensity, classification, red, green, blue };
  }

  it('writes a LAZ 1.4 file (two chunks) that laz-perf decodes to the same records as the LAS', async () => {
    const las = writeLas(points(70_000), { version: '1.4', pointFormat: 7, scale: [0.001, 0.001, 0.001], offset: [337000, 5682000, 0], wkt: 'LOCAL_CS["x"]' });
    const laz = compressLasToLaz(las);
    expect(laz.byteLength).toBeLessThan(las.byteLength / 2);
    const a = await openLas(createBytesGetter(las, 'a.las'));
    const b = await openLas(createBytesGetter(laz, 'b.laz'));
    expect(b.compressed).toBe(true);
    expect(b.header.pointFormat).toBe(7);
    expect(b.header.pointCount).toBe(70_000);
    expect(b.wkt).toBe('LOCAL_CS["x"]');
    const ra = await a.readRecords();
    const rb = await b.readRecords();
    expect(Buffer.from(rb.bytes).equals(Buffer.from(ra.bytes))).toBe(true);
  });

  it('refuses formats the encoder does not handle', () => {
    const las = writeLas(points(10), { version: '1.2', pointFormat: 3 });
    expect(() => compressLasToLaz(las)).toThrow('Invalid LAZ output: LAS 1.2');
  });
});
