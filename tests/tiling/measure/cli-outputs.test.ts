/**
 * The CLI's own output files judged by GDAL and an XML parser, against the CLI's own --json values:
 * `measure-buildings -o x.gpkg | x.geojson | x.csv` (CRS EPSG:25832 where the format carries one, one feature per
 * footprint, every field equal to `measure-building --json` for that footprint, 3D footprints at the reference
 * height) and `section --csv --dxf --dxf3d --landxml` (every profile vertex of `section --json` in each file).
 * The exporters themselves have their own GDAL tests (tests/core/export); this closes the path from the command
 * line to the file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTION_DXF_LAYERS } from '../../../core/export/section-dxf.ts';
import { generateSample } from '../../../samples/generator/index.ts';
import { encodeEpochLas } from '../../../samples/write-sample.ts';
import { HAS_OGRINFO, ogrinfo, ogrinfoRun, ogrToGeoJson } from '../../core/export/export-fixtures.ts';
import { child, childrenNamed, parseXml } from '../../core/export/mini-xml.ts';
import { REPO_ROOT } from '../../helpers/shared-data.ts';
import { twinview } from '../../helpers/twinview-cli.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- CLI JSON and GDAL output are read field by field */
const SEED = 11;
// Note: the values are compared with the CLI's own JSON, not with truth, so a thin drive is enough.
const DENSITY = 0.25;
const BUILDINGS = 3;

async function ok(...args: string[]): Promise<string> {
  const r = await twinview(...args);
  expect(r.stderr, args.join(' ')).toBe('');
  expect(r.code, args.join(' ')).toBe(0);
  return r.stdout;
}

const work = mkdtempSync(join(tmpdir(), 'twinview-cli-outputs-'));
let las: string;
let footprints: string;
let truth: any;
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  const sample = generateSample({ seed: SEED, density: DENSITY, epochs: ['2023'] });
  truth = JSON.parse(JSON.stringify(sample.truth));
  mkdirSync(work, { recursive: true });
  las = join(work, 'drive-2023.las');
  writeFileSync(las, encodeEpochLas(sample.epochs[0]!));
  // A pitched, a flat and one more building (the first of each kind, then the next).
  const picked = [truth.buildings.find((b: any) => !b.parapet), truth.buildings.find((b: any) => b.parapet)];
  for (const b of truth.buildings) if (picked.length < BUILDINGS && !picked.includes(b)) picked.push(b);
  footprints = join(work, 'footprints.geojson');
  writeFileSync(
    footprints,
    JSON.stringify({
      type: 'FeatureCollection',
      features: picked.map((b: any) => ({
        type: 'Feature',
        properties: { name: b.id },
        geometry: { type: 'Polygon', coordinates: [[...b.footprint, b.footprint[0]]] },
      })),
    }),
  );
}, 120_000);

function expectEpsg25832(info: string): void {
  expect(info).toMatch(/PROJCRS\["ETRS89 \/ UTM zone 32N"/);
  expect(info).toMatch(/ID\["EPSG",25832\]\]\s*$/m);
}

/** The attributes measure-buildings writes for a building, from `measure-building --json` of its footprint. */
function expectedAttributes(j: any): Record<string, unknown> {
  return {
    roof_type: j.roofType,
    ridge_nhn: j.ridgeNhn,
    eave_nhn: j.eaveNhn,
    ridge_height_m: j.ridgeHeightM,
    eave_height_m: j.eaveHeightM,
    sigma_m: j.sigmaM,
    sigma_nhn_m: j.sigmaNhnM,
    reference_kind: j.reference.kind,
    reference_nhn: j.reference.nhn,
    reference_e: j.reference.at?.[0] ?? null,
    reference_n: j.reference.at?.[1] ?? null,
    eave_count: j.eaves.length,
    plane_count: j.planes.length,
    points_used: j.pointsUsed,
    point_spacing_m: j.pointSpacingM,
  };
}

/** Compares GDAL-read attributes with the JSON values: text exactly, numbers to `tol`. */
function expectSameValues(got: Record<string, unknown>, want: Record<string, unknown>, tol: number, what: string): void {
  for (const [k, v] of Object.entries(want)) {
    const g = got[k] === '' ? null : got[k];
    if (typeof v === 'number') {
      expect(typeof g === 'number' ? g : Number(g), `${what} ${k}`).toBeCloseTo(v, 0);
      expect(Math.abs(Number(g) - v), `${what} ${k}: ${g} vs ${v}`).toBeLessThanOrEqual(tol);
    } else {
      expect(g, `${what} ${k}`).toEqual(v);
    }
  }
}

describe.skipIf(!HAS_OGRINFO)('measure-buildings output files in GDAL equal measure-building --json', () => {
  let single: Map<string, any>;
  let ids: string[];

  beforeAll(async () => {
    const fc = JSON.parse(readFileSync(footprints, 'utf8'));
    ids = fc.features.map((f: any) => f.properties.name);
    single = new Map();
    for (const f of fc.features) {
      const ring = f.geometry.coordinates[0].slice(0, -1).map((p: number[]) => `${p[0]},${p[1]}`).join(';');
      single.set(f.properties.name, JSON.parse(await ok('measure-building', las, '--footprint', ring, '--json')));
    }
  }, 300_000);

  // GeoJSON and CSV hold millimetres, the GeoPackage the full values (the JSON's are rounded to 0.1 mm).
  it.each([
    ['geojson', 0.0005 + 1e-9],
    ['gpkg', 0.00005 + 1e-9],
    ['csv', 0.0005 + 1e-9],
  ] as const)('-o x.%s: CRS, one feature per footprint, the --json values, Z at the reference height', async (ext, tol) => {
    const out = join(work, `heights.${ext}`);
    await ok('measure-buildings', las, '--footprints', footprints, '-o', out, '--quiet');
    const layer = ext === 'gpkg' ? 'buildings' : undefined;
    const info = ogrinfo(['-ro', '-so', ...(layer ? [out, layer] : ['-al', out])]);
    expect(info).toMatch(new RegExp(`Feature Count: ${ids.length}\\b`));
    // CSV carries no CRS and no layer geometry type of its own: the WKT column (EPSG:25832 metres, POLYGON Z)
    // is read per feature below.
    if (ext !== 'csv') {
      expect(info).toMatch(/Geometry: 3D Polygon/);
      expectEpsg25832(info);
    }
    const all = ogrinfoRun(['-ro', '-al', out]);
    expect(all.status).toBe(0);
    expect(all.stderr).toBe('');
    const fc = ogrToGeoJson(out, layer, ext === 'csv' ? ['AUTODETECT_TYPE=YES', 'KEEP_GEOM_COLUMNS=NO'] : []);
    expect(fc.features.map((f) => f.properties.building_id).sort()).toEqual([...ids].sort());
    for (const f of fc.features) {
      const id = String(f.properties.building_id);
      const j = single.get(id);
      expectSameValues(f.properties, expectedAttributes(j), tol, `${ext} ${id}`);
      expect(String(f.properties.warnings ?? ''), `${ext} ${id} warnings`).toBe(j.warnings.join(' | '));
      // Footprint vertices in EPSG:25832 metres with Z = the reference height.
      const ring = (f.geometry!.coordinates as number[][][])[0]!;
      expect(ring.length).toBeGreaterThanOrEqual(4);
      for (const p of ring) {
        expect(p.length, `${ext} ${id} Z`).toBe(3);
        expect(Math.abs(p[2]! - j.reference.nhn)).toBeLessThanOrEqual(0.0005 + 1e-9);
        expect(p[0]).toBeGreaterThan(300_000);
        expect(p[1]).toBeGreaterThan(5_600_000);
      }
    }
    if (ext === 'gpkg') {
      // The eave lines: one 3D line per eave of the JSON, at its height.
      const eaves = ogrToGeoJson(out, 'building_eaves');
      expect(eaves.features.length).toBe([...single.values()].reduce((n, j) => n + j.eaves.length, 0));
      for (const e of eaves.features) {
        const j = single.get(String(e.properties.building_id));
        const line = e.geometry!.coordinates as number[][];
        expect(j.eaves.some((x: any) => Math.abs(x.from[0] - line[0]![0]!) < 0.002 && Math.abs(x.nhn - line[0]![2]!) < 0.002)).toBe(true);
      }
    }
  }, 180_000);
});

describe('section output files hold the --json profile', () => {
  let s: any;
  const files = { csv: '', dxf: '', dxf3d: '', landxml: '' };

  beforeAll(async () => {
    const st = truth.stations[0];
    const b = (truth.frame.bearingDeg * Math.PI) / 180;
    const at = (v: number): string => {
      const e = truth.frame.originE + st.station * Math.sin(b) + v * Math.cos(b);
      const n = truth.frame.originN + st.station * Math.cos(b) - v * Math.sin(b);
      return `${e.toFixed(4)},${n.toFixed(4)}`;
    };
    for (const k of Object.keys(files) as (keyof typeof files)[]) files[k] = join(work, `section.${k === 'dxf3d' ? '3d.dxf' : k === 'landxml' ? 'xml' : k}`);
    s = JSON.parse(
      await ok('section', las, '--from', at(-7.5), '--to', at(7.5), '--json', '--csv', files.csv, '--dxf', files.dxf, '--dxf3d', files.dxf3d, '--landxml', files.landxml),
    );
    expect(s.profile.length).toBeGreaterThan(10);
  }, 120_000);

  it.skipIf(!HAS_OGRINFO)('CSV: GDAL reads one point per profile vertex, E/N/H and distance equal to the JSON', () => {
    const fc = ogrToGeoJson(files.csv, undefined, ['AUTODETECT_TYPE=YES', 'X_POSSIBLE_NAMES=e', 'Y_POSSIBLE_NAMES=n', 'Z_POSSIBLE_NAMES=h_nhn']);
    expect(fc.features.length).toBe(s.profile.length);
    fc.features.forEach((f, k) => {
      const v = s.profile[k];
      const c = f.geometry!.coordinates as number[];
      expect(c.length).toBe(3);
      expect(Math.abs(c[0]! - v.e)).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(Math.abs(c[1]! - v.n)).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(Math.abs(c[2]! - v.h)).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(Math.abs(Number(f.properties.dist_m) - v.distM)).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(Math.abs(Number(f.properties.offset_m) - v.offsetM)).toBeLessThanOrEqual(0.0005 + 1e-9);
    });
  });

  it.skipIf(!HAS_OGRINFO)('DXF 2D: the ground polylines are the profile in section coordinates (distance, height), 1:1', () => {
    expect(ogrinfo(['-ro', '-so', '-al', files.dxf])).toMatch(/using driver `DXF' successful/);
    const ground = ogrToGeoJson(files.dxf).features.filter((f) => f.properties.Layer === SECTION_DXF_LAYERS.ground);
    const vertices = ground.flatMap((f) => f.geometry!.coordinates as number[][]);
    expect(vertices.length).toBe(s.profile.length);
    vertices.forEach((c, k) => {
      expect(Math.abs(c[0]! - s.profile[k].distM)).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(Math.abs(c[1]! - s.profile[k].h)).toBeLessThanOrEqual(0.0005 + 1e-9);
    });
    const kerbs = ogrToGeoJson(files.dxf).features.filter((f) => f.properties.Layer === SECTION_DXF_LAYERS.kerb);
    expect(kerbs.length).toBe(s.kerbs.length);
  });

  it.skipIf(!HAS_OGRINFO)('DXF 3D: LINESTRING Z through every profile vertex in EPSG:25832 world coordinates', () => {
    const info = ogrinfo(['-ro', '-al', files.dxf3d]);
    expect(info).toMatch(/LINESTRING Z \(\d{6}\.\d+ \d{7}\.\d+ \d{2}\.\d+/);
    const ground = ogrToGeoJson(files.dxf3d).features.filter((f) => f.properties.Layer === SECTION_DXF_LAYERS.ground);
    const vertices = ground.flatMap((f) => f.geometry!.coordinates as number[][]);
    expect(vertices.length).toBe(s.profile.length);
    vertices.forEach((c, k) => {
      const v = s.profile[k];
      expect(c.length).toBe(3);
      expect(Math.abs(c[0]! - v.e)).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(Math.abs(c[1]! - v.n)).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(Math.abs(c[2]! - v.h)).toBeLessThanOrEqual(0.0005 + 1e-9);
    });
  });

  it('LandXML: parses, EPSG:25832, one CrossSect whose point lists are the profile (offset, height) and kerbs', () => {
    const root = parseXml(readFileSync(files.landxml, 'utf8'));
    expect(root.name).toBe('LandXML');
    expect(child(root, 'CoordinateSystem').attrs.epsgCode).toBe('25832');
    const alignment = child(child(root, 'Alignments'), 'Alignment');
    const sections = childrenNamed(child(alignment, 'CrossSects'), 'CrossSect');
    expect(sections.length).toBe(1);
    const lists = childrenNamed(child(sections[0]!, 'CrossSectSurf'), 'PntList2D');
    const values = lists.flatMap((l) => l.text.trim().split(/\s+/).map(Number));
    expect(values.length).toBe(s.profile.length * 2);
    s.profile.forEach((v: any, k: number) => {
      expect(Math.abs(values[2 * k]! - v.offsetM)).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(Math.abs(values[2 * k + 1]! - v.h)).toBeLessThanOrEqual(0.0005 + 1e-9);
    });
    expect(childrenNamed(sections[0]!, 'Feature').length).toBe(s.kerbs.length);
  });
});
