/**
 * Turns an uncompressed LAS 1.4 file (PDRF 6, 7 or 8, as core/las/writer.ts writes it) into a LAZ 1.4 file:
 * same header and VLRs plus the LASzip VLR, the point format's compression bit, and the records as LAZ chunks
 * (encodeChunk) behind a chunk-table offset, followed by the chunk table. Pure: bytes in, bytes out.
 *
 * @example
 * const laz = compressLasToLaz(writeLas(points, { version: '1.4', pointFormat: 7 }));
 */
import { encodeChunk, type LazLayout } from './chunk-encoder.ts';
import { encodeChunkTable, writeChunkTableOffset } from './chunk-table.ts';
import { LAZ_BASE_RECORD_LENGTH } from './laz-layout.ts';
import { buildLaszipVlrData, LASZIP_VLR_RECORD_ID, LASZIP_VLR_USER_ID } from './laszip-vlr.ts';
import { encodeVlr } from '../las/vlr-writer.ts';

/** Points per LAZ chunk (LASzip's default). */
export const LAZ_CHUNK_POINTS = 50_000;

/** Compresses an uncompressed LAS 1.4 PDRF 6-8 file; throws `Invalid …` for other formats or versions. */
export function compressLasToLaz(las: Uint8Array): Uint8Array {
  const view = new DataView(las.buffer, las.byteOffset, las.byteLength);
  // LAS 1.4 R15 §2.4: version 24/25, header size 94, offset to points 96, VLR count 100, format 104, record
  // length 105, start of first EVLR 235, EVLR count 243, point count 247.
  if (las[24] !== 1 || las[25] !== 4) throw new Error(`Invalid LAZ output: LAS ${las[24]}.${las[25]} (needs LAS 1.4)`);
  const headerSize = view.getUint16(94, true);
  const pointOffset = view.getUint32(96, true);
  const vlrCount = view.getUint32(100, true);
  const pointFormat = las[104]!;
  const recordLength = view.getUint16(105, true);
  const base = LAZ_BASE_RECORD_LENGTH[pointFormat];
  if (base === undefined) throw new Error(`Invalid LAZ output: point format ${pointFormat} (the LAZ writer encodes 6, 7 and 8)`);
  if (view.getUint32(243, true) !== 0) throw new Error('Invalid LAZ output: input has EVLRs');
  const count = Number(view.getBigUint64(247, true));
  const layout: LazLayout = { pointFormat: pointFormat as 6 | 7 | 8, extraBytes: recordLength - base };

  const vlr = encodeVlr({
    userId: LASZIP_VLR_USER_ID,
    recordId: LASZIP_VLR_RECORD_ID,
    description: 'laz-perf variant',
    data: buildLaszipVlrData(layout, { chunkSize: LAZ_CHUNK_POINTS }),
  });

  const records = las.subarray(pointOffset, pointOffset + count * recordLength);
  const chunks: Uint8Array[] = [];
  const entries: { pointCount: number; byteCount: number }[] = [];
  for (let first = 0; first < count; first += LAZ_CHUNK_POINTS) {
    const n = Math.min(LAZ_CHUNK_POINTS, count - first);
    const chunk = encodeChunk(records.subarray(first * recordLength, (first + n) * recordLength), n, layout);
    chunks.push(chunk);
    entries.push({ pointCount: n, byteCount: chunk.byteLength });
  }
  const table = encodeChunkTable(entries, false);

  const newPointOffset = pointOffset + vlr.byteLength;
  const tableOffset = newPointOffset + 8 + chunks.reduce((s, c) => s + c.byteLength, 0);
  const out = new Uint8Array(tableOffset + table.byteLength);
  out.set(las.subarray(0, pointOffset), 0);
  out.set(vlr, pointOffset);
  const outView = new DataView(out.buffer);
  if (headerSize < 375) throw new Error(`Invalid LAZ output: header size ${headerSize}`);
  outView.setUint32(96, newPointOffset, true);
  outView.setUint32(100, vlrCount + 1, true);
  out[104] = pointFormat | 0x80;
  outView.setBigUint64(235, 0n, true);
  let at = newPointOffset + 8;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  out.set(table, tableOffset);
  writeChunkTableOffset(out, newPointOffset, tableOffset);
  return out;
}
