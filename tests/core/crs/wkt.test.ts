import { describe, expect, it } from 'vitest';
import { parseCrsWkt, parseWktTree } from '../../../core/crs/wkt.ts';
import { buildUtmDhhn2016Wkt, buildUtmWkt, UTM32N_DHHN2016_WKT } from '../../../core/crs/known-wkt.ts';
import { pdalSummary, rawHeaderTruth, SHARED_DATA } from '../../helpers/shared-data.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface TruthVlr { userId: string; recordId: number; text?: string }

/** Every file in header_parse.json with a WKT VLR/EVLR text, relative path + text. */
function filesWithWkt(): { path: string; wkt: string }[] {
  const all = JSON.parse(readFileSync(join(SHARED_DATA, '_ground_truth', 'header_parse.json'), 'utf8')) as any[];
  const out: { path: string; wkt: string }[] = [];
  for (const entry of all) {
    const records = [...entry.vlrs, ...(entry.evlrs ?? [])] as TruthVlr[];
    const wkt = records.find((v) => v.userId === 'LASF_Projection' && v.recordId === 2112 && v.text)?.text;
    if (wkt) out.push({ path: (entry.path as string).slice(2), wkt });
  }
  return out;
}

function pdalIds(path: string): { horizontal?: number; vertical?: number } | undefined {
  let summary: any;
  try {
    summary = pdalSummary(path);
  } catch {
    return undefined; // an empty truth file: PDAL could not read this point format
  }
  const json = summary?.summary?.srs?.json;
  if (!json) return undefined;
  if (json.type === 'CompoundCRS') {
    return { horizontal: json.components[0]?.id?.code, vertical: json.components[1]?.id?.code };
  }
  return { horizontal: json.id?.code };
}

describe('parseWktTree', () => {
  it('reads nested nodes, strings with doubled quotes, numbers, bare words and () brackets', () => {
    const tree = parseWktTree('A["x ""q"" y",-1.5e2,B(EAST, 3),C[]]');
    expect(tree.keyword).toBe('A');
    expect(tree.args[0]).toBe('x "q" y');
    expect(tree.args[1]).toBe(-150);
    const b = tree.args[2] as any;
    expect(b.keyword).toBe('B');
    expect(b.args).toEqual([{ word: 'EAST' }, 3]);
    expect((tree.args[3] as any).args).toEqual([]);
  });

  it('throws Invalid WKT on broken text', () => {
    expect(() => parseWktTree('PROJCS["a",')).toThrow(/^Invalid WKT/);
    expect(() => parseWktTree('not wkt')).toThrow(/^Invalid WKT/);
    expect(() => parseWktTree('A["unterminated]')).toThrow(/unterminated string/);
  });
});

describe('parseCrsWkt on synthetic text', () => {
  it('splits the project compound WKT into UTM 32N (25832) and DHHN2016 (7837)', () => {
    const crs = parseCrsWkt(UTM32N_DHHN2016_WKT);
    expect(crs.name).toBe('ETRS89 / UTM zone 32N + DHHN2016 height');
    expect(crs.horizontal).toMatchObject({ kind: 'projected', epsg: 25832, name: 'ETRS89 / UTM zone 32N', wktVersion: 1 });
    expect(crs.horizontal?.unit).toEqual({ name: 'metre', factor: 1 });
    expect(crs.vertical).toMatchObject({ kind: 'vertical', epsg: 7837, name: 'DHHN2016 height' });
    expect(crs.horizontal?.wkt).toBe(buildUtmWkt(25832));
    expect(crs.horizontal?.wkt.startsWith('PROJCS[')).toBe(true);
    expect(crs.vertical?.wkt.startsWith('VERT_CS[')).toBe(true);
  });

  it('builds zone 33N with central meridian 15', () => {
    const crs = parseCrsWkt(buildUtmDhhn2016Wkt(25833));
    expect(crs.horizontal?.epsg).toBe(25833);
    expect(crs.horizontal?.wkt).toContain('PARAMETER["central_meridian",15]');
    expect(() => buildUtmDhhn2016Wkt(32632 as any)).toThrow(/Invalid horizontal EPSG code: 32632/);
  });

  it('reads a WKT2 COMPOUNDCRS with ID[] codes', () => {
    const wkt2 =
      'COMPOUNDCRS["ETRS89 / UTM zone 32N + DHHN2016 height",' +
      'PROJCRS["ETRS89 / UTM zone 32N",BASEGEOGCRS["ETRS89",DATUM["ETRS89",ELLIPSOID["GRS 1980",6378137,298.257222101]],ID["EPSG",4258]],' +
      'CONVERSION["UTM zone 32N",METHOD["Transverse Mercator"]],CS[Cartesian,2],' +
      'AXIS["easting (E)",east,ORDER[1],LENGTHUNIT["metre",1]],AXIS["northing (N)",north,ORDER[2],LENGTHUNIT["metre",1]],' +
      'ID["EPSG",25832]],' +
      'VERTCRS["DHHN2016 height",VDATUM["Deutsches Haupthoehennetz 2016"],CS[vertical,1],' +
      'AXIS["gravity-related height (H)",up,LENGTHUNIT["metre",1]],ID["EPSG",7837]],' +
      'ID["EPSG",9999]]';
    const crs = parseCrsWkt(wkt2);
    expect(crs.horizontal).toMatchObject({ kind: 'projected', epsg: 25832, wktVersion: 2, unit: { name: 'metre', factor: 1 } });
    expect(crs.vertical).toMatchObject({ kind: 'vertical', epsg: 7837, wktVersion: 2 });
  });

  it('reads the source CRS of a WKT2 BOUNDCRS', () => {
    const wkt =
      'BOUNDCRS[SOURCECRS[PROJCRS["ETRS89 / UTM zone 32N",BASEGEOGCRS["ETRS89",ID["EPSG",4258]],CS[Cartesian,2],' +
      'LENGTHUNIT["metre",1],ID["EPSG",25832]]],TARGETCRS[GEOGCRS["WGS 84",ID["EPSG",4326]]],' +
      'ABRIDGEDTRANSFORMATION["ETRS89 to WGS 84",METHOD["Geocentric translations"]]]';
    const crs = parseCrsWkt(wkt);
    expect(crs.horizontal).toMatchObject({ epsg: 25832, name: 'ETRS89 / UTM zone 32N', unit: { name: 'metre', factor: 1 } });
    expect(crs.vertical).toBeUndefined();
  });

  it('strips trailing NULs of a LAS VLR string', () => {
    expect(parseCrsWkt(`${buildUtmWkt(25832)}\0\0\0`).horizontal?.epsg).toBe(25832);
  });
});

describe('parseCrsWkt on the WKT of every shared-data file', () => {
  const files = filesWithWkt();

  it('finds at least the known WKT files', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  for (const { path, wkt } of files) {
    it(`${path}: EPSG codes agree with PDAL`, () => {
      const crs = parseCrsWkt(wkt);
      expect(crs.horizontal).toBeDefined();
      const truth = pdalIds(path);
      // PDAL reads the WKT only when the header's WKT bit is set; otherwise it used the GeoTIFF keys.
      if (truth && rawHeaderTruth(path)?.wktBit) {
        expect(crs.horizontal?.epsg).toBe(truth.horizontal);
        expect(crs.vertical?.epsg).toBe(truth.vertical);
      }
    });
  }

  it('real compound files: Oregon LCC + NAVD88 ftUS; VicGrid2020 + ellipsoid without codes', () => {
    const copc = files.find((f) => f.path === 'PDAL/test/data/copc/1.2-with-color.copc.laz')!;
    const crs = parseCrsWkt(copc.wkt);
    expect(crs.horizontal?.epsg).toBe(2991);
    expect(crs.vertical?.epsg).toBe(6360);
    expect(crs.vertical?.unit?.factor).toBeCloseTo(0.304800609601219, 15);
    const eb = files.find((f) => f.path === 'untwine/test/data/eb.laz')!;
    const vic = parseCrsWkt(eb.wkt);
    expect(vic.horizontal?.name).toBe('VicGrid2020');
    expect(vic.horizontal?.epsg).toBeUndefined();
    expect(vic.vertical?.name).toBe('Ellipsoid (Meter)');
  });

  it('real WKT2 (managelidar, Lower Saxony) is ETRS89 / UTM 32N', () => {
    const file = files.find((f) => f.path.startsWith('managelidar/'))!;
    const crs = parseCrsWkt(file.wkt);
    expect(crs.horizontal).toMatchObject({ epsg: 25832, wktVersion: 2, unit: { name: 'metre', factor: 1 } });
  });
});
