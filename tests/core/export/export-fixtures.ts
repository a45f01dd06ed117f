/**
 * Inputs for the exporter tests: a real core/measure cross-section cut through the analytic synthetic street
 * (rotated, with a parked car that leaves an unmeasured gap), and hand-written measure-building results with
 * the exact issue-5 shape (core/measure has no building measurement yet), plus helpers that run GDAL.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildingRow, MeasuredBuilding } from '../../../core/export/building-record.ts';
import { cutSection, type CrossSection } from '../../../core/measure/cross-section.ts';
import { makeStreet } from '../measure/synthetic-street.ts';

/** A fixed instant for byte-identical outputs. */
export const CREATED_AT = '2026-05-04T09:30:00.000Z';

let cached: { section: CrossSection; from: [number, number]; to: [number, number] } | undefined;

/** The section of the synthetic street (seed 2, rotated 33°, with objects) as cutSection returns it. */
export function streetSection(): { section: CrossSection; from: [number, number]; to: [number, number] } {
  if (!cached) {
    const { points, from, to } = makeStreet({ seed: 2, rotationDeg: 33, withObjects: true });
    cached = { section: cutSection(points, { from, to }, 0.1), from, to };
  }
  return cached;
}

const gable: MeasuredBuilding = {
  schemaVersion: 1,
  roofType: 'gable',
  ridgeNhn: 49.8734,
  eaveNhn: 44.2617,
  eaves: [
    { nhn: 44.2561, minNhn: 44.2402, maxNhn: 44.2617, from: [291412.437, 5744318.112], to: [291424.208, 5744321.905], sigmaM: 0.0112 },
    { nhn: 44.2488, minNhn: 44.2301, maxNhn: 44.2555, from: [291421.731, 5744329.584], to: [291409.96, 5744325.791], sigmaM: 0.0131 },
  ],
  planes: [
    { pitchDeg: 42.3, azimuthDeg: 162.1, areaM2: 71.4, rmsM: 0.0081 },
    { pitchDeg: 41.9, azimuthDeg: 342.0, areaM2: 70.8, rmsM: 0.0094 },
  ],
  reference: { kind: 'street-facade', nhn: 38.4125, at: [291418.3, 5744316.95] },
  ridgeHeightM: 11.4609,
  eaveHeightM: 5.8492,
  sigmaM: 0.0143,
  pointsUsed: 48213,
  pointSpacingM: 0.0187,
  warnings: ['far roof slope seen at low density; ridge from the near slope, checked against top points'],
};

const flatWithGap: MeasuredBuilding = {
  schemaVersion: 1,
  roofType: 'flat',
  ridgeNhn: 47.0351,
  eaveNhn: 47.0351,
  eaves: [],
  planes: [{ pitchDeg: 1.2, azimuthDeg: 90.5, areaM2: 152.3, rmsM: 0.0122 }],
  reference: { kind: 'nhn', nhn: 38.25, at: null },
  ridgeHeightM: 8.7851,
  eaveHeightM: null,
  sigmaM: 0.0215,
  pointsUsed: 20877,
  pointSpacingM: 0.0311,
  warnings: ['Attika nur straßenseitig erfasst; "Rückseite" verdeckt', 'no eave line; Traufhöhe not applicable'],
};

/** Two buildings: a gable roof (clockwise footprint, closed) and a flat roof without eaves (open ring). */
export const BUILDING_ROWS: readonly BuildingRow[] = [
  {
    id: 'Meerbusch-Büderich 12',
    footprint: [
      [291412.437, 5744318.112],
      [291409.96, 5744325.791],
      [291421.731, 5744329.584],
      [291424.208, 5744321.905],
      [291412.437, 5744318.112],
    ],
    result: gable,
  },
  {
    id: 'B-0002',
    footprint: [
      [291440.05, 5744300.2],
      [291455.55, 5744300.2],
      [291455.55, 5744310.025],
      [291440.05, 5744310.025],
    ],
    result: flatWithGap,
  },
];

/** True when GDAL's ogrinfo can be run. */
export const HAS_OGRINFO = (() => {
  try {
    execFileSync('ogrinfo', ['--version'], { encoding: 'utf8' });
    return true;
  } catch {
    return false;
  }
})();

if (!HAS_OGRINFO) {
  console.warn('\n!!! ogrinfo (GDAL) NOT FOUND: the GDAL checks of tests/core/export are SKIPPED. Install gdal-bin. !!!\n');
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'twinview-export-'));
}

/** Writes bytes or text to dir/name and returns the path. */
export function writeTemp(dir: string, name: string, data: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

/** Runs ogrinfo with the arguments; returns stdout (throws with stderr on failure). */
export function ogrinfo(args: readonly string[]): string {
  return execFileSync('ogrinfo', [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs ogrinfo and returns stdout, stderr (GDAL warnings) and the exit status. */
export function ogrinfoRun(args: readonly string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('ogrinfo', [...args], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Converts a file to GeoJSON with GDAL (ogr2ogr, full precision) and returns the parsed FeatureCollection. */
export function ogrToGeoJson(path: string, layer?: string, openOptions: readonly string[] = []): GdalFeatureCollection {
  const args = ['-f', 'GeoJSON', '/vsistdout/', path, '-lco', 'COORDINATE_PRECISION=10', '-lco', 'RFC7946=NO'];
  for (const o of openOptions) args.push('-oo', o);
  if (layer) args.push(layer);
  const text = execFileSync('ogr2ogr', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(text) as GdalFeatureCollection;
}

/** The parts of a GDAL GeoJSON output the tests read. */
export interface GdalFeatureCollection {
  readonly features: {
    readonly properties: Record<string, unknown>;
    readonly geometry: { readonly type: string; readonly coordinates: unknown } | null;
  }[];
}
