import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crsFromGeoKeys, type GeoKey } from '../../../core/crs/geo-keys.ts';
import { findEpsgByName, resolveCrs } from '../../../core/crs/resolve-crs.ts';
import { UTM32N_DHHN2016_WKT } from '../../../core/crs/known-wkt.ts';
import { pdalSummary, SHARED_DATA } from '../../helpers/shared-data.ts';

/** header_parse.json stores GeoTIFF keys as an object { "1024": 1, "3072": 25832 }. */
function parseTruthKeys(obj: Record<string, number>): GeoKey[] {
  return Object.entries(obj).map(([key, value]) => ({ key: Number(key), value }));
}

function pdalIds(path: string): { horizontal: number | null; vertical: number | null } | undefined {
  let json: any;
  try {
    json = pdalSummary(path)?.summary?.srs?.json;
  } catch {
    return undefined;
  }
  if (!json) return undefined;
  if (json.type === 'CompoundCRS') {
    return { horizontal: json.components[0]?.id?.code ?? null, vertical: json.components[1]?.id?.code ?? null };
  }
  return { horizontal: json.id?.code ?? null, vertical: null };
}

describe('crsFromGeoKeys', () => {
  it('reads projected, geographic and vertical codes; ignores 0 and 32767', () => {
    expect(crsFromGeoKeys([{ key: 1024, value: 1 }, { key: 3072, value: 25832 }, { key: 4096, value: 7837 }, { key: 3076, value: 9001 }]))
      .toEqual({ modelType: 'projected', horizontalEpsg: 25832, verticalEpsg: 7837, linearUnitEpsg: 9001 });
    expect(crsFromGeoKeys([{ key: 1024, value: 2 }, { key: 2048, value: 4326 }]))
      .toEqual({ modelType: 'geographic', horizontalEpsg: 4326, geographicEpsg: 4326 });
    expect(crsFromGeoKeys([{ key: 1024, value: 1 }, { key: 2048, value: 32767 }, { key: 3072, value: 32767 }]))
      .toEqual({ modelType: 'projected' });
  });
});

describe('resolveCrs against PDAL on every shared-data file with a CRS', () => {
  const all = JSON.parse(readFileSync(join(SHARED_DATA, '_ground_truth', 'header_parse.json'), 'utf8')) as any[];
  let compared = 0;
  for (const entry of all) {
    const path = (entry.path as string).slice(2);
    const records = [...entry.vlrs, ...(entry.evlrs ?? [])];
    const wkt = records.find((v: any) => v.userId === 'LASF_Projection' && v.recordId === 2112)?.text as string | undefined;
    const keysText = records.find((v: any) => v.userId === 'LASF_Projection' && v.recordId === 34735)?.geokeys;
    if (!wkt && !keysText) continue;
    const truth = pdalIds(path);
    if (!truth) continue;
    compared++;
    it(`${path}: horizontal ${truth.horizontal}, vertical ${truth.vertical}`, () => {
      const crs = resolveCrs({ wkt, geoKeys: keysText ? parseTruthKeys(keysText) : undefined, wktBit: Boolean(entry.wktBit) });
      expect(crs.horizontalEpsg).toBe(truth.horizontal);
      expect(crs.verticalEpsg).toBe(truth.vertical);
      if (crs.horizontalEpsg === null) expect(crs.warnings.join()).toMatch(/Unknown CRS|No CRS/);
    });
  }
  it('compared a meaningful number of files', () => expect(compared).toBeGreaterThanOrEqual(30));
});

describe('resolveCrs rules', () => {
  it('WKT bit set: WKT wins and keys are ignored; clear: keys win', () => {
    const keys = [{ key: 3072, value: 32632 }];
    expect(resolveCrs({ wkt: UTM32N_DHHN2016_WKT, geoKeys: keys, wktBit: true })).toMatchObject({ horizontalEpsg: 25832, verticalEpsg: 7837, source: 'wkt' });
    expect(resolveCrs({ wkt: UTM32N_DHHN2016_WKT, geoKeys: keys, wktBit: false })).toMatchObject({ horizontalEpsg: 32632, verticalEpsg: 7837, source: 'wkt+geokeys' });
  });

  it('unknown CRS keeps the WKT and warns with its unit; no CRS warns too', () => {
    const wkt = 'PROJCS["Local grid",GEOGCS["x",DATUM["d",SPHEROID["s",6378137,298.257]],PRIMEM["G",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],UNIT["foot",0.3048]]';
    const crs = resolveCrs({ wkt });
    expect(crs.wkt).toBe(wkt);
    expect(crs.horizontalEpsg).toBeNull();
    expect(crs.horizontalUnit).toEqual({ name: 'foot', factor: 0.3048 });
    expect(crs.warnings[0]).toMatch(/Unknown CRS "Local grid".*\(foot\)/);
    expect(resolveCrs({}).warnings[0]).toMatch(/No CRS/);
    expect(resolveCrs({ wkt: 'garbage' }).warnings[0]).toMatch(/Unreadable WKT/);
  });

  it('recognises ESRI-style names of the project CRSs without AUTHORITY', () => {
    expect(findEpsgByName('ETRS_1989_UTM_Zone_32N')).toBe(25832);
    expect(findEpsgByName('DHHN2016_height')).toBe(7837);
    expect(findEpsgByName('NAD83 / UTM zone 10N')).toBeUndefined();
  });
});

describe('GeoKey shapes', () => {
  it('accepts core/las records ({ id, location, count, value }) and skips non-numeric values', () => {
    const keys = [
      { id: 1024, location: 0, count: 1, value: 1 },
      { id: 3072, location: 0, count: 1, value: 25832 },
      { id: 4096, location: 0, count: 1, value: 7837 },
      { id: 3073, location: 34737, count: 10, value: 'ETRS89 / UTM 32N' },
    ];
    expect(crsFromGeoKeys(keys)).toEqual({ modelType: 'projected', horizontalEpsg: 25832, verticalEpsg: 7837 });
  });
});
