import { describe, expect, it } from 'vitest';
import {
  createTransform,
  findEastingZonePrefix,
  getProjDefinition,
  normalizeZonePrefixedEasting,
  transformPoint,
} from '../../../core/crs/proj.ts';
import { buildUtmWkt, UTM32N_DHHN2016_WKT } from '../../../core/crs/known-wkt.ts';
import { rawHeaderTruth } from '../../helpers/shared-data.ts';

const NRW = 'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz';

describe('transformPoint', () => {
  it('EPSG:25832 header bounds of the NRW tile give the MANIFEST WGS84 bbox 5.9676–5.9827 E, 51.8077–51.8171 N', () => {
    const b = rawHeaderTruth(NRW).bounds;
    const corners: [number, number][] = [
      [b.minx, b.miny], [b.maxx, b.miny], [b.minx, b.maxy], [b.maxx, b.maxy],
    ];
    const lonLat = corners.map((c) => transformPoint(25832, 4326, c));
    const lons = lonLat.map((p) => p[0]);
    const lats = lonLat.map((p) => p[1]);
    // The MANIFEST states 4 decimals: half a unit of the last digit is 5e-5°.
    expect(Math.abs(Math.min(...lons) - 5.9676)).toBeLessThan(5e-5);
    expect(Math.abs(Math.max(...lons) - 5.9827)).toBeLessThan(5e-5);
    expect(Math.abs(Math.min(...lats) - 51.8077)).toBeLessThan(5e-5);
    expect(Math.abs(Math.max(...lats) - 51.8171)).toBeLessThan(5e-5);
  });

  it('the UTM 32N origin (500 000, 0) is on the central meridian 9° E at the equator', () => {
    const [lon, lat] = transformPoint('EPSG:25832', 'EPSG:4258', [500000, 0]);
    expect(lon).toBeCloseTo(9, 10);
    expect(lat).toBeCloseTo(0, 10);
    const [lon33] = transformPoint(25833, 4326, [500000, 0]);
    expect(lon33).toBeCloseTo(15, 10);
  });

  it('Web Mercator x is R·λ on the sphere R = 6 378 137 m', () => {
    const [x, y] = transformPoint(4326, 3857, [9, 0]);
    expect(x).toBeCloseTo((6378137 * 9 * Math.PI) / 180, 5);
    expect(y).toBeCloseTo(0, 6);
  });

  it('EPSG:4647 eastings are the EPSG:25832 eastings plus 32 000 000 m, both ways', () => {
    const p = [291_537.25, 5_744_812.5, 61.2] as const;
    const prefixed = transformPoint(25832, 4647, p);
    expect(prefixed[0]).toBeCloseTo(32_291_537.25, 6);
    expect(prefixed[1]).toBeCloseTo(p[1], 6);
    expect(prefixed[2]).toBe(61.2);
    const back = transformPoint(4647, 25832, prefixed);
    expect(back[0]).toBeCloseTo(p[0], 6);
    expect(back[1]).toBeCloseTo(p[1], 6);
  });

  it('round-trips 25832 -> 4326 -> 25832 to well under a millimetre', () => {
    const p: [number, number] = [291_987.123, 5_744_001.456];
    const back = transformPoint(4326, 25832, transformPoint(25832, 4326, p));
    expect(Math.abs(back[0] - p[0])).toBeLessThan(1e-6);
    expect(Math.abs(back[1] - p[1])).toBeLessThan(1e-6);
  });

  it('accepts the compound project WKT (split before proj4) and WKT of unknown codes', () => {
    const viaWkt = transformPoint(UTM32N_DHHN2016_WKT, 4326, [291500, 5744500]);
    const viaCode = transformPoint(25832, 4326, [291500, 5744500]);
    expect(viaWkt[0]).toBeCloseTo(viaCode[0], 12);
    const oregonWkt =
      'PROJCS["NAD83 / UTM zone 10N",GEOGCS["NAD83",DATUM["North_American_Datum_1983",SPHEROID["GRS 1980",6378137,298.257222101]],' +
      'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],' +
      'PARAMETER["central_meridian",-123],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],' +
      'PARAMETER["false_northing",0],UNIT["metre",1]]';
    const [lon, lat] = transformPoint(oregonWkt, 4326, [500000, 0]);
    expect(lon).toBeCloseTo(-123, 8);
    expect(lat).toBeCloseTo(0, 8);
  });

  it('the written UTM WKTs, read by proj4 from their parameters alone, match the EPSG proj4 definitions', () => {
    for (const code of [25832, 25833] as const) {
      // Without the top-level AUTHORITY the WKT itself goes to proj4 instead of the built-in definition.
      const anonymous = buildUtmWkt(code).replace(new RegExp(`,AUTHORITY\\["EPSG","${code}"\\]\\]$`), ']');
      expect(anonymous).not.toContain(`"${code}"`);
      expect(getProjDefinition(anonymous)).toBe(anonymous);
      for (const p of [[291_500, 5_744_500], [700_000, 5_300_000]] as [number, number][]) {
        const a = transformPoint(anonymous, 4326, p);
        const b = transformPoint(code, 4326, p);
        expect(Math.abs(a[0] - b[0])).toBeLessThan(1e-9);
        expect(Math.abs(a[1] - b[1])).toBeLessThan(1e-9);
      }
    }
  });

  it('refuses unknown EPSG codes and WKT without a horizontal part', () => {
    expect(() => getProjDefinition(2994)).toThrow(/Invalid CRS: EPSG:2994/);
    expect(() => getProjDefinition('VERT_CS["x",VERT_DATUM["y",2005],UNIT["metre",1]]')).toThrow(/no horizontal part/);
  });

  it('createTransform matches transformPoint', () => {
    const f = createTransform(25832, 4326);
    const p: [number, number] = [291500, 5744500];
    expect(f(p)).toEqual(transformPoint(25832, 4326, p));
  });
});

describe('zone-prefixed eastings', () => {
  it('detects 32xxxxxx and 33xxxxxx eastings, not plain ones', () => {
    expect(findEastingZonePrefix(32_291_500)).toBe(32);
    expect(findEastingZonePrefix(33_400_000)).toBe(33);
    expect(findEastingZonePrefix(291_500)).toBeUndefined();
    expect(findEastingZonePrefix(31_500_000)).toBeUndefined();
    expect(findEastingZonePrefix(32_050_000)).toBeUndefined();
  });

  it('normalises to EPSG:25832 and agrees with the proj4 4647 -> 25832 transform', () => {
    const p = [32_291_500.125, 5_744_500, 70] as const;
    const { point, epsg } = normalizeZonePrefixedEasting(p);
    expect(epsg).toBe(25832);
    const viaProj = transformPoint(4647, 25832, p);
    expect(point[0]).toBeCloseTo(viaProj[0], 6);
    expect(point[1]).toBe(p[1]);
    expect(point[2]).toBe(70);
    expect(normalizeZonePrefixedEasting([291500, 5744500] as const)).toEqual({ point: [291500, 5744500], epsg: undefined });
  });
});
