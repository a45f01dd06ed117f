import { readFileSync, rmSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDING_FIELDS, buildingAttributes, footprintRing } from '../../../core/export/building-record.ts';
import { writeBuildingsCsv } from '../../../core/export/buildings-csv.ts';
import { writeBuildingsGeoJson } from '../../../core/export/buildings-geojson.ts';
import {
  GPKG_APPLICATION_ID,
  GPKG_USER_VERSION,
  writeBuildingsGeoPackage,
  type SqlJsLike,
} from '../../../core/export/buildings-geopackage.ts';
import { BUILDING_ROWS, CREATED_AT, HAS_OGRINFO, ogrinfo, ogrinfoRun, ogrToGeoJson, tempDir, writeTemp } from './export-fixtures.ts';

const dir = tempDir();
let sqlJs: Awaited<ReturnType<typeof initSqlJs>>;
beforeAll(async () => {
  sqlJs = await initSqlJs();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Checks a GDAL feature's attributes against the input row (numbers to the written precision). */
function expectAttributes(props: Record<string, unknown>, i: number, tolM: number, tolSigma = tolM): void {
  const a = buildingAttributes(BUILDING_ROWS[i]!);
  for (const f of BUILDING_FIELDS) {
    const want = a[f.name];
    const got = props[f.name];
    if (want === null) expect(got ?? null, f.name).toBeNull();
    else if (typeof want === 'number') {
      const tol = f.name === 'sigma_m' || f.name === 'point_spacing_m' ? tolSigma : tolM;
      expect(Math.abs(Number(got) - want), f.name).toBeLessThanOrEqual(tol);
    }
    else expect(got, f.name).toBe(want);
  }
}

/** Checks a GDAL polygon against the footprint (closed, CCW) with the reference height as Z. */
function expectFootprint(geometry: { type: string; coordinates: unknown } | null, i: number, tol: number): void {
  expect(geometry!.type).toBe('Polygon');
  const ring = (geometry!.coordinates as number[][][])[0]!;
  const { ring: want } = footprintRing(BUILDING_ROWS[i]!, 'reference');
  expect(ring.length).toBe(want.length);
  ring.forEach((c, k) => {
    expect(Math.abs(c[0]! - want[k]![0])).toBeLessThanOrEqual(tol);
    expect(Math.abs(c[1]! - want[k]![1])).toBeLessThanOrEqual(tol);
    expect(Math.abs(c[2]! - BUILDING_ROWS[i]!.result.reference.nhn!)).toBeLessThanOrEqual(tol);
  });
  // Counter-clockwise exterior (shoelace on shifted coordinates is positive).
  let s = 0;
  for (let k = 0; k + 1 < ring.length; k++) {
    s += (ring[k]![0]! - ring[0]![0]!) * (ring[k + 1]![1]! - ring[0]![1]!) - (ring[k + 1]![0]! - ring[0]![0]!) * (ring[k]![1]! - ring[0]![1]!);
  }
  expect(s).toBeGreaterThan(0);
}

function expectEpsg25832(info: string): void {
  expect(info).toMatch(/PROJCRS\["ETRS89 \/ UTM zone 32N"/);
  expect(info).toMatch(/ID\["EPSG",25832\]\]\s*$/m);
}

describe('buildings GeoJSON', () => {
  it('writes a FeatureCollection with the EPSG:25832 crs member, Z at the reference height, nested eaves', () => {
    const fc = JSON.parse(writeBuildingsGeoJson(BUILDING_ROWS));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.crs).toEqual({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25832' } });
    expect(fc.features.length).toBe(2);
    expect(fc.features[0].properties.eaves.length).toBe(2);
    expect(fc.features[1].properties.eave_height_m).toBeNull();
    const flat = JSON.parse(writeBuildingsGeoJson(BUILDING_ROWS, { footprintZ: 'none' }));
    expect(flat.features[0].geometry.coordinates[0][0].length).toBe(2);
    const ridge = JSON.parse(writeBuildingsGeoJson(BUILDING_ROWS, { footprintZ: 'ridge' }));
    expect(ridge.features[0].geometry.coordinates[0][0][2]).toBe(49.873);
  });

  it.skipIf(!HAS_OGRINFO)('GDAL opens it with EPSG:25832, 2 features, the values and 3D footprints', () => {
    const path = writeTemp(dir, 'buildings.geojson', writeBuildingsGeoJson(BUILDING_ROWS));
    const info = ogrinfo(['-ro', '-al', '-so', path]);
    expect(ogrinfoRun(['-ro', '-al', path]).stderr).toBe('');
    expect(info).toMatch(/Feature Count: 2/);
    expect(info).toMatch(/Geometry: 3D Polygon/);
    expectEpsg25832(info);
    const fc = ogrToGeoJson(path);
    fc.features.forEach((f, i) => {
      expectAttributes(f.properties, i, 1e-9);
      expectFootprint(f.geometry, i, 0.0005 + 1e-9);
    });
  });
});

describe('buildings CSV', () => {
  it('writes the WKT column first and one row per building; German Excel variant', () => {
    const text = writeBuildingsCsv(BUILDING_ROWS);
    const lines = text.trimEnd().split('\r\n');
    expect(lines.length).toBe(3);
    expect(lines[0]).toBe(['WKT', ...BUILDING_FIELDS.map((f) => f.name)].join(','));
    // The clockwise input ring comes out counter-clockwise, starting at its last distinct vertex.
    expect(lines[1]).toMatch(/^"POLYGON Z \(\(291424\.208 5744321\.905 38\.413, 291421\.731 5744329\.584 38\.413, /);
    // The quote in a warning is doubled (RFC 4180).
    expect(lines[2]).toContain('"Attika nur straßenseitig erfasst; ""Rückseite"" verdeckt | no eave line; Traufhöhe not applicable"');
    const de = writeBuildingsCsv(BUILDING_ROWS, { locale: 'de' }).split('\r\n');
    expect(de[0]!.split(';')[0]).toBe('\uFEFFWKT');
    expect(writeBuildingsCsv(BUILDING_ROWS, { locale: 'de', bom: false }).startsWith('WKT;')).toBe(true);
    expect(de[1]).toMatch(/^POLYGON Z \(\(291424\.208 5744321\.905 38\.413, /);
    expect(de[1]).toContain(';49,873;');
  });

  it.skipIf(!HAS_OGRINFO)('GDAL reads the German Excel variant (BOM, ";") with its umlauts', () => {
    const path = writeTemp(dir, 'buildings-de.csv', writeBuildingsCsv(BUILDING_ROWS, { locale: 'de' }));
    const fc = ogrToGeoJson(path, undefined, ['KEEP_GEOM_COLUMNS=NO']);
    expect(fc.features.length).toBe(2);
    expect(fc.features[0]!.properties.building_id).toBe('Meerbusch-Büderich 12');
    expect(fc.features[0]!.properties.ridge_nhn).toBe('49,873');
    expectFootprint(fc.features[0]!.geometry, 0, 0.0005 + 1e-9);
  });

  it.skipIf(!HAS_OGRINFO)('GDAL reads the WKT geometry and the values', () => {
    const path = writeTemp(dir, 'buildings.csv', writeBuildingsCsv(BUILDING_ROWS));
    const info = ogrinfo(['-ro', '-al', '-so', path]);
    expect(info).toMatch(/Feature Count: 2/);
    const fc = ogrToGeoJson(path, undefined, ['AUTODETECT_TYPE=YES', 'KEEP_GEOM_COLUMNS=NO']);
    expect(fc.features.length).toBe(2);
    fc.features.forEach((f, i) => {
      const props = { ...f.properties };
      for (const k of Object.keys(props)) if (props[k] === '') props[k] = null;
      expectAttributes(props, i, 0.0005 + 1e-9, 0.00005 + 1e-9);
      expectFootprint(f.geometry, i, 0.0005 + 1e-9);
    });
  });
});

describe('buildings GeoPackage', () => {
  it('refuses to run without an injected sql.js', () => {
    expect(() => writeBuildingsGeoPackage(BUILDING_ROWS)).toThrow(/sqlJs missing/);
  });

  it('has the GeoPackage SQLite header ids, the required tables and GeoPackageBinary blobs', () => {
    const bytes = writeBuildingsGeoPackage(BUILDING_ROWS, { sqlJs: sqlJs as unknown as SqlJsLike, createdAt: CREATED_AT });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(new TextDecoder().decode(bytes.subarray(0, 15))).toBe('SQLite format 3');
    // SQLite file header: offset 60 user_version, offset 68 application_id (big-endian).
    expect(view.getUint32(68)).toBe(GPKG_APPLICATION_ID);
    expect(new TextDecoder().decode(bytes.subarray(68, 72))).toBe('GPKG');
    expect(view.getUint32(60)).toBe(GPKG_USER_VERSION);
    const db = new sqlJs.Database(bytes);
    try {
      const srs = db.exec('SELECT srs_id, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys ORDER BY srs_id')[0]!.values;
      expect(srs.map((r) => r[0])).toEqual([-1, 0, 4326, 7837, 25832]);
      const contents = db.exec("SELECT table_name, data_type, srs_id, last_change, min_x, max_y FROM gpkg_contents ORDER BY table_name")[0]!.values;
      expect(contents.map((r) => r.slice(0, 4))).toEqual([
        ['building_eaves', 'features', 25832, CREATED_AT],
        ['buildings', 'features', 25832, CREATED_AT],
      ]);
      expect(contents[1]![4]).toBe(291409.96);
      expect(contents[1]![5]).toBe(5744329.584);
      const cols = db.exec('SELECT table_name, geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns ORDER BY table_name')[0]!.values;
      expect(cols).toEqual([
        ['building_eaves', 'LINESTRING', 25832, 1, 0],
        ['buildings', 'POLYGON', 25832, 1, 0],
      ]);
      const blob = db.exec('SELECT geom FROM buildings WHERE fid = 1')[0]!.values[0]![0] as Uint8Array;
      const bv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
      expect([blob[0], blob[1], blob[2]]).toEqual([0x47, 0x50, 0]);
      expect(blob[3]).toBe(0b101); // little-endian, envelope xyz
      expect(bv.getInt32(4, true)).toBe(25832);
      expect([bv.getFloat64(8, true), bv.getFloat64(16, true), bv.getFloat64(24, true), bv.getFloat64(32, true)]).toEqual([
        291409.96, 291424.208, 5744318.112, 5744329.584,
      ]);
      expect([bv.getFloat64(40, true), bv.getFloat64(48, true)]).toEqual([38.4125, 38.4125]);
      // WKB after the 56-byte header: NDR, ISO Polygon Z (1003), 1 ring of 5 points.
      expect(blob[56]).toBe(1);
      expect(bv.getUint32(57, true)).toBe(1003);
      expect(bv.getUint32(61, true)).toBe(1);
      expect(bv.getUint32(65, true)).toBe(5);
      expect([bv.getFloat64(69, true), bv.getFloat64(77, true), bv.getFloat64(85, true)]).toEqual([291424.208, 5744321.905, 38.4125]);
      expect(blob.length).toBe(56 + 13 + 5 * 24);
    } finally {
      db.close();
    }
  });

  it.skipIf(!HAS_OGRINFO)('GDAL opens both layers with EPSG:25832, the right counts, values and Z', () => {
    const bytes = writeBuildingsGeoPackage(BUILDING_ROWS, { sqlJs: sqlJs as unknown as SqlJsLike, createdAt: CREATED_AT });
    const path = writeTemp(dir, 'buildings.gpkg', bytes);
    expect(readFileSync(path).length).toBe(bytes.length);
    const b = ogrinfo(['-ro', '-so', path, 'buildings']);
    expect(b).toMatch(/using driver `GPKG' successful/);
    expect(b).toMatch(/Geometry: 3D Polygon/);
    expect(b).toMatch(/Feature Count: 2/);
    expectEpsg25832(b);
    const e = ogrinfo(['-ro', '-so', path, 'building_eaves']);
    expect(e).toMatch(/Geometry: 3D Line String/);
    expect(e).toMatch(/Feature Count: 2/);
    expectEpsg25832(e);
    const fc = ogrToGeoJson(path, 'buildings');
    fc.features.forEach((f, i) => {
      expectAttributes(f.properties, i, 1e-9);
      expectFootprint(f.geometry, i, 1e-9);
    });
    const eaves = ogrToGeoJson(path, 'building_eaves');
    const want = BUILDING_ROWS[0]!.result.eaves;
    eaves.features.forEach((f, k) => {
      expect(f.properties.building_id).toBe(BUILDING_ROWS[0]!.id);
      expect(f.properties.nhn).toBe(want[k]!.nhn);
      const [p, q] = f.geometry!.coordinates as number[][];
      expect(p).toEqual([want[k]!.from[0], want[k]!.from[1], want[k]!.nhn]);
      expect(q).toEqual([want[k]!.to[0], want[k]!.to[1], want[k]!.nhn]);
    });
    // GDAL finds nothing to complain about when it reads every feature.
    const all = ogrinfoRun(['-ro', '-al', path]);
    expect(all.status).toBe(0);
    expect(all.stderr).toBe('');
    expect(all.stdout).toContain('POLYGON Z');
  });
});
