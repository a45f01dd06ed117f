/**
 * Synthetic-buffer tests for the header, VLR, EVLR, extra-bytes, GeoTIFF-key and record parsers: every buffer is
 * built here from the LAS 1.4 R15 tables, independent of our writer.
 */
import { readFileSync } from 'node:fs';
import { createLazPerf } from 'laz-perf';
import { describe, expect, it } from 'vitest';
import { createBytesGetter } from '../../../core/io/getter.ts';
import { parseGeoKeys } from '../../../core/las/crs-records.ts';
import { parseExtraBytes } from '../../../core/las/extra-bytes.ts';
import { parseHeader } from '../../../core/las/header.ts';
import type { LazPerfModule } from '../../../core/las/laz.ts';
import { openLas } from '../../../core/las/las-file.ts';
import { decodePointRecords } from '../../../core/las/point-decoder.ts';
import { findPointFormatLayout, isWaveformFormat } from '../../../core/las/point-format.ts';
import { parseEvlrHeader, parseVlrs } from '../../../core/las/vlr.ts';
import { sharedPath } from '../../helpers/shared-data.ts';

function ascii(bytes: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
}

interface HeaderFields {
  minor: number;
  headerSize?: number;
  pointDataOffset?: number;
  vlrCount?: number;
  formatByte?: number;
  recordLength?: number;
  legacyCount?: number;
  count64?: bigint;
  evlrOffset?: bigint;
  evlrCount?: number;
}

/** A LAS header block per LAS 1.4 R15 §2.4 table 3 (sizes 227 / 235 / 375 for 1.0-1.2 / 1.3 / 1.4). */
function makeHeader(f: HeaderFields): Uint8Array {
  const versionSize = f.minor >= 4 ? 375 : f.minor === 3 ? 235 : 227;
  const size = f.headerSize ?? versionSize;
  const bytes = new Uint8Array(Math.max(size, versionSize));
  const view = new DataView(bytes.buffer);
  ascii(bytes, 0, 'LASF');
  view.setUint16(4, 7, true);
  view.setUint16(6, 0x11, true);
  view.setUint32(8, 0x01020304, true);
  bytes[24] = 1;
  bytes[25] = f.minor;
  ascii(bytes, 26, 'sys');
  ascii(bytes, 58, 'soft  ');
  view.setUint16(90, 100, true);
  view.setUint16(92, 2024, true);
  view.setUint16(94, size, true);
  view.setUint32(96, f.pointDataOffset ?? size, true);
  view.setUint32(100, f.vlrCount ?? 0, true);
  bytes[104] = f.formatByte ?? 1;
  view.setUint16(105, f.recordLength ?? 28, true);
  view.setUint32(107, f.legacyCount ?? 3, true);
  for (let r = 0; r < 5; r++) view.setUint32(111 + 4 * r, r + 1, true);
  [0.01, 0.02, 0.001].forEach((v, a) => view.setFloat64(131 + 8 * a, v, true));
  [100, 200, -5].forEach((v, a) => view.setFloat64(155 + 8 * a, v, true));
  [10, 1, 20, 2, 30, 3].forEach((v, k) => view.setFloat64(179 + 8 * k, v, true));
  if (f.minor >= 3) view.setBigUint64(227, 0n, true);
  if (f.minor >= 4) {
    view.setBigUint64(235, f.evlrOffset ?? 0n, true);
    view.setUint32(243, f.evlrCount ?? 0, true);
    view.setBigUint64(247, f.count64 ?? 0n, true);
    for (let r = 0; r < 15; r++) view.setBigUint64(255 + 8 * r, BigInt(r + 10), true);
  }
  return bytes;
}

/** A VLR (LAS 1.4 R15 §2.5 table 19) with a payload. */
function makeVlr(userId: string, recordId: number, payload: Uint8Array, description = ''): Uint8Array {
  const bytes = new Uint8Array(54 + payload.byteLength);
  const view = new DataView(bytes.buffer);
  ascii(bytes, 2, userId);
  view.setUint16(18, recordId, true);
  view.setUint16(20, payload.byteLength, true);
  ascii(bytes, 22, description);
  bytes.set(payload, 54);
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

describe('parseHeader', () => {
  it('reads a LAS 1.2 header', () => {
    const h = parseHeader(makeHeader({ minor: 2 }), 'a.las');
    expect(h).toMatchObject({
      version: '1.2',
      fileSourceId: 7,
      globalEncoding: 0x11,
      systemIdentifier: 'sys',
      generatingSoftware: 'soft',
      creationDayOfYear: 100,
      creationYear: 2024,
      headerSize: 227,
      pointFormat: 1,
      compressedFlag: false,
      pointRecordLength: 28,
      pointCount: 3,
      legacyPointCount: 3,
      pointCountByReturn: [1, 2, 3, 4, 5],
      scale: [0.01, 0.02, 0.001],
      offset: [100, 200, -5],
      max: [10, 20, 30],
      min: [1, 2, 3],
      waveformDataOffset: 0,
      evlrOffset: 0,
      evlrCount: 0,
    });
    expect(h.projectId).toBe('01020304-0000-0000-0000-000000000000');
  });

  it('reads LAS 1.0 and 1.3 headers', () => {
    expect(parseHeader(makeHeader({ minor: 0 }), 'a.las').version).toBe('1.0');
    expect(parseHeader(makeHeader({ minor: 3 }), 'a.las').headerSize).toBe(235);
  });

  it('prefers the LAS 1.4 64-bit counts and falls back to legacy ones when they are 0', () => {
    const big = parseHeader(makeHeader({ minor: 4, legacyCount: 0, count64: 5_000_000_000n, evlrOffset: 999n, evlrCount: 2 }), 'a.las');
    expect(big.pointCount).toBe(5_000_000_000);
    expect(big.legacyPointCount).toBe(0);
    expect(big.pointCountByReturn).toEqual(Array.from({ length: 15 }, (_, r) => r + 10));
    expect([big.evlrOffset, big.evlrCount]).toEqual([999, 2]);
    const legacyOnly = parseHeader(makeHeader({ minor: 4, legacyCount: 3, count64: 0n }), 'a.las');
    expect(legacyOnly.pointCount).toBe(3);
  });

  it('separates the LAZ compression bit from the point format', () => {
    const h = parseHeader(makeHeader({ minor: 4, formatByte: 0x80 | 7, recordLength: 36 }), 'a.laz');
    expect([h.pointFormat, h.compressedFlag]).toEqual([7, true]);
  });

  it('refuses bad signatures, versions, sizes and counts, naming the file', () => {
    const bad = makeHeader({ minor: 2 });
    bad[0] = 0x58;
    expect(() => parseHeader(bad, 'x.las')).toThrow('Invalid LAS signature: "XASF" in x.las');
    const v2 = makeHeader({ minor: 2 });
    v2[24] = 2;
    expect(() => parseHeader(v2, 'x.las')).toThrow('Invalid LAS version: 2.2 in x.las');
    expect(() => parseHeader(makeHeader({ minor: 2 }).subarray(0, 100), 'x.las')).toThrow(/^Invalid LAS header: 100 bytes.*x\.las/);
    expect(() => parseHeader(makeHeader({ minor: 4, headerSize: 227 }), 'x.las')).toThrow('Invalid header size: 227 for LAS 1.4 in x.las');
    expect(() => parseHeader(makeHeader({ minor: 2, pointDataOffset: 100 }), 'x.las')).toThrow(/^Invalid offset to point data: 100/);
    expect(() => parseHeader(makeHeader({ minor: 4, count64: 2n ** 60n }), 'x.las')).toThrow(/^Invalid point count: 1152921504606846976 in x\.las/);
    const zeroScale = makeHeader({ minor: 2 });
    new DataView(zeroScale.buffer).setFloat64(139, 0, true);
    expect(() => parseHeader(zeroScale, 'x.las')).toThrow('Invalid Y scale: 0 in x.las');
  });
});

describe('VLRs and EVLRs', () => {
  it('walks VLRs and keeps their payloads and file offsets', () => {
    const block = concat(makeVlr('LASF_Projection', 2112, Uint8Array.of(65, 66, 0), 'wkt'), makeVlr('me', 7, new Uint8Array(0)));
    const vlrs = parseVlrs(block, 2, 227, 'a.las');
    expect(vlrs.map((v) => [v.userId, v.recordId, v.description, v.payloadOffset, v.payloadLength])).toEqual([
      ['LASF_Projection', 2112, 'wkt', 227 + 54, 3],
      ['me', 7, '', 227 + 54 + 3 + 54, 0],
    ]);
    expect([...vlrs[0]!.payload!]).toEqual([65, 66, 0]);
  });

  it('refuses counts and lengths that run past the block', () => {
    const block = makeVlr('a', 1, new Uint8Array(10));
    expect(() => parseVlrs(block, 2, 227, 'a.las')).toThrow(/^Invalid VLR count: 2, VLR 1 .* a\.las/);
    new DataView(block.buffer).setUint16(20, 11, true);
    expect(() => parseVlrs(block, 1, 227, 'a.las')).toThrow(/^Invalid VLR length: a\/1 has 11 bytes/);
  });

  it('parses an EVLR header with a 64-bit length', () => {
    const bytes = new Uint8Array(60);
    const view = new DataView(bytes.buffer);
    ascii(bytes, 2, 'copc');
    view.setUint16(18, 1000, true);
    view.setBigUint64(20, 123456789012n, true);
    ascii(bytes, 28, 'EPT Hierarchy');
    expect(parseEvlrHeader(bytes, 5000, 'a.las')).toEqual({
      userId: 'copc',
      recordId: 1000,
      description: 'EPT Hierarchy',
      extended: true,
      payloadOffset: 5060,
      payloadLength: 123456789012,
    });
  });
});

/** One extra-bytes descriptor (LAS 1.4 R15 §2.5 table 24). */
function descriptor(dataType: number, options: number, name: string, fill: (view: DataView) => void = () => {}): Uint8Array {
  const bytes = new Uint8Array(192);
  bytes[2] = dataType;
  bytes[3] = options;
  ascii(bytes, 4, name);
  ascii(bytes, 160, `${name} description`);
  fill(new DataView(bytes.buffer));
  return bytes;
}

describe('parseExtraBytes', () => {
  it('reads typed descriptors with no_data, min, max, scale and offset by option bits', () => {
    const payload = concat(
      descriptor(4, 0b11111, 'height', (v) => {
        v.setBigInt64(40, -32768n, true);
        v.setBigInt64(64, -100n, true);
        v.setBigInt64(88, 2000n, true);
        v.setFloat64(112, 0.01, true);
        v.setFloat64(136, 50, true);
      }),
      descriptor(0, 3, 'opaque'),
      descriptor(10, 0b00100, 'range', (v) => v.setFloat64(88, 1.5, true)),
      descriptor(5, 0, 'height'),
    );
    const d = parseExtraBytes(payload, 'a.las');
    expect(d).toEqual([
      {
        name: 'height',
        description: 'height description',
        dataType: 4,
        options: 31,
        type: 'int16',
        size: 2,
        byteOffset: 0,
        noData: -32768,
        min: -100,
        max: 2000,
        scale: 0.01,
        offset: 50,
      },
      { name: 'opaque', description: 'opaque description', dataType: 0, options: 3, size: 3, byteOffset: 2 },
      { name: 'range', description: 'range description', dataType: 10, options: 4, type: 'float64', size: 8, byteOffset: 5, max: 1.5 },
      { name: 'height_2', description: 'height description', dataType: 5, options: 0, type: 'uint32', size: 4, byteOffset: 13 },
    ]);
  });

  it('splits deprecated array types (11-30) into one dimension per element with its own scale', () => {
    const d = parseExtraBytes(
      descriptor(23, 0b01000, 'rgb', (v) => [0.5, 0.25, 2].forEach((s, e) => v.setFloat64(112 + 8 * e, s, true))),
      'a.las',
    );
    expect(d.map((x) => [x.name, x.type, x.byteOffset, x.scale])).toEqual([
      ['rgb0', 'uint16', 0, 0.5],
      ['rgb1', 'uint16', 2, 0.25],
      ['rgb2', 'uint16', 4, 2],
    ]);
  });

  it('refuses a payload that is not whole descriptors and unknown data types', () => {
    expect(() => parseExtraBytes(new Uint8Array(100), 'a.las')).toThrow('Invalid extra bytes VLR length: 100 in a.las');
    expect(() => parseExtraBytes(descriptor(31, 0, 'x'), 'a.las')).toThrow('Invalid extra bytes data type: 31 for "x" in a.las');
  });
});

describe('parseGeoKeys', () => {
  it('resolves inline, double and ASCII values', () => {
    const dir = new Uint8Array(8 + 4 * 8);
    const view = new DataView(dir.buffer);
    [1, 1, 0, 4].forEach((v, i) => view.setUint16(2 * i, v, true));
    const keys = [
      [3072, 0, 1, 25832],
      [2057, 34736, 2, 1],
      [1026, 34737, 6, 4],
      [4096, 34736, 1, 9],
    ];
    keys.forEach((k, i) => k.forEach((v, j) => view.setUint16(8 + 8 * i + 2 * j, v, true)));
    const doubles = new Uint8Array(24);
    [0, 6378137, 298.257].forEach((v, i) => new DataView(doubles.buffer).setFloat64(8 * i, v, true));
    const text = Uint8Array.from('abc|UTM32|', (c) => c.charCodeAt(0));
    expect(parseGeoKeys(dir, doubles, text, 'a.las')).toEqual([
      { id: 3072, location: 0, count: 1, value: 25832 },
      { id: 2057, location: 34736, count: 2, value: [6378137, 298.257] },
      { id: 1026, location: 34737, count: 6, value: 'UTM32' },
      { id: 4096, location: 34736, count: 1, value: undefined },
    ]);
    expect(() => parseGeoKeys(dir.subarray(0, 20), undefined, undefined, 'a.las')).toThrow(/^Invalid GeoTIFF key directory: 4 keys/);
  });
});

describe('point formats and records', () => {
  it('has the LAS 1.4 R15 record lengths for formats 0-10', () => {
    expect(Array.from({ length: 11 }, (_, f) => findPointFormatLayout(f)!.length)).toEqual([20, 28, 26, 34, 57, 63, 30, 36, 38, 59, 67]);
    expect(findPointFormatLayout(11)).toBeUndefined();
    expect([4, 5, 9, 10].every(isWaveformFormat)).toBe(true);
    expect([0, 1, 2, 3, 6, 7, 8].some(isWaveformFormat)).toBe(false);
  });

  it('decodes format 1 bit fields, scaled coordinates and a typed extra after undocumented bytes', () => {
    const length = 28 + 3 + 2;
    const bytes = new Uint8Array(2 * length);
    const view = new DataView(bytes.buffer);
    view.setInt32(0, -150, true);
    view.setInt32(4, 7, true);
    view.setInt32(8, 1000, true);
    view.setUint16(12, 513, true);
    bytes[14] = 0b1_0_011_010; // edge 1, direction 0, 3 returns, return 2
    bytes[15] = 0b101_00110; // withheld + synthetic, class 6
    view.setInt8(16, -12);
    bytes[17] = 200;
    view.setUint16(18, 4321, true);
    view.setFloat64(20, 12345.5, true);
    view.setInt16(28 + 3, -7, true);
    const extraBytes = parseExtraBytes(
      concat(descriptor(0, 3, 'pad'), descriptor(4, 0b11000, 'e', (v) => (v.setFloat64(112, 0.5, true), v.setFloat64(136, 1, true)))),
      'a.las',
    );
    const p = decodePointRecords(
      { pointFormat: 1, recordLength: length, count: 2, bytes },
      { scale: [0.01, 0.02, 0.001], offset: [100, 200, -5], extraBytes },
    );
    expect([p.x[0], p.y[0], p.z[0]]).toEqual([-150 * 0.01 + 100, 7 * 0.02 + 200, 1000 * 0.001 - 5]);
    expect([p.intensity![0], p.returnNumber![0], p.numberOfReturns![0], p.scanDirectionFlag![0], p.edgeOfFlightLine![0]]).toEqual([513, 2, 3, 0, 1]);
    expect([p.classification![0], p.classificationFlags![0], p.scanAngle![0], p.userData![0], p.pointSourceId![0]]).toEqual([6, 5, -12, 200, 4321]);
    expect(p.gpsTime![0]).toBe(12345.5);
    expect(p.extra).toEqual({ e: Float64Array.of(-7 * 0.5 + 1, 1) });
    expect(p.scannerChannel).toBeUndefined();
    expect(p.red).toBeUndefined();
  });

  it('decodes format 8 bit fields, colour and NIR', () => {
    const bytes = new Uint8Array(38);
    const view = new DataView(bytes.buffer);
    bytes[14] = (13 << 4) | 11; // 13 returns, return 11
    bytes[15] = 0b0_1_10_1001; // edge 0, direction 1, channel 2, flags overlap + synthetic
    bytes[16] = 201;
    view.setInt16(18, -15000, true);
    view.setUint16(20, 9, true);
    view.setFloat64(22, -1.25, true);
    [1000, 2000, 3000, 4000].forEach((v, i) => view.setUint16(30 + 2 * i, v, true));
    const p = decodePointRecords({ pointFormat: 8, recordLength: 38, count: 1, bytes }, { scale: [1, 1, 1], offset: [0, 0, 0] });
    expect([p.returnNumber![0], p.numberOfReturns![0], p.classificationFlags![0], p.scannerChannel![0]]).toEqual([11, 13, 9, 2]);
    expect([p.scanDirectionFlag![0], p.edgeOfFlightLine![0], p.classification![0], p.scanAngle![0], p.pointSourceId![0]]).toEqual([1, 0, 201, -15000, 9]);
    expect([p.gpsTime![0], p.red![0], p.green![0], p.blue![0], p.nir![0]]).toEqual([-1.25, 1000, 2000, 3000, 4000]);
  });

  it('reads the point fields of waveform formats 5, 9 and 10 and skips their wave packets', () => {
    for (const [format, length, gpsAt, rgbAt, nirAt] of [
      [5, 63, 20, 28, undefined],
      [9, 59, 22, undefined, undefined],
      [10, 67, 22, 30, 36],
    ] as const) {
      const bytes = new Uint8Array(length).fill(0xff, length - 29);
      const view = new DataView(bytes.buffer);
      view.setInt32(8, 42, true);
      view.setFloat64(gpsAt, 77.5, true);
      if (rgbAt !== undefined) view.setUint16(rgbAt + 4, 999, true);
      if (nirAt !== undefined) view.setUint16(nirAt, 555, true);
      const p = decodePointRecords({ pointFormat: format, recordLength: length, count: 1, bytes }, { scale: [1, 1, 1], offset: [0, 0, 0] });
      expect([p.z[0], p.gpsTime![0], p.blue?.[0], p.nir?.[0]], `format ${format}`).toEqual([
        42,
        77.5,
        rgbAt !== undefined ? 999 : undefined,
        nirAt !== undefined ? 555 : undefined,
      ]);
    }
  });

  it('refuses records shorter than their format', () => {
    expect(() =>
      decodePointRecords({ pointFormat: 3, recordLength: 30, count: 1, bytes: new Uint8Array(30) }, { scale: [1, 1, 1], offset: [0, 0, 0], name: 'r.las' }),
    ).toThrow('Invalid point record length: 30 < 34 for point format 3 in r.las');
  });
});

describe('openLas on broken files', () => {
  const header = (f: Partial<HeaderFields> = {}): Uint8Array => makeHeader({ minor: 2, legacyCount: 2, ...f });

  it('reads a minimal file and its points', async () => {
    const records = new Uint8Array(2 * 28);
    new DataView(records.buffer).setInt32(28, 100, true);
    const las = await openLas(createBytesGetter(concat(header(), records), 'ok.las'));
    const p = await las.readPoints();
    expect(Array.from(p.x)).toEqual([100, 101]);
  });

  it('refuses a file shorter than a header, an unknown format and a record too short for it', async () => {
    await expect(openLas(createBytesGetter(new Uint8Array(100), 'tiny.las'))).rejects.toThrow(/^Invalid LAS file: 100 bytes.*tiny\.las/);
    await expect(openLas(createBytesGetter(header({ formatByte: 11 }), 'f.las'))).rejects.toThrow('Invalid point format: 11 in f.las');
    await expect(openLas(createBytesGetter(header({ formatByte: 3, recordLength: 28 }), 'f.las'))).rejects.toThrow(/^Invalid point record length: 28 < 34/);
  });

  it('refuses a count that claims more points than the file holds, when reading them', async () => {
    const las = await openLas(createBytesGetter(concat(header({ legacyCount: 5 }), new Uint8Array(2 * 28)), 'short.las'));
    await expect(las.readPoints()).rejects.toThrow(/^Invalid point count: 5 records of 28 bytes .* short\.las has 283/);
    await expect(las.readRecords({ start: 4, count: 2 })).rejects.toThrow(/^Invalid record range: 4\+2 of 5/);
  });

  it('refuses an offset to point data beyond the end, and VLRs that overrun it', async () => {
    await expect(openLas(createBytesGetter(header({ pointDataOffset: 5000 }), 'o.las'))).rejects.toThrow(/^Invalid offset to point data: 5000/);
    await expect(openLas(createBytesGetter(header({ vlrCount: 1 }), 'v.las'))).rejects.toThrow(/^Invalid VLR count: 1/);
  });

  it('finds the WKT in an EVLR after the points and leaves other EVLR payloads on disk', async () => {
    const wkt = Uint8Array.from('PROJCS["x"]\0', (c) => c.charCodeAt(0));
    const evlr = (userId: string, recordId: number, payload: Uint8Array): Uint8Array => {
      const bytes = new Uint8Array(60 + payload.byteLength);
      const view = new DataView(bytes.buffer);
      ascii(bytes, 2, userId);
      view.setUint16(18, recordId, true);
      view.setBigUint64(20, BigInt(payload.byteLength), true);
      bytes.set(payload, 60);
      return bytes;
    };
    const head = makeHeader({ minor: 4, formatByte: 6, recordLength: 30, legacyCount: 0, count64: 1n, evlrOffset: 405n, evlrCount: 2 });
    const bytes = concat(head, new Uint8Array(30), evlr('other', 1, Uint8Array.of(1, 2, 3)), evlr('LASF_Projection', 2112, wkt));
    const las = await openLas(createBytesGetter(bytes, 'evlr.las'));
    expect(las.wkt).toBe('PROJCS["x"]');
    expect(las.evlrs.map((v) => [v.userId, v.payload === undefined])).toEqual([
      ['other', true],
      ['LASF_Projection', false],
    ]);
    expect([...(await las.readVlrPayload(las.evlrs[0]!))]).toEqual([1, 2, 3]);
    expect((await las.readPoints()).count).toBe(1);
  });

  it('refuses EVLR counts that run past the end of the file', async () => {
    const bytes = concat(makeHeader({ minor: 4, legacyCount: 0, count64: 0n, evlrOffset: 375n, evlrCount: 3 }), new Uint8Array(70));
    await expect(openLas(createBytesGetter(bytes, 'e.las'))).rejects.toThrow(/^Invalid EVLR (count|length).*e\.las/);
  });

  it('refuses extra-bytes descriptors wider than the records', async () => {
    const eb = makeVlr('LASF_Spec', 4, descriptor(10, 0, 'wide'));
    const bytes = concat(header({ vlrCount: 1, pointDataOffset: 227 + eb.byteLength, legacyCount: 0, recordLength: 30 }), eb);
    await expect(openLas(createBytesGetter(bytes, 'eb.las'))).rejects.toThrow(/^Invalid extra bytes: descriptors need 8 bytes, records have 2/);
  });

  it('refuses a truncated LAZ file and a LAZ count that lies instead of decoding garbage', async () => {
    const file = 'PDAL/test/data/laz/simple.laz';
    const bytes = new Uint8Array(readFileSync(sharedPath(file)));
    const truncated = bytes.slice(0, Math.floor(bytes.byteLength / 2));
    await expect((await openLas(createBytesGetter(truncated, 'half.laz'))).readPoints()).rejects.toThrow(/^Invalid LAZ data: chunk table offset .* half\.laz/);
    const lying = bytes.slice();
    new DataView(lying.buffer).setUint32(107, 1_000_000, true);
    await expect((await openLas(createBytesGetter(lying, 'lying.laz'))).readPoints()).rejects.toThrow(/^Invalid point count: 1000000 .* lying\.laz/);
  });

  it('uses an injected laz-perf instance', async () => {
    const module = (await createLazPerf()) as unknown as LazPerfModule;
    let readers = 0;
    const counting: LazPerfModule = {
      get HEAPU8() {
        return module.HEAPU8;
      },
      _malloc: (n) => module._malloc(n),
      _free: (p) => module._free(p),
      LASZip: class {
        constructor() {
          readers++;
          return new module.LASZip();
        }
      } as unknown as LazPerfModule['LASZip'],
    };
    const file = 'laz-perf/cpp/test/raw-sets/point10.las.laz';
    const las = await openLas(createBytesGetter(readFileSync(sharedPath(file)), file), { lazPerf: counting });
    expect((await las.readPoints()).count).toBe(1065);
    expect(readers).toBe(1);
  });
});
