/**
 * File level (LAZ-FORMAT.md §1, §2): chunk table vectors G and H (laz-perf's C++ encoder), the LASzip VLR layout,
 * and whole LAZ 1.4 files assembled here (header + LASzip VLR + chunks + chunk table) read back by two
 * independent decoders: laz-perf 0.0.7's file reader (LASZip) and the laz-rs WASM decompressor shipped in
 * @loaders.gl/las.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeChunk } from '../../../core/laz/chunk-encoder.ts';
import { encodeChunkTable, encodeChunkTableOffset, writeChunkTableOffset } from '../../../core/laz/chunk-table.ts';
import type { LazLayout } from '../../../core/laz/laz-layout.ts';
import { buildLaszipVlrData, LASZIP_VLR_RECORD_ID, LASZIP_VLR_USER_ID } from '../../../core/laz/laszip-vlr.ts';
import { REPO_ROOT } from '../../helpers/shared-data.ts';
import { decodeFileWithLazPerf, loadLazPerf } from './laz-test-support.ts';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
const BASE = { 6: 30, 7: 36, 8: 38 } as const;

/** Random records with realistic coherence (walks) for a layout; GPS as increasing doubles. */
function makeRecords(count: number, layout: LazLayout, seed: number, channels = true): Uint8Array {
  const length = BASE[layout.pointFormat] + layout.extraBytes;
  const out = new Uint8Array(count * length);
  const v = new DataView(out.buffer);
  let s = seed >>> 0;
  const rand = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 8;
  let x = 5000;
  let y = -7000;
  let gps = 123456.5;
  for (let i = 0; i < count; i++) {
    const o = i * length;
    x += (rand() % 101) - 50;
    y += (rand() % 101) - 50;
    gps += (rand() % 3) * 1e-5;
    v.setInt32(o, x, true);
    v.setInt32(o + 4, y, true);
    v.setInt32(o + 8, rand() % 2000, true);
    v.setUint16(o + 12, rand() & 0xffff, true);
    const n = 1 + (rand() % 4);
    out[o + 14] = (1 + (rand() % n)) | (n << 4);
    out[o + 15] = (rand() & 0xcf) | ((channels && rand() % 50 === 0 ? rand() & 3 : 0) << 4);
    out[o + 16] = rand() % 3 === 0 ? 2 : 1 + (rand() % 20);
    out[o + 17] = rand() % 10 === 0 ? rand() & 255 : 0;
    v.setInt16(o + 18, (rand() % 4000) - 2000, true);
    v.setUint16(o + 20, rand() % 100 === 0 ? rand() & 0xffff : 7, true);
    v.setFloat64(o + 22, gps, true);
    for (let k = 30; k < length; k++) out[o + k] = rand() % 4 === 0 ? rand() & 255 : out[o + k - length] ?? 0;
  }
  return out;
}

/**
 * A LAZ 1.4 file: 375-byte header (LAS 1.4 R15 §2.4), one LASzip VLR, the point data area with the chunk-table
 * offset field, the chunks, the chunk table.
 */
function assembleLazFile(records: Uint8Array, count: number, layout: LazLayout, chunkCounts: number[], variable: boolean): Uint8Array {
  const recordLength = BASE[layout.pointFormat] + layout.extraBytes;
  const vlrData = buildLaszipVlrData(layout, { chunkSize: variable ? 'variable' : chunkCounts[0]! });
  const vlr = new Uint8Array(54 + vlrData.byteLength);
  const vlrView = new DataView(vlr.buffer);
  for (let i = 0; i < LASZIP_VLR_USER_ID.length; i++) vlr[2 + i] = LASZIP_VLR_USER_ID.charCodeAt(i);
  vlrView.setUint16(18, LASZIP_VLR_RECORD_ID, true);
  vlrView.setUint16(20, vlrData.byteLength, true);
  vlr.set(vlrData, 54);

  const chunks: Uint8Array[] = [];
  let first = 0;
  for (const n of chunkCounts) {
    chunks.push(encodeChunk(records.subarray(first * recordLength, (first + n) * recordLength), n, layout));
    first += n;
  }
  expect(first).toBe(count);
  const table = encodeChunkTable(chunks.map((c, i) => ({ pointCount: chunkCounts[i]!, byteCount: c.byteLength })), variable);

  const pointDataOffset = 375 + vlr.byteLength;
  const tableOffset = pointDataOffset + 8 + chunks.reduce((a, c) => a + c.byteLength, 0);
  const file = new Uint8Array(tableOffset + table.byteLength);
  const v = new DataView(file.buffer);
  file.set([0x4c, 0x41, 0x53, 0x46], 0); // "LASF"
  file[24] = 1;
  file[25] = 4;
  v.setUint16(94, 375, true);
  v.setUint32(96, pointDataOffset, true);
  v.setUint32(100, 1, true);
  file[104] = layout.pointFormat | 0x80;
  v.setUint16(105, recordLength, true);
  for (let k = 0; k < 3; k++) v.setFloat64(131 + 8 * k, 0.01, true);
  v.setFloat64(179, 1e6, true); // max x, min x, max y, min y, max z, min z (not checked by the decoders)
  v.setFloat64(187, -1e6, true);
  v.setFloat64(195, 1e6, true);
  v.setFloat64(203, -1e6, true);
  v.setFloat64(211, 1e6, true);
  v.setFloat64(219, -1e6, true);
  v.setBigUint64(235, BigInt(file.byteLength), true); // start of first EVLR: none, so the end of the file
  v.setBigUint64(247, BigInt(count), true);
  file.set(vlr, 375);
  let pos = pointDataOffset + 8;
  for (const c of chunks) {
    file.set(c, pos);
    pos += c.byteLength;
  }
  file.set(table, tableOffset);
  writeChunkTableOffset(file, pointDataOffset, tableOffset);
  return file;
}

interface LazRs {
  initSync(options: { module: Uint8Array }): unknown;
  WasmLasZipDecompressor: new (bytes: Uint8Array) => { decompress_many(out: Uint8Array): void; free(): void };
}

/** laz-rs (Rust LASzip port, WASM) from @loaders.gl/las; its package exports hide the file, so load it by path. */
async function loadLazRs(): Promise<LazRs> {
  const dir = join(REPO_ROOT, 'node_modules', '@loaders.gl', 'las', 'dist', 'libs', 'laz-rs-wasm');
  const module = (await import(pathToFileURL(join(dir, 'laz_rs_wasm.js')).href)) as LazRs;
  module.initSync({ module: readFileSync(join(dir, 'laz_rs_wasm_bg.wasm')) });
  return module;
}

describe('chunk table (LAZ-FORMAT.md §2.2, vectors G and H)', () => {
  it('G: variable chunks store counts and sizes', () => {
    const table = encodeChunkTable([{ pointCount: 17, byteCount: 458 }, { pointCount: 14, byteCount: 398 }, { pointCount: 14, byteCount: 404 }], true);
    expect(hex(table)).toBe('00 00 00 00 03 00 00 00 2a bb 45 a5 27 01 c0 0a 00 00 00');
  });
  it('H: fixed chunks store sizes only', () => {
    expect(hex(encodeChunkTable([{ pointCount: 50000, byteCount: 67773 }], false))).toBe('00 00 00 00 01 00 00 00 87 e2 5e 00 00 00');
  });
  it('no chunks: only version and count', () => {
    expect(hex(encodeChunkTable([], true))).toBe('00 00 00 00 00 00 00 00');
  });
  it('the offset field is a little-endian i64', () => {
    expect(hex(encodeChunkTableOffset(0x0102030405))).toBe('05 04 03 02 01 00 00 00');
  });
});

describe('LASzip VLR payload (LAZ-FORMAT.md §1.2-1.3)', () => {
  it('PDRF 8 + 4 extra bytes, variable chunks', () => {
    const data = buildLaszipVlrData({ pointFormat: 8, extraBytes: 4 }, { chunkSize: 'variable' });
    expect(hex(data)).toBe(
      '03 00 00 00 03 04 03 00 00 00 00 00 ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ' +
        '03 00 0a 00 1e 00 03 00 0c 00 08 00 03 00 0e 00 04 00 03 00',
    );
  });
  it('PDRF 6, fixed 50 000-point chunks', () => {
    const data = buildLaszipVlrData({ pointFormat: 6, extraBytes: 0 }, { chunkSize: 50000 });
    expect(data.byteLength).toBe(40);
    expect(new DataView(data.buffer).getUint32(12, true)).toBe(50000);
    expect(hex(data.subarray(32))).toBe('01 00 0a 00 1e 00 03 00');
  });
  it('rejects bad chunk sizes and layouts', () => {
    expect(() => buildLaszipVlrData({ pointFormat: 7, extraBytes: 0 }, { chunkSize: 0 })).toThrow(/Invalid LASzip chunk size/);
    expect(() => buildLaszipVlrData({ pointFormat: 9 as 8, extraBytes: 0 }, { chunkSize: 'variable' })).toThrow(/Invalid LAZ layout/);
  });
});

describe('whole LAZ 1.4 files built from our chunks', () => {
  let lp: Awaited<ReturnType<typeof loadLazPerf>>;
  let lazRs: LazRs;
  beforeAll(async () => {
    lp = await loadLazPerf();
    lazRs = await loadLazRs();
  });

  const lazRsRead = (file: Uint8Array, byteLength: number): Uint8Array => {
    const decompressor = new lazRs.WasmLasZipDecompressor(file);
    const out = new Uint8Array(byteLength);
    try {
      decompressor.decompress_many(out);
    } finally {
      decompressor.free();
    }
    return out;
  };

  /** Record byte offsets (within a record) where two record arrays differ. */
  const differingOffsets = (a: Uint8Array, b: Uint8Array, recordLength: number): number[] => {
    const bad = new Set<number>();
    for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) bad.add(i % recordLength);
    return [...bad].sort((x, y) => x - y);
  };

  const cases: { name: string; layout: LazLayout; counts: number[]; variable: boolean }[] = [
    { name: 'PDRF 6, variable chunks', layout: { pointFormat: 6, extraBytes: 0 }, counts: [1, 700, 37, 1200], variable: true },
    { name: 'PDRF 7, variable chunks (COPC style)', layout: { pointFormat: 7, extraBytes: 0 }, counts: [5, 2000, 999, 1], variable: true },
    { name: 'PDRF 8 + 5 EB, variable chunks', layout: { pointFormat: 8, extraBytes: 5 }, counts: [300, 3000, 17], variable: true },
    { name: 'PDRF 7 + 1 EB, fixed 1000-point chunks', layout: { pointFormat: 7, extraBytes: 1 }, counts: [1000, 1000, 500], variable: false },
  ];
  for (const { name, layout, counts, variable } of cases) {
    it(`${name}: laz-perf's file reader (LASZip) reads every point back`, () => {
      const count = counts.reduce((a, b) => a + b, 0);
      const records = makeRecords(count, layout, count + counts.length);
      const file = assembleLazFile(records, count, layout, counts, variable);
      const decoded = decodeFileWithLazPerf(lp, file);
      expect(decoded.count).toBe(count);
      expect(decoded.pointFormat).toBe(layout.pointFormat);
      expect(decoded.recordLength).toBe(BASE[layout.pointFormat] + layout.extraBytes);
      expect(differingOffsets(decoded.records, records, decoded.recordLength)).toEqual([]);
    });
  }

  // Note: the laz-rs build in @loaders.gl/las 4.5.1 stops at the first boundary of variable-size chunks (it throws
  // "Error decompressing points" on the real PDAL COPC files of shared data too), so it gets fixed-chunk files.
  const fixedCases: { layout: LazLayout; counts: number[] }[] = [
    { layout: { pointFormat: 6, extraBytes: 0 }, counts: [800, 800, 13] },
    { layout: { pointFormat: 7, extraBytes: 2 }, counts: [1000, 1000, 500] },
    { layout: { pointFormat: 8, extraBytes: 5 }, counts: [3317] },
  ];
  for (const { layout, counts } of fixedCases) {
    const label = `PDRF ${layout.pointFormat} + ${layout.extraBytes} EB, ${counts.length} fixed chunks`;
    it(`${label}: laz-rs reads every point back (scanner channel 0)`, () => {
      const count = counts.reduce((a, b) => a + b, 0);
      const records = makeRecords(count, layout, 99 + count, false);
      const file = assembleLazFile(records, count, layout, counts, false);
      expect(differingOffsets(lazRsRead(file, records.byteLength), records, BASE[layout.pointFormat] + layout.extraBytes)).toEqual([]);
    });
  }

  it('with scanner-channel switches laz-rs agrees on POINT14, RGB and NIR (its extra bytes differ, see note)', () => {
    // Note: laz-perf (above, same kind of records) and LASzip's v3 BYTE14 rules (LAZ-FORMAT.md §7.1/§7.4) agree with
    // our extra bytes; this laz-rs build diverges only in the BYTE14 layer after a channel switch. Pinned here so
    // a change on either side is noticed.
    const layout: LazLayout = { pointFormat: 8, extraBytes: 5 };
    const records = makeRecords(3317, layout, 4242, true);
    const file = assembleLazFile(records, 3317, layout, [3317], false);
    expect(decodeFileWithLazPerf(lp, file).records).toEqual(records);
    const offsets = differingOffsets(lazRsRead(file, records.byteLength), records, 43);
    expect(offsets.every((o) => o >= 38)).toBe(true);
  });
});
