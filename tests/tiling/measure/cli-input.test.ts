/**
 * The CLI input helpers on their own: `E,N` pairs and rings (zone-prefixed eastings both ways), GeoJSON
 * footprints in their shapes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliInput } from '../../../tiling/measure/cli-input.ts';
import { parsePair, parseRing } from '../../../tiling/measure/cli-input.ts';
import { readFootprints } from '../../../tiling/measure/footprints.ts';

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
