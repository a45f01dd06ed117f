import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertRecords, findMaxRgb, getTargetPointFormat, isEightBitRgb } from '../../../core/las/record-convert.ts';
import { sharedPath } from '../../helpers/shared-data.ts';
import { decodeFile, recordMultiset } from './laz-perf-decode.ts';

describe('getTargetPointFormat', () => {
  it('maps every format to the COPC format with the same fields', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(getTargetPointFormat)).toEqual([6, 6, 7, 7, 6, 7, 6, 7, 8, 6, 8]);
    expect(() => getTargetPointFormat(11)).toThrow(/Invalid point format: 11/);
  });
});

describe('convertRecords', () => {
  it('follows the LAS 1.4 rules for a format 1 record with extra bytes', () => {
    const src = new Uint8Array(28 + 3);
    const v = new DataView(src.buffer);
    v.setInt32(0, -123456, true);
    v.setInt32(4, 7, true);
    v.setInt32(8, 2_000_000_000, true);
    v.setUint16(12, 4321, true);
    src[14] = 2 | (3 << 3) | (1 << 6); // return 2 of 3, scan direction 1, edge 0
    src[15] = 5 | (1 << 5) | (1 << 7); // class 5, synthetic, withheld
    v.setInt8(16, -15);
    src[17] = 200;
    v.setUint16(18, 65000, true);
    v.setFloat64(20, 12345.5, true);
    src.set([9, 8, 7], 28);
    const out = convertRecords(src, 1, { format: 1, recordLength: 31 });
    expect(out.byteLength).toBe(33);
    const o = new DataView(out.buffer);
    expect([o.getInt32(0, true), o.getInt32(4, true), o.getInt32(8, true), o.getUint16(12, true)]).toEqual([-123456, 7, 2_000_000_000, 4321]);
    expect(out[14]).toBe(2 | (3 << 4));
    expect(out[15]).toBe(1 | 4 | (1 << 6)); // flags synthetic + withheld, scan direction in bit 6
    expect(out[16]).toBe(5);
    expect(out[17]).toBe(200);
    expect(o.getInt16(18, true)).toBe(-2500); // -15° / 0.006°
    expect(o.getUint16(20, true)).toBe(65000);
    expect(o.getFloat64(22, true)).toBe(12345.5);
    expect([...out.subarray(30)]).toEqual([9, 8, 7]);
  });

  it('drops the wave packet of format 5 and scales 8-bit colour when asked', () => {
    const src = new Uint8Array(63);
    const v = new DataView(src.buffer);
    src[14] = 1 | (1 << 3) | (1 << 7);
    src[15] = 2;
    v.setInt8(16, 90);
    v.setFloat64(20, -1.25, true);
    v.setUint16(28, 255, true);
    v.setUint16(30, 1, true);
    v.setUint16(32, 0, true);
    src.fill(0xee, 34); // wave packet
    expect(findMaxRgb(src, 1, { format: 5, recordLength: 63 })).toBe(255);
    expect(isEightBitRgb(255)).toBe(true);
    expect(isEightBitRgb(256)).toBe(false);
    expect(isEightBitRgb(0)).toBe(false);
    const out = convertRecords(src, 1, { format: 5, recordLength: 63 }, { scaleRgb: true });
    const o = new DataView(out.buffer);
    expect(out.byteLength).toBe(36);
    expect(out[15]).toBe(1 << 7);
    expect(o.getInt16(18, true)).toBe(15000);
    expect(o.getFloat64(22, true)).toBe(-1.25);
    expect([o.getUint16(30, true), o.getUint16(32, true), o.getUint16(34, true)]).toEqual([65535, 257, 0]);
  });

  it('copies formats 6-8 and keeps NIR; format 10 loses only its wave packet', () => {
    const src = new Uint8Array(67 + 2).map((_, i) => (i * 37) & 255);
    const out = convertRecords(src, 1, { format: 10, recordLength: 69 });
    expect(out.byteLength).toBe(40);
    expect([...out.subarray(0, 38)]).toEqual([...src.subarray(0, 38)]);
    expect([...out.subarray(38)]).toEqual([...src.subarray(67)]);
  });

  it('turns PDAL test data format 3 into the same format 7 records as PDAL writers.copc did', async () => {
    // derived/autzen_trim.copc.laz was written by PDAL 2.9 from autzen_trim.las with the same scale and offset.
    const las = await decodeFile(new Uint8Array(readFileSync(sharedPath('PDAL/test/data/las/autzen_trim.las'))));
    const copc = await decodeFile(new Uint8Array(readFileSync(sharedPath('derived/autzen_trim.copc.laz'))));
    expect(las.format).toBe(3);
    expect(copc.format).toBe(7);
    const converted = convertRecords(las.records, las.count, { format: 3, recordLength: las.recordLength });
    expect(copc.count).toBe(las.count);
    expect(recordMultiset(converted, las.count, 36)).toEqual(recordMultiset(copc.records, copc.count, copc.recordLength));
  });
});
