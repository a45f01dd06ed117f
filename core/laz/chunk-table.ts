/**
 * The LAZ chunk table written after the last chunk (LAZ-FORMAT.md §2.1-2.2): u32 version 0, u32 chunk count,
 * then one arithmetic-coded stream of (point count,) byte count per chunk through a 32-bit integer compressor.
 */
import { ArithmeticEncoder } from './ArithmeticEncoder.ts';
import { IntegerCompressor } from './IntegerCompressor.ts';

/** One chunk as the table lists it. */
export interface ChunkTableEntry {
  /** Points in the chunk (stored only for variable-size chunks). */
  readonly pointCount: number;
  /** Length of the chunk in bytes. */
  readonly byteCount: number;
}

/**
 * Encodes the chunk table. `variable` must be true when the LASzip VLR's chunk size is 0xFFFFFFFF (COPC), which
 * stores every chunk's point count; with fixed chunks only the byte counts are stored.
 */
export function encodeChunkTable(entries: readonly ChunkTableEntry[], variable: boolean): Uint8Array {
  const head = new Uint8Array(8);
  const headView = new DataView(head.buffer);
  headView.setUint32(0, 0, true);
  headView.setUint32(4, entries.length, true);
  // Note: LASzip writes no stream at all for zero chunks.
  if (entries.length === 0) return head;
  const enc = new ArithmeticEncoder(Math.max(64, entries.length * 8));
  const ic = new IntegerCompressor(32, 2);
  let predCount = 0;
  let predBytes = 0;
  for (const entry of entries) {
    const { pointCount, byteCount } = entry;
    if (!Number.isInteger(pointCount) || pointCount < 0 || pointCount > 0xffffffff) {
      throw new Error(`Invalid chunk table point count: ${pointCount}`);
    }
    if (!Number.isInteger(byteCount) || byteCount < 0 || byteCount > 0xffffffff) {
      throw new Error(`Invalid chunk table byte count: ${byteCount}`);
    }
    if (variable) {
      ic.compress(enc, predCount | 0, pointCount | 0, 0);
      predCount = pointCount;
    }
    ic.compress(enc, predBytes | 0, byteCount | 0, 1);
    predBytes = byteCount;
  }
  enc.done();
  const stream = enc.bytes();
  const out = new Uint8Array(8 + stream.byteLength);
  out.set(head, 0);
  out.set(stream, 8);
  return out;
}

/**
 * Writes the absolute file offset of the chunk table into the 8-byte field at the start of the point data area
 * (`pointDataStart` = the header's offset to point data). The first chunk starts right after this field.
 */
export function writeChunkTableOffset(file: Uint8Array, pointDataStart: number, chunkTableOffset: number): void {
  if (!Number.isSafeInteger(chunkTableOffset) || chunkTableOffset < pointDataStart + 8) {
    throw new Error(`Invalid chunk table offset: ${chunkTableOffset}`);
  }
  new DataView(file.buffer, file.byteOffset, file.byteLength).setBigInt64(pointDataStart, BigInt(chunkTableOffset), true);
}

/** The 8-byte little-endian chunk-table offset field on its own, for streaming writers. */
export function encodeChunkTableOffset(chunkTableOffset: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt(chunkTableOffset), true);
  return out;
}
