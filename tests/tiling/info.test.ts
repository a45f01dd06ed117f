import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { UTM32N_DHHN2016_WKT } from '../../core/crs/known-wkt.ts';
import { writeLas } from '../../core/las/writer.ts';
import { pdalStats, pdalSummary, rawHeaderTruth, REPO_ROOT, sharedPath } from '../helpers/shared-data.ts';
import { twinview } from '../helpers/twinview-cli.ts';

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'info.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

async function infoJson(path: string, stats: boolean): Promise<any> {
  const result = await twinview('info', sharedPath(path), '--json', ...(stats ? ['--stats'] : []));
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const report = JSON.parse(result.stdout);
  const ok = validate(report);
  expect(ok ? [] : validate.errors).toEqual([]);
  return report;
}

/** PDAL prints about 10 significant digits. */
function expectClose(actual: number, expected: number, what: string): void {
  const tolerance = Math.max(1e-4, 1e-9 * Math.abs(expected));
  expect(Math.abs(actual - expected), `${what}: ${actual} vs PDAL ${expected}`).toBeLessThanOrEqual(tolerance);
}

function pdalCrs(path: string): { horizontal: number | null; vertical: number | null } | undefined {
  const json = pdalSummary(path)?.summary?.srs?.json;
  if (!json) return undefined;
  if (json.type === 'CompoundCRS') {
    return { horizontal: json.components[0]?.id?.code ?? null, vertical: json.components[1]?.id?.code ?? null };
  }
  return { horizontal: json.id?.code ?? null, vertical: null };
}

function checkAgainstTruth(path: string, report: any): void {
  const header = rawHeaderTruth(path);
  expect(report.schemaVersion).toBe(1);
  expect(report.lasVersion).toBe(header.version);
  expect(report.pointFormat).toBe(header.pointFormat);
  expect(report.pointCount).toBe(header.count);
  expect(report.scale).toEqual(header.scale);
  expect(report.offset).toEqual(header.offset);
  expect(report.vlrs.map((v: any) => [v.userId, v.recordId])).toEqual(header.vlrs.map((v: any) => [v.userId, v.recordId]));
  const copcTruth = header.vlrs.find((v: any) => v.userId === 'copc' && v.recordId === 1)?.copc;
  if (copcTruth) {
    expect(report.copc).toEqual({ center: copcTruth.center, halfSize: copcTruth.halfsize, spacing: copcTruth.spacing });
  } else {
    expect(report.copc).toBeNull();
  }
  const crs = pdalCrs(path);
  if (crs) {
    expect(report.crs.horizontalEpsg).toBe(crs.horizontal);
    expect(report.crs.verticalEpsg).toBe(crs.vertical);
  }
}

function checkStats(path: string, report: any): void {
  const stats = pdalStats(path).stats.statistic as any[];
  expect(report.stats.pointCount).toBe(stats[0].count);
  const byName = new Map(stats.map((s) => [s.name, s]));
  const [minX, minY, minZ] = report.bounds.min;
  const [maxX, maxY, maxZ] = report.bounds.max;
  expectClose(minX, byName.get('X').minimum, 'min X');
  expectClose(minY, byName.get('Y').minimum, 'min Y');
  expectClose(minZ, byName.get('Z').minimum, 'min Z');
  expectClose(maxX, byName.get('X').maximum, 'max X');
  expectClose(maxY, byName.get('Y').maximum, 'max Y');
  expectClose(maxZ, byName.get('Z').maximum, 'max Z');
  let compared = 0;
  for (const [name, range] of Object.entries(report.stats.dimensions) as [string, any][]) {
    const truth = byName.get(name);
    if (!truth) continue;
    expectClose(range.min, truth.minimum, `${name} min`);
    expectClose(range.max, truth.maximum, `${name} max`);
    compared++;
  }
  expect(compared).toBeGreaterThanOrEqual(10);
  const cls = byName.get('Classification');
  if (cls.bins) {
    const expected: Record<string, number> = {};
    for (const [value, count] of Object.entries(cls.bins as Record<string, number>)) expected[String(Number(value))] = count;
    expect(report.stats.classCounts).toEqual(expected);
  } else {
    expect(Object.keys(report.stats.classCounts).map(Number)).toEqual(cls.values);
    const total = Object.values(report.stats.classCounts as Record<string, number>).reduce((a, b) => a + b, 0);
    const mean = Object.entries(report.stats.classCounts as Record<string, number>).reduce((s, [c, n]) => s + Number(c) * n, 0) / total;
    expectClose(mean, cls.average, 'mean class');
  }
}

describe('twinview info --json --stats against PDAL', () => {
  const files = [
    'PDAL/test/data/las/autzen_trim.las', // LAS 1.2 PF3, ESRI WKT without codes: unknown CRS
    'derived/nrw_3dm_32_291_5744_subset_epsg25832.laz', // LAZ, NRW classes incl. 20, GeoTIFF keys 25832
    'derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz', // COPC, WKT 25832
    'laspy/tests/data/simple.copc.laz', // COPC, compound 2991 + 6360
    'managelidar/inst/extdata/3dm_32_548_5725_1_ni_20240327.laz', // LAZ 1.4 PF7, WKT2, extra bytes
    'PDAL/test/data/las/epsg_4326.las', // geographic via GeoTIFF keys
  ];
  for (const path of files) {
    it(path, async () => {
      const report = await infoJson(path, true);
      checkAgainstTruth(path, report);
      checkStats(path, report);
    }, 120_000);
  }

  it('without --stats the NRW COPC tile reports header bounds, EPSG:25832 and its hierarchy EVLR', async () => {
    const report = await infoJson('derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz', false);
    expect(report.crs.horizontalEpsg).toBe(25832);
    expect(report.crs.wkt).toContain('ETRS89 / UTM zone 32N');
    expect(report.stats).toBeUndefined();
    expect(report.evlrs).toEqual([{ userId: 'copc', recordId: 1000, description: expect.any(String) }]);
    const header = rawHeaderTruth('derived/nrw_3dm_32_291_5744_subset_epsg25832.copc.laz').bounds;
    expect(report.bounds).toEqual({ min: [header.minx, header.miny, header.minz], max: [header.maxx, header.maxy, header.maxz] });
  });
});

describe('twinview info edge cases', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'twinview-info-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('a file without points: count 0, no class counts, schema-valid', async () => {
    const report = await infoJson('PDAL/test/data/las/no-points.las', true);
    expect(report.pointCount).toBe(0);
    expect(report.stats.pointCount).toBe(0);
    expect(report.stats.classCounts).toEqual({});
    expect(report.crs.horizontalEpsg).toBe(4269);
  });

  it('human-readable output names the format, count, CRS and classes', async () => {
    const result = await twinview('info', sharedPath('laspy/tests/data/simple.copc.laz'), '--stats');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/COPC 1\.4, point format 7, 1,065 points/);
    expect(result.stdout).toMatch(/horizontal EPSG:2991, vertical EPSG:6360/);
    expect(result.stdout).toMatch(/2 Ground/);
  });

  it('--classes nrw names class 20 by its Geobasis NRW meaning, the default by ASPRS', async () => {
    const file = sharedPath('loaders.gl/modules/las/test/data/pdrf7-v4-1.4.laz'); // holds every class 0-255
    const nrw = await twinview('info', file, '--stats', '--classes', 'nrw');
    expect(nrw.code).toBe(0);
    expect(nrw.stdout).toMatch(/^ +20 Non-Ground \(DOM-relevant\) +\d/m);
    const asprs = await twinview('info', file, '--stats');
    expect(asprs.stdout).toMatch(/^ +20 Ignored Ground +\d/m);
    const bad = await twinview('info', file, '--classes', 'bogus');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('twinview info: Invalid --classes: bogus (asprs or nrw)');
  });

  it('a LAS 1.4 file with the project compound WKT and zone-prefixed eastings: 25832 + 7837 and a warning', async () => {
    const n = 5;
    const x = Float64Array.from({ length: n }, (_, i) => 32_291_000.5 + i * 10);
    const y = Float64Array.from({ length: n }, (_, i) => 5_744_000.25 + i * 7);
    const z = Float64Array.from({ length: n }, (_, i) => 40 + i);
    const classification = Uint8Array.from([2, 2, 20, 20, 6]);
    const bytes = writeLas({ count: n, x, y, z, classification }, { version: '1.4', pointFormat: 6, wkt: UTM32N_DHHN2016_WKT, scale: [0.001, 0.001, 0.001] });
    const file = join(tmp, 'prefixed.las');
    writeFileSync(file, bytes);
    const result = await twinview('info', file, '--json', '--stats');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(report.crs).toEqual({ wkt: UTM32N_DHHN2016_WKT, horizontalEpsg: 25832, verticalEpsg: 7837 });
    expect(report.stats.classCounts).toEqual({ '2': 2, '6': 1, '20': 2 });
    expect(report.bounds.min[0]).toBeCloseTo(32_291_000.5, 6);
    expect(report.bounds.max[1]).toBeCloseTo(5_744_028.25, 6);
    expect(report.warnings).toEqual([expect.stringMatching(/zone prefix 32/)]);
  });

  it('a missing file: exit 2 and one stderr line naming it', async () => {
    const missing = join(tmp, 'does-not-exist.laz');
    const result = await twinview('info', missing, '--json');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([`twinview info: Invalid file: ${missing} (not found)`]);
  });

  it('a garbage file: exit 2 and one stderr line naming it', async () => {
    const garbage = join(tmp, 'garbage.las');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    bytes.write('LA\nS', 0, 'latin1'); // a newline inside the quoted signature must not split the line
    writeFileSync(garbage, bytes);
    const result = await twinview('info', garbage);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^twinview info: Invalid LAS signature: .* in .*garbage\.las$/);
  });

  it('a truncated LAS file: exit 2 naming it', async () => {
    const source = readFileSync(sharedPath('PDAL/test/data/las/autzen_trim.las'));
    const cut = join(tmp, 'cut.las');
    writeFileSync(cut, source.subarray(0, 100));
    const result = await twinview('info', cut);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('cut.las');
  });

  it('usage errors: no file, two files, unknown option', async () => {
    for (const args of [[], ['a.las', 'b.las'], ['a.las', '--bogus']]) {
      const result = await twinview('info', ...args);
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^twinview info: /);
    }
  });
});
