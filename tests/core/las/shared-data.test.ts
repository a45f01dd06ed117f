/**
 * Walks every LAS/LAZ file in ../shared/data and checks our reader against PDAL 2.9 `info --stats` (points,
 * bounds, classification, every dimension's min/max) and against the independent raw header parse
 * (header_parse.json) for the header, VLRs, EVLRs, CRS records and extra-bytes descriptors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createBytesGetter } from '../../../core/io/getter.ts';
import { GLOBAL_ENCODING_WKT } from '../../../core/las/header.ts';
import { parseWkt } from '../../../core/las/crs-records.ts';
import type { LasFile } from '../../../core/las/las-file.ts';
import { openLas } from '../../../core/las/las-file.ts';
import type { PointColumns } from '../../../core/las/point-columns.ts';
import { isWaveformFormat } from '../../../core/las/point-format.ts';
import { listPointCloudFiles, pdalStats, rawHeaderTruth, sharedPath } from '../../helpers/shared-data.ts';

function minMax(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

function expectClose(actual: number, expected: number | string, what: string, relative = 1e-8): void {
  const e = typeof expected === 'string' ? Number(expected) : expected;
  if (!Number.isFinite(e)) {
    expect(actual, what).toBe(e);
    return;
  }
  // PDAL prints about 10 significant digits.
  expect(Math.abs(actual - e), `${what}: ${actual} vs ${e}`).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(e)));
}

const bit = (values: Uint8Array | undefined, shift: number): Uint8Array | undefined =>
  values && values.map((v) => (v >> shift) & 1);

/** PDAL dimension name -> our column (derived where PDAL splits or converts a field). */
function pdalColumn(points: PointColumns, name: string, extended: boolean): ArrayLike<number> | undefined {
  switch (name) {
    case 'X':
      return points.x;
    case 'Y':
      return points.y;
    case 'Z':
      return points.z;
    case 'Intensity':
      return points.intensity;
    case 'ReturnNumber':
      return points.returnNumber;
    case 'NumberOfReturns':
      return points.numberOfReturns;
    case 'ScanDirectionFlag':
      return points.scanDirectionFlag;
    case 'EdgeOfFlightLine':
      return points.edgeOfFlightLine;
    case 'Classification':
      return points.classification;
    case 'UserData':
      return points.userData;
    case 'PointSourceId':
      return points.pointSourceId;
    case 'GpsTime':
      return points.gpsTime;
    case 'Red':
      return points.red;
    case 'Green':
      return points.green;
    case 'Blue':
      return points.blue;
    case 'Infrared':
      return points.nir;
    case 'ScanChannel':
      return points.scannerChannel;
    // PDAL reports the formats 6-10 scan angle in degrees (raw * 0.006, LAS 1.4 R15 §2.6).
    case 'ScanAngleRank':
      return extended ? Float64Array.from(points.scanAngle!, (v) => v * 0.006) : points.scanAngle;
    case 'Synthetic':
      return bit(points.classificationFlags, 0);
    case 'KeyPoint':
      return bit(points.classificationFlags, 1);
    case 'Withheld':
      return bit(points.classificationFlags, 2);
    // Note: PDAL maps class 12 of formats 0-5 to Overlap; formats 0-5 have no overlap bit, so only check 6-10.
    case 'Overlap':
      return extended ? bit(points.classificationFlags, 3) : undefined;
    default:
      return points.extra?.[name];
  }
}

async function open(file: string): Promise<LasFile> {
  return openLas(createBytesGetter(readFileSync(sharedPath(file)), file));
}

const files = listPointCloudFiles();

describe('every shared LAS/LAZ file', () => {
  it('finds the data', () => {
    expect(files.length).toBeGreaterThan(60);
  });

  it.each(files)('%s: header, VLRs and EVLRs match the raw header parse', async (file) => {
    const truth = rawHeaderTruth(file);
    expect(truth, 'header_parse.json entry').toBeDefined();
    const las = await open(file);
    const h = las.header;
    expect(h.version).toBe(truth.version);
    expect(h.pointFormat).toBe(truth.pointFormat);
    expect(h.pointRecordLength).toBe(truth.pointRecordLength);
    expect(h.pointCount).toBe(truth.count);
    expect(h.legacyPointCount).toBe(truth.legacyCount);
    expect(h.headerSize).toBe(truth.headerSize);
    expect(h.pointDataOffset).toBe(truth.offsetToPoints);
    expect(h.globalEncoding).toBe(truth.globalEncoding);
    expect(h.fileSourceId).toBe(truth.fileSourceId);
    expect(h.systemIdentifier).toBe(truth.systemId);
    expect(h.generatingSoftware).toBe(truth.software);
    expect((h.globalEncoding & GLOBAL_ENCODING_WKT) !== 0).toBe(truth.wktBit);
    expect(las.compressed).toBe(truth.compressed);
    // `+ 0` turns -0 (stored by some writers) into 0, as the JSON truth has it.
    expect(h.scale.map((v) => v + 0)).toEqual(truth.scale);
    expect(h.offset.map((v) => v + 0)).toEqual(truth.offset);
    const b = truth.bounds;
    expect([...h.min, ...h.max].map((v) => v + 0)).toEqual([b.minx, b.miny, b.minz, b.maxx, b.maxy, b.maxz]);
    expect(h.evlrCount).toBe(truth.numEvlrs ?? 0);
    if (truth.evlrStart !== undefined) expect(h.evlrOffset).toBe(truth.evlrStart);

    const records = [...las.vlrs, ...las.evlrs];
    const expected = [...truth.vlrs, ...truth.evlrs];
    // The truth lists no description for EVLRs.
    expect(records.map((v) => [v.userId, v.recordId, v.payloadLength, v.extended ? undefined : v.description])).toEqual(
      expected.map((v: any) => [v.userId, v.recordId, v.len, v.desc]),
    );
    for (let i = 0; i < expected.length; i++) {
      const t = expected[i];
      const vlr = records[i]!;
      if (t.text !== undefined) {
        const payload = await las.readVlrPayload(vlr);
        if (vlr.recordId === 2112) expect(parseWkt(payload)).toBe(t.text.trim());
        else expect(String.fromCharCode(...payload).replace(/\0+$/, '')).toBe(t.text);
      }
      if (t.geokeys) {
        const inline = Object.fromEntries(las.geoKeys!.filter((k) => k.location === 0).map((k) => [String(k.id), k.value]));
        expect(inline).toEqual(t.geokeys);
      }
      if (t.extraBytes) {
        for (const eb of t.extraBytes) {
          const match = las.extraBytes.find((d) => d.dataType === eb.type && (d.name === eb.name || d.name === `${eb.name}0`));
          expect(match, `extra bytes ${eb.name}`).toBeDefined();
        }
      }
    }
    const wktRecord = records.find((v) => v.userId === 'LASF_Projection' && v.recordId === 2112);
    if (wktRecord) expect(las.wkt).toBe(parseWkt(await las.readVlrPayload(wktRecord)));
    else expect(las.wkt).toBeUndefined();
  });

  it.each(files)('%s: points match PDAL info --stats', async (file) => {
    const stats = pdalStats(file);
    const truth = rawHeaderTruth(file);
    const las = await open(file);
    if (!stats) {
      // PDAL 2.9 refuses the waveform formats 4, 5, 9, 10 (see the .err files); header truth only.
      expect(isWaveformFormat(truth.pointFormat)).toBe(true);
      if (las.compressed) {
        await expect(las.readPoints()).rejects.toThrow(new RegExp(`^Invalid point format: ${truth.pointFormat}.*${file}`));
      } else {
        const points = await las.readPoints();
        expect(points.count).toBe(truth.count);
        expect(points.gpsTime).toBeDefined();
      }
      return;
    }
    const points = await las.readPoints();
    const statistic: any[] = stats.stats.statistic;
    const count = statistic.find((s) => s.name === 'X')?.count ?? 0;
    expect(points.count).toBe(count);
    expect(points.count).toBe(las.header.pointCount);
    const extended = las.header.pointFormat >= 6;
    let checked = 0;
    for (const s of statistic) {
      const column = pdalColumn(points, s.name, extended);
      if (!column || points.count === 0) continue;
      const [min, max] = minMax(column);
      // PDAL holds the formats 6-10 scan angle in degrees as float32.
      const relative = s.name === 'ScanAngleRank' && extended ? 1e-7 : 1e-8;
      expectClose(min, s.minimum, `${s.name} minimum`, relative);
      expectClose(max, s.maximum, `${s.name} maximum`, relative);
      checked++;
    }
    if (points.count > 0) expect(checked).toBeGreaterThanOrEqual(12);

    const classStat = statistic.find((s) => s.name === 'Classification');
    const histogram = new Map<number, number>();
    for (const c of points.classification ?? []) histogram.set(c, (histogram.get(c) ?? 0) + 1);
    if (classStat?.counts) {
      const expectedHistogram = classStat.counts.map((entry: string) => entry.split('/').map(Number));
      expect([...histogram].sort((a, b) => a[0]! - b[0]!)).toEqual(expectedHistogram);
    } else if (classStat?.values) {
      expect([...histogram.keys()].sort((a, b) => a - b)).toEqual(classStat.values);
    } else {
      expect(points.count).toBe(0);
    }
  });
});

describe('edge-case files', () => {
  it('no-points.las: an empty file reads as zero points with every column of its format', async () => {
    const points = await (await open('PDAL/test/data/las/no-points.las')).readPoints();
    expect(points.count).toBe(0);
    expect(points.x.length).toBe(0);
    expect(points.red?.length).toBe(0);
    expect(points.gpsTime?.length).toBe(0);
  });

  it('gps-time-nan.las: a NaN GPS time is kept as NaN, not replaced', async () => {
    const points = await (await open('PDAL/test/data/las/gps-time-nan.las')).readPoints();
    expect(points.count).toBe(1);
    expect(Number.isNaN(points.gpsTime![0])).toBe(true);
  });

  it('simple1_3.las: format 4 points are read although the header stores raw integers as bounds', async () => {
    const file = 'laspy/tests/data/simple1_3.las';
    const las = await open(file);
    const truth = rawHeaderTruth(file);
    const points = await las.readPoints();
    expect(points.count).toBe(truth.count);
    // Note: this Leica writer put the raw integer bounds in the header; world = raw * scale + offset.
    const b = truth.bounds;
    const world = (raw: number, a: number): number => raw * truth.scale[a] + truth.offset[a];
    expect(minMax(points.x)).toEqual([world(b.minx, 0), world(b.maxx, 0)]);
    expect(minMax(points.y)).toEqual([world(b.miny, 1), world(b.maxy, 1)]);
    expect(minMax(points.z)).toEqual([world(b.minz, 2), world(b.maxz, 2)]);
    // The waveform packets follow the points (LAS 1.3 internal waveform data).
    expect(las.header.waveformDataOffset).toBe(las.header.pointDataOffset + truth.count * truth.pointRecordLength);
  });

  it('1_4_w_evlr.las: an EVLR after the points is listed and its payload readable', async () => {
    const las = await open('laspy/tests/data/1_4_w_evlr.las');
    expect(las.evlrs).toHaveLength(1);
    const payload = await las.readVlrPayload(las.evlrs[0]!);
    expect(payload.byteLength).toBe(las.evlrs[0]!.payloadLength);
    expect(las.evlrs[0]!.payloadOffset + payload.byteLength).toBe(las.size);
  });

  it('pdrf7-v4-1.4.laz: user bytes after a 393-byte header do not shift the VLRs', async () => {
    const las = await open('loaders.gl/modules/las/test/data/pdrf7-v4-1.4.laz');
    expect(las.header.headerSize).toBe(393);
    expect(las.vlrs.map((v) => v.userId)).toEqual(['laszip encoded']);
  });

  it('raw records are the stored bytes of an uncompressed file', async () => {
    const file = 'PDAL/test/data/las/100-points.las';
    const bytes = readFileSync(sharedPath(file));
    const las = await openLas(createBytesGetter(bytes, file));
    const records = await las.readRecords();
    const h = las.header;
    expect(records.bytes).toEqual(bytes.subarray(h.pointDataOffset, h.pointDataOffset + h.pointCount * h.pointRecordLength));
    const some = await las.readRecords({ start: 10, count: 5 });
    expect(some.bytes).toEqual(records.bytes.subarray(10 * h.pointRecordLength, 15 * h.pointRecordLength));
    expect(las.decode(some).x).toEqual((await las.readPoints()).x.subarray(10, 15));
  });

  it('LAZ raw records equal the uncompressed twin file (autzen_trim.las vs .laz)', async () => {
    const las = await open('PDAL/test/data/las/autzen_trim.las');
    const laz = await open('PDAL/test/data/laz/autzen_trim.laz');
    const a = await las.readRecords();
    const b = await laz.readRecords();
    expect(b.count).toBe(a.count);
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
  });
});
