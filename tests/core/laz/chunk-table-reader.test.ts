import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeChunkTable } from '../../../core/laz/chunk-table.ts';
import { readLazChunks } from '../../../core/laz/chunk-table-reader.ts';
import { listPointCloudFiles, rawHeaderTruth, sharedPath } from '../../helpers/shared-data.ts';

/** Header fields and the LASzip VLR's chunk size, parsed here independently of core/las. */
function lazLayout(bytes: Uint8Array): { pointDataOffset: number; count: number; chunkSize: number } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pointDataOffset = v.getUint32(96, true);
  const count = bytes[25]! >= 4 && v.getBigUint64(247, true) > 0n ? Number(v.getBigUint64(247, true)) : v.getUint32(107, true);
  let at = v.getUint16(94, true);
  for (let i = 0; i < v.getUint32(100, true); i++) {
    const userId = Buffer.from(bytes.subarray(at + 2, at + 18)).toString('latin1').replace(/\0+$/, '');
    if (userId === 'laszip encoded') return { pointDataOffset, count, chunkSize: v.getUint32(at + 54 + 12, true) };
    at += 54 + v.getUint16(at + 20, true);
  }
  throw new Error('no LASzip VLR');
}

describe('readLazChunks', () => {
  const files = listPointCloudFiles().filter((f) => f.endsWith('.laz'));

  it.each(files)('splits %s into chunks that fill its point data exactly', (file) => {
    const bytes = new Uint8Array(readFileSync(sharedPath(file)));
    const { pointDataOffset, count, chunkSize } = lazLayout(bytes);
    const chunks = readLazChunks(bytes, pointDataOffset, count, chunkSize);
    expect(chunks.reduce((s, c) => s + c.pointCount, 0)).toBe(rawHeaderTruth(file).count);
    expect(chunks[0]!.offset).toBe(pointDataOffset + 8);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.offset).toBe(chunks[i - 1]!.offset + chunks[i - 1]!.byteCount);
  });

  it('reads back what core/laz encodes, fixed and variable', () => {
    let seed = 3;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (const variable of [true, false]) {
      const entries = Array.from({ length: 200 }, (_, i) => ({ pointCount: variable ? 1 + rnd(i % 7 === 0 ? 3_000_000 : 60_000) : 1000, byteCount: 4 + rnd(i % 5 === 0 ? 2 ** 21 : 65_536) }));
      if (!variable) entries[entries.length - 1] = { pointCount: 17, byteCount: 99 };
      const dataStart = 100;
      const dataBytes = entries.reduce((s, e) => s + e.byteCount, 0);
      const table = encodeChunkTable(entries, variable);
      // A sparse stand-in for a file: only the 8-byte offset and the table are real.
      const tableAt = dataStart + 8 + dataBytes;
      const file = new Uint8Array(tableAt + table.byteLength);
      new DataView(file.buffer).setBigInt64(dataStart, BigInt(tableAt), true);
      file.set(table, tableAt);
      const total = entries.reduce((s, e) => s + e.pointCount, 0);
      const chunks = readLazChunks(file, dataStart, total, variable ? 0xffffffff : 1000);
      expect(chunks.map((c) => ({ pointCount: c.pointCount, byteCount: c.byteCount }))).toEqual(entries);
    }
  });

  it('refuses a table that does not add up', () => {
    const bytes = new Uint8Array(readFileSync(sharedPath('PDAL/test/data/laz/autzen_trim.laz')));
    const { pointDataOffset, count, chunkSize } = lazLayout(bytes);
    expect(() => readLazChunks(bytes, pointDataOffset, count + chunkSize, chunkSize)).toThrow(/Invalid LAZ chunk table/);
    expect(() => readLazChunks(bytes.subarray(0, bytes.byteLength - 20), pointDataOffset, count, chunkSize)).toThrow(/Invalid LAZ chunk table/);
  });
});
