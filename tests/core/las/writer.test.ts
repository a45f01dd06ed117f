/**
 * writeLas round trips: every supported version and point format, extra bytes and WKT, read back with our reader
 * and with copc.js's independent LAS parser (Las.Header, Las.Vlr, Las.ExtraBytes, Las.View).
 */
import { Las } from 'copc';
import { describe, expect, it } from 'vitest';
import { createPrng } from '../../../core/geometry/prng.ts';
import { createBytesGetter } from '../../../core/io/getter.ts';
import type { ExtraBytesSpec } from '../../../core/las/extra-bytes.ts';
import { openLas } from '../../../core/las/las-file.ts';
import type { PointColumns } from '../../../core/las/point-columns.ts';
import type { WriteLasOptions } from '../../../core/las/writer.ts';
import { writeLas } from '../../../core/las/writer.ts';

const SCALE = [0.001, 0.001, 0.001] as const;
const OFFSET = [500_000, 5_700_000, 50] as const;
const WKT =
  'COMPD_CS["ETRS89 / UTM zone 32N + DHHN2016 height",PROJCS["ETRS89 / UTM zone 32N",GEOGCS["ETRS89",DATUM["European_Terrestrial_Reference_System_1989",SPHEROID["GRS 1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",9],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],UNIT["metre",1],AUTHORITY["EPSG","25832"]],VERT_CS["DHHN2016 height",VERT_DATUM["Deutsches Haupthoehennetz 2016",2005],UNIT["metre",1],AUTHORITY["EPSG","7837"]]]';

const EXTRA: readonly ExtraBytesSpec[] = [
  { name: 'amplitude', type: 'uint16', scale: 0.01, description: 'echo amplitude dB' },
  { name: 'deviation', type: 'int32' },
  { name: 'reflectance', type: 'float32' },
  { name: 'range', type: 'float64', offset: 100 },
  { name: 'small', type: 'int8', scale: 0.5, offset: -3, min: -128, max: 127 },
  { name: 'big', type: 'uint64', noData: 0 },
];

/** Random points whose values every format field can hold exactly (coordinates on the quantization grid). */
function makePoints(count: number, pointFormat: number, seed: number): PointColumns {
  const rnd = createPrng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const extended = pointFormat >= 6;
  const fill = <T extends { [i: number]: number }>(array: T, f: () => number): T => {
    for (let i = 0; i < count; i++) array[i] = f();
    return array;
  };
  const world = (a: number) => () => int(-2_000_000, 2_000_000) * SCALE[a]! + OFFSET[a]!;
  const maxReturn = extended ? 15 : 7;
  return {
    count,
    x: fill(new Float64Array(count), world(0)),
    y: fill(new Float64Array(count), world(1)),
    z: fill(new Float64Array(count), world(2)),
    intensity: fill(new Uint16Array(count), () => int(0, 65535)),
    returnNumber: fill(new Uint8Array(count), () => int(1, maxReturn)),
    numberOfReturns: fill(new Uint8Array(count), () => int(1, maxReturn)),
    classification: fill(new Uint8Array(count), () => int(0, extended ? 255 : 31)),
    classificationFlags: fill(new Uint8Array(count), () => int(0, extended ? 15 : 7)),
    ...(extended ? { scannerChannel: fill(new Uint8Array(count), () => int(0, 3)) } : {}),
    scanDirectionFlag: fill(new Uint8Array(count), () => int(0, 1)),
    edgeOfFlightLine: fill(new Uint8Array(count), () => int(0, 1)),
    userData: fill(new Uint8Array(count), () => int(0, 255)),
    scanAngle: fill(new Int16Array(count), () => (extended ? int(-30000, 30000) : int(-90, 90))),
    pointSourceId: fill(new Uint16Array(count), () => int(0, 65535)),
    ...([1, 3, 6, 7, 8].includes(pointFormat) ? { gpsTime: fill(new Float64Array(count), () => 1.4e9 + rnd() * 1e6) } : {}),
    ...([2, 3, 7, 8].includes(pointFormat)
      ? {
          red: fill(new Uint16Array(count), () => int(0, 65535)),
          green: fill(new Uint16Array(count), () => int(0, 65535)),
          blue: fill(new Uint16Array(count), () => int(0, 65535)),
        }
      : {}),
    ...(pointFormat === 8 ? { nir: fill(new Uint16Array(count), () => int(0, 65535)) } : {}),
    extra: {
      amplitude: fill(new Float64Array(count), () => int(0, 65535) * 0.01),
      deviation: fill(new Float64Array(count), () => int(-2_000_000_000, 2_000_000_000)),
      reflectance: fill(new Float64Array(count), () => Math.fround((rnd() - 0.5) * 40)),
      range: fill(new Float64Array(count), () => rnd() * 1000 + 100),
      small: fill(new Float64Array(count), () => int(-128, 127) * 0.5 - 3),
      big: fill(new Float64Array(count), () => int(0, 2 ** 40)),
    },
  };
}

/** A copc.js dimension, our column and the value copc.js should report for a column value. */
type Check = readonly [string, ArrayLike<number> | undefined, (v: number) => number];

const cases: Array<[WriteLasOptions['version'], number]> = [
  ...[0, 1, 2, 3].map((f): ['1.2', number] => ['1.2', f]),
  ...[0, 1, 2, 3, 6, 7, 8].map((f): ['1.4', number] => ['1.4', f]),
];

describe('writeLas round trip', () => {
  it.each(cases)('LAS %s format %i reads back identical with our reader', async (version, pointFormat) => {
    const points = makePoints(500, pointFormat, 7 + pointFormat);
    const creationDate = new Date(Date.UTC(2026, 2, 15));
    const bytes = writeLas(points, {
      version,
      pointFormat,
      scale: SCALE,
      offset: OFFSET,
      wkt: WKT,
      extraBytes: EXTRA,
      fileSourceId: 42,
      globalEncoding: 1,
      creationDate,
    });
    const las = await openLas(createBytesGetter(bytes, `roundtrip-${version}-${pointFormat}.las`));
    const h = las.header;
    expect(h.version).toBe(version);
    expect(h.pointFormat).toBe(pointFormat);
    expect(h.headerSize).toBe(version === '1.4' ? 375 : 227);
    expect(h.pointCount).toBe(500);
    expect(h.legacyPointCount).toBe(pointFormat >= 6 ? 0 : 500);
    expect(h.fileSourceId).toBe(42);
    expect(h.globalEncoding).toBe(version === '1.4' ? 1 | 16 : 1);
    expect(h.systemIdentifier).toBe('twinview');
    expect(h.generatingSoftware).toBe('twinview');
    expect([h.creationYear, h.creationDayOfYear]).toEqual([2026, 31 + 28 + 15]);
    expect(las.compressed).toBe(false);
    expect(las.wkt).toBe(WKT);
    expect(las.extraBytes.map((d) => [d.name, d.type, d.scale, d.offset, d.description])).toEqual(
      EXTRA.map((s) => [s.name, s.type, s.scale, s.offset, s.description ?? '']),
    );
    expect(las.extraBytes.find((d) => d.name === 'small')).toMatchObject({ min: -128, max: 127 });
    expect(las.extraBytes.find((d) => d.name === 'big')).toMatchObject({ noData: 0 });

    const back = await las.readPoints();
    expect(back).toEqual(points);

    const [minX, maxX] = [Math.min(...points.x), Math.max(...points.x)];
    expect([h.min[0], h.max[0]]).toEqual([minX, maxX]);
    expect([h.min[2], h.max[2]]).toEqual([Math.min(...points.z), Math.max(...points.z)]);
    const byReturn = new Array<number>(version === '1.4' ? 15 : 5).fill(0);
    for (const r of points.returnNumber!) if (r <= byReturn.length) byReturn[r - 1]!++;
    expect(h.pointCountByReturn).toEqual(byReturn);
  });

  it.each(cases)('LAS %s format %i reads back identical with copc.js', async (version, pointFormat) => {
    const points = makePoints(300, pointFormat, 100 + pointFormat);
    const bytes = writeLas(points, { version, pointFormat, scale: SCALE, offset: OFFSET, wkt: WKT, extraBytes: EXTRA });
    const header = Las.Header.parse(bytes);
    expect(header.pointCount).toBe(300);
    expect(header.pointDataRecordFormat).toBe(pointFormat);
    expect(header.scale).toEqual([...SCALE]);
    expect(header.offset).toEqual([...OFFSET]);
    expect(header.min).toEqual([Math.min(...points.x), Math.min(...points.y), Math.min(...points.z)]);
    expect(header.max).toEqual([Math.max(...points.x), Math.max(...points.y), Math.max(...points.z)]);

    const vlrs = await Las.Vlr.walk(async (b: number, e: number) => bytes.subarray(b, e), header);
    expect(vlrs.map((v) => [v.userId, v.recordId])).toEqual([
      ['LASF_Spec', 4],
      ['LASF_Projection', 2112],
    ]);
    const wktVlr = Las.Vlr.at(vlrs, 'LASF_Projection', 2112);
    const wktBytes = bytes.subarray(wktVlr.contentOffset, wktVlr.contentOffset + wktVlr.contentLength);
    expect(new TextDecoder().decode(wktBytes)).toBe(`${WKT}\0`);

    const ebVlr = Las.Vlr.at(vlrs, 'LASF_Spec', 4);
    const ebPayload = bytes.subarray(ebVlr.contentOffset, ebVlr.contentOffset + ebVlr.contentLength);
    const eb = Las.ExtraBytes.parse(ebPayload);
    expect(eb.map((d) => d.name)).toEqual(EXTRA.map((s) => s.name));
    // Note: copc 0.0.8 reads the descriptor's scale and offset big-endian; check them with a DataView and let
    // copc.js return raw values.
    const dv = new DataView(ebPayload.buffer, ebPayload.byteOffset, ebPayload.byteLength);
    EXTRA.forEach((spec, i) => {
      if (spec.scale !== undefined) expect(dv.getFloat64(i * 192 + 112, true)).toBe(spec.scale);
      if (spec.offset !== undefined) expect(dv.getFloat64(i * 192 + 136, true)).toBe(spec.offset);
    });
    const rawEb = eb.map(({ scale: _s, offset: _o, ...rest }) => rest);

    const view = Las.View.create(bytes.subarray(header.pointDataOffset), header, rawEb);
    expect(view.pointCount).toBe(300);
    const extended = pointFormat >= 6;
    const columns: Check[] = [
      ['X', points.x, (v) => v],
      ['Y', points.y, (v) => v],
      ['Z', points.z, (v) => v],
      ['Intensity', points.intensity, (v) => v],
      ['ReturnNumber', points.returnNumber, (v) => v],
      ['NumberOfReturns', points.numberOfReturns, (v) => v],
      // Note: copc.js reports legacy class 12 (overlap) as Classification 0 plus Overlap 1; we keep raw values.
      ['Classification', points.classification, (v) => (!extended && v === 12 ? 0 : v)],
      ...(extended ? [] : [['Overlap', points.classification, (v: number) => (v === 12 ? 1 : 0)] as Check]),
      ['Synthetic', points.classificationFlags, (v) => v & 1],
      ['KeyPoint', points.classificationFlags, (v) => (v >> 1) & 1],
      ['Withheld', points.classificationFlags, (v) => (v >> 2) & 1],
      ['ScanDirectionFlag', points.scanDirectionFlag, (v) => v],
      ['EdgeOfFlightLine', points.edgeOfFlightLine, (v) => v],
      ['UserData', points.userData, (v) => v],
      ['ScanAngle', points.scanAngle, (v) => (extended ? v * 0.006 : v)],
      ['PointSourceId', points.pointSourceId, (v) => v],
      ['GpsTime', points.gpsTime, (v) => v],
      ['Red', points.red, (v) => v],
      ['Green', points.green, (v) => v],
      ['Blue', points.blue, (v) => v],
      ['Infrared', points.nir, (v) => v],
      ...(extended
        ? [
            ['Overlap', points.classificationFlags, (v: number) => (v >> 3) & 1] as Check,
            ['ScannerChannel', points.scannerChannel, (v: number) => v] as Check,
          ]
        : []),
    ];
    for (const [dimension, column, expected] of columns) {
      if (!column) continue;
      const get = view.getter(dimension);
      for (let i = 0; i < 300; i++) expect(get(i), `${dimension}[${i}]`).toBe(expected(column[i]!));
    }
    for (const spec of EXTRA) {
      const get = view.getter(spec.name);
      const column = points.extra![spec.name]!;
      for (let i = 0; i < 300; i++) {
        const world = Number(get(i)) * (spec.scale ?? 1) + (spec.offset ?? 0);
        expect(world, `${spec.name}[${i}]`).toBeCloseTo(column[i]!, 9);
      }
    }
  });

  it('writes the sample generator call: LAS 1.4 format 7, compound WKT, scale 0.001, offsets chosen', async () => {
    const points = makePoints(50, 7, 3);
    const bytes = writeLas(points, { version: '1.4', pointFormat: 7, scale: [0.001, 0.001, 0.001], wkt: WKT });
    const las = await openLas(createBytesGetter(bytes, 'sample.las'));
    expect(las.header.globalEncoding & 16).toBe(16);
    const back = await las.readPoints();
    for (let i = 0; i < 50; i++) expect(Math.abs(back.x[i]! - points.x[i]!)).toBeLessThan(1e-6);
    expect(back.classification).toEqual(points.classification);
  });

  it('chooses a coarser scale when the extent does not fit int32 at 1 mm', async () => {
    const x = Float64Array.from([0, 1e7]);
    const bytes = writeLas({ count: 2, x, y: new Float64Array(2), z: new Float64Array(2) }, { version: '1.2', pointFormat: 0 });
    const las = await openLas(createBytesGetter(bytes, 'wide.las'));
    expect(las.header.scale[0]).toBeCloseTo(0.01, 12);
    expect((await las.readPoints()).x).toEqual(x);
  });

  it('writes an empty file with zero counts and zero bounds', async () => {
    const empty = { count: 0, x: new Float64Array(0), y: new Float64Array(0), z: new Float64Array(0) };
    const las = await openLas(createBytesGetter(writeLas(empty, { version: '1.4', pointFormat: 6 }), 'empty.las'));
    expect(las.header.pointCount).toBe(0);
    expect(las.header.globalEncoding).toBe(16);
    expect([...las.header.min, ...las.header.max]).toEqual([0, 0, 0, 0, 0, 0]);
    expect((await las.readPoints()).count).toBe(0);
  });

  it('refuses what the format cannot hold', () => {
    const points = makePoints(3, 7, 1);
    expect(() => writeLas(points, { version: '1.2', pointFormat: 7 })).toThrow(/^Invalid point format: 7/);
    expect(() => writeLas(points, { version: '1.4', pointFormat: 4 })).toThrow(/^Invalid point format: 4/);
    expect(() => writeLas(points, { version: '1.4', pointFormat: 3 })).toThrow(/^Invalid classification/);
    const far = { ...points, x: Float64Array.from([0, 0, 1e12]) };
    expect(() => writeLas(far, { version: '1.4', pointFormat: 7, scale: [0.001, 0.001, 0.001], offset: [0, OFFSET[1], OFFSET[2]] })).toThrow(/^Invalid X: 1000000000000 at point 2/);
    const nan = { ...points, y: Float64Array.from([0, NaN, 0]) };
    expect(() => writeLas(nan, { version: '1.4', pointFormat: 7 })).toThrow(/^Invalid Y: NaN/);
    expect(() => writeLas(points, { version: '1.4', pointFormat: 7, extraBytes: [{ name: 'missing', type: 'uint8' }] })).toThrow(
      /^Invalid extra bytes: no column "missing"/,
    );
    const big = { ...points, extra: { v: Float64Array.from([1, 2, 300]) } };
    expect(() => writeLas(big, { version: '1.4', pointFormat: 7, extraBytes: [{ name: 'v', type: 'uint8' }] })).toThrow(
      /^Invalid extra bytes value: 300/,
    );
  });
});
