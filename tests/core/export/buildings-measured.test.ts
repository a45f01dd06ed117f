/**
 * The building exporters fed with real core/measure results: measureBuildingHeight on analytic synthetic
 * buildings (tests/core/measure/synthetic-building.ts), passed to the exporters as they are (NaN for what could
 * not be measured), then read back by GDAL.
 */
import { rmSync } from 'node:fs';
import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildingRow } from '../../../core/export/building-record.ts';
import { writeBuildingsCsv } from '../../../core/export/buildings-csv.ts';
import { writeBuildingsGeoJson } from '../../../core/export/buildings-geojson.ts';
import { writeBuildingsGeoPackage, type SqlJsLike } from '../../../core/export/buildings-geopackage.ts';
import { buildingProtocol } from '../../../core/export/protocol-builders.ts';
import { applyBuildingAccuracy } from '../../../core/measure/building-height.ts';
import { writeProtocolHtml } from '../../../core/export/protocol-html.ts';
import { measureBuildingHeight, type BuildingMeasurement } from '../../../core/measure/building-height.ts';
import { makeBuilding } from '../measure/synthetic-building.ts';
import { CREATED_AT, HAS_OGRINFO, ogrinfoRun, ogrToGeoJson, tempDir, writeTemp } from './export-fixtures.ts';

const dir = tempDir();
let sqlJs: SqlJsLike;
let rows: BuildingRow[];
let truths: { ridgeNhn: number; eaveNhn: number }[];

beforeAll(async () => {
  sqlJs = (await initSqlJs()) as unknown as SqlJsLike;
  const gable = makeBuilding({ roof: 'gable', seed: 11, chimney: true });
  const flat = makeBuilding({ roof: 'flat', seed: 13, widthM: 12, depthM: 9, rotationDeg: 63 });
  const g: BuildingMeasurement = measureBuildingHeight(gable.points, gable.footprint);
  const f: BuildingMeasurement = measureBuildingHeight(flat.points, flat.footprint);
  // A building whose heights could not be measured, as core/measure reports it: NaN, not null.
  const failed: BuildingMeasurement = {
    ...g,
    ridgeNhn: Number.NaN,
    eaveNhn: Number.NaN,
    ridgeHeightM: Number.NaN,
    eaveHeightM: Number.NaN,
    eaves: [],
    reference: { kind: 'mean-terrain', nhn: Number.NaN, at: null },
    warnings: ['too few roof points'],
  };
  // The result objects go in unchanged (the assignment type-checks BuildingMeasurement against MeasuredBuilding).
  rows = [
    { id: 'gable-11', footprint: gable.footprint, result: g },
    { id: 'flat-13', footprint: flat.footprint, result: f },
    { id: 'failed', footprint: flat.footprint.map(([e, n]) => [e + 30, n] as const), result: failed },
  ];
  truths = [gable.truth, flat.truth];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('building exporters on measureBuildingHeight results', () => {
  it('the measured values are the analytic ones (so the exported values below mean something)', () => {
    for (const k of [0, 1]) {
      expect(Math.abs(rows[k]!.result.ridgeNhn! - truths[k]!.ridgeNhn)).toBeLessThan(0.03);
      expect(Math.abs(rows[k]!.result.eaveNhn! - truths[k]!.eaveNhn)).toBeLessThan(0.03);
    }
  });

  it('writes NaN heights as JSON null and empty CSV cells', () => {
    const fc = JSON.parse(writeBuildingsGeoJson(rows));
    expect(fc.features[2].properties.ridge_nhn).toBeNull();
    expect(fc.features[2].properties.reference_nhn).toBeNull();
    // Footprint Z is the reference height; without one the polygon stays 2D.
    expect(fc.features[2].geometry.coordinates[0][0].length).toBe(2);
    expect(fc.features[0].geometry.coordinates[0][0].length).toBe(3);
    const csv = writeBuildingsCsv(rows).trimEnd().split('\r\n');
    expect(csv[3]).toMatch(/^"POLYGON \(\(/);
    expect(csv[3]).toContain(',failed,gable,,,,,');
  });

  it.skipIf(!HAS_OGRINFO)('GDAL reads the GeoPackage with the measured values, NULLs and a mixed-Z layer', () => {
    const path = writeTemp(dir, 'measured.gpkg', writeBuildingsGeoPackage(rows, { sqlJs, createdAt: CREATED_AT }));
    const r = ogrinfoRun(['-ro', '-al', path]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const fc = ogrToGeoJson(path, 'buildings');
    expect(fc.features.length).toBe(3);
    for (const k of [0, 1]) {
      const p = fc.features[k]!.properties;
      const m = rows[k]!.result;
      expect(p.roof_type).toBe(m.roofType);
      expect(p.ridge_nhn).toBe(m.ridgeNhn);
      expect(p.eave_nhn).toBe(m.eaveNhn);
      expect(p.ridge_height_m).toBe(m.ridgeHeightM);
      expect(p.sigma_m).toBe(m.sigmaM);
      expect(p.sigma_nhn_m).toBe(m.sigmaNhnM);
      expect(p.points_used).toBe(m.pointsUsed);
      expect(p.eave_count).toBe(m.eaves.length);
      const ring = (fc.features[k]!.geometry!.coordinates as number[][][])[0]!;
      for (const c of ring) expect(Math.abs(c[2]! - m.reference.nhn!)).toBeLessThan(1e-9);
    }
    expect(fc.features[2]!.properties.ridge_nhn).toBeNull();
    expect(fc.features[2]!.properties.reference_nhn).toBeNull();
    expect((fc.features[2]!.geometry!.coordinates as number[][][])[0]![0]!.length).toBe(2);
    const eaves = ogrToGeoJson(path, 'building_eaves');
    expect(eaves.features.length).toBe(rows[0]!.result.eaves.length + rows[1]!.result.eaves.length);
    eaves.features
      .filter((f) => f.properties.building_id === 'gable-11')
      .forEach((f, k) => {
        const want = rows[0]!.result.eaves[k]!;
        expect(f.properties.nhn).toBe(want.nhn);
        (f.geometry!.coordinates as number[][])[0]!.forEach((c, j) => expect(Math.abs(c - [want.from[0], want.from[1], want.nhn][j]!)).toBeLessThan(1e-9));
      });
  });

  it('the protocol of a measured building shows its values and a dash for the unmeasurable ones', () => {
    const html = writeProtocolHtml(buildingProtocol(rows[0]!, { driveDate: '2026-04-28', createdAt: CREATED_AT, limits: [{ label: 'Firsthöhe', field: 'ridgeHeightM', limitM: 20 }] }));
    expect(html).toContain(`${rows[0]!.result.ridgeNhn!.toFixed(3).replace('.', ',')} m NHN`);
    expect(html).toContain('eingehalten');
    const failed = writeProtocolHtml(buildingProtocol(rows[2]!, { driveDate: '2026-04-28', createdAt: CREATED_AT, limits: [{ label: 'Firsthöhe', field: 'ridgeHeightM', limitM: 20 }] }));
    expect(failed).toContain('<td class="num">–</td>');
    expect(failed).not.toContain('NaN');
    expect(failed).not.toContain('eingehalten');
  });

  it('the protocol gives absolute heights the NHN uncertainty (stated accuracy included) and heights above the reference theirs', () => {
    const stated = applyBuildingAccuracy(rows[0]!.result as BuildingMeasurement, 0.04);
    expect(stated.sigmaNhnM).toBeGreaterThan(0.04);
    expect(stated.sigmaM).toBe(rows[0]!.result.sigmaM);
    const html = writeProtocolHtml(buildingProtocol({ ...rows[0]!, result: stated }, { driveDate: '2026-04-28', createdAt: CREATED_AT }));
    const row = (label: string): string => new RegExp(`<tr><td>${label} <span.*?</tr>`).exec(html)?.[0] ?? '';
    const comma = (x: number): string => x.toFixed(3).replace('.', ',');
    expect(row('First')).toContain(`± ${comma(stated.sigmaNhnM)} m`);
    expect(row('Traufpunkt \\(höchste Trauflinie\\)')).toContain(`± ${comma(stated.sigmaNhnM)} m`);
    expect(row('Firsthöhe über Bezugspunkt')).toContain(`± ${comma(stated.sigmaM)} m`);
    expect(row('Traufhöhe über Bezugspunkt')).toContain(`± ${comma(stated.sigmaM)} m`);
  });
});
