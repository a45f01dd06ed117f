import { rmSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBuildingsCsv } from '../../../core/export/buildings-csv.ts';
import { writeBuildingsGeoJson } from '../../../core/export/buildings-geojson.ts';
import { writeBuildingsGeoPackage, type SqlJsLike } from '../../../core/export/buildings-geopackage.ts';
import { writeSectionCsv } from '../../../core/export/section-csv.ts';
import { writeSectionDxf2d, writeSectionDxf3d } from '../../../core/export/section-dxf.ts';
import { writeSectionLandXml } from '../../../core/export/section-landxml.ts';
import type { CrossSection } from '../../../core/measure/cross-section.ts';
import { CREATED_AT, HAS_OGRINFO, ogrinfoRun, ogrToGeoJson, tempDir, writeTemp } from './export-fixtures.ts';
import { child, parseXml } from './mini-xml.ts';

const dir = tempDir();
let sqlJs: SqlJsLike;
beforeAll(async () => {
  sqlJs = (await initSqlJs()) as unknown as SqlJsLike;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A plain 6 m surface without kerbs, going north (the section frame is recovered from e/n and distM). */
const PLAIN: CrossSection = {
  schemaVersion: 1,
  lengthM: 6,
  profile: [0, 2.5, 6].map((d, k) => ({ distM: d, offsetM: d - 3, e: 300000.25, n: 5700000.5 + d, h: 35.125 + [0, 0.04, -0.01][k]! })),
  kerbs: [],
  segments: [],
  carriageway: null,
  footpaths: [],
  warnings: ['no kerbs found'],
  warningDetails: [{ code: 'section-no-kerbs', params: {} }],
};

describe('exporters on edge cases', () => {
  it('a section without kerbs or segments still exports as one part in every section format', () => {
    expect(writeSectionCsv(PLAIN).trimEnd().split('\r\n').length).toBe(4);
    expect(writeSectionDxf2d(PLAIN)).toContain('QP_GELAENDE');
    expect(writeSectionDxf3d(PLAIN)).toContain('5700006');
    const root = parseXml(writeSectionLandXml(PLAIN, { createdAt: CREATED_AT }));
    const al = child(child(root, 'Alignments'), 'Alignment');
    const line = child(child(al, 'CoordGeom'), 'Line');
    // The cut runs north, so the axis runs west (to the left), its middle at the cut's middle.
    expect(child(line, 'Start').text).toBe('5700003.500 300001.250');
    expect(child(line, 'End').text).toBe('5700003.500 299999.250');
    const pts = child(child(child(child(al, 'CrossSects'), 'CrossSect'), 'CrossSectSurf'), 'PntList2D').text;
    expect(pts).toBe('-3.000 35.125 -0.500 35.165 3.000 35.115');
  });

  it('refuses a profile that cannot define the section line', () => {
    const one: CrossSection = { ...PLAIN, profile: PLAIN.profile.slice(0, 1) };
    expect(() => writeSectionLandXml(one)).toThrow(/Invalid section/);
    expect(() => writeSectionLandXml([])).toThrow(/no sections/);
  });

  it.skipIf(!HAS_OGRINFO)('GDAL reads the plain section DXFs', () => {
    const p2 = writeTemp(dir, 'plain-2d.dxf', writeSectionDxf2d(PLAIN));
    const p3 = writeTemp(dir, 'plain-3d.dxf', writeSectionDxf3d(PLAIN));
    const g2 = ogrToGeoJson(p2).features.filter((f) => f.properties.Layer === 'QP_GELAENDE');
    expect(g2.length).toBe(1);
    expect(g2[0]!.geometry!.coordinates).toEqual([[0, 35.125, 0], [2.5, 35.165, 0], [6, 35.115, 0]]);
    const g3 = ogrToGeoJson(p3).features.filter((f) => f.properties.Layer === 'QP_GELAENDE');
    expect(g3[0]!.geometry!.coordinates).toEqual([[300000.25, 5700000.5, 35.125], [300000.25, 5700003, 35.165], [300000.25, 5700006.5, 35.115]]);
  });

  it('no buildings: empty but valid outputs', () => {
    expect(JSON.parse(writeBuildingsGeoJson([])).features).toEqual([]);
    expect(writeBuildingsCsv([]).trimEnd().split('\r\n').length).toBe(1);
    expect(writeBuildingsGeoPackage([], { sqlJs, createdAt: CREATED_AT }).length).toBeGreaterThan(1000);
  });

  it.skipIf(!HAS_OGRINFO)('GDAL opens an empty GeoPackage with both layers and their CRS', () => {
    const path = writeTemp(dir, 'empty.gpkg', writeBuildingsGeoPackage([], { sqlJs, createdAt: CREATED_AT }));
    const r = ogrinfoRun(['-ro', '-so', '-al', path]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.match(/Feature Count: 0/g)?.length).toBe(2);
    expect(r.stdout.match(/ID\["EPSG",25832\]\]/g)?.length).toBe(2);
  });
});
